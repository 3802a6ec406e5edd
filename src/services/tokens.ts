import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { createVerifier, TokenError } from 'fast-jwt'
import { Unauthenticated } from '../errors.js'
import { Doorkeeper } from './doorkeeper.js'
import { securityEvent } from './security-log.js'
import type { SigningKeyRecord, SigningKeyRepository } from '../store/port.js'
import type { UserClaims } from './oauth2/claims.js'
import { jwtSigners, type SignJwt } from './jwt-signer.js'
import { loadSigningKeys, newSigningKey, publicJwk, type PublicJwk, type SigningAlgorithm } from './signing-keys.js'

export const ACCESS_TOKEN_TYP = 'at+jwt'

/** The claims of every access token moneypenny issues. */
export interface AccessClaims {
  iss: string
  aud: string
  /** The user's id; for a client_credentials token, the client's. */
  sub: string
  /** Absent from client_credentials tokens, which have no user. */
  username?: string
  organisation?: string | null
  /** Space-delimited, as RFC 9068 and RFC 7662 have it. */
  scope: string
  role?: string
  /** The OAuth2 client the token was issued to (RFC 9068); absent for the seed endpoints. */
  client_id?: string
  sid: string
  jti: string
  iat: number
  exp: number
  /** Idle timeout in seconds of a sliding session (tokens from POST /login only). */
  idle?: number
  /** The upstream OpenID Connect provider the user signed in through (as Keycloak and Entra ID name it); absent otherwise. */
  idp?: string
}

export function hasScope(claims: AccessClaims, scope: string): boolean {
  return claims.scope.split(' ').includes(scope)
}

export interface TokenSubject {
  id: string
  username?: string
  organisation?: string | null
  scope: string[]
  role?: string
}

export interface AccessTokenExtras {
  /** Idle timeout in seconds of a sliding session. */
  idle?: number
  /** The token's audience in place of moneypenny's own (RFC 9068 §3): a third-party client's tokens are not for moneypenny's APIs. */
  audience?: string
  /** The OAuth2 client, and the scope granted to it in place of the subject's own. */
  clientId?: string
  scope?: string[]
  /** The upstream provider the user signed in through. */
  idp?: string
}

/** OIDC ID token claims (typ JWT, audience the client), with the user claims released to the client. */
export interface IdTokenClaims extends UserClaims {
  sub: string
  aud: string
  azp: string
  auth_time: number
  acr: string
  /** RFC 8176 authentication method references. */
  amr?: string[]
  /** The upstream OpenID Connect provider the user signed in through; absent otherwise. */
  idp?: string
  at_hash: string
  nonce?: string
  sid: string
}

export interface TokenOptions {
  issuer: string
  audience: string
  /** HS256 shared secret; null means asymmetric keys kept in the store. */
  secret: string | null
  /** The algorithm of the keys made from now on (the first one, and each rotation's). */
  algorithm: SigningAlgorithm
  /** How long a retired key keeps verifying: the longest lifetime of any token it signed. */
  longestTokenLifetimeMs: number
  /** How long a new key is published before it signs: longer than the reload interval of every replica. */
  keyPropagationMs: number
}

type Verify = (token: string) => { header: Record<string, unknown>; payload: AccessClaims }
type VerifyIdToken = (token: string) => { sub?: unknown; aud?: unknown }

/** What an id_token_hint tells, once its signature and issuer are checked. */
export interface IdTokenHint {
  sub: string
  aud: string[]
}

/** Opaque refresh tokens: 256 random bits; only their SHA-256 is stored. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url')
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url')
}

/** Longer tokens are refused before any parsing; ours are well under 2 KiB. */
const MAX_TOKEN_LENGTH = 8192

/** How many distinct JWT headers to remember; headers are per key, so a few suffice. */
const HEADER_CACHE_LIMIT = 64

/**
 * How many verified tokens to remember: at about 1.3 KiB each (text and claims), 5 MB at most,
 * so that a stream of distinct tokens cannot take a sidecar's memory; a miss costs one verification.
 */
const VERIFIED_CACHE_LIMIT = 4096

