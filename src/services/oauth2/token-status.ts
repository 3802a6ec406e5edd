import { InsufficientScope, InvalidClient, InvalidRequest, InvalidToken } from '../../errors.js'
import type { OAuthClientRecord, UserRepository } from '../../store/port.js'
import type { AccessCheck } from '../access-check.js'
import type { Sessions } from '../sessions.js'
import type { AccessClaims } from '../tokens.js'

/** RFC 7662's answer; inactive tokens get `{active: false}` and nothing else. */
export interface Introspection {
  active: boolean
  scope?: string
  client_id?: string
  username?: string
  token_type?: string
  exp?: number
  iat?: number
  sub?: string
  aud?: string
  iss?: string
  jti?: string
  sid?: string
  organisation?: string | null
}

/** OIDC standard claims for the scopes granted, plus moneypenny's organisation. */
export interface UserinfoClaims {
  sub: string
  preferred_username?: string
  name?: string
  organisation?: string | null
  updated_at?: number
  email?: string
  email_verified?: boolean
}

const INACTIVE: Introspection = { active: false }

/** RFC 7662 §4: which access tokens a client may learn about. */
function mayIntrospect(client: OAuthClientRecord, claims: AccessClaims): boolean {
  if (claims.client_id === client.id || client.resourceServer === 'all') return true
  return client.resourceServer === 'audience' && claims.aud === client.id
}

/** Introspection (RFC 7662), revocation (RFC 7009) and userinfo (OIDC Core §5.3). */
export class TokenStatus {
  constructor(
    private readonly accessCheck: AccessCheck,
    private readonly sessions: Sessions,
    private readonly users: UserRepository,
    private readonly issuer: string
  ) {}

  /**
   * A confidential client introspects the access tokens issued to it; a resource server also
   * those whose `aud` names it (`audience`) or every one (`all`); others' tokens are inactive to
   * it (RFC 7662 §4 lets the server refuse). A refresh token only by the client it was issued to.
   * Same in-memory checks as /authorise.
   */
  async introspect(client: OAuthClientRecord, token: string | undefined, hint: string | undefined): Promise<Introspection> {
    if (client.tokenEndpointAuthMethod === 'none') throw new InvalidClient('introspection needs a confidential client')
    if (!token) throw new InvalidRequest('token is missing')
    const access = hint === 'refresh_token' ? null : await this.activeAccessToken(token)
    if (access && !mayIntrospect(client, access.claims)) return INACTIVE
    if (access) {
      return {
        active: true,
        token_type: 'Bearer',
        scope: access.claims.scope,
        ...(access.claims.client_id === undefined ? {} : { client_id: access.claims.client_id }),
        ...(access.claims.username === undefined ? {} : { username: access.claims.username }),
        ...(access.claims.organisation ? { organisation: access.claims.organisation } : {}),
        sub: access.claims.sub,
        aud: access.claims.aud,
        iss: access.claims.iss,
        jti: access.claims.jti,
        sid: access.claims.sid,
        iat: access.claims.iat,
        exp: Math.floor(access.expiresAt / 1000)
      }
    }
    const found = await this.sessions.findRefreshToken(token)
    const now = Date.now()
    if (!found || found.session.clientId !== client.id || found.token.rotatedAt !== null || found.token.expiresAt <= now) return INACTIVE
    if (found.session.revokedAt !== null || this.sessions.isRevoked(found.session.id)) return INACTIVE
    const user = await this.users.findById(found.session.userId)
    if (!user?.active) return INACTIVE
    return {
      active: true,
      token_type: 'refresh_token',
      scope: (found.session.scope ?? []).join(' '),
      client_id: client.id,
      username: user.username,
      sub: user.id,
      iss: this.issuer,
      sid: found.session.id,
      iat: Math.floor(found.token.createdAt / 1000),
      exp: Math.floor(found.token.expiresAt / 1000)
    }
  }

  /**
   * Revoking either token of a grant ends the whole session: its refresh tokens at once
   * and its access tokens at /authorise and introspection (the in-memory revoked set).
   * Unknown tokens are a success (RFC 7009 §2.2); another client's tokens are refused.
   */
  async revoke(client: OAuthClientRecord, token: string | undefined): Promise<void> {
    if (!token) throw new InvalidRequest('token is missing')
    const found = await this.sessions.findRefreshToken(token)
    if (found) {
      if (found.session.clientId !== client.id) throw new InvalidRequest('this token was not issued to this client')
      await this.sessions.revoke(found.session.id)
      return
    }
    const claims = this.verifiedOrNull(token)
    if (!claims) return
    if (claims.client_id !== client.id) throw new InvalidRequest('this token was not issued to this client')
    await this.sessions.revoke(claims.sid)
  }

  /** OIDC userinfo: a live access token of an active user, with `openid`. */
  async userinfo(token: string | null): Promise<UserinfoClaims> {
    if (!token) throw new InvalidToken('no access token was sent')
    const access = await this.activeAccessToken(token)
    if (!access) throw new InvalidToken()
    const scope = access.claims.scope.split(' ')
    if (!scope.includes('openid')) throw new InsufficientScope('openid')
    const user = access.claims.username === undefined ? null : await this.users.findById(access.claims.sub)
    if (!user?.active) throw new InvalidToken()
    return {
      sub: user.id,
      ...(scope.includes('profile')
        ? { preferred_username: user.username, name: user.username, organisation: user.organisation, updated_at: Math.floor(user.updatedAt / 1000) }
        : {}),
      ...(scope.includes('email') ? { email: user.email, email_verified: false } : {})
    }
  }

  private async activeAccessToken(token: string) {
    try {
      return await this.accessCheck.check(token)
    } catch {
      return null
    }
  }

  private verifiedOrNull(token: string): AccessClaims | null {
    try {
      return this.accessCheck.verify(token)
    } catch {
      return null
    }
  }
}
