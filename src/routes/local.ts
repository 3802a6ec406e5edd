import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Forbidden } from '../errors.js'
import { errors } from '../schemas/common.js'
import {
  AccessTokenAnswer,
  AuthenticateBody,
  RefreshBody,
  RegisterBody,
  RegisterResponse,
  RevokeBody,
  RevokeResponse,
  TokenPair
} from '../schemas/local.js'
import { isoTime } from '../schemas/views.js'
import { negotiateLocale } from '../pages/locale.js'
import { setRequestLocale } from '../services/security-log.js'

/** rdata-auth-server's local strategy and its strategy-agnostic token routes. */
const local: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['rdata']

  app.post(
    '/api/v1/auth/local/register',
    {
      ...app.credentialRoute,
      schema: { tags, summary: 'Register a local user', body: RegisterBody, response: { 201: RegisterResponse, ...errors(400, 403, 409, 413, 429) } }
    },
    async (request, reply) => {
      if (app.config.registration === 'closed') throw new Forbidden('Registration is closed')
      // The verification mail speaks the caller's language.
      setRequestLocale(negotiateLocale({ acceptLanguage: request.headers['accept-language'], defaultLocale: app.config.defaultLocale }))
      const user = await app.accounts.register(request.body)
      return reply.code(201).send({ user: { id: user.id, email: user.email, username: user.username, role: user.role } })
    }
  )

  app.post(
    '/api/v1/auth/local/authenticate',
    {
      ...app.credentialRoute,
      schema: { tags, summary: 'Sign in with username or email and password', body: AuthenticateBody, response: { 200: TokenPair, ...errors(400, 401, 413, 429) } }
    },
    async (request) => {
      const { session, refreshToken, access } = await app.signIn.withRefreshToken(request.body, 'rdata')
      return {
        refreshToken,
        accessToken: access.token,
        accessTokenExpiresAt: isoTime(access.claims.exp * 1000),
        refreshTokenExpiresAt: isoTime(session.expiresAt)
      }
    }
  )

  app.post(
    '/api/v1/auth/refresh',
    {
      ...app.credentialRoute,
      schema: { tags, summary: 'Exchange a refresh token for a new access token', body: RefreshBody, response: { 200: AccessTokenAnswer, ...errors(400, 401, 413, 429) } }
    },
    async (request) => {
      const { token, claims } = await app.signIn.accessTokenForRefreshToken(request.body.refresh_token ?? request.body.refreshToken!)
      return { accessToken: token, accessTokenExpiresAt: isoTime(claims.exp * 1000) }
    }
  )

  app.post(
    '/api/v1/auth/revoke',
    {
      ...app.credentialRoute,
      schema: { tags, summary: 'Revoke a refresh token and its session', body: RevokeBody, response: { 200: RevokeResponse, ...errors(400, 401, 413, 429) } }
    },
    async (request) => {
      const session = await app.sessions.sessionOfRefreshToken(request.body.refresh_token)
      await app.sessions.revoke(session.id)
      return { result: 'ok' as const }
    }
  )
}

export default local
