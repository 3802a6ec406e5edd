import formbody from '@fastify/formbody'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { clientCredentialsFrom } from '../../services/oauth2/client-auth.js'
import { IntrospectionAnswer, oauthErrors, TokenAnswer, TokenQuery, TokenRequest } from '../../schemas/oauth2.js'

/** Big enough for any token we issue plus client credentials; far below the default limit. */
const BODY_LIMIT = 16_384

/**
 * The endpoints a client calls with its credentials: token (RFC 6749 §3.2), introspection
 * (RFC 7662) and revocation (RFC 7009). Form-encoded bodies only; errors are RFC 6749 JSON.
 */
const token: FastifyPluginAsyncTypebox = async (app) => {
  app.removeAllContentTypeParsers()
  await app.register(formbody)
  app.addHook('onRequest', (_request, reply, done) => {
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache')
    done()
  })
  const tags = ['oauth2']
  const config = { oauth: true }
  const { clients, tokenEndpoint, tokenStatus } = app.oauth2

  app.post(
    '/oauth2/token',
    {
      config,
      bodyLimit: BODY_LIMIT,
      schema: {
        tags,
        summary: 'Exchange a grant for tokens: authorization_code (+PKCE), refresh_token (rotated), client_credentials',
        consumes: ['application/x-www-form-urlencoded'],
        body: TokenRequest,
        response: { 200: TokenAnswer, ...oauthErrors(400, 401, 413, 415) }
      }
    },
    async (request) => tokenEndpoint.exchange(clientCredentialsFrom(request.headers.authorization, request.body), request.body)
  )

  app.post(
    '/oauth2/introspect',
    {
      config,
      bodyLimit: BODY_LIMIT,
      schema: {
        tags,
        summary: 'Is this token active? Confidential clients only',
        consumes: ['application/x-www-form-urlencoded'],
        body: TokenQuery,
        response: { 200: IntrospectionAnswer, ...oauthErrors(400, 401, 413, 415) }
      }
    },
    async (request) => {
      const client = await clients.authenticate(clientCredentialsFrom(request.headers.authorization, request.body))
      return tokenStatus.introspect(client, request.body.token, request.body.token_type_hint)
    }
  )

  app.post(
    '/oauth2/revoke',
    {
      config,
      bodyLimit: BODY_LIMIT,
      schema: {
        tags,
        summary: "Revoke a token and its whole grant; unknown tokens are a success",
        consumes: ['application/x-www-form-urlencoded'],
        body: TokenQuery,
        response: { 200: { type: 'null', description: 'Revoked, or unknown' }, ...oauthErrors(400, 401, 413, 415) }
      }
    },
    async (request, reply) => {
      const client = await clients.authenticate(clientCredentialsFrom(request.headers.authorization, request.body))
      await tokenStatus.revoke(client, request.body.token)
      return reply.code(200).send(null)
    }
  )
}

export default token
