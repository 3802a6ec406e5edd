import type * as OpenIdClient from 'openid-client'
import { Conflict, InvalidInput, NotFound, OidcLinkRefused, OidcRejected, UpstreamUnavailable } from '../errors.js'
import type { ClaimSource, OidcProviderConfig } from '../oidc-config.js'
import type { IdentityLinkRepository, UserRecord } from '../store/port.js'
import type { Accounts, UpstreamUserClaims } from './accounts.js'
import type { IdentityLinks } from './identity-links.js'
import type { AuthenticationMethod } from './mfa/index.js'
import { PendingAuthorizationSeal } from './oauth2/pending-authorization.js'
import { safeReturnTo } from './return-to.js'
import { securityEvent } from './security-log.js'

/** Where providers send the person back (the redirect URI registered at each provider). */
export const OIDC_CALLBACK_PATH = '/auth/oidc/callback'
export const OIDC_LOGIN_PATH = '/auth/oidc/login'

/** How long a started sign-in may take at the provider. */
export const FLOW_TTL_MS = 10 * 60_000
const EMAIL = /^[^\s@]+@[^\s@]+$/
/** The amr values (RFC 8176 §2) that mean the same here as upstream; others are not passed on. */
const KNOWN_AMR: readonly AuthenticationMethod[] = ['pwd', 'otp', 'hwk', 'swk', 'user', 'mfa']

type Client = typeof OpenIdClient

/**
 * A signed-in user's request to link their account at a provider: for that user, in that browser
 * session only (`session`: a digest of its id), so that nobody can make someone else's browser
 * link an upstream identity into their account.
 */
export interface LinkIntent {
  userId: string
  session: string
}

/** What a started sign-in keeps in the browser's sealed cookie until the provider sends the person back. */
interface Flow {
  provider: string
  verifier: string
  nonce: string
  returnTo: string | null
  /** Present when the flow links the provider to a signed-in user instead of signing in. */
  link?: LinkIntent
}

/** A signed-in person: who, through which provider, and how the provider says it checked them. */
export interface UpstreamSignIn {
  user: UserRecord
  provider: string
  amr: AuthenticationMethod[]
  returnTo: string | null
}

/** What a callback did: signed someone in, or linked the provider to the signed-in user who asked. */
export type UpstreamOutcome = ({ kind: 'signed-in' } & UpstreamSignIn) | { kind: 'linked'; userId: string; provider: string }

export interface OidcSignOnOptions {
  /** The browser-session secret: the flow cookie's key is derived from it. */
  secret: string
  /** Only for tests against a provider on http://localhost. */
  allowInsecureLocalhost?: boolean
}

function isLocalhostHttp(issuer: string): boolean {
  const url = new URL(issuer)
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)
}

/** A claim as text: a non-empty string, trimmed; null otherwise. */
function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null
}

/** A claim as a list of strings: an array of strings, or one string split at spaces. */
function list(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean)
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item !== '') : []
}

/** WebCrypto's name for each JWS algorithm a private_key may sign with (see oidc-config.ts). */
const WEBCRYPTO_ALGORITHMS: Record<string, RsaHashedImportParams | EcKeyImportParams | Algorithm> = {
  RS256: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
  ES384: { name: 'ECDSA', namedCurve: 'P-384' },
  ES512: { name: 'ECDSA', namedCurve: 'P-521' },
  EdDSA: { name: 'Ed25519' }
}

/** The private_key as the CryptoKey openid-client signs client assertions with. */
function signingKey(jwk: JsonWebKey, alg: string): Promise<CryptoKey> {
  const { kid: _kid, ...key } = jwk as JsonWebKey & { kid?: string }
  return crypto.subtle.importKey('jwk', key, WEBCRYPTO_ALGORITHMS[alg]!, false, ['sign'])
}

/**
 * openid-client's words for a refusal, for the log: its message, its code, the provider's error
 * code, and the claim or parameter at fault. Never a token or a code: the library does not put
 * them in errors, and the provider's error_description is left out (it is the provider's text).
 */
function whyRefused(error: unknown): string {
  const { message, code, error: oauthError, cause } = error as { message?: string; code?: unknown; error?: unknown; cause?: { claim?: unknown; parameter?: unknown } }
  const at = [cause?.claim, cause?.parameter].find((name) => typeof name === 'string')
  return [message ?? String(error), typeof code === 'string' ? `(${code})` : '', typeof oauthError === 'string' ? `error=${oauthError}` : '', at ? `at ${at}` : '']
    .filter(Boolean)
    .join(' ')
}

