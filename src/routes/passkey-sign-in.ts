import formbody from '@fastify/formbody'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { AuthenticationResponseJSON } from '@simplewebauthn/server'
import type { FastifyReply } from 'fastify'
import { InvalidInput, Unauthenticated } from '../errors.js'
import { PASSKEY_SIGN_IN_PATH } from '../pages/end-user.js'
import { sendRedirect } from '../pages/html.js'
import { PASSKEY_SECOND_STEP_PATH } from '../pages/second-factor.js'
import { errors } from '../schemas/common.js'
import { CsrfBody, PasskeyForm } from '../schemas/browser.js'
import { matches } from '../schemas/check.js'
import { AuthenticationCredential, CeremonyOptions } from '../schemas/passkeys.js'
import { safeReturnTo, withReturnTo } from '../services/return-to.js'
import { sendSignInPage } from './browser.js'
import { sendSecondFactorPage } from './second-factor-page.js'

/** The browser's answer from a passkey form's `credential` field, in the shape WebAuthn's JSON gives it; else 400. */
export function postedAssertion(text: string): AuthenticationResponseJSON {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new InvalidInput('credential must be a PublicKeyCredential as JSON')
  }
  if (!matches(AuthenticationCredential, parsed)) throw new InvalidInput('credential must be a PublicKeyCredential as JSON')
  return parsed as AuthenticationResponseJSON
}

/**
 * Signing in with a passkey in a browser: on its own (discoverable credentials, user verification
 * required: a strong sign-in, RFC 8176 amr hwk/swk, user, mfa) from the sign-in page, and as the
 * second step after a right password. The pages' script fetches the options and posts the
 * browser's answer as a form (src/pages/passkey-script.ts); the answer is the same as a password's:
 * a new session id, then on to returnTo, inside an OAuth2 authorization too.
 */
const passkeySignIn: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(formbody)
  const tags = ['browser session']
  // Each of these may end in a sign-in: they count against the address limit as passwords do.
  const route = { ...app.credentialRoute, preHandler: app.csrfProtection }
  const optionsSchema = (summary: string) => ({ tags, summary, body: CsrfBody, response: { 200: CeremonyOptions, ...errors(401, 403, 413, 429) } })
  const formSchema = (summary: string) => ({ tags, summary, body: PasskeyForm, response: { 303: { type: 'null' }, ...errors(403, 413, 429) } })
  const sendOptions = (reply: FastifyReply, options: unknown) => reply.header('cache-control', 'no-store').send(options)

  app.post(`${PASSKEY_SIGN_IN_PATH}/options`, { ...route, schema: optionsSchema('Options for a passwordless passkey sign-in (discoverable credentials)') }, async (_request, reply) =>
    sendOptions(reply, await app.passkeys.authenticationOptions(null))
  )

  app.post(
    PASSKEY_SIGN_IN_PATH,
    { ...route, attachValidation: true, schema: formSchema('Sign in with a passkey; redirects to returnTo or /auth/details') },
    async (request, reply) => {
      const body = request.body as Partial<typeof request.body>
      const returnTo = safeReturnTo(typeof body.returnTo === 'string' ? body.returnTo : undefined)
      try {
        if (request.validationError) throw new InvalidInput(request.validationError.message)
        const { user, amr } = await app.passkeys.authenticate(postedAssertion(request.body.credential), null)
        await app.startBrowserSession(request, user, amr)
      } catch (error) {
        if (error instanceof Unauthenticated || error instanceof InvalidInput) return sendSignInPage(app, request, reply, error.statusCode, returnTo, { passkeyRefused: true })
        throw error
      }
      return sendRedirect(reply, returnTo ?? '/auth/details', 303)
    }
  )

  app.post(`${PASSKEY_SECOND_STEP_PATH}/options`, { ...route, schema: optionsSchema("Options for the second step's passkey, after a right password") }, async (request, reply) => {
    const user = await app.passwordCheckedUser(request)
    if (user === null) throw new Unauthenticated('No password waits for a second step here: sign in again')
    return sendOptions(reply, await app.passkeys.authenticationOptions(user))
  })

  app.post(
    PASSKEY_SECOND_STEP_PATH,
    { ...route, attachValidation: true, schema: formSchema('The second step with a passkey; signs in and redirects to returnTo') },
    async (request, reply) => {
      const body = request.body as Partial<typeof request.body>
      const returnTo = safeReturnTo(typeof body.returnTo === 'string' ? body.returnTo : undefined)
      const user = await app.passwordCheckedUser(request)
      if (user === null) return sendRedirect(reply, withReturnTo('/auth/local/login', returnTo), 303)
      try {
        if (request.validationError) throw new InvalidInput(request.validationError.message)
        const { amr } = await app.passkeys.authenticate(postedAssertion(request.body.credential), user)
        await app.startBrowserSession(request, user, amr)
      } catch (error) {
        if (error instanceof Unauthenticated || error instanceof InvalidInput) return sendSecondFactorPage(app, request, reply, error.statusCode, returnTo, { passkeyRefused: true })
        throw error
      }
      return sendRedirect(reply, returnTo ?? '/auth/details', 303)
    }
  )
}

export default passkeySignIn
