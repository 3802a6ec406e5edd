// The server, as src/server.ts starts it. A module of its own so that the image can fill Node's
// compile cache by importing it (dist/bundle/main.js) without starting a server.
import type { Server } from 'node:http'
import { availableParallelism } from 'node:os'
import { buildApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'
import { startMetricsServer } from './plugins/metrics.js'

/** Reads the configuration, builds the app and listens; stops the process on SIGTERM and SIGINT. */
export async function main(): Promise<void> {
  // libuv's pool runs bcrypt and token signatures. Two threads per core: bcrypt is held to one
  // per core (passwords.ts), its full speed, so a burst of logins leaves the other half free
  // and a signature never waits behind a compare; issuance alone can use every core. Node 22 and
  // later start the pool when it is first used, after this line; on Node 20 the module loader's
  // reads have already started it with 4 threads, so there only the environment sets it.
  process.env.UV_THREADPOOL_SIZE ??= String(2 * availableParallelism())
  let config
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`moneypenny: ${error.message}\n`)
      process.exit(1)
    }
    throw error
  }
  const app = await buildApp(config)
  // A promise rejected in some library callback with no handler would end the process (Node's
  // default), taking every request with it. Routes answer their own errors; what reaches here
  // is a defect, logged loudly, while the other requests go on.
  process.on('unhandledRejection', (reason: unknown) => {
    app.log.error({ err: reason }, 'unhandled promise rejection')
  })
  let metricsServer: Server | null = null
  let closing = false
  /**
   * Closing stops accepting at once, and every request from then on (/readyz included)
   * gets 503, so the load balancer drains this replica; requests in flight finish, then
   * the store and Redis close. Past the grace period the process exits anyway.
   */
  const shutdown = async (signal: string) => {
    if (closing) return
    closing = true
    app.log.info({ signal, graceMs: config.shutdownGraceMs }, 'shutting down')
    metricsServer?.close()
    const grace = setTimeout(() => {
      app.log.warn('requests still in flight after the grace period; exiting')
      process.exit(0)
    }, config.shutdownGraceMs)
    await app.close()
    clearTimeout(grace)
    process.exit(0)
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))
  await app.listen({ port: config.port, host: config.host })
  if (config.metricsPort !== null) metricsServer = await startMetricsServer(config.metricsPort, config.host)
}
