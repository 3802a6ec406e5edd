import formbody from '@fastify/formbody'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { errorPage, signedOutPage, signOutPage } from '../../pages/end-user.js'
import { sendRedirect } from '../../pages/html.js'
import { LogoutConfirmForm, LogoutRequestParams } from '../../schemas/logout.js'
import { EndSession, InvalidLogoutRequest, type LogoutParams, type ValidLogout } from '../../services/oauth2/end-session.js'

/**
 * OIDC RP-Initiated Logout 1.0 (the end_session_endpoint): an app sends the browser here
 * to sign out. A request that names the signed-in user with an ID token it was issued is
 * acted on at once; any other asks the person first, so a link on another site cannot
 * sign anyone out (§4). Signing out ends the apps' sessions too (back-channel logout).
 */
const logout: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(formbody)
  const tags = ['oauth2']
  const endSession = new EndSession(app.oauth2.clients, app.tokens)

  const view = (request: FastifyRequest) => app.pages.view(request, { here: request.method === 'GET' ? request.url : '/oauth2/logout' })

  /** The request, validated; an error page when it cannot be trusted with a redirect. */
  async function validated(request: FastifyRequest, reply: FastifyReply, params: LogoutParams, invalid: boolean): Promise<ValidLogout | null> {
    try {
      if (invalid) throw new InvalidLogoutRequest('a parameter is malformed or given more than once')
      return await endSession.validate(params)
    } catch (error) {
      if (!(error instanceof InvalidLogoutRequest)) throw error
      await app.pages.send(reply, 400, errorPage(view(request), 'logout', error.message))
      return null
    }
  }

  function finish(request: FastifyRequest, reply: FastifyReply, valid: ValidLogout, signedOut: boolean) {
    return valid.redirectTo ? sendRedirect(reply, valid.redirectTo, 303) : app.pages.send(reply, 200, signedOutPage(view(request), signedOut))
  }

  async function handle(request: FastifyRequest, reply: FastifyReply, params: LogoutParams) {
    const valid = await validated(request, reply, params, request.validationError !== undefined)
    if (!valid) return reply
    const user = await app.sessionUser(request)
    if (!user) return finish(request, reply, valid, true)
    if (valid.hintedUserId === user.id) {
      await app.endBrowserSession(request)
      return finish(request, reply, valid, true)
    }
    const fields: Record<string, string> = {}
    if (valid.client) fields.client_id = valid.client.id
    if (params.post_logout_redirect_uri !== undefined) fields.post_logout_redirect_uri = params.post_logout_redirect_uri
    if (params.state !== undefined) fields.state = params.state
    return app.pages.send(reply, 200, signOutPage(view(request), { csrfToken: reply.generateCsrf(), clientName: valid.client?.name ?? null, fields }))
  }

  const summary = 'RP-Initiated Logout: sign out of moneypenny and the apps, then back to the app'
  const response = { 303: { type: 'null', description: 'To the registered post_logout_redirect_uri' } }
  app.get('/oauth2/logout', { attachValidation: true, schema: { tags, summary, querystring: LogoutRequestParams, response } }, (request, reply) =>
    handle(request, reply, request.query)
  )
  app.post('/oauth2/logout', { attachValidation: true, schema: { tags, summary, body: LogoutRequestParams, response } }, (request, reply) =>
    handle(request, reply, request.body ?? {})
  )

  app.post(
    '/oauth2/logout/confirm',
    {
      bodyLimit: 32_768,
      preHandler: app.csrfProtection,
      attachValidation: true,
      schema: { tags, summary: 'The sign-out confirmation page posts here', body: LogoutConfirmForm, response }
    },
    async (request, reply) => {
      const valid = await validated(request, reply, request.body, request.validationError !== undefined)
      if (!valid) return reply
      const signOut = request.body.decision === 'sign-out'
      if (signOut) await app.endBrowserSession(request)
      return finish(request, reply, valid, signOut)
    }
  )
}

export default logout
