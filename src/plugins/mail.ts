import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { negotiateLocale } from '../pages/locale.js'
import { linkMail, securityNoticeMail, type MailView, type Recipient, type RenderedMail, type SecurityNotice } from '../pages/mail.js'
import { CATALOGUES, type Locale } from '../pages/messages/index.js'
import { LoginThrottle } from '../services/login-throttle.js'
import { DEFAULT_WORKER_OPTIONS, Outbox, type MailWorkerOptions } from '../services/mail/outbox.js'
import { smtpTransport } from '../services/mail/smtp.js'
import { EmailChange } from '../services/email-change.js'
import { EmailVerification, VERIFY_LINK_TTL_MS } from '../services/email-verification.js'
import { PasswordReset } from '../services/password-reset.js'
import { Passwords } from '../services/passwords.js'
import { requestLocale } from '../services/security-log.js'
import { SharedLoginThrottle } from '../services/shared-login-throttle.js'
import type { UserRecord } from '../store/port.js'

/** Reset mails one address may ask for per window, whoever asks. */
const RESET_REQUESTS_PER_ADDRESS = 5
const RESET_REQUEST_WINDOW_MS = 60 * 60_000

export interface MailService {
  outbox: Outbox
  passwordReset: PasswordReset
  verification: EmailVerification
  /** How long a reset link works, in whole minutes (said in the mail and on the page). */
  resetLinkMinutes: number
  /** A user's change of their own address, pending until the link mailed to the new one is followed. */
  emailChange: EmailChange
  /** Renders a mail for the user in their language (their OIDC `locale`, else `fallback`) and queues it, to their address or to `address`. */
  queue(user: UserRecord, fallback: Locale, render: (view: MailView, to: Recipient) => RenderedMail, address?: string): Promise<string>
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Outgoing mail and what needs it; null without SMTP_URL. */
    mail: MailService | null
  }
}

export interface MailPluginOptions {
  /** The outbox worker's timing (tests make retries quick). */
  worker?: Partial<MailWorkerOptions>
}

/** The notice a security event sends the user it concerns, if any. */
function noticeFor(event: string, fields: Record<string, unknown>): SecurityNotice | null {
  if (event === 'password_reset' || (event === 'user_updated' && fields.passwordChanged === true)) return 'passwordChanged'
  if (event === 'mfa_enrolled') return 'mfaAdded'
  if (event === 'mfa_removed') return 'mfaRemoved'
  if (event === 'mfa_reset') return 'mfaReset'
  if (event === 'passkey_added') return 'passkeyAdded'
  if (event === 'passkey_removed') return 'passkeyRemoved'
  if (event === 'passkey_reset') return 'passkeyReset'
  return null
}

/**
 * Outgoing mail (SMTP_URL): the outbox and its worker, started when the app is ready and
 * stopped when it closes; the password reset that needs it; and the notices some security
 * events send (hooked on the security log, so every path that logs one mails it).
 */
export default fp<MailPluginOptions>(
  async (app: FastifyInstance, options) => {
    const { config, store } = app
    if (config.mail === null) {
      app.decorate('mail', null)
      return
    }
    const log = app.log.child({ component: 'mail' })
    const transport = smtpTransport(config.mail.smtpUrl, config.mail.from)
    const outbox = new Outbox(store.outbox, transport.send, log, { ...DEFAULT_WORKER_OPTIONS, ...options.worker })
    const requestsPerAddress = !config.rateLimit.enabled
      ? null
      : app.redis
        ? new SharedLoginThrottle(app.redis, RESET_REQUESTS_PER_ADDRESS, RESET_REQUEST_WINDOW_MS, 'reset-requests')
        : new LoginThrottle(RESET_REQUESTS_PER_ADDRESS, RESET_REQUEST_WINDOW_MS)
    const verification = new EmailVerification(store.users, store.mailLinks, requestsPerAddress, config.publicUrl)
    const passwordReset = new PasswordReset(store.users, store.mailLinks, new Passwords(config.bcryptCost), app.sessions, app.mfa, requestsPerAddress, {
      publicUrl: config.publicUrl,
      ttlMs: config.mail.passwordResetTtlMs
    })

    const service: MailService = {
      outbox,
      passwordReset,
      verification,
      resetLinkMinutes: Math.round(config.mail.passwordResetTtlMs / 60_000),
      emailChange: new EmailChange(store.users, store.mailLinks, app.accounts, config.publicUrl),
      queue(user, fallback, render, address = user.email) {
        const locale = negotiateLocale({ uiLocales: user.locale ?? undefined, defaultLocale: fallback })
        const view: MailView = { brand: { name: config.brand.name, color: config.brand.color }, locale, t: CATALOGUES[locale] }
        return outbox.enqueue(render(view, { email: address, name: user.name ?? user.username }))
      }
    }
    app.decorate('mail', service)

    async function queueVerification(user: UserRecord, fallback: Locale): Promise<void> {
      const link = await verification.issue(user)
      await service.queue(user, fallback, (view, to) => linkMail(view, to, { kind: 'verifyEmail', link, minutes: VERIFY_LINK_TTL_MS / 60_000 }))
    }

    // Every address change is noticed at the address it replaced; one an admin set is asked to confirm itself.
    app.accounts.emailChangeListeners.push(async (user, previousEmail, way) => {
      try {
        const at = Date.now()
        await service.queue(user, config.defaultLocale, (view, to) => securityNoticeMail(view, to, { notice: way === 'admin' ? 'emailChangedByAdmin' : 'emailChanged', at, email: user.email }), previousEmail)
        if (!user.emailVerified) await queueVerification(user, config.defaultLocale)
      } catch (error) {
        log.warn({ err: error }, 'could not queue the address change notice')
      }
    })

    // Every new local account is asked to confirm its address (an identity provider vouches for its own).
    app.securityEventListeners.push((event, fields) => {
      if (event !== 'user_created' || fields.identityProvider !== null || typeof fields.userId !== 'string') return
      // The language of the page (or request) that made the account, for a user who has not set one.
      const fallback = requestLocale() ?? config.defaultLocale
      store.users
        .findById(fields.userId)
        .then(async (user) => {
          if (user && !user.emailVerified) await queueVerification(user, fallback)
        })
        .catch((error: unknown) => log.warn({ err: error }, 'could not queue the verification mail'))
    })
    app.securityEventListeners.push((event, fields) => {
      const notice = noticeFor(event, fields)
      if (notice === null || typeof fields.userId !== 'string') return
      const at = Date.now()
      store.users
        .findById(fields.userId)
        .then((user) => user && service.queue(user, config.defaultLocale, (view, to) => securityNoticeMail(view, to, { notice, at })))
        .catch((error: unknown) => log.warn({ err: error, event }, 'could not queue the security notice'))
    })

    app.addHook('onReady', async () => outbox.start())
    app.addHook('onClose', async () => {
      await outbox.stop()
      transport.close()
      requestsPerAddress?.close()
    })
  },
  { name: 'mail', dependencies: ['config', 'store', 'identity', 'redis', 'request-context'] }
)
