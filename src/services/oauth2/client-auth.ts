import { InvalidClient, InvalidRequest } from '../../errors.js'
import type { ClientCredentials } from './clients.js'

/** RFC 6749 §2.3.1: Basic credentials are form-urlencoded before base64. */
function formDecode(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, ' '))
}

/**
 * The client credentials of a token, introspection or revocation request: HTTP Basic
 * (client_secret_basic), form fields (client_secret_post), or a bare client_id (none).
 * Using two methods at once is invalid_request.
 */
export function clientCredentialsFrom(authorization: string | undefined, body: Record<string, string | undefined>): ClientCredentials {
  const basic = authorization === undefined ? null : /^Basic ([A-Za-z0-9+/]+=*)$/i.exec(authorization.trim())
  if (authorization !== undefined && !basic) throw new InvalidClient('only Basic client authentication is accepted in the Authorization header')
  if (basic) {
    if (body.client_secret !== undefined) throw new InvalidRequest('client credentials were sent in more than one way')
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon < 0) throw new InvalidClient('malformed Basic credentials')
    let clientId: string
    let secret: string
    try {
      clientId = formDecode(decoded.slice(0, colon))
      secret = formDecode(decoded.slice(colon + 1))
    } catch {
      throw new InvalidClient('malformed Basic credentials')
    }
    if (body.client_id !== undefined && body.client_id !== clientId) throw new InvalidRequest('client_id differs from the Basic credentials')
    return { clientId, secret, method: 'client_secret_basic' }
  }
  if (!body.client_id) throw new InvalidClient('no client authentication was sent')
  if (body.client_secret !== undefined) return { clientId: body.client_id, secret: body.client_secret, method: 'client_secret_post' }
  return { clientId: body.client_id, secret: null, method: 'none' }
}
