import { OAuthError } from '../../errors.js'
import type { RequestedClaims } from '../../store/port.js'
import { USER_CLAIMS } from './claims.js'

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Core §5.5.1: each member is null (default manner) or an object with optional `essential`, `value`, `values`. */
function checkClaimRequest(where: string, claim: string, request: unknown): void {
  if (request === null) return
  if (!isJsonObject(request)) throw new OAuthError('invalid_request', `claims.${where}.${claim} must be null or an object`)
  if (request.essential !== undefined && typeof request.essential !== 'boolean') {
    throw new OAuthError('invalid_request', `claims.${where}.${claim}.essential must be true or false`)
  }
  if (request.values !== undefined && !Array.isArray(request.values)) {
    throw new OAuthError('invalid_request', `claims.${where}.${claim}.values must be an array`)
  }
}

/**
 * The names a member (`id_token` or `userinfo`) asks for, checked for shape, kept only when
 * moneypenny supports them as user claims: Core §5.5 says unknown claims are ignored, and
 * claims every ID token carries anyway (`auth_time`, `acr`, ...) need no remembering.
 */
function namesIn(where: 'id_token' | 'userinfo', member: unknown): string[] {
  if (member === undefined) return []
  if (!isJsonObject(member)) throw new OAuthError('invalid_request', `claims.${where} must be an object`)
  const names: string[] = []
  for (const [claim, request] of Object.entries(member)) {
    checkClaimRequest(where, claim, request)
    if (USER_CLAIMS.has(claim)) names.push(claim)
  }
  return names
}

/**
 * The acr values `id_token.acr` asks for as an essential claim (Core §5.5.1.1): the sign-in must
 * reach one of them or fail. Null when acr is not essential or names no value.
 */
function essentialAcrIn(member: unknown): string[] | null {
  if (!isJsonObject(member) || !isJsonObject(member.acr) || member.acr.essential !== true) return null
  const { value, values } = member.acr
  const named = values ?? (value === undefined ? [] : [value])
  if (!Array.isArray(named) || !named.every((v) => typeof v === 'string')) {
    throw new OAuthError('invalid_request', 'claims.id_token.acr values must be strings')
  }
  return named.length === 0 ? null : named
}

/** What a `claims` parameter asks: user claims by name, and an essential acr. */
export interface ClaimsRequest {
  claims: RequestedClaims | null
  essentialAcr: string[] | null
}

/**
 * The OIDC `claims` request parameter (Core §5.5): a JSON object with `id_token` and/or
 * `userinfo`, each naming claims. Malformed JSON or a wrong shape is invalid_request (as
 * node-oidc-provider answers); null when it names no claim moneypenny keeps track of. Its
 * length is bounded before it gets here, like every authorization parameter's (2,048 characters).
 */
export function parseClaimsRequest(text: string): ClaimsRequest {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new OAuthError('invalid_request', 'the claims parameter is not valid JSON')
  }
  if (!isJsonObject(parsed)) throw new OAuthError('invalid_request', 'the claims parameter must be a JSON object')
  if (parsed.id_token === undefined && parsed.userinfo === undefined) {
    throw new OAuthError('invalid_request', 'the claims parameter must have an id_token or a userinfo member')
  }
  const idToken = namesIn('id_token', parsed.id_token)
  const userinfo = namesIn('userinfo', parsed.userinfo)
  return {
    claims: idToken.length === 0 && userinfo.length === 0 ? null : { idToken, userinfo },
    essentialAcr: essentialAcrIn(parsed.id_token)
  }
}

/** The authorization request's `claims` parameter (OIDC Core §5.5), parsed onto the request; absent means none. */
export function claimsParameter(params: { claims?: string | undefined }, request: ClaimsRequest): void {
  if (params.claims !== undefined) Object.assign(request, parseClaimsRequest(params.claims))
}
