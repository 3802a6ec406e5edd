import { Forbidden, Unauthenticated } from '../errors.js'
import type { Sessions } from './sessions.js'
import { hasScope, type AccessClaims, type Tokens } from './tokens.js'

export interface CheckedAccess {
  claims: AccessClaims
  /** When the credential stops working: the token's exp, or a sliding session's idle end. */
  expiresAt: number
}

/**
 * The one check every protected route and /authorise run: signature and claims,
 * revoked session (in memory), sliding idle expiry. No store read on the common path.
 */
export class AccessCheck {
  constructor(
    private readonly tokens: Tokens,
    private readonly sessions: Sessions
  ) {}

  /** Signature, claims and revocation only: for ending a session that may already be idle. */
  verify(token: string): AccessClaims {
    const claims = this.tokens.verifyAccessToken(token)
    if (this.sessions.isRevoked(claims.sid)) throw new Unauthenticated('Token revoked')
    return claims
  }

  check(token: string): CheckedAccess | Promise<CheckedAccess> {
    const claims = this.verify(token)
    if (claims.idle === undefined) return { claims, expiresAt: claims.exp * 1000 }
    const idleEnd = this.sessions.slide(claims)
    return typeof idleEnd === 'number'
      ? { claims, expiresAt: idleEnd }
      : idleEnd.then((expiresAt) => ({ claims, expiresAt }))
  }
}

/**
 * The credential in an Authorization header, in every form the seeds used:
 * `Bearer <t>`, `Token <t>`, `Token: <t>` (the unnamed service's README) or the bare token (lummox).
 */
export function credentialFrom(header: string | undefined): string | null {
  if (!header) return null
  const match = /^(?:(?:bearer|token):?\s+)?(\S+)\s*$/i.exec(header.trim())
  return match ? match[1]! : null
}

/** The credential in an Authorization header; Unauthenticated when there is none. */
export function requiredCredential(header: string | undefined): string {
  const token = credentialFrom(header)
  if (!token) throw new Unauthenticated('Missing token')
  return token
}

/**
 * Only the user themself, not even an admin: what it guards (a second factor, a passkey) would let
 * whoever set it sign in as the user. `what` names it in the refusal.
 */
export function requireSelf(principal: AccessClaims | null, userId: string, what: string): void {
  if (principal!.sub !== userId) throw new Forbidden(`only the user may change their own ${what}`)
}

/** Who acts on a user's record: the user themself, else an admin; anyone else is refused. */
export function actingOn(principal: AccessClaims | null, userId: string): 'user' | 'admin' {
  requireSelfOrAdmin(principal, userId)
  return principal!.sub === userId ? 'user' : 'admin'
}

/** Admins may act on any user; anyone else only on their own record. */
export function requireSelfOrAdmin(principal: AccessClaims | null, userId: string): { isAdmin: boolean } {
  const isAdmin = hasScope(principal!, 'admin')
  if (!isAdmin && principal!.sub !== userId) throw new Forbidden('the admin scope is required')
  return { isAdmin }
}
