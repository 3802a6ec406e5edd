import fp from 'fastify-plugin'
import { Authorization } from '../services/oauth2/authorization.js'
import { BackchannelLogout } from '../services/oauth2/backchannel-logout.js'
import { OAuthClients } from '../services/oauth2/clients.js'
import { Consents } from '../services/oauth2/consents.js'
import { AuthorizationCodeGrant } from '../services/oauth2/grants/authorization-code.js'
import { ClientCredentialsGrant } from '../services/oauth2/grants/client-credentials.js'
import { RefreshTokenGrant } from '../services/oauth2/grants/refresh-token.js'
import { ScopePolicy } from '../services/oauth2/scopes.js'
import { TokenEndpoint } from '../services/oauth2/token-endpoint.js'
import { TokenIssuer } from '../services/oauth2/token-issuer.js'
import { TokenStatus } from '../services/oauth2/token-status.js'

declare module 'fastify' {
  interface FastifyInstance {
    oauth2: {
      clients: OAuthClients
      consents: Consents
      authorization: Authorization
      tokenEndpoint: TokenEndpoint
      tokenStatus: TokenStatus
      backchannelLogout: BackchannelLogout
    }
  }
}

/** The OAuth2 / OpenID Connect services, built once at start over the identity services. */
export default fp(
  async (app) => {
    const { config, store, sessions, tokens, accessCheck } = app
    const scopes = new ScopePolicy(config.allowedScopes)
    const clients = new OAuthClients(store.oauthClients, sessions)
    const issuer = new TokenIssuer(tokens, config.jwt.accessTokenTtlMs, scopes)
    const backchannelLogout = new BackchannelLogout(store.sessions, clients, tokens)
    sessions.onEnded((ended) => backchannelLogout.sessionsEnded(ended))
    app.addHook('onClose', () => backchannelLogout.close())
    app.decorate('oauth2', {
      clients,
      consents: new Consents(store.consents, sessions),
      authorization: new Authorization(clients, store.consents, store.authorizationCodes, scopes, config.publicUrl, (token) => tokens.verifyIdTokenHint(token), async (userId) => (await app.mfa.isEnabled(userId)) || (await app.passkeys.has(userId))),
      tokenEndpoint: new TokenEndpoint(clients, {
        authorization_code: new AuthorizationCodeGrant(store.authorizationCodes, store.users, sessions, issuer),
        refresh_token: new RefreshTokenGrant(store.users, sessions, scopes, issuer),
        client_credentials: new ClientCredentialsGrant(sessions, scopes, issuer, config.jwt.accessTokenTtlMs)
      }),
      tokenStatus: new TokenStatus(accessCheck, sessions, store.users, store.sessions, config.publicUrl),
      backchannelLogout
    })
  },
  { name: 'oauth2', dependencies: ['config', 'store', 'identity'] }
)
