import assert from 'node:assert/strict'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { after, before, describe, test } from 'node:test'
import Database from 'better-sqlite3'
import { buildApp } from '../../src/app.js'
import { loggerOptions } from '../../src/logger.js'
import { openSqliteStore } from '../../src/store/sqlite/index.js'
import { userWithTotp } from '../mfa/fixture.js'
import { Browser, buildTestApp, hiddenField, postJson, registerUser, signIn, startServer, tempDir, testConfig, type ListeningApp } from '../helpers.js'
import { linkIn, TestSmtpServer } from './smtp.js'

const MAIL_FROM = 'Moneypenny <login@example.com>'

describe('password reset by mail', () => {
  let smtp: TestSmtpServer
  let server: ListeningApp
  const resetPrefix = () => `${server.base}/auth/password/reset?token=`
  const tokenOf = (link: string) => new URL(link).searchParams.get('token')!
  const authorise = (token: string) => fetch(`${server.base}/authorise`, { headers: { authorization: `Bearer ${token}` } }).then((answer) => answer.status)

  before(async () => {
    smtp = await TestSmtpServer.start()
    server = await startServer({ SMTP_URL: smtp.url, MAIL_FROM, BRAND_NAME: 'Acme Login' })
  })
  after(async () => {
    await server.close()
    await smtp.stop()
  })

  /** A registered user, once the verification mail that registration sends has arrived. */
  async function newUser() {
    const verification = smtp.next()
    const user = await registerUser(server.app)
    await verification
    return user
  }

  /** Asks for a link for `email` and returns the next mail that arrives. */
  async function forgot(email: string, headers: Record<string, string> = {}) {
    const arrived = smtp.next()
    const answer = await postJson(server.app, '/api/v1/auth/password/forgot', { email }, headers)
    assert.equal(answer.status, 202)
    return arrived
  }

  test('a known and an unknown address get the same answer; only the known one gets a mail, in both text and HTML', async () => {
    const ada = await newUser()
    const arrived = smtp.next()
    const unknown = await postJson(server.app, '/api/v1/auth/password/forgot', { email: 'nobody-here@example.com' })
    const known = await postJson(server.app, '/api/v1/auth/password/forgot', { email: ada.email.toUpperCase() })
    assert.deepEqual([unknown.status, unknown.body], [known.status, known.body])
    assert.deepEqual(known.body, { result: 'accepted' })
    const mail = await arrived
    assert.equal(mail.to && !Array.isArray(mail.to) ? mail.to.text : '', ada.email)
    assert.equal(mail.from?.text, '"Moneypenny" <login@example.com>')
    assert.equal(mail.subject, 'Reset your Acme Login password')
    assert.match(mail.text ?? '', /Hello user \d+,/)
    assert.ok(typeof mail.html === 'string' && mail.html.includes('Choose a new password'))
    const link = linkIn(mail, resetPrefix())
    assert.ok(mail.html.includes(link.replace(/&/g, '&amp;')), 'the HTML has the same link')
    assert.equal(smtp.logins.at(-1), 'mailer', 'the SMTP credentials of SMTP_URL were used')
    assert.ok(!smtp.received.some((each) => each.text?.includes('nobody-here')))
  })

  test('the link is built on PUBLIC_URL, never from the Host header, and its page sends no Referer', async () => {
    const ada = await newUser()
    const mail = await forgot(ada.email, { host: 'evil.example', 'x-forwarded-host': 'evil.example' })
    const link = linkIn(mail, resetPrefix())
    const page = await fetch(link)
    assert.equal(page.status, 200)
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer')
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/)
    assert.match(await page.text(), /name="token"/)
  })

  test('a reset through the mailed link sets the password, ends every session, and mails a notice', async () => {
    const ada = await newUser()
    const before = await signIn(server.app, ada.username, ada.password)
    assert.equal(await authorise(before.accessToken), 200)
    const link = linkIn(await forgot(ada.email), resetPrefix())
    const notice = smtp.next()
    const reset = await postJson(server.app, '/api/v1/auth/password/reset', { token: tokenOf(link), password: 'a-brand-new-password' })
    assert.deepEqual([reset.status, reset.body], [200, { result: 'ok' }])
    assert.equal(await authorise(before.accessToken), 401, 'the old access token is refused')
    const refresh = await postJson(server.app, '/api/v1/auth/refresh', { refreshToken: before.refreshToken })
    assert.equal(refresh.status, 401, 'the old refresh token is refused')
    await assert.rejects(signIn(server.app, ada.username, ada.password), /401/)
    const after = await signIn(server.app, ada.username, 'a-brand-new-password')
    assert.equal(await authorise(after.accessToken), 200)
    const changed = await notice
    assert.equal(changed.subject, 'Your Acme Login password was changed')
    assert.ok(!changed.text?.includes('token='), 'the notice carries no link')
    const again = await postJson(server.app, '/api/v1/auth/password/reset', { token: tokenOf(link), password: 'yet-another-password' })
    assert.deepEqual([again.status, again.body.code], [400, 'invalid_reset_token'], 'a used link is refused')
  })

  test('of two parallel uses of one link, exactly one succeeds', async () => {
    const ada = await newUser()
    const token = tokenOf(linkIn(await forgot(ada.email), resetPrefix()))
    const notice = smtp.next()
    const answers = await Promise.all(['first-new-password', 'second-new-password'].map((password) => postJson(server.app, '/api/v1/auth/password/reset', { token, password })))
    assert.deepEqual(answers.map((answer) => answer.status).sort(), [200, 400])
    await notice
  })

  test('a superseded link and an expired link are refused; a changed password voids a link', async () => {
    const ada = await newUser()
    const first = tokenOf(linkIn(await forgot(ada.email), resetPrefix()))
    const second = tokenOf(linkIn(await forgot(ada.email), resetPrefix()))
    const superseded = await postJson(server.app, '/api/v1/auth/password/reset', { token: first, password: 'superseded-password' })
    assert.deepEqual([superseded.status, superseded.body.code], [400, 'invalid_reset_token'])
    assert.equal((await fetch(`${resetPrefix()}${first}`)).status, 400, 'its page says the link does not work')

    // The user changes the password themself: the outstanding link dies with the old password.
    const { accessToken } = await signIn(server.app, ada.username, ada.password)
    const notice = smtp.next()
    const changed = await server.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${ada.id}`,
      headers: { authorization: `Bearer ${accessToken}` },
      payload: { password: 'changed-by-ada', currentPassword: ada.password }
    })
    assert.equal(changed.statusCode, 200, changed.body)
    assert.equal((await notice).subject, 'Your Acme Login password was changed')
    const voided = await postJson(server.app, '/api/v1/auth/password/reset', { token: second, password: 'too-late-password' })
    assert.equal(voided.status, 400)

    const third = tokenOf(linkIn(await forgot(ada.email), resetPrefix()))
    const db = new Database(server.config.store.kind === 'sqlite' ? server.config.store.path : '')
    db.prepare('UPDATE mail_links SET expires_at = ?').run(Date.now() - 1)
    db.close()
    const expired = await postJson(server.app, '/api/v1/auth/password/reset', { token: third, password: 'expired-password' })
    assert.deepEqual([expired.status, expired.body.code], [400, 'invalid_reset_token'])
    await signIn(server.app, ada.username, 'changed-by-ada')
  })

  test('a user with a second factor must give a code too; without one the link stays usable', async () => {
    const verification = smtp.next()
    const enrolmentNotice = smtp.next()
    const bob = await userWithTotp(server.app)
    await verification
    await enrolmentNotice
    const token = tokenOf(linkIn(await forgot(bob.email), resetPrefix()))
    const missing = await postJson(server.app, '/api/v1/auth/password/reset', { token, password: 'bobs-new-password' })
    assert.deepEqual([missing.status, missing.body.code], [401, 'mfa_required'])
    const wrong = await postJson(server.app, '/api/v1/auth/password/reset', { token, password: 'bobs-new-password', otp: '000000' })
    assert.equal(wrong.status, 401)
    const notice = smtp.next()
    const right = await postJson(server.app, '/api/v1/auth/password/reset', { token, password: 'bobs-new-password', otp: bob.recoveryCodes[0]! })
    assert.equal(right.status, 200, JSON.stringify(right.body))
    await notice
  })

  test('on the pages: "Forgot your password?" from the sign-in page, the mailed link, a new password, then sign-in', async () => {
    const ada = await newUser()
    const browser = new Browser(server.base)
    const signInPage = await (await browser.request('/auth/local/login')).text()
    assert.match(signInPage, /<a href="\/auth\/password\/forgot">Forgot your password\?<\/a>/)
    const forgotPage = await (await browser.request('/auth/password/forgot', { headers: { 'accept-language': 'de' } })).text()
    assert.match(forgotPage, /Passwort zurücksetzen/)
    const arrived = smtp.next()
    const german = { 'accept-language': 'de' }
    const unknown = await browser.request('/auth/password/forgot', { form: { _csrf: hiddenField(forgotPage, '_csrf'), email: 'unknown-person@example.com' }, headers: german })
    const sent = await browser.request('/auth/password/forgot', { form: { _csrf: hiddenField(forgotPage, '_csrf'), email: ada.email }, headers: german })
    assert.deepEqual([unknown.status, sent.status], [200, 200])
    assert.equal((await unknown.text()).replace('unknown-person@example.com', 'ADDRESS'), (await sent.text()).replace(ada.email, 'ADDRESS'), 'the same page')
    const mail = await arrived
    assert.equal(mail.subject, 'Ihr Passwort für Acme Login zurücksetzen', 'in the language of the request')
    const resetPage = await browser.request(linkIn(mail, resetPrefix()))
    const resetHtml = await resetPage.text()
    assert.equal(resetPage.headers.get('referrer-policy'), 'no-referrer')
    const short = await browser.request('/auth/password/reset', { form: { _csrf: hiddenField(resetHtml, '_csrf'), token: hiddenField(resetHtml, 'token'), password: 'short' } })
    assert.equal(short.status, 400)
    const shortHtml = await short.text()
    assert.match(shortHtml, /role="alert"/)
    assert.match(shortHtml, /aria-invalid="true"/)
    const done = await browser.request('/auth/password/reset', { form: { _csrf: hiddenField(shortHtml, '_csrf'), token: hiddenField(shortHtml, 'token'), password: 'set-on-the-page' } })
    assert.equal(done.status, 200)
    assert.match(await done.text(), /Your password was changed|Passwort wurde geändert/)
    assert.equal((await new Browser(server.base).signIn(ada.username, 'set-on-the-page')).status, 303)
  })
})

test('without SMTP_URL there is no password reset: no endpoints, no pages, no link on the sign-in page', async (t) => {
  const { app, close } = await buildTestApp()
  t.after(close)
  assert.equal(app.mail, null)
  assert.equal((await postJson(app, '/api/v1/auth/password/forgot', { email: 'root@example.com' })).status, 404)
  assert.equal((await app.inject('/auth/password/forgot')).statusCode, 404)
  assert.doesNotMatch((await app.inject('/auth/local/login')).body, /password\/forgot/)
})

test('requests per address are limited, known or not; the log never holds a reset link or token', async (t) => {
  const smtp = await TestSmtpServer.start()
  const { dir, remove } = tempDir()
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk))
      done()
    }
  })
  const config = testConfig({ SMTP_URL: smtp.url, MAIL_FROM, LOG_LEVEL: 'debug' }, dir)
  const store = openSqliteStore(join(dir, 'moneypenny.db'))
  // The production logger (its redaction included), into this test's stream.
  const app = await buildApp(config, { store, logger: { ...(loggerOptions(config) as object), stream } })
  await app.ready()
  t.after(async () => {
    await app.close()
    await smtp.stop()
    remove()
  })
  const arrived = smtp.next()
  const statuses: number[] = []
  for (let i = 0; i < 6; i++) statuses.push((await postJson(app, '/api/v1/auth/password/forgot', { email: 'root@example.com' })).status)
  assert.deepEqual(statuses, [202, 202, 202, 202, 202, 429])
  assert.equal((await postJson(app, '/api/v1/auth/password/forgot', { email: 'someone-else@example.com' })).status, 202, 'another address has its own count')
  const token = new URL(linkIn(await arrived, `${config.publicUrl}/auth/password/reset?token=`)).searchParams.get('token')!
  const reset = await postJson(app, '/api/v1/auth/password/reset', { token: 'x'.repeat(43), password: 'whatever-password' })
  assert.equal(reset.status, 400)
  assert.equal((await app.inject(`/auth/password/reset?token=${token}`)).statusCode, 400, 'superseded by the later requests; its URL reaches the access log')
  const log = lines.join('')
  assert.match(log, /password_reset_requested/)
  assert.ok(!log.includes(token), 'no token in the log')
  assert.doesNotMatch(log, /reset\?token=[A-Za-z0-9_-]{43}/, 'no reset link in the log')
  assert.match(log, /reset\?token=\[/, 'the page\'s URL is logged redacted')
})
