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
    const saml = await SamlSignOn.create(config.saml, store, accounts, config.publicUrl, config.allowedScopes)
    app.decorate('saml', saml)
    // Its worker thread checks the IdPs' answers.
    app.addHook('onClose', () => saml.close())
  },
  { name: 'saml', dependencies: ['config', 'store', 'identity'] }
)
