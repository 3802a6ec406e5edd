import type { RequestedClaims, UserRecord } from '../../store/port.js'

/** The user claims each OIDC scope stands for (Core §5.4), moneypenny's `organisation` with `profile`. */
const SCOPE_CLAIMS: Readonly<Record<string, readonly string[]>> = {
  profile: ['name', 'given_name', 'family_name', 'preferred_username', 'picture', 'zoneinfo', 'locale', 'updated_at', 'organisation'],
  email: ['email', 'email_verified']
}

/** Every user claim moneypenny can release: what a `claims` request parameter may name. */
export const USER_CLAIMS: ReadonlySet<string> = new Set(Object.values(SCOPE_CLAIMS).flat())

/**
 * The `acr` of an ID token (OIDC Core §2), levels as Keycloak names them: "1", a single-factor
 * sign-in (a password, or an identity provider that vouched for the user); "2", a sign-in with
 * a second factor (RFC 8176 amr `mfa`).
 */
export const ACR_SINGLE_FACTOR = '1'
export const ACR_MULTI_FACTOR = '2'
export const ACR_VALUES_SUPPORTED = [ACR_SINGLE_FACTOR, ACR_MULTI_FACTOR]

/** The level a sign-in reached, from how it was made. */
export function acrOf(amr: readonly string[] | null): string {
  return amr?.includes('mfa') ? ACR_MULTI_FACTOR : ACR_SINGLE_FACTOR
}

/**
 * Whether a request's acr_values (OIDC Core §3.1.2.1, in order of preference) can be met only
 * by a second factor: it names "2" and not "1". Values this server does not know are ignored,
 * as the parameter is a wish, not a demand.
 */
export function asksForSecondFactor(acrValues: readonly string[]): boolean {
  return acrValues.includes(ACR_MULTI_FACTOR) && !acrValues.includes(ACR_SINGLE_FACTOR)
}

/** Claims about the user; each absent when the user has no value for it (Core §5.3.2: never null). */
export interface UserClaims {
  name?: string
  given_name?: string
  family_name?: string
  preferred_username?: string
  picture?: string
  zoneinfo?: string
  locale?: string
  updated_at?: number
  organisation?: string
  email?: string
  email_verified?: boolean
}

/** The value of each claim for a user, or undefined when they have none. */
function claimValues(user: UserRecord): Record<keyof UserClaims, string | number | boolean | undefined> {
  return {
    name: user.name ?? undefined,
    given_name: user.givenName ?? undefined,
    family_name: user.familyName ?? undefined,
    preferred_username: user.username,
    picture: user.picture ?? undefined,
    zoneinfo: user.zoneinfo ?? undefined,
    locale: user.locale ?? undefined,
    updated_at: Math.floor(user.updatedAt / 1000),
    organisation: user.organisation ?? undefined,
    email: user.email,
    email_verified: user.emailVerified
  }
}

/**
 * The claim names one answer releases: those of the granted scopes, and those the client
 * asked for by name (`requested`, already limited to what the client may have by name).
 */
export function releasedClaims(scope: readonly string[], requested: readonly string[]): Set<string> {
  return new Set([...scope.flatMap((granted) => SCOPE_CLAIMS[granted] ?? []), ...requested])
}

/** The user's values of `names`, leaving out every claim the user has no value for. */
export function userClaims(user: UserRecord, names: ReadonlySet<string>): UserClaims {
  const claims: Record<string, unknown> = {}
  for (const [claim, value] of Object.entries(claimValues(user))) {
    if (names.has(claim) && value !== undefined) claims[claim] = value
  }
  return claims as UserClaims
}

/**
 * The scopes whose claims a `claims` parameter asks for by name: what the person is asked to
 * allow for them on the consent page, since consent is given per scope.
 */
export function scopesOfClaims(requested: RequestedClaims | null): string[] {
  if (requested === null) return []
  const names = new Set([...requested.idToken, ...requested.userinfo])
  return Object.keys(SCOPE_CLAIMS).filter((scope) => SCOPE_CLAIMS[scope]!.some((claim) => names.has(claim)))
}

/**
 * What a client may receive of the claims it asked for by name (Core §5.5 leaves it to the
 * provider; node-oidc-provider releases them once the user's grant covers them): a first-party
 * client, which skips consent, all of them; a third-party client those whose scope the person
 * allowed it (`consented`). Null when nothing is left.
 */
export function claimsReleasableTo(client: { firstParty: boolean }, requested: RequestedClaims | null, consented: readonly string[]): RequestedClaims | null {
  if (requested === null || client.firstParty) return requested
  const allowed = new Set(consented.flatMap((scope) => SCOPE_CLAIMS[scope] ?? []))
  const idToken = requested.idToken.filter((claim) => allowed.has(claim))
  const userinfo = requested.userinfo.filter((claim) => allowed.has(claim))
  return idToken.length === 0 && userinfo.length === 0 ? null : { idToken, userinfo }
}
