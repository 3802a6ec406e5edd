import formbody from '@fastify/formbody'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest, Session } from 'fastify'
import { consentPage, errorPage } from '../../pages/end-user.js'
import { sendRedirect } from '../../pages/html.js'
import { uiLocalesOf } from '../../pages/locale.js'
import { paramsOf, type AuthorizationOutcome, type RawParams, type SignInFacts } from '../../services/oauth2/authorization.js'
import { resumePath, type PendingAuthorization } from '../../services/oauth2/pending-authorization.js'
import { AuthorizationQuery, ConsentForm } from '../../schemas/oauth2.js'
import type { UserRecord } from '../../store/port.js'
import { withReturnTo } from '../../services/return-to.js'
import { SECOND_FACTOR_PATH } from '../second-factor-page.js'

/** `?resume=<id>` and nothing else: a held request coming back from sign-in. */
function isResume(params: RawParams): boolean {
  const names = Object.keys(params)
  return names.length === 1 && names[0] === 'resume'
}

const FORM_BODY_LIMIT = 32_768

/** The request an answer is for: its parameters as a query string, the id it is held under (if it is), the signed-in user. */
interface Answering {
  query: string
  held: string | null
  user: UserRecord | null
}

/** What the browser session says of its sign-in; null when no one is signed in. */
function signInFactsOf(session: Session): SignInFacts | null {
  // A session from before second factors existed was signed in with a password.
  return session.authTime === undefined ? null : { authTime: session.authTime, amr: session.amr ?? ['pwd'], idp: session.upstream ?? null }
}

/**
 * The authorization endpoint (RFC 6749 §3.1, OIDC Core §3.1.2.1: GET and POST) and its consent
 * form. HTML for people, redirects for clients. A request whose person must sign in first is
 * held in a sealed cookie (plugins/pending-authorization.ts), and the sign-in page brings the
 * browser back to `?resume=<id>`: the parameters never become a URL, and nothing is stored.
 */
