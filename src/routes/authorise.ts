import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Forbidden } from '../errors.js'
import { requiredCredential } from '../services/access-check.js'
import { AuthorizationHeader, errors } from '../schemas/common.js'
import { AuthoriseAnswer, AuthoriseQuery, LoginBody, LogoutAnswer, SessionAnswer } from '../schemas/authorise.js'
import { isoTime } from '../schemas/views.js'

/**
 * The unnamed login/logout/authorise service. /authorise is the check other services
 * call on every request: it accepts every access token moneypenny issues and reads
 * nothing from the store on its common path.
 */
const authorise: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['session']

  app.post(
    '/login',
    {
      ...app.credentialRoute,
      schema: { tags, summary: 'Sign in; the token lasts while the session is used', body: LoginBody, response: { 200: SessionAnswer, ...errors(400, 401, 413, 429) } }
    },
    async (request) => {
      const { user, session, access } = await app.signIn.withSlidingSession(request.body.username, request.body.password)
      return { data: { username: user.username, organisation: user.organisation, token: access.token, expires: isoTime(session.idleExpiresAt!) } }
    }
  )

  app.get(
    '/authorise',
    {
      schema: {
        tags,
        summary: 'Check a token; a sliding session is extended',
        headers: AuthorizationHeader,
        querystring: AuthoriseQuery,
        response: { 200: AuthoriseAnswer, ...errors(400, 401, 403) }
      }
    },
    async (request) => {
      const token = requiredCredential(request.headers.authorization)
      const { claims, expiresAt } = await app.accessCheck.check(token)
      const wanted = request.query.organisation
      const organisation = claims.organisation ?? null
      if (wanted !== undefined && wanted !== organisation) throw new Forbidden('Token belongs to another organisation')
      // A client_credentials token has no user: the client id stands in for the name, and subject_type says so.
      return {
        data: {
          username: claims.username ?? claims.sub,
          organisation,
          token,
          expires: isoTime(expiresAt),
          subject_type: claims.username === undefined ? ('client' as const) : ('user' as const),
          sub: claims.sub,
          scope: claims.scope,
          ...(claims.client_id === undefined ? {} : { client_id: claims.client_id })
        }
      }
    }
  )

  app.get(
    '/logout',
    {
      schema: { tags, summary: 'End the session of a token', headers: AuthorizationHeader, response: { 200: LogoutAnswer, ...errors(401) } }
    },
    async (request) => {
      await app.sessions.revoke(app.accessCheck.verify(requiredCredential(request.headers.authorization)).sid)
      return { result: 'ok' as const }
    }
  )
}

export default authorise
