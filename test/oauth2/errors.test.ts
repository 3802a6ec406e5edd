import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { hashCode } from '../../src/services/oauth2/authorization.js'
import { Browser, registerUser } from '../helpers.js'
import { authorize, registerClient, startOAuthServer, type OAuthServer, type RegisteredClient } from './harness.js'

const redirectUri = 'https://app.example.com/callback'
const verifier = 'v'.repeat(20) + 'erifier-of-at-least-43-characters'
const challenge = createHash('sha256').update(verifier).digest('base64url')

/** Every misuse gets the RFC's error code and changes nothing it should not. */
describe('OAuth2 misuse', () => {
  let server: OAuthServer
  let confidential: RegisteredClient
  let publicClient: RegisteredClient
  let other: RegisteredClient
  let user: { username: string; password: string; id: string }

  before(async () => {
    server = await startOAuthServer()
    user = await registerUser(server.app)
    const metadata = { redirect_uris: [redirectUri], grant_types: ['authorization_code', 'refresh_token'], first_party: true }
    confidential = await registerClient(server, metadata)
    other = await registerClient(server, metadata)
    publicClient = await registerClient(server, { ...metadata, token_endpoint_auth_method: 'none', scope: 'openid profile' })
  })
  after(() => server.close())

  function authorizationUrl(params: Record<string, string>, extra = ''): string {
    return `/oauth2/authorization?${new URLSearchParams({
      client_id: confidential.client_id,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid',
      state: 'st4te',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...params
    })}${extra}`
  }

  /** A code for `client`, through a signed-in browser. */
  async function codeFor(client: RegisteredClient, scope = 'openid offline_access'): Promise<string> {
    const callback = await authorize(new Browser(server.base), `${server.base}${authorizationUrl({ client_id: client.client_id, scope })}`, user)
    return callback.searchParams.get('code')!
  }

  function basic(client: RegisteredClient, secret = client.client_secret!): string {
    return `Basic ${Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(secret)}`).toString('base64')}`
  }

  async function token(form: Record<string, string>, client: RegisteredClient | null = confidential) {
    const response = await fetch(`${server.base}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(client?.client_secret ? { authorization: basic(client) } : {}) },
      body: new URLSearchParams(client && !client.client_secret ? { client_id: client.client_id, ...form } : form)
    })
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, string> }
  }

  function redeem(code: string, client: RegisteredClient = confidential, codeVerifier = verifier) {
    return token({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: codeVerifier }, client)
  }

  async function authorizationError(url: string): Promise<URL> {
    const response = await new Browser(server.base).request(url)
    assert.equal(response.status, 302)
    const location = new URL(response.headers.get('location')!)
    assert.equal(location.origin + location.pathname, redirectUri)
    assert.equal(location.searchParams.get('state'), 'st4te')
    assert.equal(location.searchParams.get('iss'), server.base)
    return location
  }

  describe('authorization endpoint', () => {
    for (const [name, url] of [
      ['an unknown client', () => authorizationUrl({ client_id: 'nobody' })],
      ['an unregistered redirect_uri', () => authorizationUrl({ redirect_uri: 'https://evil.example/callback' })],
      ['a redirect_uri that only starts like a registered one', () => authorizationUrl({ redirect_uri: `${redirectUri}/more` })],
      ['a repeated redirect_uri', () => authorizationUrl({}, `&redirect_uri=${encodeURIComponent(redirectUri)}`)],
      ['a repeated client_id', () => authorizationUrl({}, `&client_id=${confidential.client_id}`)]
    ] as const) {
      test(`${name} gets an error page and never a redirect`, async () => {
        const response = await new Browser(server.base).request(url())
        assert.equal(response.status, 400)
        assert.equal(response.headers.get('location'), null)
        assert.match(response.headers.get('content-type')!, /text\/html/)
        assert.match(response.headers.get('content-security-policy')!, /frame-ancestors 'none'/)
        assert.equal(response.headers.get('referrer-policy'), 'no-referrer')
      })
    }

    for (const [name, url, error] of [
      ['a repeated parameter', () => authorizationUrl({}, '&scope=openid'), 'invalid_request'],
      ['response_type=token', () => authorizationUrl({ response_type: 'token' }), 'unsupported_response_type'],
      ['no response_type', () => authorizationUrl({}).replace('response_type=code&', ''), 'invalid_request'],
      ['code_challenge_method=plain', () => authorizationUrl({ code_challenge_method: 'plain', code_challenge: verifier }), 'invalid_request'],
      ['a challenge without a method (plain)', () => authorizationUrl({}).replace('&code_challenge_method=S256', ''), 'invalid_request'],
      ['a scope the client did not register', () => authorizationUrl({ scope: 'openid reports.read' }), 'invalid_scope'],
      ['a public client without PKCE', () => authorizationUrl({ client_id: publicClient.client_id }).replace(/&code_challenge=[^&]*&code_challenge_method=S256/, ''), 'invalid_request'],
      ['prompt=none without a signed-in user', () => authorizationUrl({ prompt: 'none' }), 'login_required'],
      ['a request object', () => authorizationUrl({ request: 'eyJ.x.y' }), 'request_not_supported'],
      ['max_age that is not a number of seconds', () => authorizationUrl({ max_age: '-1' }), 'invalid_request']
    ] as const) {
      test(`${name} is redirected back as ${error} with state and iss`, async () => {
        const location = await authorizationError(url())
        assert.equal(location.searchParams.get('error'), error)
        assert.equal(location.searchParams.get('code'), null)
      })
    }

    test('a user who is not signed in is sent to the sign-in page and brought back to the request, held under an id', async () => {
      const browser = new Browser(server.base)
      const first = await browser.request(authorizationUrl({}))
      assert.equal(first.status, 303)
      const signIn = new URL(first.headers.get('location')!, server.base)
      assert.equal(signIn.pathname, '/auth/local/login')
      const returnTo = signIn.searchParams.get('returnTo')!
      assert.match(returnTo, /^\/oauth2\/authorization\?resume=[\w-]{22}$/)
      const back = await browser.signIn(user.username, user.password, returnTo)
      assert.equal(back.status, 303)
      assert.equal(back.headers.get('location'), returnTo)
      const done = await browser.request(returnTo)
      assert.equal(done.status, 302)
      const callback = new URL(done.headers.get('location')!)
      assert.equal(callback.origin + callback.pathname, redirectUri)
      assert.equal(callback.searchParams.get('state'), 'st4te')
      assert.ok(callback.searchParams.get('code'))
      const used = await browser.request(returnTo)
      assert.equal(used.status, 400, 'answered: the held request is gone')
    })

    test('prompt=login and an exceeded max_age ask a signed-in user to sign in again, once; a recent enough sign-in is not asked', async () => {
      const browser = new Browser(server.base)
      await authorize(browser, `${server.base}${authorizationUrl({})}`, user)
      const direct = await browser.request(authorizationUrl({ max_age: '3600' }))
      assert.equal(direct.status, 302, 'signed in within the hour: straight back with a code')
      assert.ok(new URL(direct.headers.get('location')!).searchParams.get('code'))
      for (const params of [{ prompt: 'login' }, { max_age: '0' }] as Record<string, string>[]) {
        const url = authorizationUrl(params)
        const first = await browser.request(url)
        assert.equal(first.status, 303, JSON.stringify(params))
        const signIn = new URL(first.headers.get('location')!, server.base)
        assert.equal(signIn.pathname, '/auth/local/login')
        const signedInAt = Date.now()
        const resume = signIn.searchParams.get('returnTo')!
        const back = await browser.signIn(user.username, user.password, resume)
        assert.equal(back.headers.get('location'), resume)
        const done = await browser.request(resume)
        assert.equal(done.status, 302, 'no second sign-in: the one just made answers the request')
        const code = new URL(done.headers.get('location')!).searchParams.get('code')!
        const tokens = await redeem(code)
        const idToken = JSON.parse(Buffer.from(tokens.body.id_token!.split('.')[1]!, 'base64url').toString()) as { auth_time: number }
        assert.ok(idToken.auth_time >= Math.floor(signedInAt / 1000), 'auth_time is the new sign-in')
        const again = await browser.request(url)
        assert.equal(again.status, 303, 'the next request with the same demand asks again')
      }
      const none = new URL((await browser.request(authorizationUrl({ prompt: 'none', max_age: '0' }))).headers.get('location')!)
      assert.equal(none.searchParams.get('error'), 'login_required')
    })

    test('a third-party client asks for consent once; a denial is access_denied; withdrawing it asks again and ends its sessions', async () => {
      const thirdParty = await registerClient(server, { redirect_uris: [redirectUri], grant_types: ['authorization_code', 'refresh_token'] })
      const url = `${server.base}${authorizationUrl({ client_id: thirdParty.client_id, scope: 'openid offline_access' })}`
      const denied = await authorize(new Browser(server.base), url, user, 'deny')
      assert.equal(denied.searchParams.get('error'), 'access_denied')

      const browser = new Browser(server.base)
      const allowed = await authorize(browser, url, user, 'allow')
      const tokens = await redeem(allowed.searchParams.get('code')!, thirdParty)
      assert.equal(tokens.status, 200)
      const again = await browser.request(url)
      assert.equal(again.status, 302, 'remembered: no consent page the second time')
      assert.ok(new URL(again.headers.get('location')!).searchParams.get('code'))

      const withdraw = await server.app.inject({
        method: 'DELETE',
        url: `/api/v1/users/${user.id}/consents/${thirdParty.client_id}`,
        headers: { authorization: `Bearer ${server.admin}` }
      })
      assert.equal(withdraw.statusCode, 204)
      const refused = await token({ grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token! }, thirdParty)
      assert.equal(refused.body.error, 'invalid_grant')
      const asksAgain = await browser.request(url)
      assert.equal(asksAgain.status, 200, 'consent page again')
    })
  })

  describe('token endpoint', () => {
    test('every answer says Cache-Control: no-store', async () => {
      const bad = await token({ grant_type: 'password' })
      assert.equal(bad.headers.get('cache-control'), 'no-store')
      const good = await redeem(await codeFor(confidential))
      assert.equal(good.status, 200)
      assert.equal(good.headers.get('cache-control'), 'no-store')
    })

    test('a JSON body is invalid_request', async () => {
      const response = await fetch(`${server.base}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: basic(confidential) },
        body: JSON.stringify({ grant_type: 'client_credentials' })
      })
      assert.equal(((await response.json()) as { error: string }).error, 'invalid_request')
    })

    test('grant_type missing is invalid_request, unknown is unsupported_grant_type', async () => {
      assert.equal((await token({})).body.error, 'invalid_request')
      assert.equal((await token({ grant_type: 'password' })).body.error, 'unsupported_grant_type')
    })

    test('a wrong secret is invalid_client with 401 and a Basic challenge', async () => {
      const response = await fetch(`${server.base}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(confidential, 'wrong') },
        body: 'grant_type=authorization_code&code=x&redirect_uri=x'
      })
      assert.equal(response.status, 401)
      assert.match(response.headers.get('www-authenticate')!, /^Basic/)
      assert.equal(((await response.json()) as { error: string }).error, 'invalid_client')
    })

    test('a grant the client did not register is unauthorized_client', async () => {
      assert.equal((await token({ grant_type: 'client_credentials' })).body.error, 'unauthorized_client')
    })

    test('a code used twice is invalid_grant and revokes the tokens issued from it', async () => {
      const code = await codeFor(confidential)
      const first = await redeem(code)
      assert.equal(first.status, 200)
      const second = await redeem(code)
      assert.equal(second.body.error, 'invalid_grant')
      const authorise = await fetch(`${server.base}/authorise`, { headers: { authorization: `Bearer ${first.body.access_token}` } })
      assert.equal(authorise.status, 401)
      assert.equal((await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token! })).body.error, 'invalid_grant')
    })

    test('a wrong code_verifier burns the code', async () => {
      const code = await codeFor(confidential)
      assert.equal((await redeem(code, confidential, 'x'.repeat(43))).body.error, 'invalid_grant')
      assert.equal((await redeem(code)).body.error, 'invalid_grant')
    })

    test('a wrong redirect_uri, another client, or an expired code is invalid_grant', async () => {
      const code = await codeFor(confidential)
      const wrongRedirect = await token({ grant_type: 'authorization_code', code, redirect_uri: `${redirectUri}x`, code_verifier: verifier })
      assert.equal(wrongRedirect.body.error, 'invalid_grant')
      assert.equal((await redeem(await codeFor(confidential), other)).body.error, 'invalid_grant')
      const now = Date.now()
      await server.store.authorizationCodes.insert({
        hash: hashCode('expired-code'),
        clientId: confidential.client_id,
        userId: user.id,
        redirectUri,
        codeChallenge: challenge,
        scope: ['openid'],
        nonce: null,
        authTime: now - 120_000,
        claims: null,
        amr: null,
        idp: null,
        sessionId: 'expired-code-session',
        createdAt: now - 120_000,
        expiresAt: now - 60_000,
        redeemedAt: null
      })
      assert.equal((await redeem('expired-code')).body.error, 'invalid_grant')
    })

    test('twenty parallel redemptions of one code: exactly one succeeds', async () => {
      const code = await codeFor(confidential)
      const answers = await Promise.all(Array.from({ length: 20 }, () => redeem(code)))
      assert.equal(answers.filter((a) => a.status === 200).length, 1)
      assert.ok(answers.filter((a) => a.status !== 200).every((a) => a.body.error === 'invalid_grant'))
    })

    test('six parallel refreshes of one token (a client with several workers): each ends with a working token', async () => {
      const { body } = await redeem(await codeFor(confidential, 'openid offline_access'))
      const answers = await Promise.all(Array.from({ length: 6 }, () => token({ grant_type: 'refresh_token', refresh_token: body.refresh_token! })))
      assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 200, 200, 200])
      const successors = new Set(answers.map((a) => a.body.refresh_token!))
      assert.equal(successors.size, 6, 'each worker holds a refresh token of its own')
      for (const answer of answers) {
        const authorise = await fetch(`${server.base}/authorise`, { headers: { authorization: `Bearer ${answer.body.access_token}` } })
        assert.equal(authorise.status, 200)
        assert.equal((await token({ grant_type: 'refresh_token', refresh_token: answer.body.refresh_token! })).status, 200)
      }
    })

    test('a rotated refresh token presented by another client is refused and revokes nothing', async () => {
      const { body } = await redeem(await codeFor(confidential, 'openid offline_access'))
      assert.equal((await token({ grant_type: 'refresh_token', refresh_token: body.refresh_token! })).status, 200)
      assert.equal((await token({ grant_type: 'refresh_token', refresh_token: body.refresh_token! }, other)).body.error, 'invalid_grant')
      assert.equal((await token({ grant_type: 'refresh_token', refresh_token: body.refresh_token! })).status, 200, 'still within the grace for its own client')
    })

    test('a refresh may narrow the scope but never widen it', async () => {
      const { body } = await redeem(await codeFor(confidential, 'openid offline_access'))
      const wider = await token({ grant_type: 'refresh_token', refresh_token: body.refresh_token!, scope: 'openid email' })
      assert.equal(wider.body.error, 'invalid_scope')
      const same = await token({ grant_type: 'refresh_token', refresh_token: body.refresh_token! })
      assert.equal(same.status, 200, 'a refused widening does not use the token up')
    })

    test("a disabled user's refresh token fails", async () => {
      const someone = await registerUser(server.app)
      const callback = await authorize(new Browser(server.base), `${server.base}${authorizationUrl({ scope: 'openid offline_access' })}`, someone)
      const { body } = await redeem(callback.searchParams.get('code')!)
      const disable = await server.app.inject({
        method: 'PATCH',
        url: `/api/v1/users/${someone.id}`,
        headers: { authorization: `Bearer ${server.admin}` },
        payload: { active: false }
      })
      assert.equal(disable.statusCode, 200)
      assert.equal((await token({ grant_type: 'refresh_token', refresh_token: body.refresh_token! })).body.error, 'invalid_grant')
    })

    test('client_credentials grants only the API scopes the client registered', async () => {
      const service = await registerClient(server, { grant_types: ['client_credentials'], scope: 'reports.read admin openid' })
      assert.equal((await token({ grant_type: 'client_credentials', scope: 'reports.write' }, service)).body.error, 'invalid_scope')
      assert.equal((await token({ grant_type: 'client_credentials', scope: 'admin' }, service)).body.error, 'invalid_scope')
      assert.equal((await token({ grant_type: 'client_credentials', scope: 'openid' }, service)).body.error, 'invalid_scope')
      const granted = await token({ grant_type: 'client_credentials' }, service)
      assert.equal(granted.body.scope, 'reports.read')
    })
  })

  describe('introspection, revocation, userinfo', () => {
    async function post(path: string, form: Record<string, string>, authorization?: string) {
      const response = await fetch(`${server.base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(authorization ? { authorization } : {}) },
        body: new URLSearchParams(form)
      })
      const text = await response.text()
      return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null }
    }

    test('introspection needs an authenticated confidential client', async () => {
      assert.equal((await post('/oauth2/introspect', { token: 'x' })).status, 401)
      const publicAnswer = await post('/oauth2/introspect', { token: 'x', client_id: publicClient.client_id })
      assert.equal(publicAnswer.body!.error, 'invalid_client')
    })

    test("a client introspects only the tokens issued to it; a resource server those whose aud names it, or all (RFC 7662 §4)", async () => {
      const { body } = await redeem(await codeFor(confidential))
      const accessToken = body.access_token!
      assert.equal((await post('/oauth2/introspect', { token: accessToken }, basic(confidential))).body!.active, true)
      assert.deepEqual((await post('/oauth2/introspect', { token: accessToken }, basic(other))).body, { active: false })

      const metadata = { redirect_uris: [redirectUri], grant_types: ['authorization_code'] }
      const everything = await registerClient(server, { ...metadata, resource_server: 'all' })
      assert.equal(everything.resource_server, 'all')
      assert.equal((await post('/oauth2/introspect', { token: accessToken }, basic(everything))).body!.active, true)

      // A third-party client's token has the client as its audience: an `audience` resource server sees those naming it only.
      const audience = await registerClient(server, { ...metadata, resource_server: 'audience' })
      assert.deepEqual((await post('/oauth2/introspect', { token: accessToken }, basic(audience))).body, { active: false })
      const named = (await redeem(await codeFor(audience, 'openid'), audience)).body.access_token!
      assert.equal((await post('/oauth2/introspect', { token: named }, basic(audience))).body!.active, true)
      assert.deepEqual((await post('/oauth2/introspect', { token: named }, basic(other))).body, { active: false })
    })

    test('malformed, unknown and forged tokens are {active:false} and nothing else', async () => {
      const { body } = await redeem(await codeFor(confidential))
      const [header, payload] = body.access_token!.split('.')
      const forged = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), scope: 'admin' })).toString('base64url')}.${body.access_token!.split('.')[2]}`
      for (const tokenText of ['garbage', 'a.b.c', forged, 'x'.repeat(9000)]) {
        assert.deepEqual((await post('/oauth2/introspect', { token: tokenText }, basic(confidential))).body, { active: false })
      }
    })

    test("a client cannot revoke another client's tokens", async () => {
      const { body } = await redeem(await codeFor(confidential))
      const refused = await post('/oauth2/revoke', { token: body.refresh_token! }, basic(other))
      assert.equal(refused.body!.error, 'invalid_request')
      const still = await post('/oauth2/introspect', { token: body.access_token! }, basic(confidential))
      assert.equal(still.body!.active, true)
    })

    test('revoking an unknown token is a 200', async () => {
      assert.equal((await post('/oauth2/revoke', { token: 'never-issued' }, basic(confidential))).status, 200)
    })

    test('userinfo wants a live token with openid: 401 with a Bearer challenge, 403 insufficient_scope', async () => {
      const bad = await fetch(`${server.base}/oauth2/userinfo`, { headers: { authorization: 'Bearer nope' } })
      assert.equal(bad.status, 401)
      assert.match(bad.headers.get('www-authenticate')!, /^Bearer error="invalid_token"/)
      const service = await registerClient(server, { grant_types: ['client_credentials'], scope: 'reports.read' })
      const { body } = await token({ grant_type: 'client_credentials' }, service)
      const noOpenid = await fetch(`${server.base}/oauth2/userinfo`, { headers: { authorization: `Bearer ${body.access_token}` } })
      assert.equal(noOpenid.status, 403)
      assert.match(noOpenid.headers.get('www-authenticate')!, /insufficient_scope/)
    })
  })

  describe('client registration', () => {
    const admin = () => ({ authorization: `Bearer ${server.admin}` })

    test('only admins manage clients', async () => {
      const someone = await registerUser(server.app)
      const signedIn = await server.app.inject({ method: 'POST', url: '/api/v1/auth/local/authenticate', payload: { username: someone.username, password: someone.password } })
      const list = await server.app.inject({ method: 'GET', url: '/api/v1/clients', headers: { authorization: `Bearer ${signedIn.json().accessToken}` } })
      assert.equal(list.statusCode, 403)
    })

    for (const [name, metadata] of [
      ['an http redirect URI on a public host', { redirect_uris: ['http://app.example.com/cb'] }],
      ['a redirect URI with a fragment', { redirect_uris: ['https://app.example.com/cb#x'] }],
      ['a relative redirect URI', { redirect_uris: ['/cb'] }],
      ['the code grant without redirect URIs', { grant_types: ['authorization_code'] }],
      ['client_credentials for a public client', { grant_types: ['client_credentials'], token_endpoint_auth_method: 'none' }],
      ['an unknown grant type', { grant_types: ['password'], redirect_uris: [redirectUri] }],
      ['a malformed scope', { redirect_uris: [redirectUri], scope: 'a "b"' }],
      ['a script as its logo', { redirect_uris: [redirectUri], logo_uri: 'javascript:alert(1)' }],
      ['a policy page over plain http', { redirect_uris: [redirectUri], policy_uri: 'http://app.example.com/privacy' }],
      ['terms of service with a fragment', { redirect_uris: [redirectUri], tos_uri: 'https://app.example.com/terms#top' }]
    ] as const) {
      test(`${name} is refused with 400`, async () => {
        const response = await server.app.inject({ method: 'POST', url: '/api/v1/clients', headers: admin(), payload: metadata })
        assert.equal(response.statusCode, 400, response.body)
      })
    }

    test('the secret is shown once and stored only as a hash; rotation ends the old one', async () => {
      const created = await registerClient(server, { grant_types: ['client_credentials'], scope: 'jobs' })
      const read = await server.app.inject({ method: 'GET', url: `/api/v1/clients/${created.client_id}`, headers: admin() })
      assert.equal(read.json().client_secret, undefined)
      const stored = await server.store.oauthClients.findById(created.client_id)
      assert.notEqual(stored!.secretHash, created.client_secret)
      assert.ok(!JSON.stringify(stored).includes(created.client_secret!))
      const rotated = await server.app.inject({ method: 'POST', url: `/api/v1/clients/${created.client_id}/secret`, headers: admin() })
      const fresh = { ...created, client_secret: rotated.json().client_secret as string }
      assert.equal((await token({ grant_type: 'client_credentials' }, created)).body.error, 'invalid_client')
      assert.equal((await token({ grant_type: 'client_credentials' }, fresh)).status, 200)
    })

    test('an admin changes a client: the change is stored, the id and creation time stay, bad metadata changes nothing', async () => {
      const created = await registerClient(server, { client_name: 'Before', grant_types: ['client_credentials'], scope: 'jobs' })
      const url = `/api/v1/clients/${created.client_id}`
      const before = (await server.app.inject({ method: 'GET', url, headers: admin() })).json()
      const pages = { client_uri: 'https://app.example.com/', logo_uri: 'https://app.example.com/logo.png', policy_uri: 'https://app.example.com/privacy', tos_uri: 'https://app.example.com/terms' }
      const changed = await server.app.inject({ method: 'PATCH', url, headers: admin(), payload: { client_name: 'After', resource_server: 'all', ...pages } })
      assert.equal(changed.statusCode, 200, changed.body)
      const after = (await server.app.inject({ method: 'GET', url, headers: admin() })).json()
      assert.deepEqual(after, { ...before, client_name: 'After', resource_server: 'all', ...pages, updated_at: after.updated_at })
      const refused = await server.app.inject({ method: 'PATCH', url, headers: admin(), payload: { redirect_uris: ['/relative'] } })
      assert.equal(refused.statusCode, 400)
      assert.deepEqual((await server.app.inject({ method: 'GET', url, headers: admin() })).json(), after)
      assert.equal((await token({ grant_type: 'client_credentials' }, created)).status, 200, 'the secret survives a change')
    })

    test("deleting a client ends every session granted to it", async () => {
      const doomed = await registerClient(server, { grant_types: ['client_credentials'], scope: 'jobs' })
      const { body } = await token({ grant_type: 'client_credentials' }, doomed)
      const remove = await server.app.inject({ method: 'DELETE', url: `/api/v1/clients/${doomed.client_id}`, headers: admin() })
      assert.equal(remove.statusCode, 204)
      const authorise = await fetch(`${server.base}/authorise`, { headers: { authorization: `Bearer ${body.access_token}` } })
      assert.equal(authorise.status, 401)
    })
  })
})
