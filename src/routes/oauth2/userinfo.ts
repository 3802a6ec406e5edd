import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { credentialFrom } from '../../services/access-check.js'
import { oauthErrors, UserinfoAnswer } from '../../schemas/oauth2.js'
import { AuthorizationHeader } from '../../schemas/common.js'

/** OIDC userinfo (Core §5.3): claims of the user an access token with `openid` was issued for. */
const userinfo: FastifyPluginAsyncTypebox = async (app) => {
  const schema = {
    tags: ['oauth2'],
    summary: 'Claims about the signed-in user (Bearer access token with openid)',
    headers: AuthorizationHeader,
    response: { 200: UserinfoAnswer, ...oauthErrors(401, 403) }
  }
  const handler = (request: FastifyRequest) => app.oauth2.tokenStatus.userinfo(credentialFrom(request.headers.authorization))
  app.get('/oauth2/userinfo', { config: { oauth: true }, schema }, handler)
  app.post('/oauth2/userinfo', { config: { oauth: true }, schema }, handler)
}

export default userinfo
