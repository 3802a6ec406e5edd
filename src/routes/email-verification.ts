import formbody from '@fastify/formbody'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify'
import { InvalidVerificationToken, TooManyAttempts } from '../errors.js'
import { negotiateLocale } from '../pages/locale.js'
import { linkMail } from '../pages/mail.js'
import type { Locale } from '../pages/messages/index.js'
import { emailVerifiedPage, RESEND_ACTION, verifyEmailPage, verifyLinkSentPage } from '../pages/verify-email.js'
import type { MailService } from '../plugins/mail.js'
import { errors } from '../schemas/common.js'
import { ForgotPasswordAnswer, ResendVerificationBody, ResendVerificationForm, ResetPageQuery, ResetPasswordAnswer, VerifyEmailBody } from '../schemas/password-reset.js'
import { VERIFY_LINK_TTL_MS, VERIFY_PAGE_PATH } from '../services/email-verification.js'
import { afterAnswer } from './password-reset.js'

/** A new link for an unverified address (none for any other), after the answer. */
function mailVerifyLinkAfterAnswer(mail: MailService, email: string, locale: Locale, log: FastifyBaseLogger): void {
  afterAnswer(log, 'a verification mail', async () => {
    const issued = await mail.verification.reissue(email)
    if (issued) await mail.queue(issued.user, locale, (view, to) => linkMail(view, to, { kind: 'verifyEmail', link: issued.link, minutes: VERIFY_LINK_TTL_MS / 60_000 }))
  })
}

/** Address verification as JSON (only with SMTP_URL). */
const emailVerification: FastifyPluginAsyncTypebox = async (app) => {
  const mail = app.mail
  if (mail === null) return
  const tags = ['email verification']

  app.post(
    '/api/v1/auth/email/verify',
    { ...app.credentialRoute, schema: { tags, summary: 'Confirm the address with the token of a verification link', body: VerifyEmailBody, response: { 200: ResetPasswordAnswer, ...errors(400, 413, 429) } } },
    async (request) => {
      await mail.verification.verify(request.body.token)
      return { result: 'ok' as const }
    }
  )

  app.post(
    '/api/v1/auth/email/resend',
    {
      ...app.credentialRoute,
      schema: { tags, summary: 'Mail a new verification link if an unverified account has the address (the same 202 either way)', body: ResendVerificationBody, response: { 202: ForgotPasswordAnswer, ...errors(400, 413, 429) } }
    },
    async (request, reply) => {
      await mail.verification.countRequest(request.body.email)
      const locale = negotiateLocale({ acceptLanguage: request.headers['accept-language'], defaultLocale: app.config.defaultLocale })
      mailVerifyLinkAfterAnswer(mail, request.body.email, locale, request.log)
      return reply.code(202).send({ result: 'accepted' as const })
    }
  )
}

/** The page a verification link opens, and asking for a new link (inside the pages group). */
export const emailVerificationPages: FastifyPluginAsyncTypebox = async (app) => {
  const mail = app.mail
  if (mail === null) return
  await app.register(formbody)
  const tags = ['email verification']
  const view = (request: FastifyRequest) => app.pages.view(request, { here: '/auth/local/login' })
  const offerNewLink = (request: FastifyRequest, reply: FastifyReply, statusCode: number, reason: 'invalid' | 'unverified', tooManyAttempts = false) =>
    app.pages.send(reply, statusCode, verifyEmailPage(view(request), { reason, csrfToken: reply.generateCsrf(), tooManyAttempts }))

  // A GET uses the link up: a mail scanner that follows it has also shown that the mail arrived.
  app.get(
    VERIFY_PAGE_PATH,
    { schema: { tags, summary: 'The page a verification link opens: confirms the address (400 page for a dead link)', querystring: ResetPageQuery, produces: ['text/html'] } },
    async (request, reply) => {
      try {
        const user = await mail.verification.verify(request.query.token ?? '')
        return app.pages.send(reply, 200, emailVerifiedPage(view(request), user.email))
      } catch (error) {
        if (error instanceof InvalidVerificationToken) return offerNewLink(request, reply, 400, 'invalid')
        throw error
      }
    }
  )

  app.post(
    RESEND_ACTION,
    {
      ...app.credentialRoute,
      preHandler: app.csrfProtection,
      attachValidation: true,
      errorHandler: (error, request, reply) => {
        if (error.statusCode !== 429) throw error
        return offerNewLink(request, reply, 429, 'unverified', true)
      },
      schema: { tags, summary: 'Mail a new verification link; the same page for every address', body: ResendVerificationForm, response: errors(413) }
    },
    async (request, reply) => {
      if (request.validationError) return offerNewLink(request, reply, 400, 'unverified')
      const { email } = request.body
      try {
        await mail.verification.countRequest(email)
      } catch (error) {
        if (error instanceof TooManyAttempts) return offerNewLink(request, reply, 429, 'unverified', true)
        throw error
      }
      const page = view(request)
      mailVerifyLinkAfterAnswer(mail, email, page.locale, request.log)
      return app.pages.send(reply, 200, verifyLinkSentPage(page, email))
    }
  )
}

export default emailVerification
