import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { InvalidInput } from '../errors.js'
import { AuthorizationHeader, errors } from '../schemas/common.js'
import { Jwks } from '../schemas/ops.js'
import Type from 'typebox'

/** Signing key rotation for admins: the new key signs after every replica has seen it; old keys verify until their tokens expire. */
const keys: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['keys']
  const security = [{ bearer: [] }]

  app.get(
    '/api/v1/keys',
    { preHandler: app.requireAdmin, schema: { tags, security, summary: 'Published verification keys', headers: AuthorizationHeader, response: { 200: Jwks, ...errors(401, 403) } } },
    async () => app.tokens.jwks()
  )

  app.post(
    '/api/v1/keys/rotate',
    {
      preHandler: app.requireAdmin,
      schema: { tags, security, summary: 'Publish a new signing key; it signs once every replica knows it', headers: AuthorizationHeader, response: { 201: Type.Object({ kid: Type.String() }), ...errors(400, 401, 403) } }
    },
    async (_request, reply) => {
      if (app.config.jwt.secret !== null) throw new InvalidInput('JWT_SECRET is set: shared-secret mode has no keys to rotate')
      return reply.code(201).send({ kid: await app.tokens.rotateSigningKey() })
    }
  )
}

export default keys
