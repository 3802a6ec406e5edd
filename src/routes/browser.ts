import formbody from '@fastify/formbody'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { TooManyAttempts, Unauthenticated } from '../errors.js'
import { signInPage, type SignInError } from '../pages/end-user.js'
import { sendRedirect } from '../pages/html.js'
import { uiLocalesOf } from '../pages/locale.js'
import { AuthorizationHeader, errors, PublicUser } from '../schemas/common.js'
import { BrowserAccessToken, SignInForm, SignInPageQuery } from '../schemas/browser.js'
import { isoTime, publicUser } from '../schemas/views.js'
import { loginHintOf, paramsOf } from '../services/oauth2/authorization.js'
import { safeReturnTo } from '../services/return-to.js'
import type { UserRecord } from '../store/port.js'
import { REQUIRED_ENROLMENT_PATH, SECOND_FACTOR_PATH, withReturnTo } from './second-factor-page.js'

/** Sign-in in a browser (moneypenny's /auth/local/login), the signed-in user, its token (debug only), sign-out. */
const browser: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(formbody)
  const tags = ['browser session']

  /**
   * What the sign-in page says for the authorization request it signs in for (held while the
   * person signs in): the app's name, the language it asked for (ui_locales) and the username
   * it hinted (login_hint, a prefill and nothing more). Nothing for a direct sign-in.
   */
  async function signInFor(request: FastifyRequest, returnTo: string | null) {
    const pending = app.pendingAuthorizations.forReturnTo(request, returnTo)
    if (pending === null) return { uiLocales: uiLocalesOf(returnTo), loginHint: undefined, clientName: undefined }
    const params = paramsOf(pending.query)
    const client = typeof params.client_id === 'string' ? await app.oauth2.clients.find(params.client_id) : null
    return { uiLocales: typeof params.ui_locales === 'string' ? params.ui_locales : undefined, loginHint: loginHintOf(params), clientName: client?.name }
  }

  app.get(
    '/auth/local/login',
    { schema: { tags, summary: 'The sign-in page', querystring: SignInPageQuery, produces: ['text/html'] } },
    async (request, reply) => {
      const returnTo = safeReturnTo(request.query.returnTo)
      const { uiLocales, loginHint, clientName } = await signInFor(request, returnTo)
      const view = app.pages.view(request, { uiLocales, here: request.url })
      return app.pages.send(reply, 200, signInPage(view, { csrfToken: reply.generateCsrf(), returnTo, username: loginHint ?? '', clientName }))
    }
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
      const again = async (statusCode: number, error: SignInError) => {
        const here = returnTo ? `/auth/local/login?${new URLSearchParams({ returnTo })}` : '/auth/local/login'
        const { uiLocales, clientName } = await signInFor(request, returnTo)
        const view = app.pages.view(request, { uiLocales, here })
        const username = typeof body.username === 'string' ? body.username : ''
        return app.pages.send(reply, statusCode, signInPage(view, { csrfToken: reply.generateCsrf(), returnTo, username, error, clientName }))
      }
      const holdForSecondStep = (user: UserRecord, path: string) => {
        app.holdPasswordCheck(request, user)
        return sendRedirect(reply, withReturnTo(path, returnTo), 303)
      }
      if (request.validationError) return again(400, 'incomplete')
      try {
        const user = await app.accounts.authenticate(request.body.username, request.body.password)
        // With a second factor (or one a policy requires), the password is held and nobody is signed in yet.
        if (await app.mfa.isEnabled(user.id)) return holdForSecondStep(user, SECOND_FACTOR_PATH)
        if (app.mfa.mustEnrol(user)) return holdForSecondStep(user, REQUIRED_ENROLMENT_PATH)
        await app.startBrowserSession(request, user, ['pwd'])
      } catch (error) {
        // The same words for an unknown user and a wrong password.
        if (error instanceof Unauthenticated) return again(401, 'wrongCredentials')
        if (error instanceof TooManyAttempts) {
          reply.header('retry-after', String(error.retryAfterSeconds))
          return again(429, 'tooManyAttempts')
        }
        throw error
      }
      return sendRedirect(reply, returnTo ?? '/auth/details', 303)
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
