import { createHash } from 'node:crypto'
import formbody from '@fastify/formbody'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { OidcLinkRefused, OidcRejected } from '../errors.js'
import { errorPage } from '../pages/end-user.js'
import { ACCOUNT_PATH } from '../pages/frame.js'
import { sendRedirect } from '../pages/html.js'
import { errors } from '../schemas/common.js'
import { OidcCallbackQuery, OidcLinkForm, OidcLoginQuery } from '../schemas/oidc.js'
import { OIDC_CALLBACK_PATH, OIDC_LOGIN_PATH, type LinkIntent } from '../services/oidc.js'
import { safeReturnTo, withReturnTo } from '../services/return-to.js'
import { securityEvent } from '../services/security-log.js'

/** Sign-in through upstream OpenID Connect providers: to the provider, and back from it; and links asked for by a signed-in user. */
const oidc: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(formbody)
  const tags = ['oidc upstream']

  /** The signed-in user of this browser session and a digest of the session's id, which a link is bound to; null when no one is signed in. */
  async function browserOf(request: FastifyRequest): Promise<LinkIntent | null> {
    const user = await app.sessionUser(request)
    return user === null ? null : { userId: user.id, session: createHash('sha256').update(request.session.sessionId).digest('base64url') }
  }

  app.get(
    OIDC_LOGIN_PATH,
    {
      onRequest: app.credentialRoute.onRequest,
      schema: {
        tags,
        summary: "Redirects to the provider's authorization endpoint (code flow with PKCE, state and nonce)",
        querystring: OidcLoginQuery,
        response: { 302: { type: 'null', description: "To the provider's sign-in" }, ...errors(400, 404, 429, 503) }
      }
    },
    async (request, reply) => {
      const { url, cookie } = await app.oidc.service.start(request.query.provider, safeReturnTo(request.query.returnTo))
      app.oidc.holdFlow(reply, cookie)
      return sendRedirect(reply, url)
    }
  )

  app.post(
    OIDC_LOGIN_PATH,
    {
      onRequest: app.credentialRoute.onRequest,
      // A form with the CSRF token: another site cannot start a link in the user's browser.
      preHandler: app.csrfProtection,
      schema: {
        tags,
        summary: 'The account console\'s "Link": links the signed-in user to their account with the provider (for this browser session only)',
        body: OidcLinkForm,
        response: { 303: { type: 'null', description: "To the provider's sign-in, or to the sign-in page" }, ...errors(400, 403, 404, 429, 503) }
      }
    },
    async (request, reply) => {
      const browser = await browserOf(request)
      if (browser === null) return sendRedirect(reply, withReturnTo('/auth/local/login', ACCOUNT_PATH), 303)
      const { url, cookie } = await app.oidc.service.start(request.body.provider, ACCOUNT_PATH, browser)
      app.oidc.holdFlow(reply, cookie)
      securityEvent('info', 'identity_link_started', { provider: request.body.provider, userId: browser.userId })
      return sendRedirect(reply, url, 303)
    }
  )

  app.get(
    OIDC_CALLBACK_PATH,
    {
      onRequest: app.credentialRoute.onRequest,
      schema: {
        tags,
        summary: "The provider's answer: signs in and redirects to returnTo or /auth/details (after a link: to the account console)",
        querystring: OidcCallbackQuery,
        response: { 303: { type: 'null' }, ...errors(400, 401, 403, 429, 503) }
      }
    },
    async (request, reply) => {
      const flow = app.oidc.takeFlow(request, reply)
      const query = request.url.slice(request.url.indexOf('?') + 1)
      try {
        const outcome = await app.oidc.service.finish(request.url.includes('?') ? query : '', flow, await browserOf(request))
        if (outcome.kind === 'linked') return sendRedirect(reply, `${ACCOUNT_PATH}?done=provider-linked`, 303)
        await app.startBrowserSession(request, outcome.user, outcome.amr, outcome.provider)
        securityEvent('info', 'upstream_sign_in_succeeded', { provider: outcome.provider, userId: outcome.user.id })
        return sendRedirect(reply, outcome.returnTo ?? '/auth/details', 303)
      } catch (error) {
        if (!(error instanceof OidcRejected)) throw error
        const linking = error instanceof OidcLinkRefused
        // Why, for the operator; never a code or a token.
        securityEvent('warn', linking ? 'identity_link_refused' : 'upstream_sign_in_refused', { provider: error.provider, reason: error.reason })
        const view = app.pages.view(request, { here: linking ? ACCOUNT_PATH : '/auth/local/login' })
        return app.pages.send(reply, linking ? 403 : 401, errorPage(view, linking ? 'oidcLink' : 'oidc', error.message))
      }
    }
  )
}

export default oidc
