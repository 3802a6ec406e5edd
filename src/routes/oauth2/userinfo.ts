import formbody from '@fastify/formbody'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { credentialFrom } from '../../services/access-check.js'
import { bearerTokenOf } from '../../services/oauth2/token-status.js'
import { oauthErrors, UserinfoAnswer, UserinfoForm } from '../../schemas/oauth2.js'
import { AuthorizationHeader } from '../../schemas/common.js'

/** Room for the largest access token (8 KiB) in a form body. */
const BODY_LIMIT = 16_384

/**
 * OIDC userinfo (Core §5.3): claims of the user an access token with `openid` was issued for.
 * The token comes in the Authorization header (GET or POST) or, on POST, as `access_token` in a
 * form-encoded body (RFC 6750 §2.2); any other body type is refused (415).
 */
const userinfo: FastifyPluginAsyncTypebox = async (app) => {
  app.removeAllContentTypeParsers()
  await app.register(formbody)
  const { tokenStatus } = app.oauth2
  const tags = ['oauth2']
  const summary = 'Claims about the signed-in user (access token with openid)'
  const config = { oauth: true }

  app.get(
    '/oauth2/userinfo',
    { config, schema: { tags, summary, headers: AuthorizationHeader, response: { 200: UserinfoAnswer, ...oauthErrors(401, 403) } } },
    async (request) => tokenStatus.userinfo(credentialFrom(request.headers.authorization))
  )

  app.post(
    '/oauth2/userinfo',
    {
      config,
      bodyLimit: BODY_LIMIT,
      schema: {
        tags,
        summary,
        headers: AuthorizationHeader,
        // Keyed by media type: a POST without a body (the token in the header) is checked against nothing.
        body: { content: { 'application/x-www-form-urlencoded': { schema: UserinfoForm } } },
        response: { 200: UserinfoAnswer, ...oauthErrors(400, 401, 403, 413, 415) }
      }
    },
    async (request) => {
      const form = request.body as { access_token?: string } | undefined
      return tokenStatus.userinfo(bearerTokenOf(credentialFrom(request.headers.authorization), form?.access_token))
    }
  )
}

export default userinfo
