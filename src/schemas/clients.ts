import Type, { type Static } from 'typebox'
import type { OAuthClientRecord } from '../store/port.js'
import { ACR_VALUES_SUPPORTED } from '../services/oauth2/claims.js'
import { isoTime } from './views.js'

const RedirectUris = Type.Array(Type.String({ minLength: 1, maxLength: 2048 }), { maxItems: 20, description: 'Compared as exact strings' })
const GrantTypes = Type.Array(Type.Union([Type.Literal('authorization_code'), Type.Literal('refresh_token'), Type.Literal('client_credentials')]), {
  minItems: 1,
  maxItems: 3
})
const ResponseTypes = Type.Array(Type.Literal('code'), { maxItems: 1 })
const AuthMethod = Type.Union([Type.Literal('client_secret_basic'), Type.Literal('client_secret_post'), Type.Literal('none')], {
  description: '`none` makes a public client (PKCE required, no secret)'
})
const ScopeText = Type.String({ minLength: 1, maxLength: 2048, description: 'Space-separated: OIDC scopes, permission scopes, API scopes of this client' })

const ResourceServer = Type.Union([Type.Literal('audience'), Type.Literal('all'), Type.Null()], {
  description: 'Introspection (RFC 7662 §4): every client sees the tokens issued to it; `audience` also those whose aud names it; `all` every token; null: none but its own'
})

const LogoutUri = Type.String({ minLength: 1, maxLength: 2048 })
const ClientPage = (description: string) => Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 2048 }), Type.Null()], { description }))

/** RFC 7591 client metadata. */
const metadata = {
  client_name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  redirect_uris: Type.Optional(RedirectUris),
  grant_types: Type.Optional(GrantTypes),
  response_types: Type.Optional(ResponseTypes),
  token_endpoint_auth_method: Type.Optional(AuthMethod),
  scope: Type.Optional(ScopeText),
  first_party: Type.Optional(Type.Boolean({ description: 'First-party clients skip the consent page' })),
  resource_server: Type.Optional(ResourceServer),
  post_logout_redirect_uris: Type.Optional(
    Type.Array(LogoutUri, { maxItems: 20, description: 'OIDC RP-Initiated Logout: where the browser may return after signing out; exact strings' })
  ),
  backchannel_logout_uri: Type.Optional(
    Type.Union([LogoutUri, Type.Null()], { description: 'OIDC Back-Channel Logout: a logout token is posted here when a session of this client ends' })
  ),
  client_uri: ClientPage('The client’s home page, linked from the consent page'),
  logo_uri: ClientPage('The client’s logo, shown on the consent page'),
  policy_uri: ClientPage('How the client uses personal data, linked from the consent page'),
  tos_uri: ClientPage('The client’s terms of service, linked from the consent page'),
  default_acr_values: Type.Optional(
    Type.Array(Type.Union(ACR_VALUES_SUPPORTED.map((value) => Type.Literal(value))), {
      maxItems: ACR_VALUES_SUPPORTED.length,
      description: 'OIDC Dynamic Client Registration: "2" asks every sign-in for this client for a second factor, whatever the request says'
    })
  )
}

export const CreateClientBody = Type.Object(metadata, { additionalProperties: false })
export const UpdateClientBody = Type.Object(metadata, { additionalProperties: false, minProperties: 1 })

export const Client = Type.Object(
  {
    client_id: Type.String(),
    client_name: Type.String(),
    redirect_uris: Type.Array(Type.String()),
    grant_types: Type.Array(Type.String()),
    response_types: Type.Array(Type.String()),
    token_endpoint_auth_method: Type.String(),
    scope: Type.String(),
    first_party: Type.Boolean(),
    resource_server: Type.Union([Type.Literal('audience'), Type.Literal('all'), Type.Null()]),
    post_logout_redirect_uris: Type.Array(Type.String()),
    backchannel_logout_uri: Type.Union([Type.String(), Type.Null()]),
    client_uri: Type.Union([Type.String(), Type.Null()]),
    logo_uri: Type.Union([Type.String(), Type.Null()]),
    policy_uri: Type.Union([Type.String(), Type.Null()]),
    tos_uri: Type.Union([Type.String(), Type.Null()]),
    default_acr_values: Type.Array(Type.String()),
    client_id_issued_at: Type.Integer(),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' })
  },
  { $id: 'OAuthClient' }
)

/** The answer to creation and secret rotation: the secret, once, for confidential clients. */
export const ClientWithSecret = Type.Intersect([
  Client,
  Type.Object({
    client_secret: Type.Optional(Type.String({ description: 'Shown once; store it now' })),
    client_secret_expires_at: Type.Optional(Type.Integer({ description: '0: does not expire' }))
  })
])

export const ClientList = Type.Object({ clients: Type.Array(Client) })

export const ClientParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })

export function clientView(client: OAuthClientRecord): Static<typeof Client> {
  return {
    client_id: client.id,
    client_name: client.name,
    redirect_uris: client.redirectUris,
    grant_types: client.grantTypes,
    response_types: client.responseTypes,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    scope: client.scope.join(' '),
    first_party: client.firstParty,
    resource_server: client.resourceServer,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    backchannel_logout_uri: client.backchannelLogoutUri,
    client_uri: client.clientUri,
    logo_uri: client.logoUri,
    policy_uri: client.policyUri,
    tos_uri: client.tosUri,
    default_acr_values: client.defaultAcrValues,
    client_id_issued_at: Math.floor(client.createdAt / 1000),
    created_at: isoTime(client.createdAt),
    updated_at: isoTime(client.updatedAt)
  }
}

export function clientWithSecretView(client: OAuthClientRecord, secret: string | null): Static<typeof ClientWithSecret> {
  return { ...clientView(client), ...(secret === null ? {} : { client_secret: secret, client_secret_expires_at: 0 }) }
}
