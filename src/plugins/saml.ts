import fp from 'fastify-plugin'
import { SamlSignOn } from '../services/saml.js'

declare module 'fastify' {
  interface FastifyInstance {
    saml: SamlSignOn
  }
}

/** SAML single sign-on: every configured identity provider, built once at start. */
export default fp(
  async (app) => {
    const { config, store, accounts } = app
    app.decorate('saml', await SamlSignOn.create(config.saml, store, accounts, config.publicUrl))
  },
  { name: 'saml', dependencies: ['config', 'store', 'identity'] }
)
