import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { userWithTotp } from '../mfa/fixture.js'
import { adminToken, registerUser, signIn, startServer, storedPasskey, type ListeningApp } from '../helpers.js'
import { TestSmtpServer } from './smtp.js'

describe('security notices by mail', () => {
  let smtp: TestSmtpServer
  let server: ListeningApp

  before(async () => {
    smtp = await TestSmtpServer.start()
    server = await startServer({ SMTP_URL: smtp.url, MAIL_FROM: 'login@example.com', BRAND_NAME: 'Acme Login' })
  })
  after(async () => {
    await server.close()
    await smtp.stop()
  })

  const to = (mail: { to?: unknown }) => (mail.to as { text: string }).text

  test('second factor turned on, turned off by the user, and reset by an admin: each mails the user', async () => {
    const verification = smtp.next()
    const enrolled = smtp.next()
    const bob = await userWithTotp(server.app)
    await verification
    const on = await enrolled
    assert.deepEqual([to(on), on.subject], [bob.email, 'Two-step verification was turned on for your Acme Login account'])
    assert.match(on.text ?? '', /If this was not you, reset your password now/)

    const removed = smtp.next()
    const removal = await server.app.inject({ method: 'DELETE', url: `/api/v1/users/${bob.id}/mfa/totp`, headers: { authorization: bob.authorization }, payload: { password: bob.password } })
    assert.equal(removal.statusCode, 204, removal.body)
    assert.equal((await removed).subject, 'Two-step verification was turned off for your Acme Login account')

    const carolsMails = [smtp.next(), smtp.next()]
    const carol = await userWithTotp(server.app)
    await Promise.all(carolsMails)
    const reset = smtp.next()
    const admin = `Bearer ${await adminToken(server.app)}`
    assert.equal((await server.app.inject({ method: 'POST', url: `/api/v1/users/${carol.id}/mfa/reset`, headers: { authorization: admin } })).statusCode, 204)
    const notice = await reset
    assert.deepEqual([to(notice), notice.subject], [carol.email, 'An administrator turned off two-step verification for your Acme Login account'])
  })

  test('a passkey removed by the user, and one removed by an admin: each mails the user', async () => {
    const verification = smtp.next()
    const erin = await registerUser(server.app)
    await verification
    for (const id of ['cred-1', 'cred-2']) await server.app.store.passkeys.add(storedPasskey(erin.id, id))
    const own = `Bearer ${(await signIn(server.app, erin.username, erin.password)).accessToken}`
    const removed = smtp.next()
    assert.equal((await server.app.inject({ method: 'DELETE', url: `/api/v1/users/${erin.id}/passkeys/cred-1`, headers: { authorization: own } })).statusCode, 204)
    assert.deepEqual([to(await removed), (await removed).subject], [erin.email, 'A passkey was removed from your Acme Login account'])
    const reset = smtp.next()
    const admin = `Bearer ${await adminToken(server.app)}`
    assert.equal((await server.app.inject({ method: 'DELETE', url: `/api/v1/users/${erin.id}/passkeys/cred-2`, headers: { authorization: admin } })).statusCode, 204)
    assert.equal((await reset).subject, 'An administrator removed a passkey from your Acme Login account')
  })

  test("an admin's new password for a user mails the user, in the user's language", async () => {
    const verification = smtp.next()
    const dora = await registerUser(server.app)
    await verification
    const admin = `Bearer ${await adminToken(server.app)}`
    const localeSet = await server.app.inject({ method: 'PATCH', url: `/api/v1/users/${dora.id}`, headers: { authorization: admin }, payload: { locale: 'fr-FR' } })
    assert.equal(localeSet.statusCode, 200, localeSet.body)
    const changed = smtp.next()
    const answer = await server.app.inject({ method: 'PATCH', url: `/api/v1/users/${dora.id}`, headers: { authorization: admin }, payload: { password: 'set-by-the-admin' } })
    assert.equal(answer.statusCode, 200, answer.body)
    const notice = await changed
    assert.deepEqual([to(notice), notice.subject], [dora.email, 'Votre mot de passe Acme Login a été modifié'])
  })
})
