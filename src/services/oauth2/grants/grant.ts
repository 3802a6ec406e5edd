import type { OAuthClientRecord } from '../../../store/port.js'
import type { TokenResponse } from '../token-issuer.js'

/** Token request parameters (form fields), all optional until a grant asks for them. */
export type TokenParams = Record<string, string | undefined>

/** One grant type of the token endpoint; the client is already authenticated and allowed this grant. */
export interface Grant {
  exchange(client: OAuthClientRecord, params: TokenParams): Promise<TokenResponse>
}
