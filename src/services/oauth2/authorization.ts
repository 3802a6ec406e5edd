import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { OAuthError } from '../../errors.js'
import type { AuthorizationCodeRepository, ConsentRepository, OAuthClientRecord, RequestedClaims, UserRecord } from '../../store/port.js'
import { ACR_VALUES_SUPPORTED, asksForSecondFactor, claimsReleasableTo, scopesOfClaims } from './claims.js'
import { claimsParameter } from './claims-request.js'
import type { OAuthClients } from './clients.js'
import { parseScope, type ScopePolicy } from './scopes.js'

/** Query parameters as parsed: a parameter given twice arrives as an array. */
export type RawParams = Record<string, string | string[] | undefined>

/** Checks an id_token_hint: an ID token this server issued (its `sub` and audiences), or null. */
export type IdTokenHintVerifier = (token: string) => { sub: string; aud: string[] } | null

/**
 * Parses a request's parameters (a query string, or a form body: the same encoding) keeping
 * repeated parameters as arrays, as the rules expect: a repeated parameter must be seen, not coerced away.
 */
export function paramsOf(query: string): RawParams {
  const params: RawParams = {}
  for (const [name, value] of new URLSearchParams(query)) {
    const seen = params[name]
    params[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value]
  }
  return params
}

/** A validated authorization request. */
export interface AuthorizationRequest {
  client: OAuthClientRecord
  redirectUri: string
  state: string | undefined
  nonce: string | null
  scope: string[]
  codeChallenge: string | null
  prompt: Set<string>
  /** OIDC max_age: how old a sign-in may be, or null. */
  maxAgeMs: number | null
  /** The user an id_token_hint names (its `sub`), or null. */
  hintedSubject: string | null
  /** Claims asked for by name with the `claims` parameter, or null. */
  claims: RequestedClaims | null
  /** OIDC acr_values, in order of preference. */
  acrValues: string[]
  /** acr values the `claims` parameter asks for as essential: one must be met, or no code (Core §5.5.1.1). */
  essentialAcr: string[] | null
}

/** What the browser session says of its sign-in: when (OIDC auth_time), how (RFC 8176 amr) and through which upstream provider (null: none). */
export interface SignInFacts {
  authTime: number
  amr: string[]
  idp: string | null
}

/** What the endpoint does next; the route turns each into an HTTP answer. */
export type AuthorizationOutcome =
  /** client_id or redirect_uri cannot be trusted: an error page, never a redirect. */
  | { kind: 'error-page'; message: string }
  | Redirect
  /** The person must sign in; `tooLarge` is the answer when the request is too large to hold meanwhile. */
  | { kind: 'sign-in'; tooLarge: Redirect }
  /** The signed-in person must give their second factor (acr_values asked for one); held like a sign-in. */
  | { kind: 'second-factor'; tooLarge: Redirect }
  | { kind: 'consent'; client: OAuthClientRecord; scopes: string[] }

/** `grant`: the session a code was issued for, which the browser session ends when it ends. */
type Redirect = { kind: 'redirect'; location: string; grant?: CodeGrant }

/** The token session an authorization code starts, as the browser session remembers it. */
export interface CodeGrant {
  sessionId: string
  clientId: string
  offline: boolean
}

/** What checking a request without acting on it says: valid (and how to refuse it if too large to hold), or its error. */
export type AuthorizationCheck = { kind: 'valid'; tooLarge: Redirect } | Extract<AuthorizationOutcome, { kind: 'error-page' | 'redirect' }>

export const AUTHORIZATION_CODE_TTL_MS = 60_000
const MAX_PARAMETER_LENGTH = 2048
const PROMPTS = new Set(['none', 'login', 'consent', 'select_account'])
/** The longest login_hint put in the sign-in form: the longest username or email there is. */
const MAX_LOGIN_HINT_LENGTH = 254

/** The login_hint of a request (OIDC Core §3.1.2.1), to prefill the sign-in form with; only a hint. */
export function loginHintOf(raw: RawParams): string | null {
  const hint = raw.login_hint
  return typeof hint === 'string' && hint.trim() !== '' && hint.length <= MAX_LOGIN_HINT_LENGTH ? hint : null
}

const HINT_MISMATCH = 'id_token_hint and authenticated subject do not match'

export function hashCode(code: string): string {
  return createHash('sha256').update(code).digest('base64url')
}

/** A redirect to the client with `params` added to its registered URI's query. */
function redirectTo(redirectUri: string, params: Record<string, string | undefined>): Redirect {
  const url = new URL(redirectUri)
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.append(name, value)
  return { kind: 'redirect', location: url.href }
}

