import { InvalidGrant, InvalidRequest, InvalidScope } from '../../../errors.js'
import type { OAuthClientRecord, UserRepository } from '../../../store/port.js'
import type { Sessions } from '../../sessions.js'
import { reuseDetections } from '../../metrics.js'
import { securityEvent } from '../../security-log.js'
import { parseScope, type ScopePolicy } from '../scopes.js'
import type { TokenIssuer } from '../token-issuer.js'
import type { Grant, TokenParams } from './grant.js'

/**
 * refresh_token (RFC 6749 §6) with rotation on every use (OAuth 2.0 Security BCP):
 * a token presented after it was exchanged revokes its whole family. The scope may
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
    if (token.rotatedAt !== null) {
      securityEvent('warn', 'token_reuse_detected', { kind: 'refresh_token', sessionId: session.id, clientId: client.id })
      reuseDetections.inc({ kind: 'refresh_token' })
      await this.sessions.revoke(session.id)
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
