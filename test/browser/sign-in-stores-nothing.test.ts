import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import Database from 'better-sqlite3'
import { ADMIN, buildTestApp, hiddenField, registerUser, type TestApp } from '../helpers.js'

/** The rows of the browser-session table, read from the SQLite file itself. */
function browserSessionRows(t: TestApp): number {
  const db = new Database((t.config.store as { path: string }).path, { readonly: true })
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM session_users').get() as { n: number }).n
  } finally {
    db.close()
  }
}

const cookieOf = (setCookie: string | string[] | undefined, name: string): string | undefined =>
  ([] as string[]).concat(setCookie ?? []).find((line) => line.startsWith(`${name}=`))?.split(';')[0]

const form = (fields: Record<string, string>) => ({ 'content-type': 'application/x-www-form-urlencoded', payload: new URLSearchParams(fields).toString() })

describe('the sign-in page stores nothing until its form is posted (stateless CSRF tokens)', () => {
  let t: TestApp
  let user: { username: string; password: string; id: string }
  /** Every write of a browser session, wherever it comes from. */
  let writes = 0

  before(async () => {
    t = await buildTestApp({ RATE_LIMIT: 'off' })
    user = await registerUser(t.app)
    const set = t.store.browserSessions.set.bind(t.store.browserSessions)
    t.store.browserSessions.set = async (...args) => {
      writes += 1
      return set(...args)
    }
  })
  after(() => t.close())

  /** The sign-in page for a browser without cookies: its CSRF cookie and the form's token. */
  async function signInPage(url = '/auth/local/login') {
    const page = await t.app.inject({ url })
    assert.equal(page.statusCode, 200)
    const cookie = cookieOf(page.headers['set-cookie'], 'moneypenny-csrf')
    assert.ok(cookie, 'the page sets the CSRF cookie')
    assert.equal(cookieOf(page.headers['set-cookie'], 'moneypenny'), undefined, 'and no session cookie')
    return { cookie, token: hiddenField(page.body, '_csrf') }
  }

  async function post(fields: Record<string, string>, cookie?: string) {
    const { 'content-type': type, payload } = form(fields)
    return t.app.inject({ method: 'POST', url: '/auth/local/login', headers: { 'content-type': type, ...(cookie ? { cookie } : {}) }, payload })
  }

  test('100 anonymous visits of the sign-in page leave the browser-session table empty and the store unchanged', async () => {
    const before = await t.store.exportAll()
    const writesBefore = writes
    const tokens = new Set<string>()
    for (let i = 0; i < 100; i += 1) {
      const { token } = await signInPage(i % 2 ? '/auth/local/login' : `/auth/local/login?returnTo=${encodeURIComponent(`/admin?visit=${i}`)}`)
      tokens.add(token)
    }
    assert.equal(tokens.size, 100, 'each browser gets its own token')
    assert.equal(writes, writesBefore, 'no browser session was written')
    assert.equal(browserSessionRows(t), 0)
    assert.deepEqual(await t.store.exportAll(), before)
  })

  test('a failed sign-in stores nothing either, and the page it shows again carries a token that still works', async () => {
    const { cookie, token } = await signInPage()
    const wrong = await post({ _csrf: token, username: user.username, password: 'not the password' }, cookie)
    assert.equal(wrong.statusCode, 401)
    assert.equal(browserSessionRows(t), 0)
    const again = await post({ _csrf: hiddenField(wrong.body, '_csrf'), username: user.username, password: user.password }, cookie)
    assert.equal(again.statusCode, 303)
    const session = cookieOf(again.headers['set-cookie'], 'moneypenny')
    assert.ok(session)
    await t.app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie: session } })
    assert.equal(browserSessionRows(t), 0)
  })

  test('the form still signs in: one browser session is stored, at the post', async () => {
    const { cookie, token } = await signInPage('/auth/local/login?returnTo=/auth/details')
    assert.equal(browserSessionRows(t), 0)
    const signedIn = await post({ _csrf: token, username: user.username, password: user.password, returnTo: '/auth/details' }, cookie)
    assert.equal(signedIn.statusCode, 303)
    assert.equal(signedIn.headers.location, '/auth/details')
    assert.equal(browserSessionRows(t), 1)
    const session = cookieOf(signedIn.headers['set-cookie'], 'moneypenny')
    assert.ok(session, 'the session cookie is set at sign-in')
    const details = await t.app.inject({ url: '/auth/details', headers: { cookie: session } })
    assert.equal(details.statusCode, 200)
    assert.equal(details.json().id, user.id)
    await t.app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie: session } })
    assert.equal(browserSessionRows(t), 0)
  })

  test('a post whose token is missing, forged, for another cookie or without its cookie is a 403 and signs no one in', async () => {
    const mine = await signInPage()
    const theirs = await signInPage()
    const credentials = { username: user.username, password: user.password }
    const attempts: [string, Record<string, string>, string | undefined][] = [
      ['no token', credentials, mine.cookie],
      ['empty token', { ...credentials, _csrf: '' }, mine.cookie],
      ['forged token', { ...credentials, _csrf: mine.token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) }, mine.cookie],
      ['another browser\'s token', { ...credentials, _csrf: theirs.token }, mine.cookie],
      ['no cookie', { ...credentials, _csrf: mine.token }, undefined],
      ['another browser\'s cookie', { ...credentials, _csrf: mine.token }, theirs.cookie],
      ['the cookie value as the token', { ...credentials, _csrf: mine.cookie.split('=')[1]! }, mine.cookie]
    ]
    for (const [label, fields, cookie] of attempts) {
      const response = await post(fields, cookie)
      assert.equal(response.statusCode, 403, label)
      assert.equal(response.json().message, 'Invalid csrf token', label)
      assert.equal(cookieOf(response.headers['set-cookie'], 'moneypenny'), undefined, label)
    }
    assert.equal(browserSessionRows(t), 0)
  })

  test('a CSRF cookie not of the shape the server makes is replaced, never echoed back, and never accepted', async () => {
    for (const planted of ['short', 'a'.repeat(44), `${'a'.repeat(42)}%3B`, 'x'.repeat(4000)]) {
      const page = await t.app.inject({ url: '/auth/local/login', headers: { cookie: `moneypenny-csrf=${planted}` } })
      const fresh = cookieOf(page.headers['set-cookie'], 'moneypenny-csrf')!.split('=')[1]!
      assert.match(fresh, /^[\w-]{43}$/, planted.slice(0, 10))
      assert.notEqual(fresh, planted)
      const response = await post({ _csrf: hiddenField(page.body, '_csrf'), username: user.username, password: user.password }, `moneypenny-csrf=${planted}`)
      assert.equal(response.statusCode, 403, planted.slice(0, 10))
    }
    assert.equal(browserSessionRows(t), 0)
  })

  test('a token shown before sign-in is no good for a signed-in form, and the other way round', async () => {
    const { cookie, token: anonymousToken } = await signInPage('/auth/local/login?returnTo=/admin')
    const signedIn = await post({ _csrf: anonymousToken, username: ADMIN.username, password: ADMIN.password, returnTo: '/admin' }, cookie)
    assert.equal(signedIn.statusCode, 303)
    const cookies = `${cookie}; ${cookieOf(signedIn.headers['set-cookie'], 'moneypenny')}`
    const signOut = (token: string) => {
      const { 'content-type': type, payload } = form({ _csrf: token })
      return t.app.inject({ method: 'POST', url: '/admin/sign-out', headers: { cookie: cookies, 'content-type': type }, payload })
    }
    const refused = await signOut(anonymousToken)
    assert.equal(refused.statusCode, 403, 'bound to no session, so refused in one')
    assert.match(refused.body, /Form expired/)
    assert.equal((await t.app.inject({ url: '/auth/details', headers: { cookie: cookies } })).statusCode, 200, 'still signed in')

    const consoleToken = hiddenField((await t.app.inject({ url: '/admin', headers: { cookie: cookies } })).body, '_csrf')
    assert.equal((await signOut(consoleToken)).statusCode, 303)
    assert.equal((await t.app.inject({ url: '/auth/details', headers: { cookie: cookies } })).statusCode, 401)
    assert.equal((await signOut(consoleToken)).statusCode, 403, 'the session it was bound to has ended')
  })
})
