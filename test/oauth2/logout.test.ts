import assert from 'node:assert/strict'
import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { createLocalJWKSet, jwtVerify, type JWTPayload } from 'jose'
import { BackchannelLogout } from '../../src/services/oauth2/backchannel-logout.js'
import type { OAuthClients } from '../../src/services/oauth2/clients.js'
import type { Tokens } from '../../src/services/tokens.js'
import type { SessionRepository } from '../../src/store/port.js'
import { Browser, hiddenField, registerUser } from '../helpers.js'
import { authorize, registerClient, startOAuthServer, type OAuthServer, type RegisteredClient } from './harness.js'

/** An app's back-channel logout endpoint: records each logout token, answers with `status()`. */
class LogoutReceiver {
  readonly tokens: string[] = []
  /** Every request's answer status, delivered or not. */
  readonly answered: number[] = []
  private waiting: (() => void)[] = []
  status = () => 200
  private readonly server: Server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString()))
    request.on('end', () => {
      const status = this.status()
      this.answered.push(status)
      if (status === 200) this.tokens.push(new URLSearchParams(body).get('logout_token') ?? '')
      response.writeHead(status).end()
      for (const wake of this.waiting.splice(0)) wake()
    })
  })

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1')
    await once(this.server, 'listening')
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/backchannel-logout`
  }

  /** Resolves once `count` tokens have arrived in all. */
  async received(count: number): Promise<string[]> {
    while (this.tokens.length < count) await new Promise<void>((resolve) => this.waiting.push(resolve))
    return this.tokens.slice(0, count)
  }

  /** Resolves once `count` requests have been answered in all. */
  async requests(count: number): Promise<number[]> {
    while (this.answered.length < count) await new Promise<void>((resolve) => this.waiting.push(resolve))
    return this.answered.slice(0, count)
  }

  close() {
    this.server.closeAllConnections()
    this.server.close()
  }
}

describe('OIDC logout: RP-Initiated and Back-Channel', () => {
  let server: OAuthServer
  let client: RegisteredClient
  const receiver = new LogoutReceiver()
  const redirectUri = 'https://app.example.com/callback'
  const afterLogout = 'https://app.example.com/signed-out'

  before(async () => {
    server = await startOAuthServer()
    client = await registerClient(server, {
      client_name: 'Notes',
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'client_secret_post',
      first_party: true,
      post_logout_redirect_uris: [afterLogout],
      backchannel_logout_uri: await receiver.start()
    })
  })
  after(async () => {
    await server?.close()
    receiver.close()
  })

  /** Signs a new user in through the code flow in a fresh browser: the browser and the tokens. */
  async function signedInApp(scope = 'openid') {
    const user = await registerUser(server.app)
    const browser = new Browser(server.base)
    const query = new URLSearchParams({ response_type: 'code', client_id: client.client_id, redirect_uri: redirectUri, scope, state: 's', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' })
    const callback = await authorize(browser, `/oauth2/authorization?${query}`, user)
    const form = { grant_type: 'authorization_code', code: callback.searchParams.get('code')!, redirect_uri: redirectUri, code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', client_id: client.client_id, client_secret: client.client_secret! }
    const tokens = (await (await fetch(`${server.base}/oauth2/token`, { method: 'POST', body: new URLSearchParams(form) })).json()) as Record<string, string>
    assert.ok(tokens.id_token, JSON.stringify(tokens))
    return { user, browser, tokens, query }
  }

  const authorise = (accessToken: string) => fetch(`${server.base}/authorise`, { headers: { authorization: `Bearer ${accessToken}` } }).then((r) => r.status)

  async function verifyLogoutToken(token: string): Promise<{ payload: JWTPayload; typ: string | undefined }> {
    const jwks = createLocalJWKSet(await (await fetch(`${server.base}/.well-known/jwks.json`)).json())
    const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: server.base, audience: client.client_id })
    return { payload, typ: protectedHeader.typ }
  }

  test('discovery names the end-session endpoint and back-channel support', async () => {
    const metadata = await (await fetch(`${server.base}/.well-known/openid-configuration`)).json()
    assert.equal(metadata.end_session_endpoint, `${server.base}/oauth2/logout`)
    assert.equal(metadata.backchannel_logout_supported, true)
    assert.equal(metadata.backchannel_logout_session_supported, true)
  })

  test("the app's logout with its ID token ends the session at once: back to the app with state, tokens refused, a logout token sent, the next visit asks for the password", async () => {
    const { browser, tokens, query, user } = await signedInApp()
    const before = receiver.tokens.length
    const logout = await browser.request(`/oauth2/logout?${new URLSearchParams({ id_token_hint: tokens.id_token!, post_logout_redirect_uri: afterLogout, state: 'bye' })}`)
    assert.equal(logout.status, 303)
    assert.equal(logout.headers.get('location'), `${afterLogout}?state=bye`)
    assert.equal(await authorise(tokens.access_token!), 401)
    assert.equal((await browser.details()).status, 401)

    const [logoutToken] = (await receiver.received(before + 1)).slice(before)
    const { payload, typ } = await verifyLogoutToken(logoutToken!)
    const idToken = JSON.parse(Buffer.from(tokens.id_token!.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>
    assert.equal(typ, 'logout+jwt')
    assert.equal(payload.sub, user.id)
    assert.equal(payload.sid, idToken.sid, 'the sid the ID token carried')
    assert.deepEqual(payload.events, { 'http://schemas.openid.net/event/backchannel-logout': {} })
    assert.equal(payload.nonce, undefined)
    assert.ok(payload.jti)

    const again = await browser.request(`/oauth2/authorization?${query}`)
    assert.equal(again.status, 303)
    assert.match(again.headers.get('location')!, /^\/auth\/local\/login\?/)
  })

  test('a logout request that cannot be trusted asks the person first; staying changes nothing, confirming signs out', async () => {
    const { browser, tokens } = await signedInApp()
    const asked = await browser.request(`/oauth2/logout?${new URLSearchParams({ client_id: client.client_id, post_logout_redirect_uri: afterLogout, state: 'x' })}`)
    assert.equal(asked.status, 200)
    const html = await asked.text()
    assert.match(html, /Sign out\?/)
    assert.match(html, /Notes/)
    assert.equal(await authorise(tokens.access_token!), 200, 'a link alone signs no one out')
    const form = { _csrf: hiddenField(html, '_csrf'), client_id: hiddenField(html, 'client_id'), post_logout_redirect_uri: hiddenField(html, 'post_logout_redirect_uri'), state: hiddenField(html, 'state') }

    const stayed = await browser.request('/oauth2/logout/confirm', { form: { ...form, decision: 'stay' } })
    assert.equal(stayed.status, 303)
    assert.equal(await authorise(tokens.access_token!), 200)
    assert.equal((await browser.details()).status, 200)

    const forged = await browser.request('/oauth2/logout/confirm', { form: { ...form, _csrf: 'forged', decision: 'sign-out' } })
    assert.equal(forged.status, 403)
    assert.equal((await browser.details()).status, 200)

    const confirmed = await browser.request('/oauth2/logout/confirm', { form: { ...form, decision: 'sign-out' } })
    assert.equal(confirmed.status, 303)
    assert.equal(confirmed.headers.get('location'), `${afterLogout}?state=x`)
    assert.equal(await authorise(tokens.access_token!), 401)
    assert.equal((await browser.details()).status, 401)
  })

  test('requests that cannot be trusted with a redirect get an error page and change nothing', async () => {
    const { browser, tokens } = await signedInApp()
    const other = await registerClient(server, { redirect_uris: [redirectUri], post_logout_redirect_uris: ['https://other.example/bye'] })
    const [header, payload] = tokens.id_token!.split('.')
    for (const params of <Record<string, string>[]>[
      { client_id: client.client_id, post_logout_redirect_uri: 'https://evil.example/' },
      { post_logout_redirect_uri: afterLogout },
      { id_token_hint: `${header}.${payload}.${'A'.repeat(342)}`, post_logout_redirect_uri: afterLogout },
      { id_token_hint: tokens.access_token!, post_logout_redirect_uri: afterLogout },
      { id_token_hint: tokens.id_token!, client_id: other.client_id, post_logout_redirect_uri: 'https://other.example/bye' },
      { client_id: 'no-such-client' }
    ]) {
      const refused = await browser.request(`/oauth2/logout?${new URLSearchParams(params)}`)
      assert.equal(refused.status, 400, JSON.stringify(params))
      assert.equal(refused.headers.get('location'), null)
    }
    const repeated = await browser.request(`/oauth2/logout?state=a&state=b`)
    assert.equal(repeated.status, 400)
    assert.equal(await authorise(tokens.access_token!), 200)
  })

  test('the end-session endpoint takes a form post too, and a browser that is not signed in is sent straight back', async () => {
    const { tokens } = await signedInApp()
    const stranger = new Browser(server.base)
    const posted = await stranger.request('/oauth2/logout', { form: { id_token_hint: tokens.id_token!, post_logout_redirect_uri: afterLogout } })
    assert.equal(posted.status, 303)
    assert.equal(posted.headers.get('location'), afterLogout)
    assert.equal(await authorise(tokens.access_token!), 200, "a stranger's browser ends no one's session")
  })

  test('a session ended elsewhere (a new password) is announced to the app too', async () => {
    const { user, tokens } = await signedInApp()
    const before = receiver.tokens.length
    const changed = await server.app.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}`, headers: { authorization: `Bearer ${server.admin}` }, payload: { password: 'a-new-password-2' } })
    assert.equal(changed.statusCode, 200, changed.body)
    const [logoutToken] = (await receiver.received(before + 1)).slice(before)
    assert.equal((await verifyLogoutToken(logoutToken!)).payload.sub, user.id)
    assert.equal(await authorise(tokens.access_token!), 401)
  })

  test('an offline_access grant outlives the sign-out, and its app is told of the sign-out all the same', async () => {
    const { browser, tokens } = await signedInApp('openid offline_access')
    const before = receiver.tokens.length
    const logout = await browser.request(`/oauth2/logout?${new URLSearchParams({ id_token_hint: tokens.id_token! })}`)
    assert.equal(logout.status, 200)
    assert.match(await logout.text(), /You are signed out/)
    await receiver.received(before + 1)
    const refreshed = await fetch(`${server.base}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token!, client_id: client.client_id, client_secret: client.client_secret! })
    })
    assert.equal(refreshed.status, 200)
  })

  test('client registration refuses logout URIs that are not absolute, have a fragment, or are plain http elsewhere than loopback', async () => {
    for (const metadata of [{ post_logout_redirect_uris: ['/bye'] }, { post_logout_redirect_uris: ['https://a.example/#x'] }, { backchannel_logout_uri: 'http://app.example/logout' }, { backchannel_logout_uri: 'https://a.example/l#f' }]) {
      const response = await server.app.inject({ method: 'POST', url: '/api/v1/clients', headers: { authorization: `Bearer ${server.admin}` }, payload: { redirect_uris: [redirectUri], ...metadata } })
      assert.equal(response.statusCode, 400, JSON.stringify(metadata))
    }
  })
})

describe('back-channel delivery retries a failing app and never throws', () => {
  test('a 503 then a 200: delivered on the retry; an app that never answers well: given up after the last retry', async () => {
    const receiver = new LogoutReceiver()
    const uri = await receiver.start()
    const answers = [503, 200]
    receiver.status = () => answers.shift() ?? 500
    const clients = { find: async (id: string) => (id === 'app' ? { backchannelLogoutUri: uri } : null) } as unknown as OAuthClients
    const sessions = { findById: async (id: string) => ({ id, kind: 'oauth2', clientId: 'app', userId: 'u1' }) } as unknown as SessionRepository
    const tokens = { issueLogoutToken: (clientId: string, sub: string, sid: string) => `${clientId}.${sub}.${sid}` } as unknown as Tokens
    const backchannel = new BackchannelLogout(sessions, clients, tokens, { retryDelaysMs: [20, 20], timeoutMs: 1000 })
    try {
      backchannel.sessionsEnded([{ id: 's1', expiresAt: Date.now() + 60_000 }])
      assert.deepEqual(await receiver.received(1), ['app.u1.s1'])
      backchannel.sessionsEnded([{ id: 's2', expiresAt: Date.now() + 60_000 }])
      assert.deepEqual(await receiver.requests(5), [503, 200, 500, 500, 500], 'the first attempt and two retries')
      await backchannel.close()
      assert.equal(receiver.answered.length, 5, 'no attempt after the last retry')
      assert.equal(receiver.tokens.length, 1)
    } finally {
      receiver.close()
    }
  })
})
