/** The OpenID Connect scopes: granted to any user who consents. */
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const

/** RFC 6749 §3.3 scope-token: printable ASCII but space, `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/

/** Splits a space-delimited scope parameter; null when a token is malformed. Duplicates collapse. */
export function parseScope(text: string | undefined): string[] | null {
  if (text === undefined) return []
  const tokens = text.split(' ').filter((token) => token !== '')
  return tokens.every((token) => SCOPE_TOKEN.test(token)) ? [...new Set(tokens)] : null
}

export function isOidcScope(scope: string): boolean {
  return (OIDC_SCOPES as readonly string[]).includes(scope)
}

/**
 * The three kinds of scope a client may register: OIDC scopes; permission scopes
 * (ALLOWED_SCOPES, such as `admin`), which only users who hold them can pass on; and
 * API scopes of the client's own (such as `reports.read`).
 */
export class ScopePolicy {
  constructor(private readonly permissionScopes: readonly string[]) {}

  isPermission(scope: string): boolean {
    return this.permissionScopes.includes(scope)
  }

  /** API scopes: what client_credentials can grant (no user, so no OIDC or permission scope). */
  apiScopes(registered: readonly string[]): string[] {
    return registered.filter((scope) => !isOidcScope(scope) && !this.isPermission(scope))
  }

  /**
   * What a user's consent can grant of `requested` (already checked against the
   * client's registration): permission scopes the user does not hold are dropped, and
   * offline_access unless the client may use refresh tokens.
   */
  grantable(requested: readonly string[], userScope: readonly string[], clientGrantTypes: readonly string[]): string[] {
    return requested.filter((scope) => {
      if (scope === 'offline_access') return clientGrantTypes.includes('refresh_token')
      return !this.isPermission(scope) || userScope.includes(scope)
    })
  }
}
