import { createHash } from 'node:crypto'
import { InvalidResetToken, MfaRequired } from '../errors.js'
import type { MailLinkRecord, MailLinkRepository, UserRecord, UserRepository } from '../store/port.js'
import { emailKey } from './accounts.js'
import type { FailureCounter } from './login-throttle.js'
import type { Mfa } from './mfa/index.js'
import { CURRENT_SCHEME, type Passwords } from './passwords.js'
import { LINK_TOKEN, linkTokenHash, newLinkToken } from './mail-links.js'
import { securityEvent } from './security-log.js'
import type { Sessions } from './sessions.js'

/** Where the link in the mail leads: the reset page, with the token in the fragment-free query. */
export const RESET_PAGE_PATH = '/auth/password/reset'

/** A digest of the password hash: a changed password (by anyone, any way) voids the links made before. */
export function passwordStamp(user: UserRecord): string {
  return createHash('sha256').update(user.passwordHash).digest('base64url')
}

/** The user may sign in and still has the address and the password they had when the link was made. */
export function linkStillValid(record: MailLinkRecord, user: UserRecord): boolean {
  return user.active && user.emailKey === record.emailKey && passwordStamp(user) === record.passwordStamp
}

export interface PasswordResetOptions {
  publicUrl: string
  ttlMs: number
}

/** Whom to mail the link to, and the link: the caller renders and queues the mail. */
export interface ResetLinkFor {
  user: UserRecord
  link: string
}

/**
 * Password reset by mail. A link carries a 256-bit token stored only as its SHA-256; it works
 * once, for ttlMs, for the user and the address it was sent to, and only while it is the
 * user's newest link and the password is unchanged. A user with a second factor must give a
 * code too. A reset ends every session of the user (their refresh tokens with them).
 */
export class PasswordReset {
  constructor(
    private readonly users: UserRepository,
    private readonly resets: MailLinkRepository,
    private readonly passwords: Passwords,
    private readonly sessions: Sessions,
    private readonly mfa: Mfa,
    /** Requests per address per window (LoginThrottle's machinery: every request counts). */
    private readonly requestsPerAddress: FailureCounter | null,
    private readonly options: PasswordResetOptions,
    private readonly now: () => number = Date.now
  ) {}

  /**
   * Counts a request for the address; throws TooManyAttempts past the limit. The same for
   * every address, known or not, so the answer says nothing about it.
   */
  async countRequest(email: string): Promise<void> {
    await this.requestsPerAddress?.attempt(`reset:${emailKey(email)}`)
  }

  /**
   * A new link for the active user with a password who has this address, or null for any other
   * address: no user, a disabled one, or one who signs in through an identity provider.
   */
  async issue(email: string): Promise<ResetLinkFor | null> {
    const user = await this.users.findByEmailKey(emailKey(email))
    if (!user || !user.active || user.passwordScheme === 'none') return null
    const token = newLinkToken()
    const at = this.now()
    await this.resets.issue({ hash: linkTokenHash(token), purpose: 'password_reset', userId: user.id, emailKey: user.emailKey, newEmail: null, passwordStamp: passwordStamp(user), createdAt: at, expiresAt: at + this.options.ttlMs, usedAt: null })
    securityEvent('info', 'password_reset_requested', { userId: user.id })
    return { user, link: `${this.options.publicUrl}${RESET_PAGE_PATH}?${new URLSearchParams({ token })}` }
  }

  /** What the reset page asks for: whether the link works, and whether a second-factor code is needed. */
  async check(token: string): Promise<{ secondFactor: boolean }> {
    const { user } = await this.live(token)
    return { secondFactor: await this.mfa.isEnabled(user.id) }
  }

  /**
   * Sets a new password with a link: the code first when the user has a second factor (a
   * missing one leaves the link unused), then the link is used up in one atomic step, so of
   * two parallel uses one succeeds. Then every session of the user ends.
   */
  async reset(token: string, password: string, otp: string | undefined): Promise<UserRecord> {
    const { user } = await this.live(token)
    if (await this.mfa.isEnabled(user.id)) {
      if (otp === undefined || otp === '') throw new MfaRequired()
      await this.mfa.confirmCode(user, otp, 'reset')
    }
    const passwordHash = await this.passwords.hash(password)
    const used = await this.resets.consume(linkTokenHash(token), 'password_reset', this.now())
    const current = used && (await this.users.findById(used.userId))
    if (!used || !current || !linkStillValid(used, current)) throw new InvalidResetToken()
    // The link reached the address: it counts as verified.
    const updated = await this.users.update(current.id, { passwordHash, passwordScheme: CURRENT_SCHEME, emailVerified: true, updatedAt: this.now() })
    if (!updated) throw new InvalidResetToken()
    securityEvent('info', 'password_reset', { userId: updated.id })
    await this.sessions.revokeUser(updated.id)
    return updated
  }

  private async live(token: string): Promise<{ record: MailLinkRecord; user: UserRecord }> {
    const record = LINK_TOKEN.test(token) ? await this.resets.find(linkTokenHash(token), 'password_reset', this.now()) : null
    const user = record && (await this.users.findById(record.userId))
    if (!record || !user || !linkStillValid(record, user)) throw new InvalidResetToken()
    return { record, user }
  }
}