const authorization: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['oauth2']
  const { authorization } = app.oauth2
  const pending = app.pendingAuthorizations

  function answer(request: FastifyRequest, reply: FastifyReply, outcome: AuthorizationOutcome, answering: Answering) {
    const here = `/oauth2/authorization?${answering.query}`
    const view = () => app.pages.view(request, { uiLocales: uiLocalesOf(here), here })
    switch (outcome.kind) {
      case 'error-page':
        return app.pages.send(reply, 400, errorPage(view(), 'authorization', outcome.message))
      case 'redirect':
        if (answering.held !== null) pending.release(reply, answering.held)
        if (outcome.grant) {
          const { sessionId, clientId, offline } = outcome.grant
          app.rememberTokenSession(request, { id: sessionId, clientId, offline, expiresAt: Date.now() + app.config.jwt.refreshTokenTtlMs })
        }
        return sendRedirect(reply, outcome.location, request.method === 'POST' ? 303 : 302)
      case 'sign-in':
      case 'second-factor': {
        const id = answering.held ?? pending.hold(request, reply, answering.query)
        if (id === null) return sendRedirect(reply, outcome.tooLarge.location, request.method === 'POST' ? 303 : 302)
        if (outcome.kind === 'sign-in') return sendRedirect(reply, withReturnTo('/auth/local/login', resumePath(id)), 303)
        // Step-up: the signed-in user's password stands; the code page signs them in again, with the factor.
        app.holdPasswordCheck(request, answering.user!)
        return sendRedirect(reply, withReturnTo(SECOND_FACTOR_PATH, resumePath(id)), 303)
      }
      case 'consent':
        // The page carries the request in a hidden field (a POST body, never a URL): it is held no longer.
        if (answering.held !== null) pending.release(reply, answering.held)
        return app.pages.send(
          reply,
          200,
          consentPage(view(), {
            csrfToken: reply.generateCsrf(),
            client: outcome.client,
            username: answering.user?.username ?? '',
            scopes: outcome.scopes,
            authorizationQuery: answering.query
          }),
          // The client's logo is shown from where it registered it (RFC 7591 logo_uri: https, checked at registration).
          { imageOrigins: outcome.client.logoUri === null ? [] : [new URL(outcome.client.logoUri).origin] }
        )
    }
  }

  async function authorize(request: FastifyRequest, reply: FastifyReply, query: string, held: PendingAuthorization | null) {
    const user = await app.sessionUser(request)
    const signedIn = signInFactsOf(request.session)
    const signedInForThisRequest = held !== null && signedIn !== null && signedIn.authTime >= held.heldAt
    const outcome = await authorization.authorize(paramsOf(query), user, signedIn, signedInForThisRequest)
    return answer(request, reply, outcome, { query, held: held?.id ?? null, user })
  }

  app.get(
    '/oauth2/authorization',
    {
      attachValidation: true,
      schema: {
        tags,
        summary: 'Authorization code request: sign-in, consent, then a redirect with code, state and iss',
        description: 'Also `?resume=<id>` alone: a request held while its person signs in (the sign-in page comes back here).',
        querystring: AuthorizationQuery,
        response: { 302: { type: 'null', description: 'To the client, or to the sign-in page' } }
      }
    },
    async (request, reply) => {
      // The rules read the raw query: a repeated parameter must be seen, not coerced away.
      const mark = request.url.indexOf('?')
      const query = mark < 0 ? '' : request.url.slice(mark + 1)
      const params = paramsOf(query)
      if (!isResume(params)) return authorize(request, reply, query, null)
      const held = typeof params.resume === 'string' ? pending.find(request, params.resume) : null
      if (held === null) {
        const view = app.pages.view(request, { here: request.url })
        return app.pages.send(reply, 400, errorPage(view, 'expiredRequest', 'no request is held under this id in this browser (expired, or started elsewhere)'))
      }
      return authorize(request, reply, held.query, held)
    }
  )

  // A posted request is read as sent (the same raw parsing as a query string), checked, held,
  // and continued by a GET: the session cookie (SameSite=Lax) does not come with a cross-site
  // POST, so whether someone is signed in can only be known on the GET that follows.
  await app.register(async (posted) => {
    posted.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT }, (_request, body, done) =>
      done(null, body)
    )
    posted.post(
      '/oauth2/authorization',
      {
        bodyLimit: FORM_BODY_LIMIT,
        attachValidation: true,
        schema: {
          tags,
          summary: 'Authorization code request as a form post (OIDC Core §3.1.2.1): checked like the GET, then continued by one',
          consumes: ['application/x-www-form-urlencoded'],
          body: AuthorizationQuery,
          response: { 303: { type: 'null', description: 'To ?resume=<id>, or to the client with an error' } }
        }
      },
      async (request, reply) => {
        const query = request.body as unknown
        if (typeof query !== 'string') {
          const view = app.pages.view(request, { here: '/oauth2/authorization' })
          return app.pages.send(reply, 400, errorPage(view, 'authorization', 'the authorization request must be sent as a form (application/x-www-form-urlencoded)'))
        }
        const checked = await authorization.check(paramsOf(query))
        if (checked.kind !== 'valid') return answer(request, reply, checked, { query, held: null, user: null })
        const id = pending.hold(request, reply, query)
        return sendRedirect(reply, id === null ? checked.tooLarge.location : resumePath(id), 303)
      }
    )
  })

  const consentForm: FastifyPluginAsyncTypebox = async (consent) => {
    await consent.register(formbody)
    consent.post(
      '/oauth2/authorization/consent',
      {
        bodyLimit: FORM_BODY_LIMIT,
        preHandler: app.csrfProtection,
        schema: { tags, summary: 'The consent page posts here', body: ConsentForm, response: { 303: { type: 'null', description: 'To the client' } } }
      },
      async (request, reply) => {
        const user = await app.sessionUser(request)
        const query = request.body.authorization
        const signedIn = signInFactsOf(request.session)
        // Signed out meanwhile: the request starts again, through sign-in.
        const outcome =
          !user || signedIn === null
            ? await authorization.authorize(paramsOf(query), null, null, false)
            : await authorization.decide(paramsOf(query), user, signedIn, request.body.decision === 'allow')
        return answer(request, reply, outcome, { query, held: null, user })
      }
    )
  }
  await app.register(consentForm)
}

export default authorization
