import assert from 'node:assert/strict'
import { adminToken, hiddenField, postJson, startServer, type Browser, type ListeningApp } from '../helpers.js'

export interface OAuthServer extends ListeningApp {
  admin: string
}

/** The listening app and an admin token to register clients with. */
export async function startOAuthServer(env: Record<string, string> = {}): Promise<OAuthServer> {
  const server = await startServer(env)
  return { ...server, admin: await adminToken(server.app) }
}

export interface RegisteredClient {
  client_id: string
  client_secret?: string
  [field: string]: unknown
}

export async function registerClient(server: OAuthServer, metadata: Record<string, unknown>): Promise<RegisteredClient> {
  const { status, body } = await postJson(server.app, '/api/v1/clients', metadata, { authorization: `Bearer ${server.admin}` })
  assert.equal(status, 201, JSON.stringify(body))
  return body as RegisteredClient
}

/**
 * Follows an authorization request in `browser` through sign-in (with the second factor's
 * step when `user.code` is given) and consent until it leaves this server; returns that
 * redirect's URL (the client's callback).
 */
export async function authorize(
  browser: Browser,
  authorizationUrl: URL | string,
  user: { username: string; password: string; code?: () => string },
  consent: 'allow' | 'deny' = 'allow'
): Promise<URL> {
  let response = await browser.request(authorizationUrl.toString())
  for (let hop = 0; hop < 10; hop += 1) {
    if (response.status === 200) {
      const html = await response.text()
      assert.match(html, /Allow access\?/, 'expected the consent page')
      response = await browser.request('/oauth2/authorization/consent', {
        form: { _csrf: hiddenField(html, '_csrf'), authorization: hiddenField(html, 'authorization'), decision: consent }
      })
      continue
    }
    assert.ok([302, 303].includes(response.status), `unexpected ${response.status}: ${await response.text()}`)
    const location = new URL(response.headers.get('location')!, browser.base)
    if (location.origin !== new URL(browser.base).origin) return location
    if (location.pathname === '/auth/local/login') {
      response = await browser.signIn(user.username, user.password, location.searchParams.get('returnTo') ?? undefined)
      continue
    }
    if (location.pathname === '/auth/local/login/code') {
      assert.ok(user.code, 'the second factor was asked for')
      const html = await (await browser.request(location.href)).text()
      response = await browser.request(location.pathname, { form: { _csrf: hiddenField(html, '_csrf'), returnTo: hiddenField(html, 'returnTo'), code: user.code() } })
      continue
    }
    response = await browser.request(location.href)
  }
  throw new Error('too many redirects')
}
