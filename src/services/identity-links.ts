import { Conflict, NotFound } from '../errors.js'
import type { IdentityLinkRecord, IdentityLinkRepository, PasskeyRepository, UserRecord } from '../store/port.js'
import type { SecretBox } from './mfa/secret-box.js'
import { securityEvent } from './security-log.js'

/** The provider's tokens from the last sign-in through a link, kept when the provider has `keep_tokens` (RFC 6749 §5.1 names). */
export interface KeptTokens {
  access_token: string
  token_type: string
  /** When the access token expires (seconds since the epoch); null when the provider did not say. */
  expires_at: number | null
  refresh_token: string | null
  id_token: string | null
  scope: string | null
  /** When moneypenny received them (seconds since the epoch). */
  obtained_at: number
}

/** What a kept token set is bound to: its link, so a sealed value copied onto another link does not open. */
const linkOf = (provider: string, subject: string) => `${provider}\n${subject}`

/**
 * A user's links to their accounts at upstream OpenID Connect providers: listed, and removed by
 * them or an admin; and the provider's tokens kept for a link, sealed at rest by `box`.
 */
export class IdentityLinks {
  constructor(
    private readonly links: IdentityLinkRepository,
    private readonly passkeys: Pick<PasskeyRepository, 'listByUser'>,
    private readonly box: SecretBox
  ) {}

  /** Keeps the provider's tokens for the link of (provider, subject), sealed; null forgets those kept before. */
  async keepTokens(provider: string, subject: string, tokens: KeptTokens | null): Promise<void> {
    await this.links.keepTokens(provider, subject, tokens === null ? null : this.box.seal(JSON.stringify(tokens), linkOf(provider, subject)))
  }

  /** The tokens kept for the user's link to `provider`; NotFound when there is no such link, nothing is kept for it, or they were sealed under another SECRETS_KEY. */
  async keptTokens(userId: string, provider: string): Promise<KeptTokens> {
    const link = (await this.links.listByUser(userId)).find((each) => each.provider === provider)
    const sealed = link === undefined ? null : await this.links.keptTokens(link.provider, link.subject)
    if (link === undefined || sealed === null) throw new NotFound('No tokens are kept for this link')
    try {
      return JSON.parse(this.box.open(sealed, linkOf(link.provider, link.subject))) as KeptTokens
    } catch {
      throw new NotFound('The tokens kept for this link were sealed under another SECRETS_KEY; the next sign-in keeps new ones')
    }
  }

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
