import type { Redis, RedisOptions } from 'ioredis'
import fp from 'fastify-plugin'

declare module 'fastify' {
  interface FastifyInstance {
    /** The shared Redis (REDIS_URL), or null when this replica runs alone. */
    redis: Redis | null
  }
}

/**
 * Fail fast while Redis is away (no offline queue, one try per command), so a request
 * that needs it gets a 503 at once instead of hanging; reconnect forever in the background.
 */
const REDIS_OPTIONS: RedisOptions = {
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 2000,
  retryStrategy: (attempt) => Math.min(attempt * 200, 2000)
}

/**
 * ioredis's own words for a lost connection; needed because its status can still say
 * `ready` for a moment after the socket has gone.
 */
const CONNECTION_ERROR = /Stream isn't writeable|Connection is closed|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT/

function isConnectionError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'MaxRetriesPerRequestError' || CONNECTION_ERROR.test(error.message))
}

/** Connects to REDIS_URL when set; a Redis that is down at start is retried, not fatal. */
export default fp(
  async (app) => {
    const url = app.config.redisUrl
    if (url === null) {
      app.decorate('redis', null)
      return
    }
    // Loaded only when configured, to keep the start fast without Redis.
    const { Redis: RedisClient } = await import('ioredis')
    const redis = new RedisClient(url, REDIS_OPTIONS)
    redis.on('error', (error: Error) => app.log.warn({ err: error }, 'redis connection error'))
    await redis.connect().catch((error: unknown) => app.log.warn({ err: error }, 'redis is not answering; retrying in the background'))
    app.decorate('redis', redis)
    app.addDependencyCheck('redis', (error) => redis.status !== 'ready' || isConnectionError(error))
    app.addHook('onClose', async () => {
      redis.disconnect()
    })
  },
  { name: 'redis', dependencies: ['config', 'errors'] }
)
