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
 * The OIDC `claims` request parameter (Core §5.5): a JSON object with `id_token` and/or
 * `userinfo`, each naming claims. Malformed JSON or a wrong shape is invalid_request (as
 * node-oidc-provider answers); null when it names no claim moneypenny keeps track of. Its
 * length is bounded before it gets here, like every authorization parameter's (2,048 characters).
 */
export function parseClaimsRequest(text: string): RequestedClaims | null {
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
  return idToken.length === 0 && userinfo.length === 0 ? null : { idToken, userinfo }
}

/** The authorization request's `claims` parameter (OIDC Core §5.5), parsed onto the request; absent means none. */
export function claimsParameter(params: { claims?: string | undefined }, request: { claims: RequestedClaims | null }): void {
  if (params.claims !== undefined) request.claims = parseClaimsRequest(params.claims)
}
