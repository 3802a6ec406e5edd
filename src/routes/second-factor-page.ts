import formbody from '@fastify/formbody'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { InvalidInput, TooManyAttempts, Unauthenticated } from '../errors.js'
import { sendRedirect } from '../pages/html.js'
import { recoveryCodesPage, secondFactorPage, totpEnrolmentPage, type SecondFactorError } from '../pages/second-factor.js'
import { errors } from '../schemas/common.js'
import { CodeForm, ReturnToQuery } from '../schemas/browser.js'
import { safeReturnTo, withReturnTo } from '../services/return-to.js'
import type { UserRecord } from '../store/port.js'

export const SECOND_FACTOR_PATH = '/auth/local/login/code'
export const REQUIRED_ENROLMENT_PATH = '/auth/local/login/enrol'

/**
 * What a right password leads to in a browser, the one rule for the sign-in and registration
 * pages: with a second factor (or one a policy requires) the password is held and nobody is
 * signed in yet; else the person is signed in. Answers where to send the browser next.
 */
export async function afterRightPassword(app: FastifyInstance, request: FastifyRequest, user: UserRecord, returnTo: string | null): Promise<string> {
  // A passkey meets a policy's requirement as TOTP does: such a user is asked for it, not made to enrol.
  const mustGiveFactor = (await app.mfa.isEnabled(user.id)) || (app.mfa.mustEnrol(user) && (await app.passkeys.has(user.id)))
  const step = mustGiveFactor ? SECOND_FACTOR_PATH : app.mfa.mustEnrol(user) ? REQUIRED_ENROLMENT_PATH : null
  if (step === null) {
    await app.startBrowserSession(request, user, ['pwd'])
    return returnTo ?? '/auth/details'
  }
  app.holdPasswordCheck(request, user)
  return withReturnTo(step, returnTo)
}

/**
 * The second step's page for the user whose password was right: the code form with TOTP, the
 * passkey form with passkeys (and the script it needs).
 */
export async function sendSecondFactorPage(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  returnTo: string | null,
  refusal: { error?: SecondFactorError | undefined; passkeyRefused?: boolean }
) {
  const user = await app.passwordCheckedUser(request)
  const [totp, passkey] = user === null ? [true, false] : await Promise.all([app.mfa.isEnabled(user.id), app.passkeys.has(user.id)])
  const view = app.pages.view(request, { here: withReturnTo(SECOND_FACTOR_PATH, returnTo) })
  const page = secondFactorPage(view, { csrfToken: reply.generateCsrf(), returnTo, totp: totp || !passkey, passkey, ...refusal })
  return app.pages.send(reply, status, page, { script: passkey })
}

/**
 * The browser sign-in's second step, after a right password (routes/browser.ts holds it):
 * the code from the app or a recovery code; or, for a user whom MFA_REQUIRED_SCOPES makes
 * enrol, the enrolment itself. Nobody is signed in until the step succeeds, and then the
 * session gets a new id.
 */
