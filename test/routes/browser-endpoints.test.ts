import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { Browser, hiddenField, jwtPayload, registerUser, startServer, type ListeningApp } from '../helpers.js'

describe('browser sessions', () => {
  let server: ListeningApp
  before(async () => {
    server = await startServer({ DEBUG_ROUTES: 'true' })
  })
  after(() => server.close())

  describe('the sign-in form', () => {
    test('signs in with its CSRF token and lands on the page asked for', async () => {
      const user = await registerUser(server.app)
      const browser = new Browser(server.base)
      const response = await browser.signIn(user.username, user.password, '/auth/details?from=form')
      assert.equal(response.status, 303)
      assert.equal(response.headers.get('location'), '/auth/details?from=form')
      assert.equal((await browser.details()).body.id, user.id)
    })

    test('a post without the CSRF token, or with another browser\'s, is refused and signs no one in', async () => {
      const user = await registerUser(server.app)
      const browser = new Browser(server.base)
      const other = new Browser(server.base)
      const othersToken = hiddenField(await (await other.request('/auth/local/login')).text(), '_csrf')
      await browser.request('/auth/local/login')
      const forms: Record<string, string>[] = [{ username: user.username, password: user.password }, { _csrf: othersToken, username: user.username, password: user.password }]
      for (const form of forms) {
        const response = await browser.request('/auth/local/login', { form })
        assert.equal(response.status, 403)
        assert.equal((await browser.details()).status, 401)
      }
    })

    test('a new password, username or scope ends the browser session; a new email does not', async () => {
      const admin = { isAdmin: true }
      const changes = [{ password: 'a brand new password' }, { username: `renamed-${Date.now()}` }, { scope: ['admin'] }]
      for (const change of changes) {
        const user = await registerUser(server.app)
        const browser = new Browser(server.base)
        await browser.signIn(user.username, user.password)
        await server.app.accounts.update(user.id, { email: `new-${user.id}@example.test` }, admin)
        assert.equal((await browser.details()).status, 200, 'email only')
        await server.app.accounts.update(user.id, change, admin)
        assert.equal((await browser.details()).status, 401, JSON.stringify(change))
      }
    })

    test('an unknown user and a wrong password get the same page', async () => {
      const user = await registerUser(server.app)
      const pages = []
      for (const [username, password] of [[user.username, 'wrong password'], ['nobody at all', 'wrong password']] as const) {
        const response = await new Browser(server.base).signIn(username, password)
        assert.equal(response.status, 401)
        pages.push(/<p class="error"[^>]*>([^<]*)</.exec(await response.text())![1])
      }
      assert.deepEqual(pages, ['Wrong username or password.', 'Wrong username or password.'])
    })

    test('a returnTo on another origin is never followed', async () => {
      const user = await registerUser(server.app)
      for (const returnTo of ['//evil.example/', 'https://evil.example/', '/\\evil.example', '/ok\nLocation: https://evil.example']) {
        const browser = new Browser(server.base)
        const page = await (await browser.request(`/auth/local/login?returnTo=${encodeURIComponent(returnTo)}`)).text()
        assert.ok(!page.includes('name="returnTo"'), `the page keeps ${returnTo}`)
        const response = await browser.request('/auth/local/login', {
          form: { _csrf: hiddenField(page, '_csrf'), username: user.username, password: user.password, returnTo }
        })
        assert.equal(response.status, 303)
        assert.equal(response.headers.get('location'), '/auth/details', returnTo)
      }
    })
  })

  describe('GET /auth/jwt and sign-out', () => {
    test('with DEBUG_ROUTES the signed-in user gets an access token of a session of its own; signing out revokes it', async () => {
      const user = await registerUser(server.app)
      const browser = new Browser(server.base)
      await browser.signIn(user.username, user.password)
      const answers = []
      for (let i = 0; i < 2; i += 1) {
        const response = await browser.request('/auth/jwt')
        assert.equal(response.status, 200)
        answers.push((await response.json()) as { token: string; expires: string })
      }
      const sessions = answers.map(({ token }) => jwtPayload(token).sid as string)
      for (const [i, { token, expires }] of answers.entries()) {
        assert.equal(jwtPayload(token).sub, user.id)
        assert.equal(new Date(expires).getTime(), (jwtPayload(token).exp as number) * 1000)
        assert.equal((await server.store.sessions.findById(sessions[i]!))?.kind, 'browser')
        assert.equal((await fetch(`${server.base}/authorise`, { headers: { authorization: `Bearer ${token}` } })).status, 200)
      }

      assert.equal((await browser.request('/auth/logout', { method: 'POST' })).status, 204)
      assert.equal((await browser.details()).status, 401)
      assert.equal((await browser.request('/auth/jwt')).status, 401)
      for (const [i, { token }] of answers.entries()) {
        assert.ok((await server.store.sessions.findById(sessions[i]!))?.revokedAt, 'revoked in the store')
        assert.equal((await fetch(`${server.base}/authorise`, { headers: { authorization: `Bearer ${token}` } })).status, 401)
      }
    })

    test('signing out one browser leaves the tokens of another browser of the same user alone', async () => {
      const user = await registerUser(server.app)
      const [leaving, staying] = [new Browser(server.base), new Browser(server.base)]
      for (const browser of [leaving, staying]) await browser.signIn(user.username, user.password)
      const { token } = (await (await staying.request('/auth/jwt')).json()) as { token: string }
      await leaving.request('/auth/jwt')
      await leaving.request('/auth/logout', { method: 'POST' })
      assert.equal((await fetch(`${server.base}/authorise`, { headers: { authorization: `Bearer ${token}` } })).status, 200)
      assert.equal((await staying.details()).status, 200)
    })

    test('without DEBUG_ROUTES it does not exist: 404 even when signed in', async () => {
      const quiet = await startServer()
      try {
        const user = await registerUser(quiet.app)
        const browser = new Browser(quiet.base)
        await browser.signIn(user.username, user.password)
        assert.equal((await browser.details()).status, 200)
        assert.equal((await browser.request('/auth/jwt')).status, 404)
      } finally {
        await quiet.close()
      }
    })
  })
})