type Params = Record<string, string | undefined>
type Check = (params: Params, request: AuthorizationRequest) => void

/** One rule each, run in order (node-oidc-provider's lib/actions/authorization is the model). */
const checks: Check[] = [
  function noRequestObjects(params) {
    if (params.request !== undefined) throw new OAuthError('request_not_supported', 'request objects are not supported')
    if (params.request_uri !== undefined) throw new OAuthError('request_uri_not_supported', 'request_uri is not supported')
    if (params.registration !== undefined) throw new OAuthError('registration_not_supported', 'registration is not supported')
  },
  function responseType(params, request) {
    if (params.response_type === undefined) throw new OAuthError('invalid_request', 'response_type is missing')
    if (params.response_type !== 'code') throw new OAuthError('unsupported_response_type', 'only response_type=code is supported')
    if (!request.client.responseTypes.includes('code') || !request.client.grantTypes.includes('authorization_code')) {
      throw new OAuthError('unauthorized_client', 'this client is not registered for the authorization code flow')
    }
  },
  function responseMode(params) {
    if (params.response_mode !== undefined && params.response_mode !== 'query') {
      throw new OAuthError('invalid_request', 'only response_mode=query is supported')
    }
  },
  function pkce(params, request) {
    const method = params.code_challenge_method
    const challenge = params.code_challenge
    if (method !== undefined && method !== 'S256') throw new OAuthError('invalid_request', 'code_challenge_method must be S256; plain is not supported')
    if (challenge === undefined) {
      if (method !== undefined) throw new OAuthError('invalid_request', 'code_challenge is missing')
      if (request.client.tokenEndpointAuthMethod === 'none') {
        throw new OAuthError('invalid_request', 'PKCE is required for public clients: send code_challenge with code_challenge_method=S256')
      }
      return
    }
    // Without a method, RFC 7636 means plain, which is refused.
    if (method === undefined) throw new OAuthError('invalid_request', 'code_challenge_method must be S256; plain is not supported')
    if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) throw new OAuthError('invalid_request', 'code_challenge must be a base64url SHA-256 digest')
    request.codeChallenge = challenge
  },
  function scope(params, request) {
    const scope = parseScope(params.scope)
    if (scope === null) throw new OAuthError('invalid_scope', 'scope is malformed')
    const unknown = scope.filter((s) => !request.client.scope.includes(s))
    if (unknown.length) throw new OAuthError('invalid_scope', `not registered for this client: ${unknown.join(' ')}`)
    request.scope = scope
  },
  function prompt(params, request) {
    const values = params.prompt === undefined ? [] : params.prompt.split(' ').filter(Boolean)
    if (values.some((value) => !PROMPTS.has(value))) throw new OAuthError('invalid_request', 'prompt has an unsupported value')
    if (values.includes('none') && values.length > 1) throw new OAuthError('invalid_request', 'prompt=none cannot be combined with other values')
    request.prompt = new Set(values)
  },
  function maxAge(params, request) {
    if (params.max_age === undefined) return
    if (!/^\d{1,9}$/.test(params.max_age)) throw new OAuthError('invalid_request', 'max_age must be a whole number of seconds')
    request.maxAgeMs = Number(params.max_age) * 1000
  },
  function nonce(params, request) {
    request.nonce = params.nonce ?? null
  },
  function acrValues(params, request) {
    request.acrValues = params.acr_values === undefined ? [] : params.acr_values.split(' ').filter(Boolean)
  },
  claimsParameter
]

/**
 * The authorization endpoint's rules: which client and redirect URI to trust, the
 * request's checks, sign-in and consent, and the code. Knows nothing of HTTP.
 */
export class Authorization {
  constructor(
    private readonly clients: OAuthClients,
    private readonly consents: ConsentRepository,
    private readonly codes: AuthorizationCodeRepository,
    private readonly scopes: ScopePolicy,
    private readonly issuer: string,
    private readonly verifyIdTokenHint: IdTokenHintVerifier,
    /** Whether the user has a second factor they can be asked for. */
    private readonly hasSecondFactor: (userId: string) => Promise<boolean>
  ) {}

  /** Checks a request without acting on it (a posted request is checked before it is held). */
  async check(raw: RawParams): Promise<AuthorizationCheck> {
    const validated = await this.validate(raw)
    if ('kind' in validated) return validated
    return { kind: 'valid', tooLarge: this.tooLarge(validated) }
  }

