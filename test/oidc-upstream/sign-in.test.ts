import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { after, before, describe, test } from 'node:test'
import { buildApp } from '../../src/app.js'
import { loggerOptions } from '../../src/logger.js'
import { openSqliteStore } from '../../src/store/sqlite/index.js'
import {
  adminToken,
  APP_CALLBACK,
  authorizationPath,
  Browser,
  freePort,
  hiddenField,
  jwtPayload,
  postJson,
  registerUser,
  signIn,
  tempDir,
  testConfig,
  type TestApp
} from '../helpers.js'
import { OTHER_CLIENT, startUpstream, writeProvidersFile, type Upstream } from './upstream.js'

const VERIFIER = 'a-code-verifier-long-enough-for-pkce-0123456789'

describe('sign-in through an upstream OpenID Connect provider (node-oidc-provider)', () => {
  let upstream: Upstream
  let mp: TestApp & { base: string }
  let removeDir: () => void
  let latePort: number
  /** The reasons of refused sign-ins, from the security log, in order. */
  const refusals: string[] = []

  before(async () => {
    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    upstream = await startUpstream(`${base}/auth/oidc/callback`)
    latePort = await freePort()
    const { dir, remove } = tempDir()
    removeDir = remove
    const config = testConfig({ PORT: String(port), PUBLIC_URL: base, RATE_LIMIT: 'off', LOG_LEVEL: 'warn', OIDC_PROVIDERS: writeProvidersFile(dir, upstream.issuer, `http://127.0.0.1:${latePort}`) }, dir)
    const stream = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) {
          const entry = JSON.parse(line) as { event?: string; reason?: string }
          if (entry.event === 'upstream_sign_in_refused') refusals.push(entry.reason!)
        }
        done()
      }
    })
    const store = openSqliteStore((config.store as { path: string }).path)
    const app = await buildApp(config, { store, logger: { ...(loggerOptions(config) as object), stream } })
    await app.listen({ port, host: '127.0.0.1' })
    mp = { app, store, config, base, close: () => app.close() }
  })
  after(async () => {
    await mp.close()
    await upstream.close()
    removeDir()
  })

  interface Started {
    /** The provider's redirect back to moneypenny's callback. */
    callback: URL
    /** The flow cookie as it was set. */
    flowCookie: string
  }

  /**
   * Starts a sign-in at moneypenny in `browser` and goes through the upstream's login as `sub`;
   * returns the callback the upstream redirects to, not yet followed. `tamper` changes the
   * authorization request on its way to the upstream, as a meddling browser could. `linkWith`: the
   * account console's CSRF token, to start a link (the console's "Link" form) instead of a sign-in.
   */
  async function throughUpstream(browser: Browser, sub: string, options: { provider?: string; returnTo?: string; tamper?: (url: URL) => void; linkWith?: string } = {}): Promise<Started> {
    upstream.signInAs = sub
    const provider = options.provider ?? 'acme'
    const query = new URLSearchParams({ provider, ...(options.returnTo ? { returnTo: options.returnTo } : {}) })
    const start =
      options.linkWith === undefined
        ? await browser.request(`/auth/oidc/login?${query}`)
        : await browser.request('/auth/oidc/login', { form: { provider, intent: 'link', _csrf: options.linkWith } })
    assert.equal(start.status, options.linkWith === undefined ? 302 : 303, await start.text())
    const flowCookie = start.headers.getSetCookie().find((line) => line.startsWith('moneypenny-oidc='))!
    assert.ok(flowCookie, 'the flow cookie is set')
    assert.match(flowCookie, /HttpOnly/i)
    const authorization = new URL(start.headers.get('location')!)
    assert.equal(authorization.origin, upstream.issuer)
    assert.equal(authorization.searchParams.get('code_challenge_method'), 'S256')
    for (const name of ['state', 'nonce', 'code_challenge']) assert.ok(authorization.searchParams.get(name), `${name} is sent`)
    options.tamper?.(authorization)
    const atUpstream = new Browser(upstream.issuer)
    let response = await atUpstream.request(authorization.href)
    for (let hop = 0; hop < 10; hop += 1) {
      assert.ok([302, 303].includes(response.status), `upstream answered ${response.status}: ${await response.text()}`)
      const location = new URL(response.headers.get('location')!, upstream.issuer)
      if (location.origin === mp.base) return { callback: location, flowCookie: flowCookie.split(';')[0]! }
      response = await atUpstream.request(location.href)
    }
    throw new Error('too many redirects at the upstream')
  }

  /** Follows the callback in `browser`: 303 somewhere when signed in, 401 with the error page when refused. */
  async function back(browser: Browser, started: Started) {
    const response = await browser.request(started.callback.pathname + started.callback.search)
    return { status: response.status, location: response.headers.get('location'), body: await response.text() }
  }

  /** The callback is refused for `reason` (the security log's), with the error page; no one is signed in and nothing is linked. */
  async function assertRefused(browser: Browser, started: Started, links: { provider: string; subject: string }, reason: RegExp) {
    const logged = refusals.length
    const result = await back(browser, started)
    assert.equal(result.status, 401, result.body)
    assert.match(refusals.slice(logged).join('\n'), reason)
    assert.match(result.body, /Sign-in refused/)
    assert.equal((await browser.details()).status, 401, 'nobody is signed in')
    assert.equal(await mp.store.identityLinks.find(links.provider, links.subject), null, 'nothing is linked')
  }

  test('the sign-in page has a button per provider, carrying returnTo', async () => {
    const page = await (await new Browser(mp.base).request('/auth/local/login?returnTo=%2Faccount')).text()
    assert.match(page, /href="\/auth\/oidc\/login\?provider=acme&amp;returnTo=%2Faccount">Sign in with Acme ID</)
    assert.match(page, /href="\/auth\/oidc\/login\?provider=strict&amp;returnTo=%2Faccount">Sign in with Strict ID</)
  })

  test('a first sign-in creates the user (no password) and links it; a second one finds the link, whatever the email says now', async () => {
    upstream.accounts.set('alice-sub', { email: 'alice@acme.example', email_verified: true, preferred_username: 'alice' })
    const browser = new Browser(mp.base)
    const first = await back(browser, await throughUpstream(browser, 'alice-sub', { returnTo: '/auth/details?from=acme' }))
    assert.equal(first.status, 303, first.body)
    assert.equal(first.location, '/auth/details?from=acme', 'returnTo is kept')
    const details = await browser.details()
    assert.equal(details.status, 200)
    assert.deepEqual([details.body.username, details.body.email], ['alice', 'alice@acme.example'])
    const user = (await mp.store.users.findByUsernameKey('alice'))!
    assert.equal(user.passwordScheme, 'none', 'no password is made')
    assert.equal((await mp.store.identityLinks.find('acme', 'alice-sub'))?.userId, user.id)

    upstream.accounts.set('alice-sub', { email: 'alice.new@acme.example', email_verified: true, preferred_username: 'alice-renamed' })
    const again = new Browser(mp.base)
    assert.equal((await back(again, await throughUpstream(again, 'alice-sub'))).status, 303)
    assert.equal((await again.details()).body.id, user.id, 'the same account, found by its link')
    assert.equal((await mp.store.users.list({ offset: 0, limit: 100 })).items.filter((each) => each.email.startsWith('alice')).length, 1)
  })

  test('a verified email links to the existing account that has it', async () => {
    const bob = await registerUser(mp.app, { username: 'bob', email: 'bob@acme.example' })
    upstream.accounts.set('bob-sub', { email: 'BOB@acme.example', email_verified: true, preferred_username: 'robert' })
    const browser = new Browser(mp.base)
    assert.equal((await back(browser, await throughUpstream(browser, 'bob-sub'))).status, 303)
    assert.equal((await browser.details()).body.id, bob.id)
    assert.equal((await mp.store.identityLinks.find('acme', 'bob-sub'))?.userId, bob.id)
  })

  test('an unverified email never links to an existing account', async () => {
    await registerUser(mp.app, { username: 'carol', email: 'carol@acme.example' })
    for (const verified of [false, undefined]) {
      upstream.accounts.set('carol-sub', { email: 'carol@acme.example', ...(verified === undefined ? {} : { email_verified: verified }), preferred_username: 'carol' })
      const browser = new Browser(mp.base)
      await assertRefused(browser, await throughUpstream(browser, 'carol-sub'), { provider: 'acme', subject: 'carol-sub' }, /does not say it is verified/)
    }
  })

  test('a linked_only provider signs in linked people only', async () => {
    upstream.accounts.set('dora-sub', { email: 'dora@acme.example', email_verified: true, preferred_username: 'dora' })
    const browser = new Browser(mp.base)
    await assertRefused(browser, await throughUpstream(browser, 'dora-sub', { provider: 'strict' }), { provider: 'strict', subject: 'dora-sub' }, /only signs in linked accounts/)
    assert.equal(await mp.store.users.findByUsernameKey('dora'), null, 'no user is made')
  })

  test('a username taken by someone else gets a suffix; the email is the person\'s own', async () => {
    await registerUser(mp.app, { username: 'erin', email: 'erin@elsewhere.example' })
    upstream.accounts.set('erin-sub', { email: 'erin@acme.example', email_verified: true, preferred_username: 'erin' })
    const browser = new Browser(mp.base)
    assert.equal((await back(browser, await throughUpstream(browser, 'erin-sub'))).status, 303)
    assert.deepEqual([(await browser.details()).body.username, (await browser.details()).body.email], ['erin-2', 'erin@acme.example'])
  })

  test('a provider that authenticates moneypenny with private_key_jwt', async () => {
    upstream.accounts.set('kim-sub', { email: 'kim@acme.example', email_verified: true, preferred_username: 'kim' })
    const browser = new Browser(mp.base)
    assert.equal((await back(browser, await throughUpstream(browser, 'kim-sub', { provider: 'keyed' }))).status, 303)
    assert.equal((await browser.details()).body.username, 'kim')
    assert.ok(await mp.store.identityLinks.find('keyed', 'kim-sub'))
  })

  test('a provider that cannot be reached is a 503, and discovery is tried again on the next sign-in', async (t) => {
    const browser = new Browser(mp.base)
    const unreachable = await browser.request('/auth/oidc/login?provider=late')
    assert.equal(unreachable.status, 503)
    assert.equal(unreachable.headers.getSetCookie().length, 0, 'no flow is started')
    const late = await startUpstream(`${mp.base}/auth/oidc/callback`, latePort)
    t.after(() => late.close())
    const started = await browser.request('/auth/oidc/login?provider=late')
    assert.equal(started.status, 302)
    assert.equal(new URL(started.headers.get('location')!).origin, late.issuer)
  })

  describe('forged or replayed callbacks sign no one in', () => {
    before(() => upstream.accounts.set('mallory-sub', { email: 'mallory@acme.example', email_verified: true, preferred_username: 'mallory' }))
    const mallory = { provider: 'acme', subject: 'mallory-sub' }

    test('a wrong state', async () => {
      const browser = new Browser(mp.base)
      const started = await throughUpstream(browser, 'mallory-sub')
      started.callback.searchParams.set('state', 'AAAAAAAAAAAAAAAAAAAAAA')
      await assertRefused(browser, started, mallory, /OAUTH_INVALID_RESPONSE/)
    })

    test('a callback without the flow cookie of its browser', async () => {
      const started = await throughUpstream(new Browser(mp.base), 'mallory-sub')
      await assertRefused(new Browser(mp.base), started, mallory, /no live sign-in was started in this browser/)
    })

    test('a wrong nonce: the upstream was asked for another one', async () => {
      const browser = new Browser(mp.base)
      const started = await throughUpstream(browser, 'mallory-sub', { tamper: (url) => url.searchParams.set('nonce', 'a-nonce-moneypenny-never-made') })
      await assertRefused(browser, started, mallory, /OAUTH_JWT_CLAIM_COMPARISON_FAILED/)
    })

    test('a code issued to another client', async () => {
      const browser = new Browser(mp.base)
      const started = await throughUpstream(browser, 'mallory-sub', { tamper: (url) => url.searchParams.set('client_id', OTHER_CLIENT.id) })
      assert.ok(started.callback.searchParams.get('code'), 'the upstream issued a code, to the other client')
      await assertRefused(browser, started, mallory, /error=invalid_grant/)
    })

    test('an ID token signed by a key the provider does not publish', async (t) => {
      upstream.answeredBy = 'impostor'
      t.after(() => (upstream.answeredBy = 'genuine'))
      const browser = new Browser(mp.base)
      await assertRefused(browser, await throughUpstream(browser, 'mallory-sub'), mallory, /OAUTH_KEY_SELECTION_FAILED/)
    })

    test('a replayed callback, with or without the flow cookie it came with', async () => {
      upstream.accounts.set('frank-sub', { email: 'frank@acme.example', email_verified: true, preferred_username: 'frank' })
      const browser = new Browser(mp.base)
      const started = await throughUpstream(browser, 'frank-sub')
      assert.equal((await back(browser, started)).status, 303)
      const path = started.callback.pathname + started.callback.search
      const logged = refusals.length
      const replayed = await fetch(new URL(path, mp.base), { headers: { cookie: started.flowCookie }, redirect: 'manual' })
      assert.equal(replayed.status, 401, 'the code was redeemed already')
      assert.match(refusals[logged]!, /error=invalid_grant/)
      assert.equal(replayed.headers.getSetCookie().some((line) => line.startsWith('moneypenny=')), false, 'no session is started')
      const again = new Browser(mp.base)
      const response = await again.request(path)
      assert.equal(response.status, 401)
      assert.equal((await again.details()).status, 401)
    })
  })

  /** A first-party client of moneypenny that may refresh, registered by the admin. */
  async function registerClient(): Promise<{ client_id: string; client_secret: string }> {
    const admin = await adminToken(mp.app)
    const registered = await postJson(
      mp.app,
      '/api/v1/clients',
      { redirect_uris: [APP_CALLBACK], grant_types: ['authorization_code', 'refresh_token'], scope: 'openid profile email offline_access', first_party: true },
      { authorization: `Bearer ${admin}` }
    )
    assert.equal(registered.status, 201, JSON.stringify(registered.body))
    return registered.body as { client_id: string; client_secret: string }
  }

  /** The client's token endpoint answer for `form`, with its id and secret. */
  async function tokenRequest(client: { client_id: string; client_secret: string }, form: Record<string, string>) {
    const response = await fetch(`${mp.base}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}` },
      body: new URLSearchParams(form)
    })
    const body = (await response.json()) as { id_token: string; access_token: string; refresh_token: string }
    assert.equal(response.status, 200, JSON.stringify(body))
    return { idToken: jwtPayload(body.id_token), accessToken: jwtPayload(body.access_token), refreshToken: body.refresh_token }
  }

  /** The held authorization request at `returnTo`, answered (consent allowed when asked): the code for the client. */
  async function codeFrom(browser: Browser, returnTo: string): Promise<string> {
    let response = await browser.request(returnTo)
    if (response.status === 200) {
      const html = await response.text()
      response = await browser.request('/oauth2/authorization/consent', { form: { _csrf: hiddenField(html, '_csrf'), authorization: hiddenField(html, 'authorization'), decision: 'allow' } })
    }
    const callback = new URL(response.headers.get('location')!)
    assert.equal(callback.origin + callback.pathname, APP_CALLBACK)
    return callback.searchParams.get('code')!
  }

  test('the OAuth2 code flow of a moneypenny client completes through an upstream sign-in; its tokens say how and through which provider (idp), refreshed ones too', async () => {
    upstream.accounts.set('gina-sub', { email: 'gina@acme.example', email_verified: true, preferred_username: 'gina', amr: ['pwd', 'mfa'] })
    const client = await registerClient()
    const browser = new Browser(mp.base)
    const asked = await browser.request(authorizationPath(client.client_id, { scope: 'openid email offline_access', prompt: 'consent' }))
    const signInPage = new URL(asked.headers.get('location')!, mp.base)
    assert.equal(signInPage.pathname, '/auth/local/login')
    const returnTo = signInPage.searchParams.get('returnTo')!
    const signedIn = await back(browser, await throughUpstream(browser, 'gina-sub', { returnTo }))
    assert.equal(signedIn.location, returnTo, 'back to the held authorization request')
    const code = await codeFrom(browser, returnTo)
    const issued = await tokenRequest(client, { grant_type: 'authorization_code', code, redirect_uri: APP_CALLBACK, code_verifier: VERIFIER })
    const gina = (await mp.store.users.findByUsernameKey('gina'))!
    assert.equal(issued.idToken.sub, gina.id)
    assert.deepEqual(issued.idToken.amr, ['pwd', 'mfa'], 'the upstream amr, passed on')
    assert.equal(issued.idToken.idp, 'acme', 'the ID token names the provider')
    assert.equal(issued.accessToken.idp, 'acme', 'the access token names the provider')
    assert.ok(issued.refreshToken, 'offline_access gave a refresh token')
    const refreshed = await tokenRequest(client, { grant_type: 'refresh_token', refresh_token: issued.refreshToken })
    assert.equal(refreshed.idToken.idp, 'acme', 'a refreshed ID token still names the provider')
    assert.equal(refreshed.accessToken.idp, 'acme', 'a refreshed access token still names the provider')
  })

  test('after a local sign-in the same client gets tokens without idp', async () => {
    const jill = await registerUser(mp.app, { username: 'jill', email: 'jill@example.com' })
    const client = await registerClient()
    const browser = new Browser(mp.base)
    const asked = await browser.request(authorizationPath(client.client_id, { scope: 'openid offline_access', prompt: 'consent' }))
    const returnTo = new URL(asked.headers.get('location')!, mp.base).searchParams.get('returnTo')!
    assert.equal((await browser.signIn(jill.username, jill.password, returnTo)).status, 303)
    const issued = await tokenRequest(client, { grant_type: 'authorization_code', code: await codeFrom(browser, returnTo), redirect_uri: APP_CALLBACK, code_verifier: VERIFIER })
    assert.equal(issued.idToken.sub, jill.id)
    assert.equal('idp' in issued.idToken, false)
    assert.equal('idp' in issued.accessToken, false)
    const refreshed = await tokenRequest(client, { grant_type: 'refresh_token', refresh_token: issued.refreshToken })
    assert.equal('idp' in refreshed.idToken || 'idp' in refreshed.accessToken, false)
  })

  test('link_by_email: a verified email links to the account that has it; an email no account has creates nobody', async () => {
    const quinn = await registerUser(mp.app, { username: 'quinn', email: 'quinn@example.com' })
    upstream.accounts.set('quinn-at-email-id', { email: 'Quinn@example.com', email_verified: true, preferred_username: 'q' })
    const browser = new Browser(mp.base)
    const signedIn = await back(browser, await throughUpstream(browser, 'quinn-at-email-id', { provider: 'by-email' }))
    assert.equal(signedIn.status, 303, signedIn.body)
    assert.equal((await browser.details()).body.username, 'quinn')
    assert.equal((await mp.store.identityLinks.find('by-email', 'quinn-at-email-id'))?.userId, quinn.id)

    upstream.accounts.set('stranger-sub', { email: 'stranger@example.com', email_verified: true, preferred_username: 'stranger' })
    const stranger = new Browser(mp.base)
    await assertRefused(stranger, await throughUpstream(stranger, 'stranger-sub', { provider: 'by-email' }), { provider: 'by-email', subject: 'stranger-sub' }, /only links to existing accounts/)
    assert.equal(await mp.store.users.findByUsernameKey('stranger'), null, 'nobody is created')
  })

  test('private_key_jwt with a PEM (PKCS#8) key: the upstream accepts the client assertion and the person is signed in', async () => {
    upstream.accounts.set('rita-sub', { email: 'rita@acme.example', email_verified: true, preferred_username: 'rita' })
    const browser = new Browser(mp.base)
    const signedIn = await back(browser, await throughUpstream(browser, 'rita-sub', { provider: 'pem' }))
    assert.equal(signedIn.status, 303, signedIn.body)
    assert.equal((await browser.details()).body.username, 'rita')
    const rita = (await mp.store.users.findByUsernameKey('rita'))!
    assert.deepEqual((await mp.store.identityLinks.listByUser(rita.id)).map((link) => link.provider), ['pem'])
  })

  test('claims map organisation, scope and role at creation; sync_on_sign_in brings them up to date at later sign-ins, without it they stay', async () => {
    const facts = async (username: string) => {
      const user = (await mp.store.users.findByUsernameKey(username))!
      return { organisation: user.organisation, scope: [...user.scope].sort(), role: user.role }
    }
    const signInThrough = async (provider: string, sub: string) => {
      const browser = new Browser(mp.base)
      const result = await back(browser, await throughUpstream(browser, sub, { provider }))
      assert.equal(result.status, 303, result.body)
    }
    upstream.accounts.set('sam-sub', { email: 'sam@acme.example', email_verified: true, preferred_username: 'sam', org: 'acme-labs', groups: ['admin', 'user', 'not-allowed-here'], role: 'editor' })
    upstream.accounts.set('tess-sub', { email: 'tess@acme.example', email_verified: true, preferred_username: 'tess', org: 'acme-labs', groups: ['admin', 'user'], role: 'editor' })
    await signInThrough('mapped', 'sam-sub')
    await signInThrough('mapped-once', 'tess-sub')
    const created = { organisation: 'acme-labs', scope: ['admin', 'user'], role: 'editor' }
    assert.deepEqual(await facts('sam'), created, 'scope values outside ALLOWED_SCOPES are dropped')
    assert.deepEqual(await facts('tess'), created)

    const now = { org: 'acme-prod', groups: ['user'], role: 'viewer' }
    upstream.accounts.set('sam-sub', { ...upstream.accounts.get('sam-sub')!, ...now })
    upstream.accounts.set('tess-sub', { ...upstream.accounts.get('tess-sub')!, ...now })
    await signInThrough('mapped', 'sam-sub')
    await signInThrough('mapped-once', 'tess-sub')
    assert.deepEqual(await facts('sam'), { organisation: 'acme-prod', scope: ['user'], role: 'viewer' }, 'sync_on_sign_in: up to date')
    assert.deepEqual(await facts('tess'), created, 'without sync_on_sign_in: as at creation')

    const { org: _org, groups: _groups, role: _role, ...withoutMappedClaims } = upstream.accounts.get('sam-sub')!
    upstream.accounts.set('sam-sub', withoutMappedClaims)
    await signInThrough('mapped', 'sam-sub')
    assert.deepEqual(await facts('sam'), { organisation: 'acme-prod', scope: ['user'], role: 'viewer' }, 'what the provider no longer says stays')
  })

  test('keep_tokens: the provider\'s tokens are kept for the link, sealed at rest, for an admin to fetch; a provider without it keeps none', async () => {
    upstream.accounts.set('uma-sub', { email: 'uma@acme.example', email_verified: true, preferred_username: 'uma' })
    const browser = new Browser(mp.base)
    assert.equal((await back(browser, await throughUpstream(browser, 'uma-sub', { provider: 'mapped' }))).status, 303)
    const uma = (await mp.store.users.findByUsernameKey('uma'))!
    const admin = { authorization: `Bearer ${await adminToken(mp.app)}` }
    const fetched = await mp.app.inject({ method: 'GET', url: `/api/v1/users/${uma.id}/links/mapped/tokens`, headers: admin })
    assert.equal(fetched.statusCode, 200, fetched.body)
    assert.equal(fetched.headers['cache-control'], 'no-store')
    const kept = fetched.json() as { access_token: string; token_type: string; id_token: string; expires_at: number; scope: string }
    assert.equal(kept.token_type.toLowerCase(), 'bearer')
    assert.equal(jwtPayload(kept.id_token).sub, 'uma-sub', "the provider's own ID token")
    assert.ok(kept.expires_at > Date.now() / 1000)
    const sealed = (await mp.store.identityLinks.keptTokens('mapped', 'uma-sub'))!
    assert.ok(!sealed.includes(kept.access_token) && !sealed.includes(kept.id_token.split('.')[1]!), 'sealed at rest, not readable in the store')
    const umasOwn = (await mp.app.signIn.accessTokenForBrowser(uma, Date.now() + 60_000)).access.token
    const byUma = await mp.app.inject({ method: 'GET', url: `/api/v1/users/${uma.id}/links/mapped/tokens`, headers: { authorization: `Bearer ${umasOwn}` } })
    assert.equal(byUma.statusCode, 403, 'admins only, not even the user')

    upstream.accounts.set('vic-sub', { email: 'vic@acme.example', email_verified: true, preferred_username: 'vic' })
    const vicBrowser = new Browser(mp.base)
    assert.equal((await back(vicBrowser, await throughUpstream(vicBrowser, 'vic-sub'))).status, 303)
    const vic = (await mp.store.users.findByUsernameKey('vic'))!
    assert.equal(await mp.store.identityLinks.keptTokens('acme', 'vic-sub'), null, 'acme has no keep_tokens')
    assert.equal((await mp.app.inject({ method: 'GET', url: `/api/v1/users/${vic.id}/links/acme/tokens`, headers: admin })).statusCode, 404)
    assert.equal((await mp.app.inject({ method: 'GET', url: `/api/v1/users/${uma.id}/links/acme/tokens`, headers: admin })).statusCode, 404, 'no such link')
  })

  /** A browser signed in as `user` with a password, and the CSRF token of its account console. */
  async function consoleOf(user: { username: string; password: string }): Promise<{ browser: Browser; csrf: string }> {
    const browser = new Browser(mp.base)
    assert.equal((await browser.signIn(user.username, user.password)).status, 303)
    return { browser, csrf: hiddenField(await (await browser.request('/account')).text(), '_csrf') }
  }

  test('a link goes only to the signed-in user who asked, in the browser session that asked; an identity linked to someone else is refused', async () => {
    const olga = await registerUser(mp.app, { username: 'olga', email: 'olga@example.com' })
    const pete = await registerUser(mp.app, { username: 'pete', email: 'pete@example.com' })
    upstream.accounts.set('olga-at-acme', { email: 'o@acme.example', email_verified: false })
    const asOlga = await consoleOf(olga)
    const otherSessions = (await consoleOf(pete)).csrf
    const forged = await asOlga.browser.request('/auth/oidc/login', { form: { provider: 'acme', intent: 'link', _csrf: otherSessions } })
    assert.equal(forged.status, 403, "another session's CSRF token: no link is started")
    assert.equal(forged.headers.get('location'), null)

    // Olga starts a link; before the provider sends her back, the browser session is Pete's.
    const started = await throughUpstream(asOlga.browser, 'olga-at-acme', { linkWith: asOlga.csrf })
    assert.equal((await asOlga.browser.signIn(pete.username, pete.password)).status, 303)
    const transplanted = await back(asOlga.browser, started)
    assert.equal(transplanted.status, 403, transplanted.body)
    assert.match(transplanted.body, /Link refused/)
    assert.equal(await mp.store.identityLinks.find('acme', 'olga-at-acme'), null, 'linked to nobody')

    const again = await consoleOf(olga)
    const linked = await back(again.browser, await throughUpstream(again.browser, 'olga-at-acme', { linkWith: again.csrf }))
    assert.deepEqual([linked.status, linked.location], [303, '/account?done=provider-linked'], linked.body)
    assert.equal((await mp.store.identityLinks.find('acme', 'olga-at-acme'))?.userId, olga.id, 'no verified email needed: she proved both accounts')
    assert.equal((await again.browser.details()).body.username, 'olga', 'still signed in as herself')

    const asPete = await consoleOf(pete)
    const taken = await back(asPete.browser, await throughUpstream(asPete.browser, 'olga-at-acme', { linkWith: asPete.csrf }))
    assert.equal(taken.status, 403, 'linked to another user already')
    assert.equal((await mp.store.identityLinks.find('acme', 'olga-at-acme'))?.userId, olga.id, 'the link stays hers')
    assert.deepEqual(await mp.store.identityLinks.listByUser(pete.id), [])
  })

  test('links are listed and removed by API: by an admin, or by the user unless it is their last way to sign in', async () => {
    upstream.accounts.set('hank-sub', { email: 'hank@acme.example', email_verified: true, preferred_username: 'hank' })
    const browser = new Browser(mp.base)
    assert.equal((await back(browser, await throughUpstream(browser, 'hank-sub'))).status, 303)
    const hank = (await mp.store.users.findByUsernameKey('hank'))!
    const ivy = await registerUser(mp.app, { username: 'ivy', email: 'ivy@acme.example' })
    upstream.accounts.set('ivy-sub', { email: 'ivy@acme.example', email_verified: true })
    const ivyBrowser = new Browser(mp.base)
    assert.equal((await back(ivyBrowser, await throughUpstream(ivyBrowser, 'ivy-sub'))).status, 303)
    const admin = { authorization: `Bearer ${await adminToken(mp.app)}` }
    const ivyToken = { authorization: `Bearer ${(await signIn(mp.app, ivy.username, ivy.password)).accessToken}` }

    const listed = await mp.app.inject({ method: 'GET', url: `/api/v1/users/${hank.id}/links`, headers: admin })
    assert.equal(listed.statusCode, 200)
    assert.deepEqual(listed.json().map((link: { provider: string; subject: string }) => [link.provider, link.subject]), [['acme', 'hank-sub']])
    assert.equal((await mp.app.inject({ method: 'GET', url: `/api/v1/users/${hank.id}/links`, headers: ivyToken })).statusCode, 403, "another user's links")
    await assert.rejects(mp.app.identityLinks.unlink(hank, 'acme', 'user'), /only way to sign in/, 'no password, no passkey, no other link')
    assert.equal((await mp.app.inject({ method: 'DELETE', url: `/api/v1/users/${ivy.id}/links/acme`, headers: ivyToken })).statusCode, 204, 'ivy has a password')
    assert.equal((await mp.app.inject({ method: 'DELETE', url: `/api/v1/users/${hank.id}/links/acme`, headers: admin })).statusCode, 204)
    assert.equal((await mp.app.inject({ method: 'DELETE', url: `/api/v1/users/${hank.id}/links/acme`, headers: admin })).statusCode, 404)
    assert.deepEqual(await mp.store.identityLinks.listByUser(hank.id), [])
  })
})
