import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Unauthenticated } from '../errors.js'
import { credentialFrom } from '../services/access-check.js'
import { errors } from '../schemas/common.js'
import { AccessTokenQuery, RawAuthorizationHeader, RefreshTokenRequest, TokenAnswer } from '../schemas/tokens.js'

/** lummox: a long-lived refresh token for a password, then access tokens for the refresh token. */
const tokens: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['lummox']

  app.post(
    '/api/v1/tokens/refresh',
    {
      ...app.credentialRoute,
      schema: { tags, summary: 'Get a refresh token for a username and password', body: RefreshTokenRequest, response: { 200: TokenAnswer, ...errors(400, 401, 413, 429) } }
    },
    async (request) => {
      const { refreshToken } = await app.signIn.withRefreshToken(request.body, 'lummox')
      return { token: refreshToken }
    }
  )

  app.post(
    '/api/v1/tokens/access',
    {
      ...app.credentialRoute,
      schema: {
        tags,
        summary: 'Get an access token, carrying the user\'s scope, for a refresh token',
        headers: RawAuthorizationHeader,
        querystring: AccessTokenQuery,
        response: { 200: TokenAnswer, ...errors(400, 401, 429) }
      }
    },
    async (request) => {
      const refreshToken = credentialFrom(request.headers.authorization) ?? request.query.token
      if (!refreshToken) throw new Unauthenticated('Missing refresh token')
      const { token } = await app.signIn.accessTokenForRefreshToken(refreshToken)
      return { token }
    }
  )
}

export default tokens
