import formbody from '@fastify/formbody'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify'
import { EmailTaken, InvalidChangeToken, NotFound } from '../errors.js'
import { CHANGE_ACTION, confirmEmailChangePage, emailChangeAnswerPage } from '../pages/change-email.js'
import { ACCOUNT_PATH } from '../pages/frame.js'
import { negotiateLocale } from '../pages/locale.js'
import { linkMail, securityNoticeMail } from '../pages/mail.js'
import type { Locale } from '../pages/messages/index.js'
import type { MailService } from '../plugins/mail.js'
import { AuthorizationHeader, errors, IdParams } from '../schemas/common.js'
import { ConfirmEmailChangeAnswer, ConfirmEmailChangeBody, ConfirmEmailChangeForm, EmailChangeAnswer, EmailChangeBody, EmailStatus } from '../schemas/email-change.js'
import { ResetPageQuery } from '../schemas/password-reset.js'
import { isoTime } from '../schemas/views.js'
import { requireSelf, requireSelfOrAdmin } from '../services/access-check.js'
import { CHANGE_LINK_TTL_MS } from '../services/email-change.js'
import type { UserRecord } from '../store/port.js'
import { afterAnswer } from './password-reset.js'

/**
 * After the answer, so its timing says nothing about the address: the link to the new address,
 * or, when another account has it, a note to that account (in its owner's name and language)
 * that nothing changed; and a notice to the current address.
 */
export function mailChangeAfterAnswer(mail: MailService, requested: { user: UserRecord; link: string }, email: string, locale: Locale, log: FastifyBaseLogger): void {
  afterAnswer(log, 'the address change mails', async () => {
    const { user, link } = requested
    const at = Date.now()
    const owner = await mail.emailChange.otherOwnerOf(email, user.id)
    if (owner === null) await mail.queue(user, locale, (view, to) => linkMail(view, to, { kind: 'changeEmail', link, minutes: CHANGE_LINK_TTL_MS / 60_000 }), email)
    else await mail.queue(owner, locale, (view, to) => securityNoticeMail(view, to, { notice: 'emailInUse', at }))
    await mail.queue(user, locale, (view, to) => securityNoticeMail(view, to, { notice: 'emailChangeRequested', at, email }))
  })
}

/** A user's change of their own address, as JSON (only with SMTP_URL; an admin sets one with PATCH /api/v1/users/:id). */
const emailChange: FastifyPluginAsyncTypebox = async (app) => {
  const mail = app.mail
  if (mail === null) return
  const tags = ['email change']
  const security = [{ bearer: [] }]

  app.post(
    '/api/v1/users/:id/email',
    {
      // It checks a password: the address limit and the account's sign-in limit both count it.
      ...app.credentialRoute,
      preHandler: app.requireAccessToken,
      schema: {
        tags,
        security,
        summary: "Ask for a new address (the user, with their current password): a link goes to it, a notice to the current one, which keeps working until the link is followed. The same 202 whether another account has the address or not",
        headers: AuthorizationHeader,
        params: IdParams,
        body: EmailChangeBody,
        response: { 202: EmailChangeAnswer, ...errors(400, 401, 403, 404, 413, 429) }
      }
    },
    async (request, reply) => {
      requireSelf(request.principal, request.params.id, 'address')
      const requested = await mail.emailChange.request(request.params.id, request.body.email, request.body.password)
      const locale = negotiateLocale({ acceptLanguage: request.headers['accept-language'], defaultLocale: app.config.defaultLocale })
      mailChangeAfterAnswer(mail, requested, request.body.email, locale, request.log)
      return reply.code(202).send({ result: 'accepted' as const })
    }
  )

  app.get(
    '/api/v1/users/:id/email',
    {
      preHandler: app.requireAccessToken,
      schema: { tags, security, summary: 'The address, whether it is verified, and the address asked for if a change is pending (the user or an admin)', headers: AuthorizationHeader, params: IdParams, response: { 200: EmailStatus, ...errors(401, 403, 404) } }
    },
    async (request) => {
      requireSelfOrAdmin(request.principal, request.params.id)
      const user = await app.accounts.get(request.params.id)
      const pending = await mail.emailChange.pending(user)
      return { email: user.email, emailVerified: user.emailVerified, pending: pending && { email: pending.email, expiresAt: isoTime(pending.expiresAt) } }
    }
  )

  app.delete(
    '/api/v1/users/:id/email/pending',
    {
      preHandler: app.requireAccessToken,
      schema: { tags, security, summary: 'Cancel a pending address change: its link stops working (the user or an admin); 404 when none is pending', headers: AuthorizationHeader, params: IdParams, response: { 204: { type: 'null', description: 'Cancelled' }, ...errors(401, 403, 404) } }
    },
    async (request, reply) => {
      requireSelfOrAdmin(request.principal, request.params.id)
      if (!(await mail.emailChange.cancel(request.params.id))) throw new NotFound('No address change is pending')
      return reply.code(204).send(null)
    }
  )

  app.post(
    '/api/v1/auth/email/change',
    {
      ...app.credentialRoute,
      schema: {
        tags,
        summary: 'Give the account the new address with the token of the link mailed to it (400 invalid_change_token for a used, expired, replaced or cancelled link; 409 email_taken when another account took the address meanwhile)',
        body: ConfirmEmailChangeBody,
        response: { 200: ConfirmEmailChangeAnswer, ...errors(400, 409, 413, 429) }
      }
    },
    async (request) => {
      const user = await mail.emailChange.confirm(request.body.token)
      return { result: 'ok' as const, email: user.email }
    }
  )
}

