import { InvalidGrant, InvalidRequest, InvalidScope } from '../../../errors.js'
import type { OAuthClientRecord, UserRepository } from '../../../store/port.js'
import type { Sessions } from '../../sessions.js'
import { parseScope, type ScopePolicy } from '../scopes.js'
import type { TokenIssuer } from '../token-issuer.js'
import type { Grant, TokenParams } from './grant.js'

/**
 * refresh_token (RFC 6749 §6) with rotation on every use (RFC 9700 §4.14.2): a token
 * presented after it was exchanged, past a few seconds' grace, revokes its whole family. The scope may
 * narrow for the new access token; the family keeps what was granted.
 */
export class RefreshTokenGrant implements Grant {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: Sessions,
    private readonly scopes: ScopePolicy,
    private readonly issuer: TokenIssuer
  ) {}

  async exchange(client: OAuthClientRecord, params: TokenParams) {
    if (!params.refresh_token) throw new InvalidRequest('refresh_token is missing')
    const found = await this.sessions.findRefreshToken(params.refresh_token)
    const now = Date.now()
    if (!found || found.session.clientId !== client.id || found.session.kind !== 'oauth2') throw new InvalidGrant('the refresh token is invalid')
    const { token, session } = found
    // Reuse past the grace is detected before anything else, so that it always revokes.
    if (token.rotatedAt !== null && !this.sessions.isWithinReuseGrace(token)) {
      await this.sessions.revokeReusedFamily(token, client.id)
      throw new InvalidGrant('the refresh token was already used; its session is revoked')
    }
    if (session.revokedAt !== null || token.expiresAt <= now || session.expiresAt <= now) throw new InvalidGrant('the refresh token has expired or was revoked')
    const granted = session.scope ?? []
    const requested = params.scope === undefined ? granted : parseScope(params.scope)
    if (requested === null) throw new InvalidScope('scope is malformed')
    const wider = requested.filter((s) => !granted.includes(s))
    if (wider.length) throw new InvalidScope(`not granted to this session: ${wider.join(' ')}`)
    const user = await this.users.findById(session.userId)
    if (!user?.active) throw new InvalidGrant('the user is no longer active')
    const next = await this.sessions.rotateRefreshToken(token)
    if (next === null) throw new InvalidGrant('the refresh token was already used; its session is revoked')
    // Permission scopes follow the user's current rights, even within the grant.
    const scope = this.scopes.grantable(requested, user.scope, client.grantTypes)
    return this.issuer.forUser('refresh_token', user, session, client, scope, next, null)
  }
}