/**
 * A token is remembered on its second verification: one checked once (a client's single call, a
 * new token per request) would otherwise be promoted to V8's old space with the cache and dropped
 * soon after, which grew a sidecar's heap by 15 MB per 30,000 such tokens. A token used again
 * pays one more verification than before.
 */
const ONCE_SEEN_LIMIT = 4 * VERIFIED_CACHE_LIMIT

/**
 * Signs and verifies access tokens. Signing is asynchronous: an asymmetric signature runs on
 * libuv's thread pool (see jwt-signer.ts), with a key object made once per key. Verifiers are built once per key (never per
 * request) with the algorithm, issuer, audience and `typ` pinned. Verified tokens are
 * remembered by their exact text from their second check until they expire, so a hot token costs one map
 * lookup (fast-jwt's own cache hashes each token with SHA-256 first, which cost more
 * than the rest of the check).
 */
export class Tokens {
  private sign!: SignJwt
  private signIdToken!: SignJwt
  private signLogoutToken!: SignJwt
  private verifiers = new Map<string, Verify>()
  /** ID token verifiers by kid, for id_token_hint: expiry not checked (OIDC Core §3.1.2.1). */
  private idTokenVerifiers = new Map<string, VerifyIdToken>()
  private readonly verifierByHeader = new Map<string, Verify | null>()
  /** Oldest first (insertion order), so the first key is the one to evict. */
  private readonly verified = new Map<string, AccessClaims>()
  private readonly onceVerified = new Doorkeeper(ONCE_SEEN_LIMIT)
  private keys: SigningKeyRecord[] = []
  private signingKey: SigningKeyRecord | null = null

  private constructor(
    private readonly options: TokenOptions,
    private readonly repository: SigningKeyRepository
  ) {}

  static async create(options: TokenOptions, repository: SigningKeyRepository, now = Date.now()): Promise<Tokens> {
    const tokens = new Tokens(options, repository)
    if (options.secret === null) await tokens.reloadKeys(now)
    else tokens.useSharedSecret(options.secret)
    return tokens
  }

  async issueAccessToken(
    subject: TokenSubject,
    sessionId: string,
    expiresAt: number,
    now: number,
    extras: AccessTokenExtras = {}
  ): Promise<{ token: string; claims: AccessClaims }> {
    const claims: AccessClaims = {
      iss: this.options.issuer,
      aud: extras.audience ?? this.options.audience,
      sub: subject.id,
      // OIDC Core §5.3.2, RFC 7519 §4: a claim without a value is left out, never null.
      ...(subject.username === undefined ? {} : { username: subject.username, role: subject.role ?? 'user' }),
      ...(subject.organisation ? { organisation: subject.organisation } : {}),
      scope: (extras.scope ?? subject.scope).join(' '),
      ...(extras.clientId === undefined ? {} : { client_id: extras.clientId }),
      sid: sessionId,
      jti: randomUUID(),
      iat: Math.floor(now / 1000),
      exp: Math.floor(expiresAt / 1000),
      ...(extras.idle === undefined ? {} : { idle: extras.idle }),
      ...(extras.idp === undefined ? {} : { idp: extras.idp })
    }
    return { token: await this.sign(claims), claims }
  }

  /** An OIDC ID token: signed by the same key as access tokens, but typ JWT so it is never taken for one. */
  issueIdToken(claims: IdTokenClaims, expiresAt: number, now: number): Promise<string> {
    return this.signIdToken({ iss: this.options.issuer, ...claims, iat: Math.floor(now / 1000), exp: Math.floor(expiresAt / 1000) })
  }

  /**
   * An OIDC Back-Channel Logout token (§2.4): the user's `sub`, the `sid` their ID token
   * carried, the logout event, no nonce; typ logout+jwt (§2.4, RFC 8725 §3.11) so that it
   * can be taken for no other token. Two minutes suffice for delivery and retries.
   */
  issueLogoutToken(clientId: string, sub: string, sid: string, now: number): Promise<string> {
    return this.signLogoutToken({
      iss: this.options.issuer,
      aud: clientId,
      sub,
      sid,
      events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
      jti: randomUUID(),
      iat: Math.floor(now / 1000),
      exp: Math.floor(now / 1000) + 120
    })
  }