/** The page the link opens, and its one button (inside the pages group). */
export const emailChangePages: FastifyPluginAsyncTypebox = async (app) => {
  const mail = app.mail
  if (mail === null) return
  await app.register(formbody)
  const tags = ['email change']
  // The language switch of the question comes back to it, token and all; that of an answer goes to the console.
  const view = (request: FastifyRequest, here = ACCOUNT_PATH) => app.pages.view(request, { here })
  const invalid = (request: FastifyRequest, reply: FastifyReply) => app.pages.send(reply, 400, emailChangeAnswerPage(view(request), { outcome: 'invalid' }))

  app.get(
    CHANGE_ACTION,
    { schema: { tags, summary: 'The page an address change link opens: asks to confirm (a 400 page for a dead link); changes nothing itself', querystring: ResetPageQuery, produces: ['text/html'] } },
    async (request, reply) => {
      const token = request.query.token ?? ''
      try {
        const email = await mail.emailChange.check(token)
        return app.pages.send(reply, 200, confirmEmailChangePage(view(request, `${CHANGE_ACTION}?${new URLSearchParams({ token })}`), { csrfToken: reply.generateCsrf(), token, email }))
      } catch (error) {
        if (error instanceof InvalidChangeToken) return invalid(request, reply)
        throw error
      }
    }
  )

  app.post(
    CHANGE_ACTION,
    {
      ...app.credentialRoute,
      preHandler: app.csrfProtection,
      attachValidation: true,
      schema: { tags, summary: 'Confirm the address change from the page: the account gets the new address, verified', body: ConfirmEmailChangeForm, response: errors(403, 413, 429) }
    },
    async (request, reply) => {
      if (request.validationError) return invalid(request, reply)
      const { token } = request.body
      // Known once check passed; EmailTaken comes only after it.
      let email = ''
      try {
        email = await mail.emailChange.check(token)
        await mail.emailChange.confirm(token)
      } catch (error) {
        if (error instanceof InvalidChangeToken) return invalid(request, reply)
        if (error instanceof EmailTaken) return app.pages.send(reply, 409, emailChangeAnswerPage(view(request), { outcome: 'taken', email }))
        throw error
      }
      return app.pages.send(reply, 200, emailChangeAnswerPage(view(request), { outcome: 'changed', email }))
    }
  )
}

export default emailChange
