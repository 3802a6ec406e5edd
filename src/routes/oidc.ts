import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { OidcRejected } from '../errors.js'
import { errorPage } from '../pages/end-user.js'
import { sendRedirect } from '../pages/html.js'
import { errors } from '../schemas/common.js'
import { OidcCallbackQuery, OidcLoginQuery } from '../schemas/oidc.js'
import { OIDC_CALLBACK_PATH, OIDC_LOGIN_PATH } from '../services/oidc.js'
import { safeReturnTo } from '../services/return-to.js'
import { securityEvent } from '../services/security-log.js'

/** Sign-in through upstream OpenID Connect providers: to the provider, and back from it. */
const oidc: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['oidc upstream']

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

  app.get(
    OIDC_CALLBACK_PATH,
    {
      onRequest: app.credentialRoute.onRequest,
      schema: {
        tags,
        summary: "The provider's answer: signs in and redirects to returnTo or /auth/details",
        querystring: OidcCallbackQuery,
        response: { 303: { type: 'null' }, ...errors(400, 401, 429, 503) }
      }
    },
    async (request, reply) => {
      const flow = app.oidc.takeFlow(request, reply)
      const query = request.url.slice(request.url.indexOf('?') + 1)
      try {
        const signIn = await app.oidc.service.finish(request.url.includes('?') ? query : '', flow)
        await app.startBrowserSession(request, signIn.user, signIn.amr, signIn.provider)
        securityEvent('info', 'upstream_sign_in_succeeded', { provider: signIn.provider, userId: signIn.user.id })
        return sendRedirect(reply, signIn.returnTo ?? '/auth/details', 303)
      } catch (error) {
        if (!(error instanceof OidcRejected)) throw error
        // Why, for the operator; never a code or a token.
        securityEvent('warn', 'upstream_sign_in_refused', { provider: error.provider, reason: error.reason })
        const view = app.pages.view(request, { here: '/auth/local/login' })
        return app.pages.send(reply, 401, errorPage(view, 'oidc', error.message))
      }
    }
  )
}

export default oidc
