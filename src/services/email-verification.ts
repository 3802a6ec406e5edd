import { InvalidVerificationToken } from '../errors.js'
import type { MailLinkRepository, UserRecord, UserRepository } from '../store/port.js'
import { emailKey } from './accounts.js'
import type { FailureCounter } from './login-throttle.js'
import { LINK_TOKEN, linkTokenHash, newLinkToken } from './mail-links.js'
import { securityEvent } from './security-log.js'

/** Where the link in the mail leads. */
export const VERIFY_PAGE_PATH = '/auth/email/verify'

/** How long a verification link works: a day, so a person who registers late can still confirm in the morning. */
export const VERIFY_LINK_TTL_MS = 24 * 60 * 60_000

/**
 * Address verification: a link mailed to the user's address proves they receive mail there.
 * The link works once, for a day, for the address it went to, and only while it is the user's
 * newest; following it marks the address verified.
 */
export class EmailVerification {
  constructor(
    private readonly users: UserRepository,
    private readonly links: MailLinkRepository,
    /** Requests for a new link per address per window (LoginThrottle's machinery). */
    private readonly requestsPerAddress: FailureCounter | null,
    private readonly publicUrl: string,
    private readonly now: () => number = Date.now
  ) {}

  /** A new link for the user's current address. */
  async issue(user: UserRecord): Promise<string> {
    const token = newLinkToken()
    const at = this.now()
    await this.links.issue({ hash: linkTokenHash(token), purpose: 'verify_email', userId: user.id, emailKey: user.emailKey, newEmail: null, passwordStamp: null, createdAt: at, expiresAt: at + VERIFY_LINK_TTL_MS, usedAt: null })
    return `${this.publicUrl}${VERIFY_PAGE_PATH}?${new URLSearchParams({ token })}`
  }

  /** Counts a request for a new link; throws TooManyAttempts past the limit, for every address alike. */
  async countRequest(email: string): Promise<void> {
    await this.requestsPerAddress?.attempt(`verify:${emailKey(email)}`)
  }

  /** A new link for the active, unverified user with this address; null for any other address. */
  async reissue(email: string): Promise<{ user: UserRecord; link: string } | null> {
    const user = await this.users.findByEmailKey(emailKey(email))
    if (!user || !user.active || user.emailVerified) return null
    return { user, link: await this.issue(user) }
  }

  /** Uses the link up and marks the address it went to verified, if the user still has it. */
  async verify(token: string): Promise<UserRecord> {
    const used = LINK_TOKEN.test(token) ? await this.links.consume(linkTokenHash(token), 'verify_email', this.now()) : null
    const user = used && (await this.users.findById(used.userId))
    if (!used || !user || user.emailKey !== used.emailKey) throw new InvalidVerificationToken()
    const verified = user.emailVerified ? user : await this.users.update(user.id, { emailVerified: true, updatedAt: this.now() })
    if (!verified) throw new InvalidVerificationToken()
    securityEvent('info', 'email_verified', { userId: user.id })
    return verified
  }
}
