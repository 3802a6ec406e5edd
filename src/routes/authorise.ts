import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Static } from 'typebox'
import { hasBody } from '../plugins/security.js'
import { requiredCredential } from '../services/access-check.js'
import { ForwardAuth } from '../services/forward-auth.js'
import { AuthorizationHeader, errors } from '../schemas/common.js'
import { AuthoriseAnswer, AuthoriseHeaders, AuthoriseQuery, ForwardedBody, LoginBody, LogoutAnswer, SessionAnswer } from '../schemas/authorise.js'
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
      const { user, session, access } = await app.signIn.withSlidingSession(request.body)
      return { data: { username: user.username, organisation: user.organisation, token: access.token, expires: isoTime(session.idleExpiresAt!) } }
    }
  )

  const forwardAuth = new ForwardAuth(app.config.forwardAuth)
  const { requiredOrganisationHeader } = forwardAuth
  const schema = {
    tags,
    summary: 'Check a token; a sliding session is extended',
    description:
      'Forward auth for gateways: a 200 carries the identity in response headers too (FORWARD_AUTH_HEADERS); ' +
      'HEAD answers the same without a body; any method and any path under /authorise/ is the same check.',
    headers: AuthoriseHeaders(requiredOrganisationHeader),
    querystring: AuthoriseQuery,
    response: { 200: AuthoriseAnswer, ...errors(401, 403) }
  }

  /** The check: token, then every organisation asked for; the identity goes to the headers and the seed's JSON. */
  const check = async (request: FastifyRequest<{ Querystring: Static<typeof AuthoriseQuery> }>, reply: FastifyReply) => {
    const token = requiredCredential(request.headers.authorization)
    const { claims, expiresAt } = await app.accessCheck.check(token)
    forwardAuth.requireOrganisations(claims, request.query.organisation, requiredOrganisationHeader === null ? undefined : request.headers[requiredOrganisationHeader])
    reply.headers(forwardAuth.identityHeaders(claims))
    // A body is never read (ForwardedBody): closing the connection after the answer spares reading it.
    if (hasBody(request.headers)) reply.header('connection', 'close')
    // A client_credentials token has no user: the client id stands in for the name, and subject_type says so.
    return {
      data: {
        username: claims.username ?? claims.sub,
        organisation: claims.organisation ?? null,
        token,
        expires: isoTime(expiresAt),
        subject_type: claims.username === undefined ? ('client' as const) : ('user' as const),
        sub: claims.sub,
        scope: claims.scope,
        ...(claims.client_id === undefined ? {} : { client_id: claims.client_id })
      }
    }
  }

  // Envoy's ext_authz keeps the request's method and appends its path: /authorise/<path>.
  await app.register(async (forwarded) => {
    // No body is parsed here: one parser for every type (and none) that leaves the body unread.
    forwarded.removeAllContentTypeParsers()
    forwarded.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined))
    for (const url of ['/authorise', '/authorise/*']) {
      forwarded.route({ method: ['GET', 'HEAD'], url, exposeHeadRoute: false, schema, handler: check })
      forwarded.route({ method: ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'], url, schema: { ...schema, body: ForwardedBody }, handler: check })
    }
  })

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
