import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { requireSelfOrAdmin } from '../services/access-check.js'
import { AuthorizationHeader, errors } from '../schemas/common.js'
import { isoTime } from '../schemas/views.js'

const Consent = Type.Object({ client_id: Type.String(), scope: Type.String(), granted_at: Type.String({ format: 'date-time' }) })
const UserParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })
const ConsentParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), clientId: Type.String({ minLength: 1, maxLength: 64 }) })

/** The consents a user gave third-party clients: listed, and withdrawn (which ends the client's sessions for that user). */
const consents: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['users']
  const security = [{ bearer: [] }]

  app.get(
    '/api/v1/users/:id/consents',
    {
      preHandler: app.requireAccessToken,
      schema: { tags, security, summary: 'Clients this user allowed (admin, or the user)', headers: AuthorizationHeader, params: UserParams, response: { 200: Type.Object({ consents: Type.Array(Consent) }), ...errors(401, 403) } }
    },
    async (request) => {
      requireSelfOrAdmin(request.principal, request.params.id)
      const list = await app.oauth2.consents.list(request.params.id)
      return { consents: list.map((c) => ({ client_id: c.clientId, scope: c.scope.join(' '), granted_at: isoTime(c.grantedAt) })) }
    }
  )

  app.delete(
    '/api/v1/users/:id/consents/:clientId',
    {
      preHandler: app.requireAccessToken,
      schema: { tags, security, summary: "Withdraw a consent and end that client's sessions for this user", headers: AuthorizationHeader, params: ConsentParams, response: { 204: { type: 'null' }, ...errors(401, 403, 404) } }
    },
    async (request, reply) => {
      requireSelfOrAdmin(request.principal, request.params.id)
      await app.oauth2.consents.withdraw(request.params.id, request.params.clientId)
      return reply.code(204).send(null)
    }
  )
}

export default consents
