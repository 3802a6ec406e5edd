import { createHash } from 'node:crypto'
import formbody from '@fastify/formbody'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { consentPage, errorPage } from '../../pages/end-user.js'
import { sendRedirect } from '../../pages/html.js'
import { uiLocalesOf } from '../../pages/locale.js'
import type { AuthorizationOutcome, RawParams } from '../../services/oauth2/authorization.js'
import { AuthorizationQuery, ConsentForm } from '../../schemas/oauth2.js'

/** Parses a query string keeping repeated parameters as arrays, as the authorization rules expect. */
function paramsOf(query: string): RawParams {
  const params: RawParams = {}
  for (const [name, value] of new URLSearchParams(query)) {
    const seen = params[name]
    params[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value]
  }
  return params
}

const requestKey = (query: string) => createHash('sha256').update(query).digest('base64url')

/** The authorization endpoint (RFC 6749 §3.1) and its consent form. HTML for people, redirects for clients. */
const authorization: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(formbody)
  const tags = ['oauth2']
  const { authorization } = app.oauth2

  function answer(request: FastifyRequest, reply: FastifyReply, outcome: AuthorizationOutcome, query: string, username: string) {
    const here = `/oauth2/authorization?${query}`
    const view = () => app.pages.view(request, { uiLocales: uiLocalesOf(here), here })
    switch (outcome.kind) {
      case 'error-page':
        return app.pages.send(reply, 400, errorPage(view(), 'authorization', outcome.message))
      case 'redirect':
        request.session.signInAskedFor = undefined
        return sendRedirect(reply, outcome.location, request.method === 'POST' ? 303 : 302)
      case 'sign-in':
        request.session.signInAskedFor = { request: requestKey(query), at: Date.now() }
        return sendRedirect(reply, `/auth/local/login?returnTo=${encodeURIComponent(`/oauth2/authorization?${query}`)}`, 303)
      case 'consent':
        return app.pages.send(
          reply,
          200,
          consentPage(view(), { csrfToken: reply.generateCsrf(), clientName: outcome.clientName, username, scopes: outcome.scopes, authorizationQuery: query })
        )
    }
  }

  app.get(
    '/oauth2/authorization',
    {
      attachValidation: true,
      schema: {
        tags,
        summary: 'Authorization code request: sign-in, consent, then a redirect with code, state and iss',
        querystring: AuthorizationQuery,
        response: { 302: { type: 'null', description: 'To the client, or to the sign-in page' } }
      }
    },
    async (request, reply) => {
      // The rules read the raw query: a repeated parameter must be seen, not coerced away.
      const mark = request.url.indexOf('?')
      const query = mark < 0 ? '' : request.url.slice(mark + 1)
      const user = await app.sessionUser(request)
      const { authTime, signInAskedFor } = request.session
      const signedInForThisRequest = authTime !== undefined && signInAskedFor?.request === requestKey(query) && authTime >= signInAskedFor.at
      const outcome = await authorization.authorize(paramsOf(query), user, authTime ?? null, signedInForThisRequest)
      return answer(request, reply, outcome, query, user?.username ?? '')
    }
  )

  app.post(
    '/oauth2/authorization/consent',
    {
      bodyLimit: 32_768,
      preHandler: app.csrfProtection,
      schema: { tags, summary: 'The consent page posts here', body: ConsentForm, response: { 303: { type: 'null', description: 'To the client' } } }
    },
    async (request, reply) => {
      const user = await app.sessionUser(request)
      const query = request.body.authorization
      if (!user || request.session.authTime === undefined) return answer(request, reply, { kind: 'sign-in' }, query, '')
      const outcome = await authorization.decide(paramsOf(query), user, request.session.authTime, request.body.decision === 'allow')
      return answer(request, reply, outcome, query, user.username)
    }
  )
}

export default authorization
