import { createHash } from 'node:crypto'
import type { OAuthClientRecord, SessionRecord, UserRecord } from '../../store/port.js'
import { tokensIssued } from '../metrics.js'
import { acrOf, releasedClaims, userClaims } from './claims.js'
import type { ScopePolicy } from './scopes.js'
import type { IdTokenClaims, Tokens } from '../tokens.js'

/** The token endpoint's answer (RFC 6749 §5.1, OIDC Core §3.1.3.3). */
export interface TokenResponse {
  access_token: string
  token_type: 'Bearer'
  expires_in: number
  scope: string
  refresh_token?: string
  id_token?: string
}

/** OIDC at_hash: the left half of the SHA-256 of the access token (ES256 and HS256 both use SHA-256). */
function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url')
}

/** Access tokens in the RFC 9068 profile and, for `openid`, an ID token beside them. */
export class TokenIssuer {
  constructor(
    private readonly tokens: Tokens,
    private readonly accessTokenTtlMs: number,
    private readonly scopes: ScopePolicy
  ) {}

  /**
   * The audience of a user's token for `client`: moneypenny itself for a first-party client, or
   * when consent named one of moneypenny's permission scopes; otherwise the client alone, so the
   * token cannot act for the user at moneypenny's APIs (RFC 9700 §2.3, RFC 6749 §3.3).
   */
  private audienceFor(client: OAuthClientRecord, scope: readonly string[]): string | undefined {
    return client.firstParty || scope.some((granted) => this.scopes.isPermission(granted)) ? undefined : client.id
  }

  /**
   * A user's tokens; with `openid` an ID token that carries the user claims of the granted scopes
   * and those the session's client asked for by name for the ID token (OIDC Core §5.4, §5.5).
   */
  async forUser(
    grant: 'authorization_code' | 'refresh_token',
    user: UserRecord,
    session: SessionRecord,
    client: OAuthClientRecord,
    scope: string[],
    refreshToken: string | null,
    nonce: string | null
  ): Promise<TokenResponse> {
    tokensIssued.inc({ kind: 'access', grant })
    if (refreshToken !== null) tokensIssued.inc({ kind: 'refresh', grant })
    const now = Date.now()
    const expiresAt = Math.min(session.expiresAt, now + this.accessTokenTtlMs)
    const audience = this.audienceFor(client, scope)
    const idp = session.idp === null ? {} : { idp: session.idp }
    const access = await this.tokens.issueAccessToken(user, session.id, expiresAt, now, { clientId: client.id, scope, ...idp, ...(audience === undefined ? {} : { audience }) })
    const response = this.response(access.token, expiresAt, now, scope)
    if (refreshToken !== null) response.refresh_token = refreshToken
    if (scope.includes('openid')) {
      const claims: IdTokenClaims = {
        ...userClaims(user, releasedClaims(scope, session.claims?.idToken ?? [])),
        sub: user.id,
        aud: client.id,
        azp: client.id,
        auth_time: Math.floor((session.authTime ?? session.createdAt) / 1000),
        acr: acrOf(session.amr),
        // RFC 8176: how the user signed in; left out where it is not known (a federated sign-in, an older session).
        ...(session.amr?.length ? { amr: session.amr } : {}),
        ...idp,
        at_hash: accessTokenHash(access.token),
        sid: session.id,
        ...(nonce === null ? {} : { nonce })
      }
      response.id_token = await this.tokens.issueIdToken(claims, now + this.accessTokenTtlMs, now)
      tokensIssued.inc({ kind: 'id', grant })
    }
    return response
  }

  /** client_credentials: the client is the subject; no refresh token, no ID token. */
  async forClient(client: OAuthClientRecord, session: SessionRecord, scope: string[]): Promise<TokenResponse> {
    tokensIssued.inc({ kind: 'access', grant: 'client_credentials' })
    const now = Date.now()
    const expiresAt = Math.min(session.expiresAt, now + this.accessTokenTtlMs)
    const audience = this.audienceFor(client, scope)
    const access = await this.tokens.issueAccessToken({ id: client.id, scope }, session.id, expiresAt, now, { clientId: client.id, ...(audience === undefined ? {} : { audience }) })
    return this.response(access.token, expiresAt, now, scope)
  }

  private response(accessToken: string, expiresAt: number, now: number, scope: string[]): TokenResponse {
    return { access_token: accessToken, token_type: 'Bearer', expires_in: Math.floor((expiresAt - now) / 1000), scope: scope.join(' ') }
  }
}
