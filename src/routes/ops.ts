import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Health, Jwks } from '../schemas/ops.js'

/** Liveness, readiness and the published verification keys. */
const ops: FastifyPluginAsyncTypebox = async (app) => {
  const { redis } = app
  const dependencyPings: [string, () => Promise<unknown>][] = [['store', () => app.store.ping()]]
  if (redis) dependencyPings.push(['redis', () => redis.ping()])

  app.get('/healthz', { schema: { tags: ['operations'], summary: 'The process is alive', response: { 200: Health } } }, async () => ({ status: 'ok' }))

  app.get(
    '/readyz',
    { schema: { tags: ['operations'], summary: 'The store (and Redis, when configured) answer', response: { 200: Health, 503: Health } } },
    async (request, reply) => {
      for (const [name, ping] of dependencyPings) {
        try {
          await ping()
        } catch (error) {
          request.log.warn({ err: error }, `${name} not answering`)
          return reply.code(503).send({ status: `${name} unavailable` })
        }
      }
      return { status: 'ok' }
    }
  )

  app.get(
    '/.well-known/jwks.json',
    { schema: { tags: ['keys'], summary: 'Public keys that verify access tokens (empty with JWT_SECRET)', response: { 200: Jwks } } },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300')
      return app.tokens.jwks()
    }
  )
}

export default ops
