import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { Browser, hiddenField, registerUser, startServer, type ListeningApp } from '../helpers.js'

describe('the browser sign-in page', () => {
  let server: ListeningApp
  let user: { username: string; password: string; id: string }

  before(async () => {
    server = await startServer()
    user = await registerUser(server.app)
  })
  after(() => server.close())

  test('signs in, sets an HttpOnly SameSite=Lax cookie, and lands on /auth/details', async () => {
    const browser = new Browser(server.base)
    const signedIn = await browser.signIn(user.username, user.password)
    assert.equal(signedIn.status, 303)
    assert.equal(signedIn.headers.get('location'), '/auth/details')
    const cookie = signedIn.headers.getSetCookie().join('\n')
    assert.match(cookie, /HttpOnly/i)
    assert.match(cookie, /SameSite=Lax/i)
    const details = await browser.request('/auth/details')
    assert.equal(details.status, 200)
    assert.equal(((await details.json()) as { id: string }).id, user.id)
  })

  test('the session id changes at sign-in (no fixation)', async () => {
    const browser = new Browser(server.base)
    const sessionCookie = (response: Response) => response.headers.getSetCookie().find((line) => line.startsWith('moneypenny='))?.split(';')[0]
    // The sign-in page itself starts no session; a browser that already has one (signed in before) gets a new id.
    assert.equal(sessionCookie(await browser.request('/auth/local/login')), undefined)
    const before = sessionCookie(await browser.signIn(user.username, user.password))
    assert.ok(before)
    const page = await browser.request('/auth/local/login')
    const html = await page.text()
    const signedIn = await browser.request('/auth/local/login', { form: { _csrf: hiddenField(html, '_csrf'), username: user.username, password: user.password } })
    assert.equal(signedIn.status, 303)
    const afterSignIn = sessionCookie(signedIn)
    assert.ok(afterSignIn)
    assert.notEqual(afterSignIn, before)
  })

  test('a form without the CSRF token is refused and signs nobody in', async () => {
    const browser = new Browser(server.base)
    await browser.request('/auth/local/login')
    const response = await browser.request('/auth/local/login', { form: { username: user.username, password: user.password } })
    assert.equal(response.status, 403)
    assert.equal((await browser.request('/auth/details')).status, 401)
  })

  test('unknown user and wrong password show the same page', async () => {
    const wrong = await new Browser(server.base).signIn(user.username, 'not-the-password')
    const unknown = await new Browser(server.base).signIn('nobody-here', 'not-the-password')
    assert.equal(wrong.status, 401)
    assert.equal(unknown.status, 401)
    const message = (html: string) => /role="alert"[^>]*>([^<]*)</.exec(html)![1]
    assert.equal(message(await wrong.text()), message(await unknown.text()))
  })

  for (const returnTo of ['//evil.example/x', '/\\evil.example', 'https://evil.example/', '/%0d%0aLocation:x'.replace('%0d%0a', '\r\n')]) {
    test(`returnTo ${JSON.stringify(returnTo)} is not followed (no open redirect)`, async () => {
      const browser = new Browser(server.base)
      const page = await (await browser.request(`/auth/local/login?returnTo=${encodeURIComponent(returnTo)}`)).text()
      const response = await browser.request('/auth/local/login', {
        form: { _csrf: hiddenField(page, '_csrf'), username: user.username, password: user.password, returnTo }
      })
      assert.equal(response.status, 303)
      assert.equal(response.headers.get('location'), '/auth/details')
    })
  }

  test('a same-origin returnTo is followed', async () => {
    const response = await new Browser(server.base).signIn(user.username, user.password, '/docs?x=1')
    assert.equal(response.headers.get('location'), '/docs?x=1')
  })

  test('POST /auth/logout ends the browser session', async () => {
    const browser = new Browser(server.base)
    await browser.signIn(user.username, user.password)
    assert.equal((await browser.request('/auth/logout', { method: 'POST' })).status, 204)
    assert.equal((await browser.request('/auth/details')).status, 401)
  })
})
