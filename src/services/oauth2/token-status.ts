import { InsufficientScope, InvalidClient, InvalidRequest, InvalidToken } from '../../errors.js'
import type { OAuthClientRecord, SessionRepository, UserRepository } from '../../store/port.js'
import type { AccessCheck } from '../access-check.js'
import type { Sessions } from '../sessions.js'
import type { AccessClaims } from '../tokens.js'
import { releasedClaims, userClaims, type UserClaims } from './claims.js'

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

/** OIDC standard claims for the scopes granted and those asked for by name, plus moneypenny's organisation. */
export interface UserinfoClaims extends UserClaims {
  sub: string
}

const INACTIVE: Introspection = { active: false }

/**
 * The access token of a userinfo request: in the Authorization header or in a form-encoded body
 * (RFC 6750 §2.1, §2.2), never both (§2: one method per request; §3.1 invalid_request). Null when
 * neither has one. A token in the query string (§2.3) is never read.
 */
export function bearerTokenOf(fromHeader: string | null, fromBody: string | undefined): string | null {
  if (fromHeader !== null && fromBody !== undefined) throw new InvalidRequest('send the access token in the Authorization header or in the body, not in both')
  return fromHeader ?? (fromBody || null)
}

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
    private readonly sessionRecords: SessionRepository,
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

  /**
   * OIDC userinfo (Core §5.3): a live access token of an active user, with `openid`. The claims
   * of its scopes and those its client asked for by name for userinfo, each only when the user
   * has a value (§5.3.2).
   */
  async userinfo(token: string | null): Promise<UserinfoClaims> {
    if (!token) throw new InvalidToken('no access token was sent')
    const access = await this.activeAccessToken(token)
    if (!access) throw new InvalidToken()
    const scope = access.claims.scope.split(' ')
    if (!scope.includes('openid')) throw new InsufficientScope('openid')
    const user = access.claims.username === undefined ? null : await this.users.findById(access.claims.sub)
    if (!user?.active) throw new InvalidToken()
    const session = await this.sessionRecords.findById(access.claims.sid)
    return { ...userClaims(user, releasedClaims(scope, session?.claims?.userinfo ?? [])), sub: user.id }
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
