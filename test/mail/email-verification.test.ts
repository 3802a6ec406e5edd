import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { ADMIN, adminToken, Browser, hiddenField, postJson, registerUser, signIn, startServer, type ListeningApp } from '../helpers.js'
import { linkIn, TestSmtpServer } from './smtp.js'

describe('address verification with REQUIRE_VERIFIED_EMAIL=true', () => {
  let smtp: TestSmtpServer
  let server: ListeningApp
  const verifyPrefix = () => `${server.base}/auth/email/verify?token=`
  const tokenOf = (link: string) => new URL(link).searchParams.get('token')!

  before(async () => {
    smtp = await TestSmtpServer.start()
    server = await startServer({ SMTP_URL: smtp.url, MAIL_FROM: 'login@example.com', REQUIRE_VERIFIED_EMAIL: 'true' })
  })
  after(async () => {
    await server.close()
    await smtp.stop()
  })

  test('registration mails a link; sign-in is refused with email_unverified until it is followed, then email_verified is true', async () => {
    const arrived = smtp.next()
    const ada = await registerUser(server.app)
    const mail = await arrived
    assert.equal(mail.subject, 'Confirm your email address for moneypenny')
    const refused = await postJson(server.app, '/api/v1/auth/local/authenticate', { username: ada.username, password: ada.password })
    assert.deepEqual([refused.status, refused.body.code], [403, 'email_unverified'])
    const login = await postJson(server.app, '/login', { username: ada.username, password: ada.password })
    assert.deepEqual([login.status, login.body.code], [403, 'email_unverified'], 'every password path')
    const wrong = await postJson(server.app, '/api/v1/auth/local/authenticate', { username: ada.username, password: 'not-the-password' })
    assert.equal(wrong.status, 401, 'a wrong password learns nothing about the address')

    const page = await fetch(linkIn(mail, verifyPrefix()))
    assert.equal(page.status, 200)
    assert.match(await page.text(), /is confirmed/)
    assert.equal((await fetch(linkIn(mail, verifyPrefix()))).status, 400, 'a used link is refused')
    await signIn(server.app, ada.username, ada.password)
    assert.equal((await server.store.users.findById(ada.id))?.emailVerified, true)
  })

  test('the sign-in page offers a new link; the new link supersedes the old one', async () => {
    const first = smtp.next()
    const bob = await registerUser(server.app)
    const oldLink = linkIn(await first, verifyPrefix())
    const browser = new Browser(server.base)
    const refused = await browser.signIn(bob.username, bob.password)
    assert.equal(refused.status, 403)
    const html = await refused.text()
    assert.match(html, /Confirm your email address/)
    const second = smtp.next()
    const sent = await browser.request('/auth/email/resend', { form: { _csrf: hiddenField(html, '_csrf'), email: bob.email } })
    assert.equal(sent.status, 200)
    const newLink = linkIn(await second, verifyPrefix())
    const stale = await postJson(server.app, '/api/v1/auth/email/verify', { token: tokenOf(oldLink) })
    assert.deepEqual([stale.status, stale.body.code], [400, 'invalid_verification_token'])
    assert.deepEqual((await postJson(server.app, '/api/v1/auth/email/verify', { token: tokenOf(newLink) })).body, { result: 'ok' })
    assert.equal((await new Browser(server.base).signIn(bob.username, bob.password)).status, 303)
  })

  test('the configured admin starts with its address verified, so REQUIRE_VERIFIED_EMAIL does not lock it out', async () => {
    assert.equal((await server.store.users.findByUsernameKey(ADMIN.username))?.emailVerified, true)
    const signedIn = await postJson(server.app, '/api/v1/auth/local/authenticate', { username: ADMIN.username, password: ADMIN.password })
    assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body))
  })

  test("an address an admin sets is unverified again", async () => {
    const arrived = smtp.next()
    const cleo = await registerUser(server.app)
    await postJson(server.app, '/api/v1/auth/email/verify', { token: tokenOf(linkIn(await arrived, verifyPrefix())) })
    const changed = await server.app.inject({ method: 'PATCH', url: `/api/v1/users/${cleo.id}`, headers: { authorization: `Bearer ${await adminToken(server.app)}` }, payload: { email: 'cleo.new@example.com' } })
    assert.equal(changed.statusCode, 200, changed.body)
    assert.equal((await server.store.users.findById(cleo.id))?.emailVerified, false)
  })
})
