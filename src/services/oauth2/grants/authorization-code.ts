import { createHash, timingSafeEqual } from 'node:crypto'
import { InvalidGrant, InvalidRequest } from '../../../errors.js'
import type { AuthorizationCodeRepository, OAuthClientRecord, UserRepository } from '../../../store/port.js'
import type { Sessions } from '../../sessions.js'
import { reuseDetections } from '../../metrics.js'
import { securityEvent } from '../../security-log.js'
import { hashCode } from '../authorization.js'
import type { TokenIssuer } from '../token-issuer.js'
import type { Grant, TokenParams } from './grant.js'

function pkceMatches(verifier: string, challenge: string): boolean {
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'))
  const expected = Buffer.from(challenge)
  return computed.length === expected.length && timingSafeEqual(computed, expected)
}

/**
 * authorization_code (RFC 6749 §4.1.3, RFC 7636 §4.6). The code is marked redeemed
 * before anything else is checked, so a wrong verifier, client or redirect URI burns
 * it, and a second use revokes every token issued from it.
 */
export class AuthorizationCodeGrant implements Grant {
  constructor(
    private readonly codes: AuthorizationCodeRepository,
    private readonly users: UserRepository,
    private readonly sessions: Sessions,
    private readonly issuer: TokenIssuer
  ) {}

  async exchange(client: OAuthClientRecord, params: TokenParams) {
    if (!params.code) throw new InvalidRequest('code is missing')
    if (!params.redirect_uri) throw new InvalidRequest('redirect_uri is missing')
    const verifier = params.code_verifier
    if (verifier !== undefined && !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) throw new InvalidRequest('code_verifier is malformed')
    const now = Date.now()
    const redeemed = await this.codes.redeem(hashCode(params.code), now)
    if (!redeemed) throw new InvalidGrant('the authorization code is invalid')
    const { code, first } = redeemed
    if (!first) {
      securityEvent('warn', 'token_reuse_detected', { kind: 'authorization_code', sessionId: code.sessionId, clientId: client.id })
      reuseDetections.inc({ kind: 'authorization_code' })
      await this.sessions.revoke(code.sessionId)
      throw new InvalidGrant('the authorization code was already used; tokens issued from it are revoked')
    }
    if (code.expiresAt <= now) throw new InvalidGrant('the authorization code has expired')
    if (code.clientId !== client.id) throw new InvalidGrant('the authorization code was issued to another client')
    if (code.redirectUri !== params.redirect_uri) throw new InvalidGrant('redirect_uri does not match the authorization request')
    if (code.codeChallenge !== null) {
      if (verifier === undefined) throw new InvalidGrant('code_verifier is missing')
      if (!pkceMatches(verifier, code.codeChallenge)) throw new InvalidGrant('code_verifier does not match the code_challenge')
    } else if (verifier !== undefined) {
      throw new InvalidGrant('code_verifier was sent but the authorization request had no code_challenge')
    }
    const user = await this.users.findById(code.userId)
    if (!user?.active) throw new InvalidGrant('the user is no longer active')
    const withRefresh = code.scope.includes('offline_access') && client.grantTypes.includes('refresh_token')
    const { session, refreshToken } = await this.sessions.startGrant(
      { id: code.sessionId, userId: user.id, kind: 'oauth2', clientId: client.id, scope: code.scope, authTime: code.authTime, claims: code.claims, amr: code.amr, idp: code.idp },
      withRefresh
    )
    return this.issuer.forUser('authorization_code', user, session, client, code.scope, refreshToken, code.nonce)
  }
}
