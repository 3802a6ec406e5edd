import formbody from '@fastify/formbody'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import Type from 'typebox'
import { SamlRejected } from '../errors.js'
import { errorPage } from '../pages/end-user.js'
import { sendRedirect } from '../pages/html.js'
import { errors } from '../schemas/common.js'
import { SAML_ANSWER_LIMIT, SamlCallbackForm, SamlLoginQuery, SamlMetadataQuery } from '../schemas/saml.js'
import { safeReturnTo } from '../services/return-to.js'
import { SAML_CALLBACK_PATH } from '../services/saml.js'

/** A client that asks for JSON and not for a page. */
function wantsJson(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? ''
  return accept.includes('application/json') && !accept.includes('text/html')
}

/** SAML single sign-on (moneypenny's /auth/saml/*): to the IdP, back from it, and our SP metadata. */
const saml: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(formbody)
  const tags = ['saml']

  app.get(
    '/auth/saml/login',
    {
      // Each call stores a request id: the per-address limit keeps a flood from filling the store.
      onRequest: app.credentialRoute.onRequest,
      schema: {
        tags,
        summary: 'Redirects to the identity provider with an AuthnRequest (HTTP-Redirect binding)',
        querystring: SamlLoginQuery,
        response: { 302: { type: 'null', description: "To the IdP's sign-on page" }, ...errors(400, 404) }
      }
    },
    async (request, reply) => sendRedirect(reply, await app.saml.loginUrl(request.query.idp, safeReturnTo(request.query.returnTo)))
  )

  app.post(
    SAML_CALLBACK_PATH,
    {
      onRequest: app.credentialRoute.onRequest,
      // URL-encoding makes base64 longer (+, / and = take three characters each).
      bodyLimit: 2 * SAML_ANSWER_LIMIT,
      schema: {
        tags,
        summary: "The IdP's answer (HTTP-POST binding): signs in and redirects to returnTo or /auth/details",
        body: SamlCallbackForm,
        response: { 303: { type: 'null' }, ...errors(400, 401, 413, 429) }
      }
    },
    async (request, reply) => {
      try {
        const { user, returnTo } = await app.saml.signIn(request.body)
        // How the IdP checked the person is its business (and RFC 8176 has no value for "another server vouched"): no amr.
        await app.startBrowserSession(request, user, [])
        return sendRedirect(reply, returnTo ?? '/auth/details', 303)
      } catch (error) {
        if (!(error instanceof SamlRejected)) throw error
        // Why, for the operator; never the assertion itself.
        request.log.warn({ idp: error.idp, reason: error.reason }, 'SAML sign-in refused')
        if (wantsJson(request)) throw error
        // A POST cannot be repeated by a link: the language switch comes back to the sign-in page.
        const view = app.pages.view(request, { here: '/auth/local/login' })
        return app.pages.send(reply, 401, errorPage(view, 'saml', error.message))
      }
    }
  )

  app.get(
    '/auth/saml/metadata',
    {
      schema: {
        tags,
        summary: 'Our SP metadata: for one identity provider, or the one all of them share',
        querystring: SamlMetadataQuery,
        produces: ['application/samlmetadata+xml'],
        response: { 200: Type.String({ description: 'SAML 2.0 metadata (EntityDescriptor)' }), ...errors(400, 404) }
      }
    },
    async (request, reply) => reply.type('application/samlmetadata+xml').send(app.saml.metadata(request.query.idp))
  )
}

export default saml
