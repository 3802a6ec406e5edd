import type { Server } from 'node:http'
import { createServer } from '../http/node-http.js'
import fp from 'fastify-plugin'
import { httpRequests, httpRequestsInFlight, registry, storeLatency } from '../services/metrics.js'
import type { Store } from '../store/port.js'

/** Times every repository method of the store (store latency by repository and operation). */
export function instrumentStore(store: Store): Store {
  const timed = <T extends object>(name: string, repository: T): T =>
    new Proxy(repository, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown
        if (typeof value !== 'function') return value
        return (...args: unknown[]) => {
          const end = storeLatency.startTimer({ repository: name, operation: String(property) })
          const result = (value as (...a: unknown[]) => unknown).apply(target, args)
          if (result instanceof Promise) return result.finally(end)
          end()
          return result
        }
      }
    })
  const instrumented = { ...store } as Record<string, unknown>
  for (const [name, repository] of Object.entries(store)) {
    if (repository && typeof repository === 'object') instrumented[name] = timed(name, repository as object)
  }
  return instrumented as unknown as Store
}

/** Prometheus text from the process registry; also served alone on METRICS_PORT by server.ts. */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() }
}

/** A bare server for METRICS_PORT, so metrics need not be exposed with the API. */
export function startMetricsServer(port: number, host: string): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.url !== '/metrics') {
      response.writeHead(404).end()
      return
    }
    metricsText().then(({ contentType, body }) => response.writeHead(200, { 'content-type': contentType }).end(body), () => response.writeHead(500).end())
  })
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)))
}

/** Request count and duration by route and status, and `/metrics` unless METRICS_PORT serves it. */
export default fp(
  async (app) => {
    // Callback hooks, not async ones: a promise per hook per request shows on the token checks.
    app.addHook('onRequest', (_request, reply, done) => {
      httpRequestsInFlight.inc()
      // 'close' fires once for every response, answered or aborted.
      reply.raw.once('close', () => httpRequestsInFlight.dec())
      done()
    })
    app.addHook('onResponse', (request, reply, done) => {
      httpRequests.observe(
        { route: request.routeOptions.url ?? 'unmatched', method: request.method, status: String(reply.statusCode) },
        reply.elapsedTime / 1000
      )
      done()
    })
    if (app.config.metricsPort !== null) return
    app.get('/metrics', { schema: { tags: ['operations'], summary: 'Prometheus metrics', produces: ['text/plain'] } }, async (_request, reply) => {
      const { contentType, body } = await metricsText()
      return reply.header('content-type', contentType).send(body)
    })
  },
  { name: 'metrics', dependencies: ['config'] }
)