  /**
   * Handles an authorization request from a browser whose signed-in user (if any) is `user`.
   * `signedInForThisRequest`: the user signed in after this very request sent them to the
   * sign-in page, which satisfies prompt=login and max_age (else max_age=0 would loop), and
   * is the last word on an id_token_hint naming someone else.
   */
  async authorize(raw: RawParams, user: UserRecord | null, signedIn: SignInFacts | null, signedInForThisRequest: boolean): Promise<AuthorizationOutcome> {
    const validated = await this.validate(raw)
    if ('kind' in validated) return validated
    const request = validated
    const fail = (error: string, description: string) => this.errorRedirect(request, new OAuthError(error, description))
    const signIn = { kind: 'sign-in', tooLarge: this.tooLarge(request) } as const
    if (!user || signedIn === null) return request.prompt.has('none') ? fail('login_required', 'the user is not signed in') : signIn
    const { authTime } = signedIn
    // Someone else is signed in than the hint names: they sign in as the hinted user, or the client is told.
    if (request.hintedSubject !== null && request.hintedSubject !== user.id) {
      return request.prompt.has('none') || signedInForThisRequest ? fail('login_required', HINT_MISMATCH) : signIn
    }
    const tooOld = request.maxAgeMs !== null && Date.now() - authTime > request.maxAgeMs
    if ((request.prompt.has('login') || tooOld) && !signedInForThisRequest) {
      return request.prompt.has('none') ? fail('login_required', 'the sign-in is older than max_age') : signIn
    }
    const secondFactor = await this.secondFactorMissing(request, user, signedIn)
    if (secondFactor !== null) return secondFactor
    const granted = this.scopes.grantable(request.scope, user.scope, request.client.grantTypes)
    if (request.client.firstParty) return this.issueCode(request, user, signedIn, granted, [])
    const asked = this.consentAskedFor(request, granted)
    const consent = await this.consents.find(user.id, request.client.id)
    const covered = consent !== null && asked.every((s) => consent.scope.includes(s))
    if (!covered || request.prompt.has('consent')) {
      return request.prompt.has('none')
        ? fail('consent_required', 'the user has not allowed this client')
        : { kind: 'consent', client: request.client, scopes: asked }
    }
    return this.issueCode(request, user, signedIn, granted, consent.scope)
  }

  /**
   * A request whose acr_values (or essential acr claim) only a second factor meets, from a session signed in without
   * one: the person is asked for it (even inside a remembered session) when they have one;
   * else the client hears unmet_authentication_requirements (OIDC Core 1.0 errata set 2,
   * §3.1.2.6), never a code. Null when nothing is missing.
   */
  private async secondFactorMissing(request: AuthorizationRequest, user: UserRecord, signedIn: SignInFacts): Promise<AuthorizationOutcome | null> {
    const fail = (error: string, description: string) => this.errorRedirect(request, new OAuthError(error, description))
    const essential = request.essentialAcr
    if (essential !== null && !essential.some((value) => ACR_VALUES_SUPPORTED.includes(value))) {
      return fail('unmet_authentication_requirements', 'no acr value asked for as essential is supported')
    }
    // A client registered with default_acr_values ["2"] always asks: a request cannot lower it.
    const asked = asksForSecondFactor(request.acrValues) || asksForSecondFactor(request.client.defaultAcrValues) || (essential !== null && asksForSecondFactor(essential))
    if (!asked || signedIn.amr.includes('mfa')) return null
    if (!(await this.hasSecondFactor(user.id))) return fail('unmet_authentication_requirements', 'the user has no second factor to meet acr_values')
    if (request.prompt.has('none')) return fail('interaction_required', 'acr_values asks for a second factor')
    return { kind: 'second-factor', tooLarge: this.tooLarge(request) }
  }

  /**
   * What a third-party client needs the person's consent for: the granted scopes, and the
   * scopes of the claims it asks for by name (Core §5.5) among those it registered.
   */
  private consentAskedFor(request: AuthorizationRequest, granted: string[]): string[] {
    const forClaims = scopesOfClaims(request.claims).filter((scope) => request.client.scope.includes(scope))
    return [...new Set([...granted, ...forClaims])]
  }

