import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyBaseLogger } from 'fastify'
import { negotiateLocale } from '../pages/locale.js'
import { linkMail } from '../pages/mail.js'
import type { Locale } from '../pages/messages/index.js'
import type { MailService } from '../plugins/mail.js'
import { errors } from '../schemas/common.js'
import { ForgotPasswordAnswer, ForgotPasswordBody, ResetPasswordAnswer, ResetPasswordBody } from '../schemas/password-reset.js'

/**
 * Work that must not show in the answer's timing (whether an address is known), started once the
 * answer is on its way. Failures are logged, without the address.
 */
export function afterAnswer(log: FastifyBaseLogger, what: string, work: () => Promise<unknown>): void {
  setImmediate(() => {
    work().catch((error: unknown) => log.error({ err: error }, `could not queue ${what}`))
  })
}

/** A forgotten-password request's lookup, token and mail (none for an unknown address), after the answer. */
export function mailResetLinkAfterAnswer(mail: MailService, email: string, locale: Locale, log: FastifyBaseLogger): void {
  afterAnswer(log, 'a password reset mail', async () => {
    const issued = await mail.passwordReset.issue(email)
    if (issued) await mail.queue(issued.user, locale, (view, to) => linkMail(view, to, { kind: 'passwordReset', link: issued.link, minutes: mail.resetLinkMinutes }))
  })
}

/** Password reset by mail, as JSON (registered only when SMTP_URL is set). */
const passwordReset: FastifyPluginAsyncTypebox = async (app) => {
  const mail = app.mail
  if (mail === null) return
  const tags = ['password reset']

  app.post(
    '/api/v1/auth/password/forgot',
    {
      ...app.credentialRoute,
      schema: {
        tags,
        summary: 'Mail a password reset link to the address, if an account has it (the same 202 either way)',
        body: ForgotPasswordBody,
        response: { 202: ForgotPasswordAnswer, ...errors(400, 413, 429) }
      }
    },
    async (request, reply) => {
      await mail.passwordReset.countRequest(request.body.email)
      const locale = negotiateLocale({ acceptLanguage: request.headers['accept-language'], defaultLocale: app.config.defaultLocale })
      mailResetLinkAfterAnswer(mail, request.body.email, locale, request.log)
      return reply.code(202).send({ result: 'accepted' as const })
    }
  )

  app.post(
    '/api/v1/auth/password/reset',
    {
      ...app.credentialRoute,
      schema: {
        tags,
        summary: 'Set a new password with the token of a reset link (and otp when the account has a second factor); ends every session of the user',
        body: ResetPasswordBody,
        response: { 200: ResetPasswordAnswer, ...errors(400, 401, 413, 429) }
      }
    },
    async (request) => {
      await mail.passwordReset.reset(request.body.token, request.body.password, request.body.otp)
      return { result: 'ok' as const }
    }
  )
}

export default passwordReset