/**
 * Sign-in through upstream OpenID Connect providers (the authorization code flow with PKCE,
 * state and nonce), with openid-client doing every check of the answer and the ID token.
 * Discovery runs on first use of each provider and again after a failure.
 */
export class OidcSignOn {
  private readonly providers = new Map<string, OidcProviderConfig>()
  private readonly discovered = new Map<string, Promise<OpenIdClient.Configuration>>()
  private readonly seal: PendingAuthorizationSeal
  private readonly callbackUrl: string

  constructor(
    configs: OidcProviderConfig[],
    private readonly links: IdentityLinkRepository,
    private readonly kept: Pick<IdentityLinks, 'keepTokens'>,
    private readonly accounts: Accounts,
    publicUrl: string,
    private readonly options: OidcSignOnOptions
  ) {
    for (const config of configs) this.providers.set(config.name, config)
    this.seal = new PendingAuthorizationSeal(options.secret, FLOW_TTL_MS, 'moneypenny upstream OpenID Connect sign-in')
    this.callbackUrl = `${publicUrl}${OIDC_CALLBACK_PATH}`
  }

  /** The providers for the sign-in page: name and display name, in the file's order. */
  list(): { name: string; displayName: string }[] {
    return [...this.providers.values()].map(({ name, displayName }) => ({ name, displayName }))
  }

  private provider(name: string): OidcProviderConfig {
    const provider = this.providers.get(name)
    if (!provider) throw new NotFound(`No OpenID Connect provider is named ${name}`)
    return provider
  }

  private async client(): Promise<Client> {
    return import('openid-client')
  }

  /**
   * The provider's discovered configuration; a failed discovery is forgotten (so the next sign-in
   * tries again), logged, and answered UpstreamUnavailable (503).
   */
  private configuration(provider: OidcProviderConfig): Promise<OpenIdClient.Configuration> {
    let pending = this.discovered.get(provider.name)
    if (pending === undefined) {
      pending = this.discover(provider).catch((error: unknown) => {
        this.discovered.delete(provider.name)
        securityEvent('warn', 'upstream_discovery_failed', { provider: provider.name, reason: whyRefused(error) })
        throw new UpstreamUnavailable(provider.name)
      })
      this.discovered.set(provider.name, pending)
    }
    return pending
  }

  private async discover(provider: OidcProviderConfig): Promise<OpenIdClient.Configuration> {
    const client = await this.client()
    const authentication =
      provider.authentication.method === 'client_secret_basic'
        ? client.ClientSecretBasic(provider.authentication.secret)
        : client.PrivateKeyJwt({ key: await signingKey(provider.authentication.jwk, provider.authentication.alg), kid: (provider.authentication.jwk as { kid?: string }).kid })
    const insecure = this.options.allowInsecureLocalhost === true && isLocalhostHttp(provider.issuer)
    const configuration = await client.discovery(new URL(provider.issuer), provider.clientId, undefined, authentication, insecure ? { execute: [client.allowInsecureRequests] } : {})
    // The ID token's signature is checked against the provider's JWKS, not only trusted for coming over TLS.
    client.enableNonRepudiationChecks(configuration)
    return configuration
  }

