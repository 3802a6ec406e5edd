import Type, { type TSchema } from 'typebox'

/** RFC 6749 §5.2 error answer. */
export const OAuthErrorResponse = Type.Object(
  { error: Type.String(), error_description: Type.Optional(Type.String()) },
  { $id: 'OAuthErrorResponse', description: 'OAuth2 error' }
)

export function oauthErrors(...codes: number[]): Record<number, TSchema> {
  return Object.fromEntries(codes.map((code) => [code, Type.Ref('OAuthErrorResponse')]))
}

const Param = (description?: string) => Type.Optional(Type.String({ maxLength: 8192, ...(description ? { description } : {}) }))

/** Form fields of the token endpoint; unknown fields are ignored (RFC 6749 §3.2). */
export const TokenRequest = Type.Object(
  {
    grant_type: Param('authorization_code, refresh_token or client_credentials'),
    code: Param(),
    redirect_uri: Param(),
    code_verifier: Param(),
    refresh_token: Param(),
    scope: Param(),
    client_id: Param(),
    client_secret: Param()
  },
  { additionalProperties: true }
)

export const TokenAnswer = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer(),
  scope: Type.String(),
  refresh_token: Type.Optional(Type.String()),
  id_token: Type.Optional(Type.String())
})

/** Introspection and revocation requests. */
export const TokenQuery = Type.Object(
  {
    // No length limit of its own (the body limit bounds it): an oversized token is inactive, not a malformed request.
    token: Type.Optional(Type.String()),
    token_type_hint: Param(),
    client_id: Param(),
    client_secret: Param()
  },
  { additionalProperties: true }
)

export const IntrospectionAnswer = Type.Object({
  active: Type.Boolean(),
  scope: Type.Optional(Type.String()),
  client_id: Type.Optional(Type.String()),
  username: Type.Optional(Type.String()),
  organisation: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  token_type: Type.Optional(Type.String()),
  exp: Type.Optional(Type.Integer()),
  iat: Type.Optional(Type.Integer()),
  sub: Type.Optional(Type.String()),
  aud: Type.Optional(Type.String()),
  iss: Type.Optional(Type.String()),
  jti: Type.Optional(Type.String()),
  sid: Type.Optional(Type.String())
})

/** OIDC Core §5.3.2: the claims the user has a value for; an absent claim is left out, never null. */
export const UserinfoAnswer = Type.Object({
  sub: Type.String(),
  name: Type.Optional(Type.String()),
  given_name: Type.Optional(Type.String()),
  family_name: Type.Optional(Type.String()),
  preferred_username: Type.Optional(Type.String()),
  picture: Type.Optional(Type.String()),
  zoneinfo: Type.Optional(Type.String()),
  locale: Type.Optional(Type.String()),
  updated_at: Type.Optional(Type.Integer()),
  organisation: Type.Optional(Type.String()),
  email: Type.Optional(Type.String()),
  email_verified: Type.Optional(Type.Boolean())
})

/** A userinfo request may carry its access token in a form-encoded body instead of the header (RFC 6750 §2.2). */
export const UserinfoForm = Type.Object(
  { access_token: Type.Optional(Type.String({ maxLength: 8192, description: 'The access token, when it is not in the Authorization header' })) },
  { additionalProperties: true }
)

/** The authorization request (RFC 6749 §4.1.1, RFC 7636, OIDC Core §3.1.2.1); checked by the service's rules. */
export const AuthorizationQuery = Type.Object(
  {
    response_type: Param('code'),
    client_id: Param(),
    redirect_uri: Param('Exactly as registered'),
    scope: Param(),
    state: Param(),
    nonce: Param(),
    code_challenge: Param('BASE64URL(SHA-256(code_verifier)); required of public clients'),
    code_challenge_method: Param('S256'),
    prompt: Param('none, login, consent'),
    max_age: Param('how many seconds ago the user may have signed in; older sign-ins are asked again'),
    response_mode: Param('query'),
    id_token_hint: Param('an ID token this server issued to the client: the user it names must be the one signed in'),
    login_hint: Param('prefills the username on the sign-in page'),
    resume: Param('alone: a request held while its person signs in')
  },
  { additionalProperties: true }
)

export const ConsentForm = Type.Object(
  {
    _csrf: Type.String({ maxLength: 256 }),
    authorization: Type.String({ maxLength: 16384, description: 'The authorization request query string the page was shown for' }),
    decision: Type.Union([Type.Literal('allow'), Type.Literal('deny')])
  },
  { additionalProperties: false }
)

const Strings = Type.Array(Type.String())

/** RFC 8414 / OIDC Discovery metadata. */
export const ServerMetadata = Type.Object({
  issuer: Type.String(),
  authorization_endpoint: Type.String(),
  token_endpoint: Type.String(),
  introspection_endpoint: Type.String(),
  revocation_endpoint: Type.String(),
  userinfo_endpoint: Type.String(),
  end_session_endpoint: Type.String(),
  jwks_uri: Type.String(),
  scopes_supported: Strings,
  response_types_supported: Strings,
  response_modes_supported: Strings,
  grant_types_supported: Strings,
  subject_types_supported: Strings,
  id_token_signing_alg_values_supported: Strings,
  token_endpoint_auth_methods_supported: Strings,
  introspection_endpoint_auth_methods_supported: Strings,
  revocation_endpoint_auth_methods_supported: Strings,
  code_challenge_methods_supported: Strings,
  claims_supported: Strings,
  acr_values_supported: Strings,
  prompt_values_supported: Strings,
  ui_locales_supported: Strings,
  authorization_response_iss_parameter_supported: Type.Boolean(),
  backchannel_logout_supported: Type.Boolean(),
  backchannel_logout_session_supported: Type.Boolean(),
  request_parameter_supported: Type.Boolean(),
  request_uri_parameter_supported: Type.Boolean(),
  claims_parameter_supported: Type.Boolean()
})
