import { Conflict, NotFound } from '../errors.js'
import type { IdentityLinkRecord, IdentityLinkRepository, PasskeyRepository, UserRecord } from '../store/port.js'
import { securityEvent } from './security-log.js'

/** A user's links to their accounts at upstream OpenID Connect providers: listed, and removed by them or an admin. */
export class IdentityLinks {
  constructor(
    private readonly links: IdentityLinkRepository,
    private readonly passkeys: Pick<PasskeyRepository, 'listByUser'>
  ) {}

  list(userId: string): Promise<IdentityLinkRecord[]> {
    return this.links.listByUser(userId)
  }

  /**
   * Removes the user's link to `provider`. The user may not remove their last way to sign in
   * (no password, no passkey, no other link); an admin may (a security event either way).
   */
  async unlink(user: UserRecord, provider: string, by: 'user' | 'admin'): Promise<void> {
    const links = await this.links.listByUser(user.id)
    if (!links.some((link) => link.provider === provider)) throw new NotFound('No link to that provider')
    if (by === 'user' && user.passwordScheme === 'none' && links.every((link) => link.provider === provider)) {
      if ((await this.passkeys.listByUser(user.id)).length === 0) throw new Conflict('This link is the only way to sign in to this account: set a password or add a passkey first')
    }
    if (!(await this.links.delete(user.id, provider))) throw new NotFound('No link to that provider')
    securityEvent(by === 'admin' ? 'warn' : 'info', 'identity_unlinked', { userId: user.id, provider, by })
  }
}
