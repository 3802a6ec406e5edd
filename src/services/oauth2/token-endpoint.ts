import { InvalidRequest, OAuthError, UnauthorizedClient } from '../../errors.js'
import type { ClientCredentials, OAuthClients } from './clients.js'
import type { Grant, TokenParams } from './grants/grant.js'
import type { TokenResponse } from './token-issuer.js'

/** POST /oauth2/token: picks the grant, authenticates the client, checks the client may use the grant. */
export class TokenEndpoint {
  constructor(
    private readonly clients: OAuthClients,
    private readonly grants: Record<string, Grant>
  ) {}

  async exchange(credentials: ClientCredentials, params: TokenParams): Promise<TokenResponse> {
    const grantType = params.grant_type
    if (!grantType) throw new InvalidRequest('grant_type is missing')
    const grant = Object.hasOwn(this.grants, grantType) ? this.grants[grantType] : undefined
    if (!grant) throw new OAuthError('unsupported_grant_type', `grant_type ${grantType} is not supported`)
    const client = await this.clients.authenticate(credentials)
    if (!client.grantTypes.includes(grantType)) throw new UnauthorizedClient(`this client may not use the ${grantType} grant`)
    return grant.exchange(client, params)
  }
}