  /** The user's answer on the consent page for the request it showed. */
  async decide(raw: RawParams, user: UserRecord, signedIn: SignInFacts, allow: boolean): Promise<AuthorizationOutcome> {
    const validated = await this.validate(raw)
    if ('kind' in validated) return validated
    // The consent form can be posted by hand: what authorize() asks for, this asks for again.
    const secondFactor = await this.secondFactorMissing(validated, user, signedIn)
    if (secondFactor !== null) return secondFactor
    if (validated.hintedSubject !== null && validated.hintedSubject !== user.id) {
      return this.errorRedirect(validated, new OAuthError('login_required', HINT_MISMATCH))
    }
    if (!allow) return this.errorRedirect(validated, new OAuthError('access_denied', 'the user denied the request'))
    const granted = this.scopes.grantable(validated.scope, user.scope, validated.client.grantTypes)
    const earlier = await this.consents.find(user.id, validated.client.id)
    const consented = [...new Set([...(earlier?.scope ?? []), ...this.consentAskedFor(validated, granted)])]
    await this.consents.save({ userId: user.id, clientId: validated.client.id, scope: consented, grantedAt: Date.now() })
    return this.issueCode(validated, user, signedIn, granted, consented)
  }

  /**
   * client_id and redirect_uri first (an error page if either is wrong: never redirect
   * to an unchecked address), then every other rule (errors go back to the client).
   */
  private async validate(raw: RawParams): Promise<AuthorizationRequest | Exclude<AuthorizationCheck, { kind: 'valid' }>> {
    const clientId = raw.client_id
    const redirectUri = raw.redirect_uri
    if (typeof clientId !== 'string' || clientId === '') return { kind: 'error-page', message: 'client_id is missing or given more than once.' }
    const client = clientId.length <= MAX_PARAMETER_LENGTH ? await this.clients.find(clientId) : null
    if (!client) return { kind: 'error-page', message: 'This application is not registered.' }
    if (typeof redirectUri !== 'string') return { kind: 'error-page', message: 'redirect_uri is missing or given more than once.' }
    if (!client.redirectUris.includes(redirectUri)) return { kind: 'error-page', message: 'redirect_uri is not registered for this application.' }

    const state = typeof raw.state === 'string' ? raw.state : undefined
    const request: AuthorizationRequest = {
      client,
      redirectUri,
      state,
      nonce: null,
      scope: [],
      codeChallenge: null,
      prompt: new Set(),
      maxAgeMs: null,
      hintedSubject: null,
      claims: null,
      acrValues: [],
      essentialAcr: null
    }
    try {
      const params: Params = {}
      for (const [name, value] of Object.entries(raw)) {
        if (Array.isArray(value)) throw new OAuthError('invalid_request', `${name} was given more than once`)
        if (value !== undefined && value.length > MAX_PARAMETER_LENGTH) throw new OAuthError('invalid_request', `${name} is too long`)
        params[name] = value
      }
      for (const check of checks) check(params, request)
      this.idTokenHint(params, request)
      return request
    } catch (error) {
      if (error instanceof OAuthError) return this.errorRedirect(request, error)
      throw error
    }
  }

  /**
   * id_token_hint (OIDC Core §3.1.2.1): an ID token this server issued to this client, expired
   * or not; anything else is invalid_request, as node-oidc-provider has it.
   */
  private idTokenHint(params: Params, request: AuthorizationRequest): void {
    if (params.id_token_hint === undefined) return
    const hint = this.verifyIdTokenHint(params.id_token_hint)
    if (hint === null || !hint.aud.includes(request.client.id)) throw new OAuthError('invalid_request', 'could not validate id_token_hint')
    request.hintedSubject = hint.sub
  }

  /** The answer to a request too large to hold while its person signs in. */
  private tooLarge(request: AuthorizationRequest): Redirect {
    return this.errorRedirect(request, new OAuthError('invalid_request', 'request too large'))
  }

  private errorRedirect(request: AuthorizationRequest, error: OAuthError) {
    return redirectTo(request.redirectUri, { error: error.error, error_description: error.description, state: request.state, iss: this.issuer })
  }

  /** `consented`: the scopes the person allowed this client, which bound the claims it gets by name. */
  private async issueCode(request: AuthorizationRequest, user: UserRecord, signedIn: SignInFacts, scope: string[], consented: readonly string[]) {
    const code = randomBytes(32).toString('base64url')
    const now = Date.now()
    const sessionId = randomUUID()
    await this.codes.insert({
      hash: hashCode(code),
      clientId: request.client.id,
      userId: user.id,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      scope,
      nonce: request.nonce,
      authTime: signedIn.authTime,
      amr: signedIn.amr,
      idp: signedIn.idp,
      claims: claimsReleasableTo(request.client, request.claims, consented),
      sessionId,
      createdAt: now,
      expiresAt: now + AUTHORIZATION_CODE_TTL_MS,
      redeemedAt: null
    })
    const grant = { sessionId, clientId: request.client.id, offline: scope.includes('offline_access') }
    return { ...redirectTo(request.redirectUri, { code, state: request.state, iss: this.issuer }), grant }
  }
}
