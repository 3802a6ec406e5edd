// The peer: panva's oidc-provider with its default in-memory adapter, one confidential
// client for client_credentials, and introspection, on PORT.
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import Provider from 'oidc-provider'

const provider = new Provider(process.env.ISSUER, {
  clients: [
    {
      client_id: process.env.CLIENT_ID,
      client_secret: process.env.CLIENT_SECRET,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      scope: 'api',
      // Its key is an EC key; the default (RS256) would need an RSA one.
      id_token_signed_response_alg: 'ES256'
    }
  ],
  scopes: ['api'],
  // Its own keys, so that it does not warn about (and fall back to) development keys.
  jwks: { keys: [generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' })] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    // The default policy works too but warns; this is the same rule made explicit:
    // any authenticated confidential client may introspect.
    introspection: { enabled: true, allowedPolicy: async (_ctx, client) => client.clientAuthMethod !== 'none' }
  }
})
provider.listen(Number(process.env.PORT), '127.0.0.1')
// A clean exit on SIGTERM, so that node --cpu-prof writes its profile (bench/check-pieces.mjs).
process.once('SIGTERM', () => process.exit(0))
