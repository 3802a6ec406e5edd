import formbody from '@fastify/formbody'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { EmailUnverified, TooManyAttempts, Unauthenticated } from '../errors.js'
import { signInPage, type SignInError } from '../pages/end-user.js'
import { sendRedirect } from '../pages/html.js'
import { AuthorizationHeader, errors, PublicUser } from '../schemas/common.js'
import { BrowserAccessToken, SignInForm, ReturnToQuery } from '../schemas/browser.js'
import { isoTime, publicUser } from '../schemas/views.js'
import { OIDC_LOGIN_PATH } from '../services/oidc.js'
import { safeReturnTo, withReturnTo } from '../services/return-to.js'
import { FORGOT_ACTION } from '../pages/password-reset.js'
import { verifyEmailPage } from '../pages/verify-email.js'
import { afterRightPassword } from './second-factor-page.js'
import { signingInFor } from './signing-in-for.js'

/**
 * The sign-in page, first shown or shown again after a refusal (`error`, or a refused passkey):
 * it names the app of the authorization request it leads back to, links to the registration
 * page (which sends the person on to the same place) while registration is open, and to the
 * forgotten-password page while mail is configured.
 */
export async function sendSignInPage(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  statusCode: number,
  returnTo: string | null,
  refusal: { error?: SignInError; username?: string; passkeyRefused?: boolean } = {}
) {
  const { uiLocales, loginHint, clientName } = await signingInFor(app, request, returnTo)
  const view = app.pages.view(request, { uiLocales, here: withReturnTo('/auth/local/login', returnTo) })
  const registerHref = app.config.registration === 'open' ? withReturnTo('/auth/local/register', returnTo) : undefined
  // Offered only when mail can reach the person.
  const forgotPasswordHref = app.mail ? FORGOT_ACTION : undefined
  const providers = app.oidc.service.list().map((provider) => ({
    label: provider.displayName,
    href: `${OIDC_LOGIN_PATH}?${new URLSearchParams(returnTo === null ? { provider: provider.name } : { provider: provider.name, returnTo })}`
  }))
  const page = signInPage(view, { csrfToken: reply.generateCsrf(), returnTo, username: loginHint ?? '', clientName, registerHref, forgotPasswordHref, providers, ...refusal })
  return app.pages.send(reply, statusCode, page, { script: true })
}

/** Sign-in in a browser (moneypenny's /auth/local/login), the signed-in user, its token (debug only), sign-out. */
const browser: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(formbody)
  const tags = ['browser session']

  app.get(
    '/auth/local/login',
    { schema: { tags, summary: 'The sign-in page', querystring: ReturnToQuery, produces: ['text/html'] } },
    async (request, reply) => sendSignInPage(app, request, reply, 200, safeReturnTo(request.query.returnTo))
  )

  app.post(
    '/auth/local/login',
    {
      ...app.credentialRoute,
      preHandler: app.csrfProtection,
      attachValidation: true,
      schema: { tags, summary: 'Sign in from the form; redirects to returnTo or /auth/details', body: SignInForm, response: { 303: { type: 'null' }, ...errors(403, 413, 429) } }
    },
    async (request, reply) => {
      const body = request.body as Partial<typeof request.body>
      const returnTo = safeReturnTo(typeof body.returnTo === 'string' ? body.returnTo : undefined)
      const again = (statusCode: number, error: SignInError) =>
        sendSignInPage(app, request, reply, statusCode, returnTo, { error, username: typeof body.username === 'string' ? body.username : '' })
      if (request.validationError) return again(400, 'incomplete')
      let next: string
      try {
        const user = await app.accounts.authenticate(request.body.username, request.body.password)
        next = await afterRightPassword(app, request, user, returnTo)
      } catch (error) {
        // The same words for an unknown user and a wrong password.
        if (error instanceof Unauthenticated) return again(401, 'wrongCredentials')
        if (error instanceof EmailUnverified) {
          const view = app.pages.view(request, { here: '/auth/local/login' })
          return app.pages.send(reply, 403, verifyEmailPage(view, { reason: 'unverified', csrfToken: reply.generateCsrf() }))
        }
        if (error instanceof TooManyAttempts) {
          reply.header('retry-after', String(error.retryAfterSeconds))
          return again(429, 'tooManyAttempts')
        }
        throw error
      }
      return sendRedirect(reply, next, 303)
    }
  )

  app.get(
    '/auth/details',
    {
      schema: { tags, summary: 'The signed-in user: session cookie or Bearer access token', headers: AuthorizationHeader, response: { 200: PublicUser, ...errors(401) } }
    },
    async (request) => {
      if (request.headers.authorization) {
        await app.requireAccessToken(request)
        return publicUser(await app.accounts.activeUser(request.principal!.sub))
      }
      const user = await app.sessionUser(request)
      if (!user) throw new Unauthenticated('Not signed in')
      return publicUser(user)
    }
  )

  // The seed called it a debug method to delete from production: it hands a bearer token to page scripts.
  if (app.config.debugRoutes) {
    app.get(
      '/auth/jwt',
      { schema: { tags, summary: 'An access token for the signed-in user (only with DEBUG_ROUTES=true)', response: { 200: BrowserAccessToken, ...errors(401) } } },
      async (request) => {
        const user = await app.sessionUser(request)
        if (!user) throw new Unauthenticated('Not signed in')
        const { session, access } = await app.signIn.accessTokenForBrowser(user, app.browserSessionEnd(request)!)
        app.rememberTokenSession(request, { id: session.id, expiresAt: session.expiresAt })
        return { token: access.token, expires: isoTime(access.claims.exp * 1000) }
      }
    )
  }

  app.post(
    '/auth/logout',
    { schema: { tags, summary: 'End the browser session and the token sessions started from it', response: { 204: { type: 'null' } } } },
    async (request, reply) => {
      await app.endBrowserSession(request)
      return reply.code(204).send(null)
    }
  )
}

export default browser
