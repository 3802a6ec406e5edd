import assert from 'node:assert/strict'
import { createHash, createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import Database from 'better-sqlite3'
import { SignJWT } from 'jose'
import { adminToken, Browser, buildTestApp, hiddenField, jwtPayload, registerUser, type TestApp } from '../helpers.js'
import { authorize, registerClient, startOAuthServer, type OAuthServer, type RegisteredClient } from './harness.js'

const redirectUri = 'https://app.example.com/callback'
const verifier = 'authorization-request-test-verifier-of-43-or-more-characters'
const challenge = createHash('sha256').update(verifier).digest('base64url')

/** The rows of the browser-session table, read from the SQLite file itself. */
function browserSessionRows(t: TestApp): number {
  const db = new Database((t.config.store as { path: string }).path, { readonly: true })
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM session_users').get() as { n: number }).n
  } finally {
    db.close()
  }
}

type User = { username: string; password: string; id: string; email: string }

/**
 * The authorization endpoint as OIDC Core §3.1.2.1 has it: GET and POST alike; a request held
 * across sign-in without becoming a URL or a stored row; id_token_hint and login_hint.
 */
describe('authorization requests: POST, held across sign-in, id_token_hint and login_hint', () => {
  let server: OAuthServer
  let firstParty: RegisteredClient
  let thirdParty: RegisteredClient
  let ann: User
  let bob: User
  /** Writes of a browser session to the store, wherever they come from. */
  let sessionWrites = 0

  before(async () => {
    server = await startOAuthServer()
    const metadata = { redirect_uris: [redirectUri], grant_types: ['authorization_code', 'refresh_token'], scope: 'openid profile email offline_access' }
    firstParty = await registerClient(server, { ...metadata, client_name: 'Own app', first_party: true })
    thirdParty = await registerClient(server, { ...metadata, client_name: 'Third party' })
    ann = await registerUser(server.app)
    bob = await registerUser(server.app)
    const browserSessions = server.store.browserSessions
    const set = browserSessions.set.bind(browserSessions)
    browserSessions.set = async (...args) => {
      sessionWrites += 1
      return set(...args)
    }
  })
  after(() => server.close())

  function params(extra: Record<string, string> = {}, client: RegisteredClient = firstParty): Record<string, string> {
    return {
      client_id: client.client_id,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid profile',
      state: 'st4te',
      nonce: 'n0nce-of-this-request',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...extra
    }
  }

  const authorizationUrl = (extra: Record<string, string> = {}, client?: RegisteredClient) => `/oauth2/authorization?${new URLSearchParams(params(extra, client))}`

  /** Posts an authorization request as a client's page would: a form, from this browser. */
  function post(browser: Browser, body: Record<string, string>): Promise<Response> {
    return browser.request('/oauth2/authorization', { form: body })
  }

  /** A form post with a body exactly as given (repeated parameters and all), from a browser without cookies. */
  function rawPost(body: string): Promise<Response> {
    return fetch(`${server.base}/oauth2/authorization`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
      redirect: 'manual'
    })
  }

  async function redeem(code: string, client: RegisteredClient = firstParty) {
    const response = await fetch(`${server.base}/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`
      },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier })
    })
    return { status: response.status, body: (await response.json()) as Record<string, string> }
  }

  /** The client callback a redirect leads to, checked to be one. */
  function callbackOf(response: Response): URL {
    assert.ok([302, 303].includes(response.status), `expected a redirect, got ${response.status}`)
    const location = new URL(response.headers.get('location')!, server.base)
    assert.equal(location.origin + location.pathname, redirectUri)
    assert.equal(location.searchParams.get('state'), 'st4te')
    assert.equal(location.searchParams.get('iss'), server.base)
    return location
  }

  /** A browser signed in as `user`. */
  async function signedIn(user: User): Promise<Browser> {
    const browser = new Browser(server.base)
    assert.equal((await browser.signIn(user.username, user.password)).status, 303)
    return browser
  }

  /** A real ID token for `user`, issued to `client` through the code flow. */
  async function idTokenFor(user: User, client: RegisteredClient = firstParty): Promise<string> {
    const callback = await authorize(new Browser(server.base), `${server.base}${authorizationUrl({}, client)}`, user)
    const tokens = await redeem(callback.searchParams.get('code')!, client)
    assert.equal(tokens.status, 200)
    return tokens.body.id_token!
  }

  /** An ID token signed with `key` under our kid: ours when `key` is the server's own. */
  async function signedIdToken(claims: Record<string, unknown>, key?: KeyObject): Promise<string> {
    const [record] = await server.store.signingKeys.list()
    const now = Math.floor(Date.now() / 1000)
    return new SignJWT({ iss: server.base, aud: firstParty.client_id, iat: now - 7200, exp: now - 3600, auth_time: now - 7200, ...claims })
      .setProtectedHeader({ alg: record!.alg, typ: 'JWT', kid: record!.kid })
      .sign(key ?? createPrivateKey(record!.privateKey))
  }

  describe('POST /oauth2/authorization (OIDC Core §3.1.2.1)', () => {
    test('a posted request goes through sign-in and consent to a code that redeems, with its nonce', async () => {
      const browser = new Browser(server.base)
      const posted = await post(browser, params({ scope: 'openid profile offline_access', nonce: 'posted-n0nce' }, thirdParty))
      assert.equal(posted.status, 303)
      const resume = posted.headers.get('location')!
      assert.match(resume, /^\/oauth2\/authorization\?resume=[\w-]{22}$/, 'continued by a GET that names only an id')
      const callback = await authorize(browser, `${server.base}${resume}`, ann)
      const code = callback.searchParams.get('code')
      assert.ok(code, callback.href)
      assert.equal(callback.searchParams.get('state'), 'st4te')
      const tokens = await redeem(code, thirdParty)
      assert.equal(tokens.status, 200, JSON.stringify(tokens.body))
      const idToken = jwtPayload(tokens.body.id_token!)
      assert.equal(idToken.sub, ann.id)
      assert.equal(idToken.nonce, 'posted-n0nce')
      assert.equal(idToken.aud, thirdParty.client_id)
      assert.ok(tokens.body.refresh_token)
    })

    test('a posted request from a signed-in browser needs no sign-in; the consent page carries it in its form', async () => {
      const browser = await signedIn(bob)
      const posted = await post(browser, params({ nonce: 'second' }, thirdParty))
      const resume = posted.headers.get('location')!
      const resumed = await browser.request(resume)
      assert.equal(resumed.status, 200)
      const page = await resumed.text()
      assert.match(page, /Allow access\?/)
      assert.equal((await browser.request(resume)).status, 400, 'the form holds the request now; the cookie is gone')
      assert.equal(new URLSearchParams(hiddenField(page, 'authorization')).get('nonce'), 'second')
      const decided = await browser.request('/oauth2/authorization/consent', {
        form: { _csrf: hiddenField(page, '_csrf'), authorization: hiddenField(page, 'authorization'), decision: 'allow' }
      })
      const code = callbackOf(decided).searchParams.get('code')!
      assert.equal(jwtPayload((await redeem(code, thirdParty)).body.id_token!).sub, bob.id)
    })

    test('a posted request gets the same checks: repeated parameter, bad PKCE, unknown client, wrong redirect_uri', async () => {
      const repeated = await rawPost(`${new URLSearchParams(params())}&scope=openid`)
      assert.equal(repeated.status, 303)
      assert.equal(callbackOf(repeated).searchParams.get('error'), 'invalid_request')
      assert.match(callbackOf(repeated).searchParams.get('error_description')!, /scope was given more than once/)

      const plain = await post(new Browser(server.base), params({ code_challenge_method: 'plain' }))
      assert.equal(callbackOf(plain).searchParams.get('error'), 'invalid_request')
      const unsupported = await post(new Browser(server.base), params({ response_type: 'token' }))
      assert.equal(callbackOf(unsupported).searchParams.get('error'), 'unsupported_response_type')

      for (const wrong of [{ client_id: 'nobody' }, { redirect_uri: 'https://evil.example/callback' }] as Record<string, string>[]) {
        const response = await post(new Browser(server.base), params(wrong))
        assert.equal(response.status, 400, JSON.stringify(wrong))
        assert.equal(response.headers.get('location'), null)
        assert.match(response.headers.get('content-type')!, /text\/html/)
      }
      const twoClients = await rawPost(`${new URLSearchParams(params())}&client_id=${thirdParty.client_id}`)
      assert.equal(twoClients.status, 400, 'client_id given twice: an error page, never a redirect')
    })

    test('prompt=none posted without a signed-in user comes back as login_required', async () => {
      const browser = new Browser(server.base)
      const posted = await post(browser, params({ prompt: 'none' }))
      assert.equal(posted.status, 303)
      const answer = await browser.request(posted.headers.get('location')!)
      assert.equal(callbackOf(answer).searchParams.get('error'), 'login_required')
    })

    test('a JSON body is refused with a page, not taken for a form', async () => {
      const response = await fetch(`${server.base}/oauth2/authorization`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(params()),
        redirect: 'manual'
      })
      assert.equal(response.status, 400)
      assert.match(response.headers.get('content-type')!, /text\/html/)
    })
  })

  describe('a request held across sign-in', () => {
    test('the sign-in redirect names only an id: no nonce, state, login_hint or any other parameter of the request', async () => {
      const secrets = { nonce: 'nonce-not-for-logs-7f3a', state: 'state-not-for-logs-91c2', login_hint: 'hint-not-for-logs@example.com' }
      for (const start of [
        async (browser: Browser) => {
          const response = await browser.request(authorizationUrl(secrets))
          return { response, cookies: response.headers.getSetCookie() }
        },
        async (browser: Browser) => {
          const posted = await post(browser, params(secrets))
          const response = await browser.request(posted.headers.get('location')!)
          return { response, cookies: posted.headers.getSetCookie() }
        }
      ]) {
        const browser = new Browser(server.base)
        const { response, cookies } = await start(browser)
        assert.equal(response.status, 303)
        const location = response.headers.get('location')!
        const signIn = new URL(location, server.base)
        assert.equal(signIn.pathname, '/auth/local/login')
        assert.deepEqual([...signIn.searchParams.keys()], ['returnTo'])
        assert.match(signIn.searchParams.get('returnTo')!, /^\/oauth2\/authorization\?resume=[\w-]{22}$/)
        for (const value of [...Object.values(secrets), firstParty.client_id, 'code_challenge', 'redirect_uri', encodeURIComponent(redirectUri)]) {
          assert.ok(!location.includes(value) && !decodeURIComponent(location).includes(value), `${value} in ${location}`)
        }
        const cookie = cookies.find((line) => line.startsWith('moneypenny-authz-'))
        assert.ok(cookie, 'held in a cookie of its own')
        for (const attribute of [/; HttpOnly/i, /; SameSite=Lax/i, /; Path=\//i, /; Max-Age=600/i]) assert.match(cookie, attribute)
        for (const value of Object.values(secrets)) assert.ok(!cookie.includes(value), 'sealed, not readable')
      }
    })

    test('an anonymous GET or POST of the authorization endpoint writes nothing to the store', async () => {
      const before = await server.store.exportAll()
      const writesBefore = sessionWrites
      const rowsBefore = browserSessionRows(server)
      for (let i = 0; i < 10; i += 1) {
        const browser = new Browser(server.base)
        const got = await browser.request(authorizationUrl({ state: `visit-${i}` }))
        assert.equal(got.status, 303)
        const posted = await post(browser, params({ state: `posted-${i}` }))
        assert.equal(posted.status, 303)
        assert.equal((await browser.request(posted.headers.get('location')!)).status, 303, 'resumed: off to sign in')
        assert.equal((await browser.request(new URL(got.headers.get('location')!, server.base).href)).status, 200, 'the sign-in page')
      }
      assert.equal(sessionWrites, writesBefore, 'no browser session was written')
      assert.equal(browserSessionRows(server), rowsBefore)
      assert.deepEqual(await server.store.exportAll(), before)
    })

    test('resuming an unknown, tampered, moved or answered request is a 400 page that says to start again', async () => {
      const startAgain = async (browser: Browser, url: string, label: string) => {
        const response = await browser.request(url)
        assert.equal(response.status, 400, label)
        assert.equal(response.headers.get('location'), null, label)
        assert.match(response.headers.get('content-type')!, /text\/html/, label)
        assert.match(await response.text(), /Go back to the app and start again/, label)
      }
      await startAgain(new Browser(server.base), '/oauth2/authorization?resume=AAAAAAAAAAAAAAAAAAAAAA', 'unknown id')
      await startAgain(new Browser(server.base), '/oauth2/authorization?resume=not-an-id', 'malformed id')
      await startAgain(new Browser(server.base), '/oauth2/authorization?resume=a&resume=b', 'two ids')

      const held = await new Browser(server.base).request(authorizationUrl())
      const returnTo = new URL(held.headers.get('location')!, server.base).searchParams.get('returnTo')!
      const id = returnTo.split('=')[1]!
      const [pair] = held.headers.getSetCookie().find((line) => line.startsWith(`moneypenny-authz-${id}=`))!.split(';')
      const value = pair!.slice(pair!.indexOf('=') + 1)
      const tamperedValue = `${value.slice(0, 30)}${value[30] === 'A' ? 'B' : 'A'}${value.slice(31)}`
      const resumeWith = (cookie: string) =>
        fetch(`${server.base}${returnTo}`, { headers: { cookie }, redirect: 'manual' }).then(async (response) => ({ status: response.status, text: await response.text() }))

      assert.equal((await resumeWith(`moneypenny-authz-${id}=${value}`)).status, 303, 'the genuine cookie resumes (to sign-in)')
      for (const [label, cookie] of [
        ['tampered', `moneypenny-authz-${id}=${tamperedValue}`],
        ['under another id', `moneypenny-authz-BBBBBBBBBBBBBBBBBBBBBB=${value}`],
        ['empty', `moneypenny-authz-${id}=`],
        ['junk', `moneypenny-authz-${id}=%%%;`]
      ] as const) {
        const answer = await resumeWith(cookie)
        assert.equal(answer.status, 400, label)
        assert.match(answer.text, /start again/, label)
      }

      // Answered: the cookie is cleared, and the same id does not come back to life.
      const browser = new Browser(server.base)
      const first = await browser.request(authorizationUrl())
      const resume = new URL(first.headers.get('location')!, server.base).searchParams.get('returnTo')!
      await browser.signIn(ann.username, ann.password, resume)
      const done = await browser.request(resume)
      assert.ok(callbackOf(done).searchParams.get('code'))
      assert.ok(done.headers.getSetCookie().some((line) => /^moneypenny-authz-[\w-]{22}=;/.test(line)), 'cleared')
      await startAgain(browser, resume, 'answered')
    })

    test('a request too large to hold in a cookie goes back to the client as invalid_request', async () => {
      const large = { nonce: 'n'.repeat(2000), login_hint: 'l'.repeat(2000) }
      const got = await new Browser(server.base).request(authorizationUrl(large))
      assert.equal(callbackOf(got).searchParams.get('error'), 'invalid_request')
      assert.equal(callbackOf(got).searchParams.get('error_description'), 'request too large')
      assert.ok(!got.headers.getSetCookie().some((line) => line.startsWith('moneypenny-authz-')), 'nothing held')
      const posted = await post(new Browser(server.base), params(large))
      assert.equal(posted.status, 303)
      assert.equal(callbackOf(posted).searchParams.get('error_description'), 'request too large')
      // A signed-in user needs nothing held: the same request is answered at once.
      const browser = await signedIn(ann)
      assert.ok(callbackOf(await browser.request(authorizationUrl(large))).searchParams.get('code'))
    })

    test('a browser keeps at most three held requests: the oldest goes', async () => {
      const browser = new Browser(server.base)
      const ids: string[] = []
      for (let i = 0; i < 5; i += 1) {
        const response = await browser.request(authorizationUrl({ state: `tab-${i}` }))
        ids.push(new URL(response.headers.get('location')!, server.base).searchParams.get('returnTo')!)
        await new Promise((resolve) => setTimeout(resolve, 2))
      }
      const statuses = []
      for (const resume of ids) statuses.push((await browser.request(resume)).status)
      assert.deepEqual(statuses, [400, 400, 303, 303, 303])
    })
  })

  describe('login_hint (OIDC Core §3.1.2.1)', () => {
    test('prefills the username of the sign-in page, escaped; it is only a hint', async () => {
      for (const [hint, shown] of [
        [bob.email, bob.email],
        // The renderer escapes what could end the attribute or open a tag; a bare > inside a quoted value opens nothing.
        ['"><script>x</script>', '&quot;>&lt;script>x&lt;/script>'],
        ['x'.repeat(300), ''],
        ['', '']
      ] as const) {
        const browser = new Browser(server.base)
        const first = await browser.request(authorizationUrl({ login_hint: hint }))
        const signInUrl = new URL(first.headers.get('location')!, server.base)
        const page = await (await browser.request(signInUrl.pathname + signInUrl.search)).text()
        // An empty value is rendered as a bare attribute.
        const value = shown === '' ? 'value(="")?[ />]' : `value="${shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`
        assert.match(page, new RegExp(`<input id="username" name="username"[^>]* ${value}`), hint.slice(0, 20))
      }
      // A hint is no more than that: signing in as someone else answers the request for them.
      const browser = new Browser(server.base)
      const callback = await authorize(browser, `${server.base}${authorizationUrl({ login_hint: bob.email })}`, ann)
      assert.equal(jwtPayload((await redeem(callback.searchParams.get('code')!)).body.id_token!).sub, ann.id)
    })

    test('a posted login_hint prefills too', async () => {
      const browser = new Browser(server.base)
      const posted = await post(browser, params({ login_hint: ann.username }))
      const resumed = await browser.request(posted.headers.get('location')!)
      const signInUrl = new URL(resumed.headers.get('location')!, server.base)
      const page = await (await browser.request(signInUrl.pathname + signInUrl.search)).text()
      assert.equal(/<input id="username" name="username"[^>]* value="([^"]*)"/.exec(page)![1], ann.username)
    })
  })

  describe('id_token_hint (OIDC Core §3.1.2.1)', () => {
    let annIdToken: string
    before(async () => {
      annIdToken = await idTokenFor(ann)
    })

    test('with prompt=none: a hint naming the signed-in user (an expired ID token is still a good hint) gets a code; naming another is login_required', async () => {
      const annsBrowser = await signedIn(ann)
      assert.ok(callbackOf(await annsBrowser.request(authorizationUrl({ id_token_hint: annIdToken, prompt: 'none' }))).searchParams.get('code'))
      const expired = await signedIdToken({ sub: ann.id })
      assert.ok(callbackOf(await annsBrowser.request(authorizationUrl({ id_token_hint: expired, prompt: 'none' }))).searchParams.get('code'))

      const browser = await signedIn(bob)
      const callback = callbackOf(await browser.request(authorizationUrl({ id_token_hint: annIdToken, prompt: 'none' })))
      assert.equal(callback.searchParams.get('error'), 'login_required')
      assert.equal(callback.searchParams.get('error_description'), 'id_token_hint and authenticated subject do not match')
      assert.equal(callback.searchParams.get('code'), null)
      const posted = await post(browser, params({ id_token_hint: annIdToken, prompt: 'none' }))
      assert.equal(callbackOf(await browser.request(posted.headers.get('location')!)).searchParams.get('error'), 'login_required')
    })

    test('without prompt=none, the other user is sent to sign in; signing in as someone else than the hint is login_required', async () => {
      const browser = await signedIn(bob)
      const first = await browser.request(authorizationUrl({ id_token_hint: annIdToken }))
      assert.equal(first.status, 303)
      const resume = new URL(first.headers.get('location')!, server.base).searchParams.get('returnTo')!
      assert.equal((await browser.signIn(bob.username, bob.password, resume)).status, 303)
      const callback = callbackOf(await browser.request(resume))
      assert.equal(callback.searchParams.get('error'), 'login_required')
      assert.equal(callback.searchParams.get('error_description'), 'id_token_hint and authenticated subject do not match')
    })

    test('signing in as the hinted user answers the request for them', async () => {
      const browser = await signedIn(bob)
      const callback = await authorize(browser, `${server.base}${authorizationUrl({ id_token_hint: annIdToken })}`, ann)
      const tokens = await redeem(callback.searchParams.get('code')!)
      assert.equal(jwtPayload(tokens.body.id_token!).sub, ann.id)
      // Not signed in at all: sign in, as the hinted user, and the request is answered.
      const fresh = await authorize(new Browser(server.base), `${server.base}${authorizationUrl({ id_token_hint: annIdToken })}`, ann)
      assert.ok(fresh.searchParams.get('code'))
    })

    test('a hint this server did not issue to this client is invalid_request, whoever is signed in', async () => {
      const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
      const [header, payload, signature] = annIdToken.split('.')
      const otherSignature = (await idTokenFor(bob)).split('.')[2]
      const accessToken = (await redeem((await authorize(new Browser(server.base), `${server.base}${authorizationUrl()}`, ann)).searchParams.get('code')!)).body.access_token!
      const hints: [string, string | Promise<string>][] = [
        ['signed by another key under our kid', signedIdToken({ sub: ann.id }, attacker)],
        ['another signature', `${header}.${payload}.${otherSignature}`],
        ['a payload changed', `${header}.${Buffer.from(JSON.stringify({ ...jwtPayload(annIdToken), sub: bob.id })).toString('base64url')}.${signature}`],
        ['another issuer', signedIdToken({ sub: ann.id, iss: 'https://other.example' })],
        ['issued to another client', signedIdToken({ sub: ann.id, aud: thirdParty.client_id })],
        ['an access token (typ at+jwt)', accessToken],
        ['unsigned', `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`],
        ['garbage', 'not-a-jwt']
      ]
      for (const [label, hint] of hints) {
        for (const browser of [new Browser(server.base), await signedIn(ann)]) {
          const callback = callbackOf(await browser.request(authorizationUrl({ id_token_hint: await hint })))
          assert.equal(callback.searchParams.get('error'), 'invalid_request', label)
          assert.equal(callback.searchParams.get('error_description'), 'could not validate id_token_hint', label)
        }
      }
    })
  })
})