  /**
   * Starts a sign-in: the provider's authorization URL (PKCE S256, state, nonce) and the
   * sealed value for the flow cookie. The state is the cookie's id, so an answer opens only
   * the cookie of the sign-in it belongs to.
   */
  async start(name: string, returnTo: string | null, link?: LinkIntent): Promise<{ url: string; cookie: string }> {
    const provider = this.provider(name)
    const client = await this.client()
    const configuration = await this.configuration(provider)
    const verifier = client.randomPKCECodeVerifier()
    const state = PendingAuthorizationSeal.newId()
    const flow: Flow = { provider: name, verifier, nonce: client.randomNonce(), returnTo, ...(link === undefined ? {} : { link }) }
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.callbackUrl,
      scope: provider.scope,
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce: flow.nonce
    })
    return { url: url.href, cookie: `${state}.${this.seal.seal(state, JSON.stringify(flow), Date.now())}` }
  }

  /**
   * Finishes a sign-in from the provider's answer (the callback's query) and the flow cookie:
   * openid-client redeems the code (PKCE) and checks state, RFC 9207 `iss`, and the ID token
   * (signature, iss, aud, exp, nonce). Then the account is found or made by the provider's
   * first-sign-in rule, or, for a link the signed-in user asked for in this browser session
   * (`browser`), the provider is linked to them. OidcRejected for anything that signs no one
   * in, OidcLinkRefused for a link that is not made.
   */
  async finish(query: string, cookie: string | undefined, browser: LinkIntent | null): Promise<UpstreamOutcome> {
    const flow = this.openFlow(cookie)
    const provider = this.provider(flow.provider)
    // Checked before the code is redeemed: a link goes to the user who asked, in the browser session that asked.
    if (flow.link !== undefined && (flow.link.userId !== browser?.userId || flow.link.session !== browser.session)) {
      throw new OidcLinkRefused('the link was started by another user or browser session', provider.name)
    }
    const client = await this.client()
    const configuration = await this.configuration(provider)
    let tokens: OpenIdClient.TokenEndpointResponse & OpenIdClient.TokenEndpointResponseHelpers
    try {
      tokens = await client.authorizationCodeGrant(configuration, new URL(`${this.callbackUrl}?${query}`), {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true
      })
    } catch (error) {
      throw new OidcRejected(`the provider's answer failed its checks: ${whyRefused(error)}`, provider.name)
    }
    const claims = tokens.claims()!
    if (flow.link !== undefined) {
      await this.linkTo(provider, claims.sub, flow.link.userId)
      await this.keep(provider, claims.sub, tokens)
      return { kind: 'linked', userId: flow.link.userId, provider: provider.name }
    }
    const merged = await this.withUserInfo(client, configuration, provider, claims, tokens.access_token)
    const user = await this.userOf(provider, claims.sub, merged)
    await this.keep(provider, claims.sub, tokens)
    const amr = list(claims.amr).filter((value): value is AuthenticationMethod => KNOWN_AMR.includes(value as AuthenticationMethod))
    return { kind: 'signed-in', user, provider: provider.name, amr, returnTo: flow.returnTo }
  }

  /** The provider's tokens kept for the link when the provider has `keep_tokens`; otherwise any kept before are forgotten. */
  private keep(provider: OidcProviderConfig, subject: string, tokens: OpenIdClient.TokenEndpointResponse): Promise<void> {
    if (!provider.keepTokens) return this.kept.keepTokens(provider.name, subject, null)
    const now = Math.floor(Date.now() / 1000)
    return this.kept.keepTokens(provider.name, subject, {
      access_token: tokens.access_token,
      token_type: tokens.token_type,
      expires_at: tokens.expires_in === undefined ? null : now + tokens.expires_in,
      refresh_token: tokens.refresh_token ?? null,
      id_token: tokens.id_token ?? null,
      scope: tokens.scope ?? null,
      obtained_at: now
    })
  }

  /**
   * Links (provider, subject) to the user who asked; the person proved both accounts, so no
   * email needs to match. Refused when the upstream identity is linked to another user, or the
   * user has another account at this provider linked already.
   */
  private async linkTo(provider: OidcProviderConfig, subject: string, userId: string): Promise<void> {
    const refuse = (reason: string) => new OidcLinkRefused(reason, provider.name)
    const existing = await this.links.find(provider.name, subject)
    if (existing !== null && existing.userId !== userId) throw refuse(`this person at the provider is linked to another user (${existing.userId})`)
    if (existing === null) {
      if ((await this.links.listByUser(userId)).some((link) => link.provider === provider.name)) throw refuse('the user has another account at this provider linked already')
      if (!(await this.links.add({ provider: provider.name, subject, userId, createdAt: Date.now(), lastUsedAt: null }))) throw refuse('this person was linked to another account meanwhile')
      securityEvent('info', 'identity_linked', { provider: provider.name, userId, by: 'user' })
    }
  }

  private openFlow(cookie: string | undefined): Flow & { state: string } {
    const dot = cookie?.indexOf('.') ?? -1
    const state = dot > 0 ? cookie!.slice(0, dot) : ''
    const opened = dot > 0 ? this.seal.open(state, cookie!.slice(dot + 1)) : null
    if (opened === null) throw new OidcRejected('no live sign-in was started in this browser (the flow cookie is missing, expired or not ours)')
    const flow = JSON.parse(opened.query) as Flow
    return { ...flow, returnTo: safeReturnTo(flow.returnTo ?? undefined), state }
  }

  /** The ID token's claims, completed from the userinfo endpoint when a mapped claim is missing from them. */
  private async withUserInfo(
    client: Client,
    configuration: OpenIdClient.Configuration,
    provider: OidcProviderConfig,
    claims: OpenIdClient.IDToken,
    accessToken: string
  ): Promise<Record<string, unknown>> {
    const mapped = [provider.claims.username, provider.claims.email, ...[provider.claims.organisation, provider.claims.scope, provider.claims.role].flatMap((source) => (source && 'claim' in source ? [source.claim] : []))]
    if (mapped.every((name) => claims[name] !== undefined) || configuration.serverMetadata().userinfo_endpoint === undefined) return claims
    try {
      // The userinfo answer must name the ID token's subject (checked by the library).
      const userinfo = await client.fetchUserInfo(configuration, accessToken, claims.sub)
      return { ...userinfo, ...claims }
    } catch (error) {
      throw new OidcRejected(`the userinfo answer failed its checks: ${whyRefused(error)}`, provider.name)
    }
  }

  /** The account this (provider, sub) signs in to, by its link or the provider's first-sign-in rule. */
  private async userOf(provider: OidcProviderConfig, subject: string, claims: Record<string, unknown>): Promise<UserRecord> {
    const refuse = (reason: string) => new OidcRejected(reason, provider.name)
    const linked = await this.links.find(provider.name, subject)
    if (linked) {
      const user = await this.accounts.get(linked.userId)
      if (!user.active) throw refuse(`user ${user.id} is disabled`)
      await this.links.recordUse(provider.name, subject, Date.now())
      return this.synced(provider, user, claims)
    }
    if (provider.firstSignIn === 'linked_only') throw refuse('no account is linked to this person, and the provider only signs in linked accounts')
    const email = text(claims[provider.claims.email])
    if (email === null || !EMAIL.test(email) || email.length > 254) throw refuse('the provider sent no usable email address')
    // Only a provider's word that the email is verified links to an account that already has it.
    const verified = claims.email_verified === true
    const existing = await this.accounts.findByEmail(email)
    let user: UserRecord
    if (existing !== null) {
      if (!verified) throw refuse(`the email matches an existing account but the provider does not say it is verified`)
      if (!existing.active) throw refuse(`user ${existing.id} is disabled`)
      user = await this.synced(provider, existing, claims)
    } else if (provider.firstSignIn === 'create') {
      user = await this.createUser(provider, email, claims)
    } else {
      throw refuse('no account has this email, and the provider only links to existing accounts')
    }
    if (!(await this.links.add({ provider: provider.name, subject, userId: user.id, createdAt: Date.now(), lastUsedAt: Date.now() }))) {
      // A parallel first sign-in of the same person linked it a moment ago.
      const link = await this.links.find(provider.name, subject)
      if (link?.userId !== user.id) throw refuse('this person was linked to another account meanwhile')
    }
    securityEvent('info', 'identity_linked', { provider: provider.name, userId: user.id, created: existing === null })
    return user
  }

  /**
   * Scope, organisation and role by the provider's claim mapping: a fixed value, or the claim's;
   * undefined for one that is not mapped or whose claim the provider did not send.
   */
  private mapped(provider: OidcProviderConfig, claims: Record<string, unknown>): Pick<UpstreamUserClaims, 'scope' | 'organisation' | 'role'> {
    const value = <T>(source: ClaimSource<T> | null, read: (claim: unknown) => T | undefined): T | undefined =>
      source === null ? undefined : 'value' in source ? source.value : claims[source.claim] === undefined ? undefined : read(claims[source.claim])
    return {
      organisation: value(provider.claims.organisation, (claim) => text(claim) ?? undefined),
      scope: value(provider.claims.scope, (claim) => list(claim)),
      role: value(provider.claims.role, (claim) => text(claim) ?? undefined)
    }
  }

  /** A known user, with scope, organisation and role brought up to date when the provider has `sync_on_sign_in`. */
  private async synced(provider: OidcProviderConfig, user: UserRecord, claims: Record<string, unknown>): Promise<UserRecord> {
    if (!provider.syncOnSignIn) return user
    try {
      return await this.accounts.syncUpstreamUser(user, this.mapped(provider, claims))
    } catch (error) {
      // The last admin losing admin, say: the claims cannot be applied, so the sign-in is refused.
      if (error instanceof Conflict || error instanceof InvalidInput) throw new OidcRejected(`the provider's claims cannot be applied: ${error.message}`, provider.name)
      throw error
    }
  }

  private async createUser(provider: OidcProviderConfig, email: string, claims: Record<string, unknown>): Promise<UserRecord> {
    const fields: UpstreamUserClaims = {
      username: text(claims[provider.claims.username]) ?? email.slice(0, email.lastIndexOf('@')),
      email,
      ...this.mapped(provider, claims)
    }
    try {
      return await this.accounts.createUpstreamUser(fields)
    } catch (error) {
      // The provider vouched for this person, so they may read why their account cannot be made.
      if (error instanceof Conflict || error instanceof InvalidInput) {
        throw new OidcRejected(`the account cannot be made: ${error.message}`, provider.name, `Your account cannot be set up here (${error.message}). Ask an administrator.`)
      }
      throw error
    }
  }
}
