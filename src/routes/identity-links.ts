import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { AuthorizationHeader, errors, IdParams } from '../schemas/common.js'
import { IdentityLink, KeptUpstreamTokens, UserLinkParams } from '../schemas/oidc.js'
import { identityLinkView } from '../schemas/views.js'
import { actingOn } from '../services/access-check.js'
import { securityEvent } from '../services/security-log.js'

/** A user's links to upstream OpenID Connect providers, by API: listed and removed. */
const identityLinks: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['oidc upstream']
  const security = [{ bearer: [] }]
  const route = { preHandler: app.requireAccessToken }

  app.get(
    '/api/v1/users/:id/links',
    {
      ...route,
      schema: { tags, security, summary: "A user's links to upstream providers (the user or an admin)", headers: AuthorizationHeader, params: IdParams, response: { 200: Type.Array(IdentityLink), ...errors(401, 403, 404) } }
    },
    async (request) => {
      actingOn(request.principal, request.params.id)
      await app.accounts.get(request.params.id)
      return (await app.identityLinks.list(request.params.id)).map(identityLinkView)
    }
  )

  app.get(
    '/api/v1/users/:id/links/:provider/tokens',
    {
      preHandler: app.requireAdmin,
      schema: {
        tags,
        security,
        summary: "The provider's tokens kept for a user's link (the provider has keep_tokens; an admin only: a security event)",
        headers: AuthorizationHeader,
        params: UserLinkParams,
        response: { 200: KeptUpstreamTokens, ...errors(401, 403, 404) }
      }
    },
    async (request, reply) => {
      const { id, provider } = request.params
      const tokens = await app.identityLinks.keptTokens(id, provider)
      securityEvent('warn', 'upstream_tokens_read', { userId: id, provider })
      return reply.header('cache-control', 'no-store').send(tokens)
    }
  )

  app.delete(
    '/api/v1/users/:id/links/:provider',
    {
      ...route,
      schema: {
        tags,
        security,
        summary: 'Remove a link (the user, unless it is their last way to sign in; or an admin: a security event)',
        headers: AuthorizationHeader,
        params: UserLinkParams,
        response: { 204: { type: 'null' }, ...errors(401, 403, 404, 409) }
      }
    },
    async (request, reply) => {
      const by = actingOn(request.principal, request.params.id)
      await app.identityLinks.unlink(await app.accounts.get(request.params.id), request.params.provider, by)
      return reply.code(204).send(null)
    }
  )
}

export default identityLinks
