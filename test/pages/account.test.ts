import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { readableUserAgent } from '../../src/pages/user-agent.js'
import { userWithTotp } from '../mfa/fixture.js'
import { Browser, hiddenField, jwtPayload, registerUser, signIn, startServer, storedPasskey, type ListeningApp } from '../helpers.js'

type Person = Awaited<ReturnType<typeof registerUser>>

/** The messages listed at the top of a refused form, each as `field: words` (`form` when it names no field). */
function listedProblems(html: string): string[] {
  const summary = /<div class="error" role="alert" id="account-problems">(.*?)<\/div>/.exec(html)
  assert.ok(summary, 'the problems are listed at the top')
  return [...summary[1]!.matchAll(/<li>(?:<a href="#(\w+)">)?([^<]*)/g)].map((match) => `${match[1] ?? 'form'}: ${match[2]}`)
}

describe('the account console', () => {
  let server: ListeningApp

  before(async () => {
    server = await startServer()
  })
  after(() => server.close())

  const authorise = (token: string) => server.app.inject({ url: '/authorise', headers: { authorization: `Bearer ${token}` } })

  /** A person signed in on the sign-in page of a browser of their own. */
  async function signedIn(person: Person, userAgent?: string): Promise<Browser> {
    const browser = new Browser(server.base)
    const headers: Record<string, string> = userAgent === undefined ? {} : { 'user-agent': userAgent }
    const page = await browser.request('/auth/local/login', { headers })
    const form = { _csrf: hiddenField(await page.text(), '_csrf'), username: person.username, password: person.password }
    assert.equal((await browser.request('/auth/local/login', { form, headers })).status, 303)
    return browser
  }

  /** The console, and a form of it posted with the page's CSRF token. */
  async function post(browser: Browser, path: string, fields: Record<string, string>): Promise<Response> {
    const page = await browser.request('/account')
    assert.equal(page.status, 200)
    return browser.request(path, { form: { _csrf: hiddenField(await page.text(), '_csrf'), ...fields } })
  }

  async function stillSignsIn(person: Person, password: string): Promise<boolean> {
    return (await server.app.inject({ method: 'POST', url: '/api/v1/auth/local/authenticate', payload: { username: person.username, password } })).statusCode === 200
  }

  test('a person not signed in is sent to the sign-in page, which comes back to the console', async () => {
    const response = await server.app.inject({ url: '/account' })
    assert.equal(response.statusCode, 303)
    assert.equal(response.headers.location, '/auth/local/login?returnTo=%2Faccount')
    const form = await server.app.inject({ method: 'POST', url: '/account/password', payload: { currentPassword: 'x' } })
    assert.equal(form.statusCode, 403, 'a form post without a CSRF token changes nothing')
  })

  test('the console shows the profile, this browser (named from its user agent), token sessions and the sections, under the pages policy', async () => {
    const person = await registerUser(server.app)
    await signIn(server.app, person.username, person.password)
    const browser = await signedIn(person, 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0')
    const response = await browser.request('/account')
    assert.equal(response.status, 200)
    assert.match(String(response.headers.get('content-security-policy')), /^default-src 'none'/)
    const html = await response.text()
    assert.match(html, /<h1>Your account<\/h1>/)
    assert.match(html, new RegExp(`<dd>${person.username}</dd>`))
    assert.match(html, /Firefox on Linux <strong class="badge">This browser<\/strong>/)
    assert.match(html, /<p class="ending-title">API token<\/p>/, 'the token session of the JSON sign-in')
    for (const section of ['profile', 'password', 'twoStep', 'passkeys', 'sessions', 'apps']) assert.match(html, new RegExp(`<section id="${section}"`))
    assert.match(html, /<a class="account-link" href="\/account" aria-current="page">Your account<\/a>/)
    const otherPage = await (await browser.request('/auth/local/register')).text()
    assert.match(otherPage, /<a class="account-link" href="\/account">Your account<\/a>/, 'every end-user page links the console while signed in')
    const signedOut = await server.app.inject({ url: '/auth/local/register' })
    assert.doesNotMatch(signedOut.body, /account-link/)
  })

  test('a wrong current password is refused, listed at the top and at its field, and changes nothing', async () => {
    const person = await registerUser(server.app)
    const { accessToken } = await signIn(server.app, person.username, person.password)
    const browser = await signedIn(person)
    const response = await post(browser, '/account/password', { currentPassword: 'not-the-password', newPassword: 'a-new-password-1', repeatPassword: 'a-new-password-1' })
    assert.equal(response.status, 401)
    const html = await response.text()
    assert.deepEqual(listedProblems(html), ['currentPassword: Your current password is not right.'])
    assert.match(html, /<input id="currentPassword" name="currentPassword" aria-invalid="true" aria-describedby="currentPassword-problem"/)
    assert.ok(await stillSignsIn(person, person.password))
    assert.ok(!(await stillSignsIn(person, 'a-new-password-1')))
    assert.equal((await authorise(accessToken)).statusCode, 200, 'no session was ended')
    assert.equal((await browser.details()).status, 200)
  })

  test('a new password that breaks the rules or is not repeated is refused with both problems', async () => {
    const person = await registerUser(server.app)
    const browser = await signedIn(person)
    const response = await post(browser, '/account/password', { currentPassword: person.password, newPassword: 'short', repeatPassword: 'other' })
    assert.equal(response.status, 400)
    assert.deepEqual(listedProblems(await response.text()), ['newPassword: Choose a new password of 8 to 1,024 characters.', 'repeatPassword: The two new passwords are not the same.'])
    assert.ok(await stillSignsIn(person, person.password))
  })

  test('a password change ends every other browser and token session, and keeps this browser signed in under a new session id', async () => {
    const person = await registerUser(server.app)
    const { accessToken } = await signIn(server.app, person.username, person.password)
    const other = await signedIn(person)
    const browser = await signedIn(person)
    const before = await server.store.browserSessions.listByUser(person.id, Date.now())
    assert.equal(before.length, 2)
    const response = await post(browser, '/account/password', { currentPassword: person.password, newPassword: 'a-new-password-2', repeatPassword: 'a-new-password-2' })
    assert.equal(response.status, 303)
    assert.equal(response.headers.get('location'), '/account?done=password-changed')
    const console = await browser.request('/account?done=password-changed')
    assert.equal(console.status, 200)
    assert.match(await console.text(), /<p class="done" role="status">Your password was changed\./)
    assert.equal((await other.details()).status, 401, 'the other browser is signed out')
    assert.equal((await authorise(accessToken)).statusCode, 401, 'the token of the other sign-in is refused')
    const after = await server.store.browserSessions.listByUser(person.id, Date.now())
    assert.equal(after.length, 1)
    assert.ok(!before.some((session) => session.id === after[0]!.id), 'this browser has a new session id')
    assert.ok(await stillSignsIn(person, 'a-new-password-2'))
    assert.ok(!(await stillSignsIn(person, person.password)))
  })

  test("a token session's last use is its last refresh, never an /authorise check", async () => {
    const person = await registerUser(server.app)
    const { accessToken, refreshToken } = await signIn(server.app, person.username, person.password)
    const browser = await signedIn(person)
    assert.equal((await authorise(accessToken)).statusCode, 200)
    const beforeRefresh = await (await browser.request('/account')).text()
    assert.match(beforeRefresh, /<p class="hint">Started [^<]*<\/p>/)
    assert.doesNotMatch(beforeRefresh, /Started [^<]*last used/, 'a check is no use the store hears of')
    assert.equal((await server.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } })).statusCode, 200)
    assert.match(await (await browser.request('/account')).text(), /<p class="hint">Started [^<]*, last used [^<]*<\/p>/)
  })

  test('ending a token session makes /authorise refuse its token', async () => {
    const person = await registerUser(server.app)
    const { accessToken } = await signIn(server.app, person.username, person.password)
    const browser = await signedIn(person)
    const response = await post(browser, '/account/token-sessions/end', { id: String(jwtPayload(accessToken).sid) })
    assert.equal(response.status, 303)
    assert.equal(response.headers.get('location'), '/account?done=session-ended')
    assert.equal((await authorise(accessToken)).statusCode, 401)
  })

  test('ending another browser session of the same person signs that browser out', async () => {
    const person = await registerUser(server.app)
    const other = await signedIn(person)
    const browser = await signedIn(person)
    const html = await (await browser.request('/account')).text()
    const browsers = html.split('<li class="ending">').filter((item) => item.includes('action="/account/browser-sessions/end"'))
    assert.equal(browsers.length, 2)
    const otherItem = browsers.find((item) => !item.includes('class="badge"'))!
    const otherSession = { id: hiddenField(otherItem, 'id') }
    const response = await post(browser, '/account/browser-sessions/end', { id: otherSession.id })
    assert.equal(response.status, 303)
    assert.equal((await other.details()).status, 401)
    assert.equal((await browser.details()).status, 200)
  })

  test("another person's sessions and consents are not found (404), and stay as they were", async () => {
    const victim = await registerUser(server.app)
    const { accessToken } = await signIn(server.app, victim.username, victim.password)
    const victimBrowser = await signedIn(victim)
    const [victimSession] = await server.store.browserSessions.listByUser(victim.id, Date.now())
    const attacker = await signedIn(await registerUser(server.app))
    const token = await post(attacker, '/account/token-sessions/end', { id: String(jwtPayload(accessToken).sid) })
    assert.equal(token.status, 404)
    assert.deepEqual(listedProblems(await token.text()), ['form: This was not found. It may have ended already.'])
    assert.equal((await post(attacker, '/account/browser-sessions/end', { id: victimSession!.id })).status, 404)
    assert.equal((await post(attacker, '/account/apps/withdraw', { clientId: 'no-such-client' })).status, 404)
    assert.equal((await authorise(accessToken)).statusCode, 200)
    assert.equal((await victimBrowser.details()).status, 200)
  })

  test('recovery codes are made anew for a code, and the factor is turned off with the password; wrong ones change nothing', async () => {
    const person = await userWithTotp(server.app)
    const browser = new Browser(server.base)
    assert.equal((await browser.signIn(person.username, person.password)).headers.get('location'), '/auth/local/login/code')
    const codePage = await (await browser.request('/auth/local/login/code')).text()
    assert.equal((await browser.request('/auth/local/login/code', { form: { _csrf: hiddenField(codePage, '_csrf'), code: person.recoveryCodes[0]! } })).status, 303)

    const wrongCode = await post(browser, '/account/two-step/recovery-codes', { code: '000000' })
    assert.equal(wrongCode.status, 401)
    assert.deepEqual(listedProblems(await wrongCode.text()), ['code: That code is not right, or it was already used. Enter the code the app shows now.'])
    const codes = await post(browser, '/account/two-step/recovery-codes', { code: person.recoveryCodes[1]! })
    assert.equal(codes.status, 200)
    assert.equal([...(await codes.text()).matchAll(/<li><code>/g)].length, 10)
    assert.equal((await server.app.mfa.status(person.id)).recoveryCodesLeft, 10, 'the old codes were replaced')

    const wrongPassword = await post(browser, '/account/two-step/remove', { removalCode: '', removalPassword: 'not-the-password' })
    assert.equal(wrongPassword.status, 401)
    assert.deepEqual(listedProblems(await wrongPassword.text()), ['removalPassword: Enter a code from your authenticator app, a recovery code or your password.'])
    assert.ok(await server.app.mfa.isEnabled(person.id))
    const removed = await post(browser, '/account/two-step/remove', { removalCode: '', removalPassword: person.password })
    assert.equal(removed.status, 303)
    assert.equal(removed.headers.get('location'), '/account?done=two-step-off')
    assert.ok(!(await server.app.mfa.isEnabled(person.id)))
  })

  test("passkeys: renamed by their owner only; a bad name, a forged answer and someone else's passkey change nothing", async () => {
    const [owner, other] = [await registerUser(server.app), await registerUser(server.app)]
    await server.app.store.passkeys.add(storedPasskey(owner.id, 'cred-owner'))
    await server.app.store.passkeys.add(storedPasskey(other.id, 'cred-other'))
    const browser = await signedIn(owner)
    assert.match(await (await browser.request('/account')).text(), /<p class="ending-title">Laptop<\/p><p class="hint">On one device · Added [^<]+ · never used<\/p>/)
    assert.equal((await post(browser, '/account/passkeys/rename', { id: 'cred-other', name: 'Mine' })).status, 404)
    assert.equal((await post(browser, '/account/passkeys/remove', { id: 'cred-other' })).status, 404)
    assert.equal((await post(browser, '/account/passkeys/rename', { id: 'cred-owner', name: '   ' })).status, 400)
    assert.equal((await post(browser, '/account/passkeys/remove', { id: '../x' })).status, 400)
    const answer = (clientData: object) =>
      JSON.stringify({ id: 'x', rawId: 'x', type: 'public-key', clientExtensionResults: {}, response: { clientDataJSON: Buffer.from(JSON.stringify(clientData)).toString('base64url'), attestationObject: 'AA' } })
    assert.equal((await post(browser, '/account/passkeys', { passkeyName: 'Phone', credential: answer({}) })).status, 400, 'no challenge in it')
    const forged = await post(browser, '/account/passkeys', { passkeyName: 'Phone', credential: answer({ type: 'webauthn.create', challenge: 'never-issued', origin: server.base }) })
    assert.equal(forged.status, 401)
    assert.deepEqual(listedProblems(await forged.text()), ['form: The passkey was not added. Try again.'])
    const unnamed = await post(browser, '/account/passkeys', { passkeyName: '', credential: '{}' })
    assert.deepEqual([unnamed.status, listedProblems(await unnamed.text())], [400, ['passkeyName: Give the passkey a name of up to 64 characters.']])
    assert.deepEqual((await server.app.passkeys.list(other.id)).map((passkey) => passkey.name), ['Laptop'])
    assert.equal((await post(browser, '/account/passkeys/rename', { id: 'cred-owner', name: 'Old laptop' })).headers.get('location'), '/account?done=passkey-renamed')

    assert.deepEqual((await server.app.passkeys.list(owner.id)).map((passkey) => passkey.name), ['Old laptop'])
  })

  test('bad ids and bodies are refused with 400 and change nothing', async () => {
    const person = await registerUser(server.app)
    const browser = await signedIn(person)
    for (const [path, fields] of [
      ['/account/token-sessions/end', { id: '../../etc' }],
      ['/account/browser-sessions/end', { id: 'x'.repeat(65) }],
      ['/account/apps/withdraw', {}],
      ['/account/password', { currentPassword: person.password, newPassword: 'a-new-password-3', repeatPassword: 'a-new-password-3', extra: '1' }],
      ['/account/two-step/remove', {}]
    ] as const) {
      const response = await post(browser, path, fields)
      assert.equal(response.status, 400, path)
      assert.equal(listedProblems(await response.text()).length, 1, path)
    }
    assert.ok(await stillSignsIn(person, person.password))
    // An unknown `done` shows no message at all.
    const page = await browser.request('/account?done=%3Cscript%3E')
    assert.equal(page.status, 200)
    assert.doesNotMatch(await page.text(), /role="status"/)
  })
})

describe('user agents in words', () => {
  test('known browsers and systems are named, in the order that tells them apart; any other text is never repeated', () => {
    const cases: [string | null, { browser: string | null; system: string | null }][] = [
      ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0', { browser: 'Edge', system: 'Windows' }],
      ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36', { browser: 'Chrome', system: 'Android' }],
      ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15', { browser: 'Safari', system: 'macOS' }],
      ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/128.0 Mobile/15E148 Safari/605.1.15', { browser: 'Firefox', system: 'iPhone' }],
      ['<script>alert(1)</script>', { browser: null, system: null }],
      [null, { browser: null, system: null }]
    ]
    for (const [header, expected] of cases) assert.deepEqual(readableUserAgent(header), expected, String(header))
  })
})
