import cors from '@fastify/cors'
import helmet from '@fastify/helmet'
import rateLimit from '@fastify/rate-limit'
import fp from 'fastify-plugin'

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Route options for every route that checks a password or exchanges a token: the
     * per-address rate limit and the small body limit.
     */
    credentialRoute: { bodyLimit: number; config: { rateLimit: { max: number; timeWindow: number } } }
  }
}

/** Security headers, CORS from the allow-list, and per-address rate limits. */
export default fp(
  async (app) => {
    const { config } = app
    await app.register(helmet)
    await app.register(cors, {
      origin: config.corsOrigins === null ? false : config.corsOrigins === '*' ? '*' : config.corsOrigins,
      methods: ['GET', 'POST', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type'],
      maxAge: 600
    })
    app.decorate('credentialRoute', {
      bodyLimit: config.authBodyLimit,
      config: { rateLimit: { max: config.rateLimit.addressMax, timeWindow: config.rateLimit.addressWindowMs } }
    })
    if (config.rateLimit.enabled) {
      await app.register(rateLimit, {
        global: false,
        errorResponseBuilder: (_request, context) => ({
          statusCode: 429,
          error: 'Too Many Requests',
          message: `Rate limit exceeded, retry in ${context.after}`
        })
      })
    }
  },
  { name: 'security', dependencies: ['config'] }
)
