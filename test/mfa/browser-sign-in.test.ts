import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { currentCode } from '../../src/services/mfa/totp.js'
import { ADMIN, Browser, hiddenField, startServer, type ListeningApp } from '../helpers.js'
import { nextCode, userWithTotp } from './fixture.js'

/** The session cookie's value in a browser, whatever its name. */
function sessionCookie(browser: Browser): string | undefined {
  return (browser as unknown as { cookies: Map<string, string> }).cookies.get('moneypenny')
}

async function postCode(browser: Browser, page: Response, code: string, action = '/auth/local/login/code'): Promise<Response> {
  const html = await page.text()
  const form: Record<string, string> = { _csrf: hiddenField(html, '_csrf'), code }
  if (html.includes('name="returnTo"')) form.returnTo = hiddenField(html, 'returnTo')
  return browser.request(action, { form })
}

describe('the browser sign-in asks for the second factor on its own step', () => {
  let server: ListeningApp
  before(async () => {
    server = await startServer()
  })
  after(() => server.close())

  test('after the password nobody is signed in; the right code signs in with a new session id and goes on to returnTo', async () => {
    const user = await userWithTotp(server.app)
    const browser = new Browser(server.base)
    const afterPassword = await browser.signIn(user.username, user.password, '/auth/details?from=test')
    assert.equal(afterPassword.status, 303)
    assert.equal(afterPassword.headers.get('location'), '/auth/local/login/code?returnTo=%2Fauth%2Fdetails%3Ffrom%3Dtest')
    assert.equal((await browser.details()).status, 401, 'nothing usable before the second step')
    const heldSession = sessionCookie(browser)

    const page = await browser.request(afterPassword.headers.get('location')!)
    assert.equal(page.status, 200)
    const html = await page.clone().text()
    assert.match(html, /<input id="code" name="code" autocomplete="one-time-code"/)
    const wrong = await postCode(browser, page, '000000')
    assert.equal(wrong.status, 401)
    assert.match(await wrong.clone().text(), /role="alert"/)
    assert.equal((await browser.details()).status, 401)

    const signedIn = await postCode(browser, wrong, nextCode(user.secret))
    assert.equal(signedIn.status, 303)
    assert.equal(signedIn.headers.get('location'), '/auth/details?from=test')
    assert.notEqual(sessionCookie(browser), heldSession, 'the session id is regenerated')
    assert.equal((await browser.details()).body.username, user.username)
  })

  test('a code used once is refused in another browser; a recovery code works once', async () => {
    const user = await userWithTotp(server.app)
    const code = nextCode(user.secret)
    const first = new Browser(server.base)
    await first.signIn(user.username, user.password)
    assert.equal((await postCode(first, await first.request('/auth/local/login/code'), code)).status, 303)
    const second = new Browser(server.base)
    await second.signIn(user.username, user.password)
    const replay = await postCode(second, await second.request('/auth/local/login/code'), code)
    assert.equal(replay.status, 401)
    assert.equal((await postCode(second, replay, user.recoveryCodes[0]!)).status, 303)
    const third = new Browser(server.base)
    await third.signIn(user.username, user.password)
    assert.equal((await postCode(third, await third.request('/auth/local/login/code'), user.recoveryCodes[0]!)).status, 401)
  })

  test('the code step without a right password first goes back to the sign-in page', async () => {
    const browser = new Browser(server.base)
    const page = await browser.request('/auth/local/login/code?returnTo=%2Fadmin')
    assert.equal(page.status, 303)
    assert.equal(page.headers.get('location'), '/auth/local/login?returnTo=%2Fadmin')
  })

  test('a user without a factor is signed in by the password alone', async () => {
    const browser = new Browser(server.base)
    const response = await browser.signIn(ADMIN.username, ADMIN.password)
    assert.equal(response.status, 303)
    assert.equal(response.headers.get('location'), '/auth/details')
    assert.equal((await browser.details()).status, 200)
  })
})

describe('MFA_REQUIRED_SCOPES in the browser: the admin console', () => {
  let server: ListeningApp
  before(async () => {
    server = await startServer({ MFA_REQUIRED_SCOPES: 'admin' })
  })
  after(() => server.close())

  test('an admin without a factor is led through enrolment, sees the recovery codes once, then reaches the console; next time the code is asked', async () => {
    const browser = new Browser(server.base)
    const console = await browser.request('/admin')
    const afterPassword = await browser.signIn(ADMIN.username, ADMIN.password, new URL(console.headers.get('location')!, server.base).searchParams.get('returnTo')!)
    assert.equal(afterPassword.headers.get('location'), '/auth/local/login/enrol?returnTo=%2Fadmin')
    assert.equal((await browser.request('/admin')).status, 303, 'not signed in yet')

    const enrol = await browser.request('/auth/local/login/enrol?returnTo=%2Fadmin')
    assert.equal(enrol.status, 200)
    const html = await enrol.clone().text()
    assert.match(html, /<svg class="qr"[^>]*role="img"/)
    const secret = /<code class="secret">([A-Z2-7 ]+)<\/code>/.exec(html)![1]!.replaceAll(' ', '')
    const again = await browser.request('/auth/local/login/enrol?returnTo=%2Fadmin')
    assert.ok((await again.clone().text()).includes(html.match(/<code class="secret">[^<]+/)![0]), 'a reload shows the same key')

    const wrong = await postCode(browser, again, '000000', '/auth/local/login/enrol')
    assert.equal(wrong.status, 400)
    const confirmed = await postCode(browser, wrong, currentCode(secret), '/auth/local/login/enrol')
    assert.equal(confirmed.status, 200)
    assert.equal(confirmed.headers.get('cache-control'), 'no-store')
    const codes = [...(await confirmed.text()).matchAll(/<li><code>([0-9A-Z-]{14})<\/code><\/li>/g)].map((match) => match[1])
    assert.equal(codes.length, 10)
    assert.equal((await browser.request('/admin')).status, 200)

    const later = new Browser(server.base)
    const step = await later.signIn(ADMIN.username, ADMIN.password, '/admin')
    assert.equal(step.headers.get('location'), '/auth/local/login/code?returnTo=%2Fadmin')
    assert.equal((await later.request('/auth/local/login/enrol?returnTo=%2Fadmin')).status, 303, 'no second enrolment')
    assert.equal((await postCode(later, await later.request(step.headers.get('location')!), codes[0]!)).headers.get('location'), '/admin')
    assert.equal((await later.request('/admin')).status, 200)
  })
})
