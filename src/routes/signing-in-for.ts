import type { FastifyInstance, FastifyRequest } from 'fastify'
import { uiLocalesOf } from '../pages/locale.js'
import { loginHintOf, paramsOf } from '../services/oauth2/authorization.js'

/**
 * What the sign-in and registration pages say for the authorization request they lead back to
 * (held while the person signs in or registers): the app's name, the language it asked for
 * (ui_locales) and the username it hinted (login_hint, a prefill and nothing more). Nothing for
 * a page reached directly.
 */
export async function signingInFor(app: FastifyInstance, request: FastifyRequest, returnTo: string | null) {
  const pending = app.pendingAuthorizations.forReturnTo(request, returnTo)
  if (pending === null) return { uiLocales: uiLocalesOf(returnTo), loginHint: undefined, clientName: undefined }
  const params = paramsOf(pending.query)
  const client = typeof params.client_id === 'string' ? await app.oauth2.clients.find(params.client_id) : null
  return { uiLocales: typeof params.ui_locales === 'string' ? params.ui_locales : undefined, loginHint: loginHintOf(params), clientName: client?.name }
}