const secondFactorPages: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(formbody)
  const tags = ['browser session']

  /** Back to the sign-in page when no right password waits here (expired, another browser, changed since). */
  function startAgain(reply: FastifyReply, returnTo: string | null) {
    return sendRedirect(reply, withReturnTo('/auth/local/login', returnTo), 303)
  }

  const codePage = (request: FastifyRequest, reply: FastifyReply, status: number, returnTo: string | null, error?: SecondFactorError) =>
    sendSecondFactorPage(app, request, reply, status, returnTo, { error })

  app.get(SECOND_FACTOR_PATH, { schema: { tags, summary: 'The second step of a sign-in: the code or a passkey', querystring: ReturnToQuery, produces: ['text/html'] } }, async (request, reply) => {
    const returnTo = safeReturnTo(request.query.returnTo)
    if ((await app.passwordCheckedUser(request)) === null) return startAgain(reply, returnTo)
    return codePage(request, reply, 200, returnTo)
  })

  app.post(
    SECOND_FACTOR_PATH,
    {
      ...app.credentialRoute,
      preHandler: app.csrfProtection,
      attachValidation: true,
      schema: { tags, summary: 'Check the code; signs in and redirects to returnTo', body: CodeForm, response: { 303: { type: 'null' }, ...errors(403, 413, 429) } }
    },
    async (request, reply) => {
      const body = request.body as Partial<typeof request.body>
      const returnTo = safeReturnTo(typeof body.returnTo === 'string' ? body.returnTo : undefined)
      const user = await app.passwordCheckedUser(request)
      if (user === null) return startAgain(reply, returnTo)
      if (request.validationError) return codePage(request, reply, 400, returnTo, 'incomplete')
      // A user asked for a passkey alone (no TOTP) has no code to give: a code signs nobody in here.
      if (!(await app.mfa.isEnabled(user.id))) return codePage(request, reply, 401, returnTo, 'wrongCode')
      try {
        const amr = await app.mfa.checkSignIn(user, request.body.code, 'browser')
        await app.startBrowserSession(request, user, amr)
      } catch (error) {
        if (error instanceof Unauthenticated) return codePage(request, reply, 401, returnTo, 'wrongCode')
        if (error instanceof TooManyAttempts) {
          reply.header('retry-after', String(error.retryAfterSeconds))
          return codePage(request, reply, 429, returnTo, 'tooManyAttempts')
        }
        throw error
      }
      return sendRedirect(reply, returnTo ?? '/auth/details', 303)
    }
  )

  /** The enrolment a policy requires, for the user whose password was right. */
  async function enrolmentPage(request: FastifyRequest, reply: FastifyReply, status: number, returnTo: string | null, error?: 'wrongCode') {
    const user = await app.passwordCheckedUser(request)
    if (user === null || !app.mfa.mustEnrol(user) || (await app.mfa.isEnabled(user.id))) return startAgain(reply, returnTo)
    const { secret, otpauthUri } = (await app.mfa.pendingTotp(user)) ?? (await app.mfa.beginTotp(user))
    const view = app.pages.view(request, { here: withReturnTo(REQUIRED_ENROLMENT_PATH, returnTo) })
    const fields: Record<string, string> = returnTo === null ? {} : { returnTo }
    reply.header('cache-control', 'no-store')
    return app.pages.send(reply, status, totpEnrolmentPage(view, { csrfToken: reply.generateCsrf(), action: REQUIRED_ENROLMENT_PATH, fields, secret, otpauthUri, required: true, error }))
  }

  app.get(REQUIRED_ENROLMENT_PATH, { schema: { tags, summary: 'Enrol a second factor, where a policy requires one before sign-in', querystring: ReturnToQuery, produces: ['text/html'] } }, async (request, reply) =>
    enrolmentPage(request, reply, 200, safeReturnTo(request.query.returnTo))
  )

  app.post(
    REQUIRED_ENROLMENT_PATH,
    {
      ...app.credentialRoute,
      preHandler: app.csrfProtection,
      attachValidation: true,
      schema: { tags, summary: 'Confirm the enrolment with a first code; signs in and shows the recovery codes once', body: CodeForm, produces: ['text/html'], response: { 303: { type: 'null' }, ...errors(403, 413, 429) } }
    },
    async (request, reply) => {
      const body = request.body as Partial<typeof request.body>
      const returnTo = safeReturnTo(typeof body.returnTo === 'string' ? body.returnTo : undefined)
      const user = await app.passwordCheckedUser(request)
      if (user === null || !app.mfa.mustEnrol(user)) return startAgain(reply, returnTo)
      if (request.validationError) return enrolmentPage(request, reply, 400, returnTo, 'wrongCode')
      let codes: string[]
      try {
        codes = await app.mfa.confirmTotp(user, request.body.code)
      } catch (error) {
        if (error instanceof InvalidInput) return enrolmentPage(request, reply, 400, returnTo, 'wrongCode')
        throw error
      }
      await app.startBrowserSession(request, user, ['pwd', 'otp', 'mfa'])
      const view = app.pages.view(request, { here: returnTo ?? '/auth/details' })
      reply.header('cache-control', 'no-store')
      return app.pages.send(reply, 200, recoveryCodesPage(view, { codes, continueTo: returnTo ?? '/auth/details' }))
    }
  )
}

export default secondFactorPages
