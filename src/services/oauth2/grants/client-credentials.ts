import { InvalidScope } from '../../../errors.js'
import type { OAuthClientRecord } from '../../../store/port.js'
import type { Sessions } from '../../sessions.js'
import { parseScope, type ScopePolicy } from '../scopes.js'
import type { TokenIssuer } from '../token-issuer.js'
import type { Grant, TokenParams } from './grant.js'

/**
 * client_credentials (RFC 6749 §4.4): the client acts for itself, with its own API
 * scopes only. Each token gets a session so that it can be revoked; no refresh token.
 */
export class ClientCredentialsGrant implements Grant {
  constructor(
    private readonly sessions: Sessions,
    private readonly scopes: ScopePolicy,
    private readonly issuer: TokenIssuer,
    private readonly accessTokenTtlMs: number
  ) {}

  async exchange(client: OAuthClientRecord, params: TokenParams) {
    const allowed = this.scopes.apiScopes(client.scope)
    const requested = params.scope === undefined ? allowed : parseScope(params.scope)
    if (requested === null) throw new InvalidScope('scope is malformed')
    const refused = requested.filter((s) => !allowed.includes(s))
    if (refused.length) throw new InvalidScope(`not available to this client with client_credentials: ${refused.join(' ')}`)
    const { session } = await this.sessions.startGrant(
      { userId: client.id, kind: 'client', clientId: client.id, scope: requested, authTime: null, expiresAt: Date.now() + this.accessTokenTtlMs },
      false
    )
    return this.issuer.forClient(client, session, requested)
  }
}
