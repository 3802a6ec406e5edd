import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { LOCALES } from '../../pages/messages/index.js'
import { GRANT_TYPES } from '../../services/oauth2/clients.js'
import { ACR_VALUES_SUPPORTED, USER_CLAIMS } from '../../services/oauth2/claims.js'
import { OIDC_SCOPES } from '../../services/oauth2/scopes.js'
import { ServerMetadata } from '../../schemas/oauth2.js'

/** RFC 8414 and OpenID Connect Discovery 1.0: one document, built once, under both names. */
const discovery: FastifyPluginAsyncTypebox = async (app) => {
  const base = app.config.publicUrl
  const authMethods = ['client_secret_basic', 'client_secret_post']
  const metadata = {
    issuer: base,
    authorization_endpoint: `${base}/oauth2/authorization`,
    token_endpoint: `${base}/oauth2/token`,
    introspection_endpoint: `${base}/oauth2/introspect`,
    revocation_endpoint: `${base}/oauth2/revoke`,
    userinfo_endpoint: `${base}/oauth2/userinfo`,
    end_session_endpoint: `${base}/oauth2/logout`,
    jwks_uri: `${base}/.well-known/jwks.json`,
    scopes_supported: [...OIDC_SCOPES, ...app.config.allowedScopes],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: [...GRANT_TYPES],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [app.tokens.algorithm],
    token_endpoint_auth_methods_supported: [...authMethods, 'none'],
    introspection_endpoint_auth_methods_supported: authMethods,
    revocation_endpoint_auth_methods_supported: [...authMethods, 'none'],
    code_challenge_methods_supported: ['S256'],
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'azp', 'at_hash', 'sid', ...USER_CLAIMS],
    acr_values_supported: ACR_VALUES_SUPPORTED,
    prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
    ui_locales_supported: LOCALES,
    authorization_response_iss_parameter_supported: true,
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    claims_parameter_supported: true
  }
  const schema = { tags: ['oauth2'], response: { 200: ServerMetadata } }
  for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
    app.get(path, { schema: { ...schema, summary: 'Authorization server metadata' } }, async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300')
      return metadata
    })
  }
}

export default discovery