describe('held requests under https (PUBLIC_URL https, behind a TLS-terminating proxy)', () => {
  let t: TestApp
  before(async () => {
    t = await buildTestApp({ PUBLIC_URL: 'https://auth.example', TRUST_PROXY: 'true' })
  })
  after(() => t.close())

  test('the held request cookie is __Host-, Secure, HttpOnly, SameSite=Lax, Path=/, and resumes', async () => {
    const proxied = { 'x-forwarded-proto': 'https' }
    const client = (await t.app.inject({
      method: 'POST',
      url: '/api/v1/clients',
      headers: { authorization: `Bearer ${await adminToken(t.app)}` },
      payload: { redirect_uris: [redirectUri], first_party: true }
    })).json() as { client_id: string }
    const query = new URLSearchParams({ client_id: client.client_id, redirect_uri: redirectUri, response_type: 'code', scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256' })
    const held = await t.app.inject({ url: `/oauth2/authorization?${query}`, headers: proxied })
    assert.equal(held.statusCode, 303)
    const cookie = ([] as string[]).concat(held.headers['set-cookie'] ?? []).find((line) => line.startsWith('__Host-moneypenny-authz-'))
    assert.ok(cookie, String(held.headers['set-cookie']))
    for (const attribute of [/; Secure/i, /; HttpOnly/i, /; SameSite=Lax/i, /; Path=\/(;|$)/i]) assert.match(cookie, attribute)
    assert.doesNotMatch(cookie, /; Domain=/i)
    const returnTo = new URL(held.headers.location as string, 'https://auth.example').searchParams.get('returnTo')!
    const resumed = await t.app.inject({ url: returnTo, headers: { ...proxied, cookie: cookie.split(';')[0]! } })
    assert.equal(resumed.statusCode, 303, 'found again: off to sign in')
    const page = await t.app.inject({ url: `/auth/local/login?returnTo=${encodeURIComponent(returnTo)}`, headers: proxied })
    assert.equal(page.statusCode, 200)
    assert.equal((await t.app.inject({ url: returnTo, headers: proxied })).statusCode, 400, 'not without its cookie')
  })
})
