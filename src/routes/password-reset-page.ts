import formbody from '@fastify/formbody'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { InvalidResetToken, MfaRequired, TooManyAttempts, Unauthenticated } from '../errors.js'
import {
  FORGOT_ACTION,
  forgotPasswordPage,
  invalidResetLinkPage,
  passwordChangedPage,
  RESET_ACTION,
  resetLinkSentPage,
  resetPasswordPage,
  type ResetProblems
} from '../pages/password-reset.js'
import { formCheck } from '../schemas/check.js'
import { errors } from '../schemas/common.js'
import { ForgotPasswordForm, ResetPageQuery, ResetPasswordForm } from '../schemas/password-reset.js'
import { LINK_TOKEN } from '../services/mail-links.js'
import { mailResetLinkAfterAnswer } from './password-reset.js'

const forgotCheck = formCheck(ForgotPasswordForm)
const resetCheck = formCheck(ResetPasswordForm)

/** The fields a schema refused, as the page names them; anything else concerns the form. */
function refused(check: ReturnType<typeof formCheck>, fields: Record<string, unknown>): ResetProblems {
  const problems: ResetProblems = {}
  for (const error of check(fields)) {
    const field = error.instancePath.slice(1) || String(error.params.missingProperty ?? '')
    if (field === 'email' || field === 'password' || field === 'otp') problems[field] = field
    else problems.form = 'form'
  }
  return Object.keys(problems).length === 0 ? { form: 'form' } : problems
}

const text = (value: unknown) => (typeof value === 'string' ? value : '')

/**
 * The password reset pages (registered only when SMTP_URL is set): "Forgot your password?"
 * from the sign-in page, and the page the mailed link opens. They answer as the JSON
 * endpoints do, in words; the reset page's URL holds the token, and pages send no Referer.
 */
const passwordResetPages: FastifyPluginAsyncTypebox = async (app) => {
  const mail = app.mail
  if (mail === null) return
  await app.register(formbody)
  const tags = ['password reset']
  const view = (request: FastifyRequest, here: string) => app.pages.view(request, { here })

  const showForgot = (request: FastifyRequest, reply: FastifyReply, statusCode: number, email = '', problems: ResetProblems = {}) =>
    app.pages.send(reply, statusCode, forgotPasswordPage(view(request, FORGOT_ACTION), { csrfToken: reply.generateCsrf(), email, problems }))

  /** The reset form again, for a link that still works; the page for a dead link otherwise. */
  async function showReset(request: FastifyRequest, reply: FastifyReply, statusCode: number, token: string, problems: ResetProblems = {}) {
    const here = `${RESET_ACTION}?${new URLSearchParams({ token })}`
    try {
      const { secondFactor } = await mail!.passwordReset.check(token)
      return app.pages.send(reply, statusCode, resetPasswordPage(view(request, here), { csrfToken: reply.generateCsrf(), token, secondFactor, problems }))
    } catch (error) {
      if (error instanceof InvalidResetToken) return app.pages.send(reply, 400, invalidResetLinkPage(view(request, FORGOT_ACTION)))
      throw error
    }
  }

  /** The address limit refuses before the form is read: the page says so. */
  const tooManyFrom = (show: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown> | FastifyReply) => (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error.statusCode !== 429) throw error
    return show(request, reply)
  }

  app.get(FORGOT_ACTION, { schema: { tags, summary: 'The forgotten-password page', produces: ['text/html'] } }, async (request, reply) => showForgot(request, reply, 200))

  app.post(
    FORGOT_ACTION,
    {
      ...app.credentialRoute,
      preHandler: app.csrfProtection,
      attachValidation: true,
      errorHandler: tooManyFrom((request, reply) => showForgot(request, reply, 429, '', { form: 'tooManyAttempts' })),
      schema: { tags, summary: 'Mail a reset link if an account has the address; the same page either way', body: ForgotPasswordForm, response: errors(413) }
    },
    async (request, reply) => {
      const fields = request.body as Record<string, unknown>
      if (request.validationError) return showForgot(request, reply, 400, text(fields.email), refused(forgotCheck, fields))
      const { email } = request.body
      try {
        await mail.passwordReset.countRequest(email)
      } catch (error) {
        if (error instanceof TooManyAttempts) return showForgot(request, reply, 429, email, { form: 'tooManyAttempts' })
        throw error
      }
      const page = view(request, FORGOT_ACTION)
      mailResetLinkAfterAnswer(mail, email, page.locale, request.log)
      return app.pages.send(reply, 200, resetLinkSentPage(page, { email, minutes: mail.resetLinkMinutes }))
    }
  )

  app.get(
    RESET_ACTION,
    { schema: { tags, summary: 'The page a reset link opens (400 for a used, expired or replaced link)', querystring: ResetPageQuery, produces: ['text/html'] } },
    async (request, reply) => showReset(request, reply, 200, text(request.query.token))
  )

  app.post(
    RESET_ACTION,
    {
      ...app.credentialRoute,
      preHandler: app.csrfProtection,
      attachValidation: true,
      errorHandler: tooManyFrom((request, reply) => app.pages.send(reply, 429, forgotPasswordPage(view(request, FORGOT_ACTION), { csrfToken: reply.generateCsrf(), problems: { form: 'tooManyAttempts' } }))),
      schema: { tags, summary: 'Set the new password from the form; ends every session of the user', body: ResetPasswordForm, response: errors(413) }
    },
    async (request, reply) => {
      const fields = request.body as Record<string, unknown>
      const token = text(fields.token)
      if (!LINK_TOKEN.test(token)) return app.pages.send(reply, 400, invalidResetLinkPage(view(request, FORGOT_ACTION)))
      if (request.validationError) return showReset(request, reply, 400, token, refused(resetCheck, fields))
      try {
        await mail.passwordReset.reset(token, request.body.password, request.body.otp)
      } catch (error) {
        if (error instanceof InvalidResetToken) return app.pages.send(reply, 400, invalidResetLinkPage(view(request, FORGOT_ACTION)))
        if (error instanceof MfaRequired || error instanceof Unauthenticated) return showReset(request, reply, 401, token, { otp: 'otp' })
        if (error instanceof TooManyAttempts) return showReset(request, reply, 429, token, { otp: 'tooManyAttempts' })
        throw error
      }
      return app.pages.send(reply, 200, passwordChangedPage(view(request, '/auth/local/login')))
    }
  )
}

export default passwordResetPages