  /** The algorithm tokens are signed with now, for discovery. */
  get algorithm(): string {
    return this.signingKey?.alg ?? 'HS256'
  }

  /**
   * Is this (verified) token meant for moneypenny's own APIs? Tokens of the seed endpoints and
   * of first-party clients are; a third-party client's only when consent granted a permission
   * scope (RFC 9068 §4: a resource server refuses a token whose `aud` does not name it).
   */
  isForOwnApis(claims: AccessClaims): boolean {
    return claims.aud === this.options.audience
  }

  /** The audiences moneypenny issues: its own, or the very client a token was issued to. */
  private isOurAudience(claims: AccessClaims): boolean {
    return claims.aud === this.options.audience || (claims.client_id !== undefined && claims.aud === claims.client_id)
  }

  /**
   * Verifies signature, algorithm, `typ`, `iss`, `aud` (one of ours) and `exp`; throws
   * Unauthenticated. Both audiences pass: /authorise, introspection and userinfo take every
   * access token moneypenny issued; moneypenny's APIs ask isForOwnApis too.
   */
  verifyAccessToken(token: string): AccessClaims {
    const remembered = this.verified.get(token)
    // Never past its exp: an expired token falls through to the verifier, which says so.
    if (remembered !== undefined && remembered.exp * 1000 > Date.now()) return remembered
    const verify = token.length > MAX_TOKEN_LENGTH ? null : this.verifierFor(token)
    if (!verify) throw new Unauthenticated('Invalid token')
    try {
      const claims = verify(token).payload
      if (!this.isOurAudience(claims)) throw new Unauthenticated('Invalid token')
      if (remembered === undefined && this.onceVerified.admits(token)) {
        if (this.verified.size >= VERIFIED_CACHE_LIMIT) this.verified.delete(this.verified.keys().next().value!)
        this.verified.set(token, claims)
      }
      return claims
    } catch (error) {
      this.verified.delete(token)
      if (error instanceof TokenError && error.code === TokenError.codes.expired) {
        throw new Unauthenticated('Token expired')
      }
      throw new Unauthenticated('Invalid token')
    }
  }

  /**
   * An ID token this server issued, as an authorization request's id_token_hint: signature by
   * one of its keys, `typ: JWT` (an access token is not one), `iss`; an expired one is still a
   * good hint. Null for anything else.
   */
  verifyIdTokenHint(token: string): IdTokenHint | null {
    if (token.length > MAX_TOKEN_LENGTH) return null
    const kid = this.kidOf(token)
    const verify = kid === null ? undefined : this.idTokenVerifiers.get(kid)
    if (!verify) return null
    try {
      const { sub, aud } = verify(token)
      const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : []
      return typeof sub === 'string' && sub !== '' ? { sub, aud: audiences } : null
    } catch {
      return null
    }
  }

  /** Public keys for /.well-known/jwks.json (empty in shared-secret mode). */
  jwks(): { keys: PublicJwk[] } {
    return { keys: this.keys.map(publicJwk) }
  }

  /**
   * Publishes a new key that starts signing after `keyPropagationMs`, when the current
   * one retires; the retired key keeps verifying until every token it signed has expired.
   * Returns the new key's kid.
   */
  async rotateSigningKey(now = Date.now()): Promise<string> {
    if (this.options.secret !== null) throw new Error('signing keys do not rotate in shared-secret (JWT_SECRET) mode')
    const activation = now + this.options.keyPropagationMs
    const next = newSigningKey(activation, this.options.algorithm)
    await this.repository.insert(next)
    for (const key of this.keys) {
      if (key.kid !== next.kid && (key.retiredAt === null || key.retiredAt > activation)) {
        await this.repository.retire(key.kid, activation, activation + this.options.longestTokenLifetimeMs)
      }
    }
    await this.reloadKeys(now)
    securityEvent('info', 'signing_key_rotated', { kid: next.kid })
    return next.kid
  }

