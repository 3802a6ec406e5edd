import type { OAuthClientRecord } from '../../store/port.js'
import type { Tokens } from '../tokens.js'
import type { OAuthClients } from './clients.js'

export interface LogoutParams {
  id_token_hint?: string | undefined
  client_id?: string | undefined
  post_logout_redirect_uri?: string | undefined
  state?: string | undefined
}

/** A logout request that may be acted on. */
export interface ValidLogout {
  client: OAuthClientRecord | null
  /** Where to send the browser afterwards (state added), or null for moneypenny's own page. */
  redirectTo: string | null
  /** The user the ID token hint names; a match with the signed-in user makes the request trusted. */
  hintedUserId: string | null
}

/** A request that cannot be acted on: an error page, never a redirect (the address is not trusted). */
export class InvalidLogoutRequest extends Error {}

/** OIDC RP-Initiated Logout 1.0: which client asks, and where the browser may go afterwards. */
export class EndSession {
  constructor(
    private readonly clients: OAuthClients,
    private readonly tokens: Tokens
  ) {}

  async validate(params: LogoutParams): Promise<ValidLogout> {
    const hint = this.idTokenHint(params.id_token_hint)
    const client = await this.client(params.client_id, hint?.aud ?? null)
    return { client, redirectTo: this.redirectTo(client, params.post_logout_redirect_uri, params.state), hintedUserId: hint?.sub ?? null }
  }

  /** §2: an ID token the OP issued; an expired one is fine, a forged or foreign one is refused. */
  private idTokenHint(token: string | undefined) {
    if (token === undefined) return null
    const hint = this.tokens.verifyIdTokenHint(token)
    if (!hint) throw new InvalidLogoutRequest('id_token_hint is not an ID token issued here.')
    return hint
  }

  /** §2: client_id, when given with id_token_hint, must be among the hint's audience; without it, the hint's one audience names the client. */
  private async client(clientId: string | undefined, hintAudience: string[] | null): Promise<OAuthClientRecord | null> {
    if (clientId !== undefined && hintAudience !== null && !hintAudience.includes(clientId)) {
      throw new InvalidLogoutRequest('client_id is not the client the id_token_hint was issued to.')
    }
    const id = clientId ?? (hintAudience?.length === 1 ? hintAudience[0]! : null)
    if (id === null) return null
    const client = await this.clients.find(id)
    if (!client) throw new InvalidLogoutRequest('This application is not registered.')
    return client
  }

  /** §3: only a URI the client registered, compared exactly; the OP must know the client to check it. */
  private redirectTo(client: OAuthClientRecord | null, uri: string | undefined, state: string | undefined): string | null {
    if (uri === undefined) return null
    if (client === null) throw new InvalidLogoutRequest('post_logout_redirect_uri needs client_id or id_token_hint.')
    if (!client.postLogoutRedirectUris.includes(uri)) throw new InvalidLogoutRequest('post_logout_redirect_uri is not registered for this application.')
    const url = new URL(uri)
    if (state !== undefined) url.searchParams.append('state', state)
    return url.href
  }
}
