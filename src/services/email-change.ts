import { EmailTaken, InvalidChangeToken, InvalidInput } from '../errors.js'
import { DuplicateKeyError, type MailLinkRepository, type UserRecord, type UserRepository } from '../store/port.js'
import { emailKey, type Accounts } from './accounts.js'
import { LINK_TOKEN, linkTokenHash, newLinkToken } from './mail-links.js'
import { linkStillValid, passwordStamp } from './password-reset.js'
import { securityEvent } from './security-log.js'

/** Where the link mailed to the new address leads: a page that asks to confirm (a mail scanner's GET changes nothing). */
export const CHANGE_PAGE_PATH = '/auth/email/change'

/** How long a change link works: a day, like a verification link. */
export const CHANGE_LINK_TTL_MS = 24 * 60 * 60_000

/** The address a user asked for, waiting for its link to be followed. */
export interface PendingEmail {
  email: string
  expiresAt: number
}

/**
 * A user's change of their own address. The new address is pending, and the old one keeps
 * working, until the link mailed to the new address is followed; the link works once, for a
 * day, only while it is the user's newest request and the address and password are unchanged.
 */
export class EmailChange {
  constructor(
    private readonly users: UserRepository,
    private readonly links: MailLinkRepository,
    private readonly accounts: Accounts,
    private readonly publicUrl: string,
    private readonly now: () => number = Date.now
  ) {}

  /**
   * Asks for `email` as the user's address, the current password proving it is them (it counts
   * against the account's sign-in limit). The answer is the same whether another account has the
   * address or not: the caller mails the link, or the "in use" note, after answering.
   */
  async request(userId: string, email: string, password: string): Promise<{ user: UserRecord; link: string }> {
    await this.accounts.confirmPassword(userId, password)
    const user = await this.accounts.get(userId)
    if (emailKey(email) === user.emailKey) throw new InvalidInput('email is already the address of the account')
    const token = newLinkToken()
    const at = this.now()
    await this.links.issue({ hash: linkTokenHash(token), purpose: 'change_email', userId, emailKey: user.emailKey, newEmail: email, passwordStamp: passwordStamp(user), createdAt: at, expiresAt: at + CHANGE_LINK_TTL_MS, usedAt: null })
    securityEvent('info', 'email_change_requested', { userId })
    return { user, link: `${this.publicUrl}${CHANGE_PAGE_PATH}?${new URLSearchParams({ token })}` }
  }

  /** The account other than the user's that has the address, if any: it gets a note instead of the link. */
  async otherOwnerOf(email: string, userId: string): Promise<UserRecord | null> {
    const owner = await this.users.findByEmailKey(emailKey(email))
    return owner !== null && owner.id !== userId ? owner : null
  }

  /** The user's pending address, if a live request is waiting. */
  async pending(user: UserRecord): Promise<PendingEmail | null> {
    const record = await this.links.pending(user.id, 'change_email', this.now())
    return record && linkStillValid(record, user) ? { email: record.newEmail!, expiresAt: record.expiresAt } : null
  }

  /** Drops the user's pending request: its link stops working. False when there was none. */
  async cancel(userId: string): Promise<boolean> {
    const cancelled = await this.links.withdraw(userId, 'change_email')
    if (cancelled) securityEvent('info', 'email_change_cancelled', { userId })
    return cancelled
  }

  /** The address a live link would give the account (the confirmation page shows it); InvalidChangeToken otherwise. */
  async check(token: string): Promise<string> {
    const record = LINK_TOKEN.test(token) ? await this.links.find(linkTokenHash(token), 'change_email', this.now()) : null
    const user = record && (await this.users.findById(record.userId))
    if (!record || !user || !linkStillValid(record, user)) throw new InvalidChangeToken()
    return record.newEmail!
  }

  /**
   * Uses the link up (of two parallel uses, one succeeds) and gives the account the new address,
   * verified, since the link reached it. EmailTaken when another account took it meanwhile.
   */
  async confirm(token: string): Promise<UserRecord> {
    const used = LINK_TOKEN.test(token) ? await this.links.consume(linkTokenHash(token), 'change_email', this.now()) : null
    const user = used && (await this.users.findById(used.userId))
    if (!used || !user || !linkStillValid(used, user)) throw new InvalidChangeToken()
    const email = used.newEmail!
    let changed: UserRecord | null
    try {
      changed = await this.users.update(user.id, { email, emailKey: emailKey(email), emailVerified: true, updatedAt: this.now() })
    } catch (error) {
      if (error instanceof DuplicateKeyError && error.field === 'email') throw new EmailTaken()
      throw error
    }
    if (!changed) throw new InvalidChangeToken()
    await this.accounts.announceEmailChange(changed, user.email, 'link')
    return changed
  }
}