  /**
   * Reads the keys from the store again: at start, and periodically so that every
   * replica learns of a rotation before the new key signs. Verifiers (and their caches)
   * are rebuilt only when the set of keys changed.
   */
  async reloadKeys(now = Date.now()): Promise<void> {
    if (this.options.secret !== null) return
    const { signing, all } = await loadSigningKeys(this.repository, now, this.options.algorithm)
    if (signing.kid !== this.signingKey?.kid) {
      this.useSigners(signing.privateKey, signing.alg as SigningAlgorithm, signing.kid)
      this.signingKey = signing
    }
    const sameKeys = all.length === this.keys.length && all.every((key, i) => key.kid === this.keys[i]!.kid)
    this.keys = all
    if (sameKeys) return
    this.verifiers = new Map(all.map((key) => [key.kid, this.verifiers.get(key.kid) ?? this.verifier(key.publicKey, key.alg as SigningAlgorithm)]))
    this.idTokenVerifiers = new Map(
      all.map((key) => [key.kid, this.idTokenVerifiers.get(key.kid) ?? this.idTokenVerifier(key.publicKey, key.alg as SigningAlgorithm)])
    )
    this.verifierByHeader.clear()
    // A key that stopped verifying takes the tokens it signed with it.
    this.verified.clear()
  }

  private useSigners(key: string, algorithm: SigningAlgorithm | 'HS256', kid?: string): void {
    const signer = jwtSigners(key, algorithm, kid)
    this.sign = signer(ACCESS_TOKEN_TYP)
    this.signIdToken = signer('JWT')
    this.signLogoutToken = signer('logout+jwt')
  }

  private useSharedSecret(secret: string): void {
    this.useSigners(secret, 'HS256')
    this.verifiers = new Map([['', this.verifier(secret, 'HS256')]])
    this.idTokenVerifiers = new Map([['', this.idTokenVerifier(secret, 'HS256')]])
  }

  private verifier(key: string, algorithm: SigningAlgorithm | 'HS256'): Verify {
    return createVerifier({
      key,
      algorithms: [algorithm],
      allowedIss: this.options.issuer,
      checkTyp: ACCESS_TOKEN_TYP,
      requiredClaims: ['iss', 'aud', 'sub', 'sid', 'jti', 'iat', 'exp'],
      complete: true
    }) as Verify
  }

  private idTokenVerifier(key: string, algorithm: SigningAlgorithm | 'HS256'): VerifyIdToken {
    return createVerifier({
      key,
      algorithms: [algorithm],
      allowedIss: this.options.issuer,
      checkTyp: 'JWT',
      ignoreExpiration: true,
      requiredClaims: ['iss', 'sub', 'aud'],
      cache: false
    }) as VerifyIdToken
  }

  /** The `kid` of a token's header ('' in shared-secret mode, where there is one key); null when unreadable. */
  private kidOf(token: string): string | null {
    const dot = token.indexOf('.')
    if (dot <= 0) return null
    if (this.options.secret !== null) return ''
    try {
      const { kid } = JSON.parse(Buffer.from(token.slice(0, dot), 'base64url').toString('utf8')) as { kid?: unknown }
      return typeof kid === 'string' ? kid : null
    } catch {
      return null
    }
  }

  /** Picks the verifier by the token's `kid` without decoding the same header twice. */
  private verifierFor(token: string): Verify | null {
    const dot = token.indexOf('.')
    if (dot <= 0) return null
    const encodedHeader = token.slice(0, dot)
    const known = this.verifierByHeader.get(encodedHeader)
    if (known !== undefined) return known
    let verify: Verify | null = null
    try {
      const header = JSON.parse(Buffer.from(encodedHeader, 'base64url').toString('utf8')) as { kid?: unknown }
      const kid = this.options.secret === null ? header.kid : ''
      verify = typeof kid === 'string' ? (this.verifiers.get(kid) ?? null) : null
    } catch {
      return null
    }
    // Only headers that name a known key are remembered, so junk cannot grow the map.
    if (verify && this.verifierByHeader.size < HEADER_CACHE_LIMIT) this.verifierByHeader.set(encodedHeader, verify)
    return verify
  }
}
