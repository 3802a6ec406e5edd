import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import { loggerOptions } from '../../src/logger.js'
import { linkTokenHash, newLinkToken } from '../../src/services/mail-links.js'
import { passwordStamp } from '../../src/services/password-reset.js'
import { adminToken, Browser, buildTestApp, freePort, hiddenField, postJson, registerUser, signIn, tempDir, testConfig } from '../helpers.js'
import { linkIn, TestSmtpServer } from './smtp.js'

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

describe('changing the address through a link mailed to the new one', () => {
  let smtp: TestSmtpServer
  let app: FastifyInstance
  let base: string
  let admin: string
  const lines: string[] = []
  const folder = tempDir()
  const changePrefix = () => `${base}/auth/email/change?token=`
  const tokenOf = (link: string) => new URL(link).searchParams.get('token')!

  before(async () => {
    smtp = await TestSmtpServer.start()
    const port = await freePort()
    base = `http://127.0.0.1:${port}`
    const config = testConfig({ PORT: String(port), PUBLIC_URL: base, RATE_LIMIT: 'off', SMTP_URL: smtp.url, MAIL_FROM: 'login@example.com', LOG_LEVEL: 'info' }, folder.dir)
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean))
        done()
      }
    })
    app = await buildApp(config, { logger: { ...(loggerOptions(config) as object), stream } })
    await app.listen({ port, host: '127.0.0.1' })
    admin = await adminToken(app)
  })
  after(async () => {
    await app.close()
    await smtp.stop()
    folder.remove()
  })

  /** A registered, signed-in user, with the verification mail of their registration already arrived. */
  async function member() {
    const since = smtp.received.length
    const user = await registerUser(app)
    await smtp.to(user.email, since)
    const { accessToken } = await signIn(app, user.username, user.password)
    return { ...user, accessToken }
  }

  function askFor(user: { id: string; accessToken: string }, body: Record<string, unknown>) {
    return app.inject({ method: 'POST', url: `/api/v1/users/${user.id}/email`, headers: bearer(user.accessToken), payload: body })
  }

  const confirm = (token: string) => postJson(app, '/api/v1/auth/email/change', { token })
  const stored = async (id: string) => (await app.store.users.findById(id))!

  test('the new address waits for its link while the old one keeps working; the link swaps them, verified, once', async () => {
    const ada = await member()
    const newEmail = `new-${ada.email}`
    const since = smtp.received.length
    const asked = await askFor(ada, { email: newEmail, password: ada.password })
    assert.deepEqual([asked.statusCode, asked.json()], [202, { result: 'accepted' }])

    const [toNew, toOld] = await Promise.all([smtp.to(newEmail, since), smtp.to(ada.email, since)])
    assert.equal(toNew.subject, 'Confirm the new email address of your moneypenny account')
    assert.equal(toOld.subject, 'A new email address was asked for your moneypenny account')
    assert.match(toOld.text ?? '', new RegExp(newEmail.replace(/[.]/g, '\\.')), 'the notice names the address asked for')
    assert.doesNotMatch(toOld.text ?? '', /token=/, 'the old address never gets the link')

    // Meanwhile: the old address signs in, the record keeps it, the new one is only pending.
    assert.equal((await signIn(app, ada.email, ada.password)).accessToken.length > 0, true)
    await assert.rejects(signIn(app, newEmail, ada.password))
    const status = await app.inject({ url: `/api/v1/users/${ada.id}/email`, headers: bearer(ada.accessToken) })
    assert.equal(status.json().email, ada.email)
    assert.equal(status.json().pending.email, newEmail)

    const link = linkIn(toNew, changePrefix())
    const browser = new Browser(base)
    const question = await browser.request(link)
    assert.equal(question.status, 200)
    const html = await question.text()
    assert.match(html, /Change your email address\?/)
    assert.equal((await stored(ada.id)).email, ada.email, 'opening the link changes nothing by itself')

    const noticeSince = smtp.received.length
    const answer = await browser.request('/auth/email/change', { form: { _csrf: hiddenField(html, '_csrf'), token: hiddenField(html, 'token') } })
    assert.equal(answer.status, 200)
    assert.match(await answer.text(), /Your email address was changed/)
    const changed = await stored(ada.id)
    assert.deepEqual([changed.email, changed.emailKey, changed.emailVerified], [newEmail, newEmail.toLowerCase(), true])
    const user = await app.inject({ url: `/api/v1/users/${ada.id}`, headers: bearer(ada.accessToken) })
    assert.deepEqual([user.json().email, user.json().emailVerified], [newEmail, true])
    assert.equal((await smtp.to(ada.email, noticeSince)).subject, 'The email address of your moneypenny account was changed')

    await signIn(app, newEmail, ada.password)
    await assert.rejects(signIn(app, ada.email, ada.password), 'the old address no longer signs in')
    assert.equal((await fetch(link)).status, 400, 'a used link is refused on the page')
    const again = await confirm(tokenOf(link))
    assert.deepEqual([again.status, again.body.code], [400, 'invalid_change_token'])
    assert.ok(lines.some((line) => line.includes('"event":"email_changed"') && line.includes('"way":"link"') && line.includes(ada.id)))
    assert.ok(!lines.some((line) => line.includes(tokenOf(link))), 'no log line holds the token')
  })

  test('a newer request or a cancel voids the link; an expired one is refused; the JSON confirm answers the new address', async () => {
    const bob = await member()
    let since = smtp.received.length
    await askFor(bob, { email: `first-${bob.email}`, password: bob.password })
    const first = tokenOf(linkIn(await smtp.to(`first-${bob.email}`, since), changePrefix()))
    since = smtp.received.length
    await askFor(bob, { email: `second-${bob.email}`, password: bob.password })
    const second = tokenOf(linkIn(await smtp.to(`second-${bob.email}`, since), changePrefix()))
    assert.deepEqual((await confirm(first)).body.code, 'invalid_change_token', 'superseded by the newer request')

    const cancel = () => app.inject({ method: 'DELETE', url: `/api/v1/users/${bob.id}/email/pending`, headers: bearer(bob.accessToken) })
    assert.equal((await cancel()).statusCode, 204)
    assert.equal((await cancel()).statusCode, 404, 'nothing is pending any more')
    assert.deepEqual((await confirm(second)).body.code, 'invalid_change_token', 'cancelled')
    assert.equal((await stored(bob.id)).email, bob.email)

    const expired = newLinkToken()
    const user = await stored(bob.id)
    const day = 24 * 60 * 60_000
    await app.store.mailLinks.issue({ hash: linkTokenHash(expired), purpose: 'change_email', userId: bob.id, emailKey: user.emailKey, newEmail: `late-${bob.email}`, passwordStamp: passwordStamp(user), createdAt: Date.now() - 2 * day, expiresAt: Date.now() - day, usedAt: null })
    assert.deepEqual((await confirm(expired)).body.code, 'invalid_change_token', 'expired')

    since = smtp.received.length
    await askFor(bob, { email: `third-${bob.email}`, password: bob.password })
    const third = tokenOf(linkIn(await smtp.to(`third-${bob.email}`, since), changePrefix()))
    assert.deepEqual(await confirm(third).then((answer) => [answer.status, answer.body]), [200, { result: 'ok', email: `third-${bob.email}` }])
  })

  test('an address another account took meanwhile is refused clearly, and nothing changes', async () => {
    const cleo = await member()
    const wanted = `wanted-${cleo.email}`
    const since = smtp.received.length
    await askFor(cleo, { email: wanted, password: cleo.password })
    const link = linkIn(await smtp.to(wanted, since), changePrefix())
    const created = await postJson(app, '/api/v1/users', { username: `taker-${cleo.username}`, email: wanted, password: 'taker-password' }, bearer(admin))
    assert.equal(created.status, 201)

    const browser = new Browser(base)
    const html = await (await browser.request(link)).text()
    const answer = await browser.request('/auth/email/change', { form: { _csrf: hiddenField(html, '_csrf'), token: hiddenField(html, 'token') } })
    assert.equal(answer.status, 409)
    assert.match(await answer.text(), /This address is taken/)
    assert.equal((await stored(cleo.id)).email, cleo.email)
    assert.deepEqual((await confirm(tokenOf(link))).body.code, 'invalid_change_token', 'the link is used up')
  })

  test("asking for another account's address answers the same: its owner gets a note, never a link, and nobody learns the requester's name", async () => {
    const dan = await member()
    const eve = await member()
    const since = smtp.received.length
    const asked = await askFor(dan, { email: eve.email.toUpperCase(), password: dan.password })
    assert.deepEqual([asked.statusCode, asked.json()], [202, { result: 'accepted' }])
    const [toOwner, toOld] = await Promise.all([smtp.to(eve.email, since), smtp.to(dan.email, since)])
    assert.equal(toOwner.subject, 'Someone asked to use this address at moneypenny')
    assert.doesNotMatch(toOwner.text ?? '', /token=/)
    assert.match(toOwner.text ?? '', new RegExp(`Hello ${eve.username}`))
    assert.doesNotMatch(toOwner.text ?? '', new RegExp(dan.username))
    assert.equal(toOld.subject, 'A new email address was asked for your moneypenny account')
    const status = await app.inject({ url: `/api/v1/users/${dan.id}/email`, headers: bearer(dan.accessToken) })
    assert.equal(status.json().pending.email, eve.email.toUpperCase(), 'pending, as for any address')
  })

  test("an admin's change is immediate, logged, noticed at the old address, and the new one is asked to confirm", async () => {
    const finn = await member()
    const newEmail = `admin-set-${finn.email}`
    const since = smtp.received.length
    const patched = await app.inject({ method: 'PATCH', url: `/api/v1/users/${finn.id}`, headers: bearer(admin), payload: { email: newEmail } })
    assert.equal(patched.statusCode, 200)
    assert.deepEqual([patched.json().email, patched.json().emailVerified], [newEmail, false])
    const [toOld, toNew] = await Promise.all([smtp.to(finn.email, since), smtp.to(newEmail, since)])
    assert.equal(toOld.subject, 'An administrator changed the email address of your moneypenny account')
    assert.match(toOld.text ?? '', new RegExp(newEmail.replace(/[.]/g, '\\.')))
    assert.equal(toNew.subject, 'Confirm your email address for moneypenny')
    assert.ok(lines.some((line) => line.includes('"event":"email_changed"') && line.includes('"way":"admin"') && line.includes(finn.id) && line.includes('"actorId"')))
    assert.ok(!lines.some((line) => line.includes('email_changed') && line.includes(finn.email)), 'the log names no address')
  })

  test('bad input is a clear 4xx and changes nothing', async () => {
    const gina = await member()
    const other = await member()
    const since = smtp.received.length
    const refused = [
      [await askFor(gina, { email: `x-${gina.email}`, password: 'not-the-password' }), 403],
      [await askFor(gina, { email: 'not an address', password: gina.password }), 400],
      [await askFor(gina, { email: gina.email.toUpperCase(), password: gina.password }), 400],
      [await askFor(gina, { email: `x-${gina.email}` }), 400],
      [await askFor(gina, { email: `x-${gina.email}`, password: gina.password, admin: true }), 400],
      [await askFor({ id: other.id, accessToken: gina.accessToken }, { email: `x-${gina.email}`, password: gina.password }), 403],
      [await askFor({ id: gina.id, accessToken: admin }, { email: `x-${gina.email}`, password: gina.password }), 403],
      [await app.inject({ method: 'POST', url: `/api/v1/users/${gina.id}/email`, payload: { email: `x-${gina.email}`, password: gina.password } }), 401],
      [await app.inject({ method: 'PATCH', url: `/api/v1/users/${gina.id}`, headers: bearer(gina.accessToken), payload: { email: `x-${gina.email}` } }), 403]
    ] as const
    for (const [answer, status] of refused) assert.equal(answer.statusCode, status, answer.body)
    for (const token of ['', 'short', 'x'.repeat(43), `${'a'.repeat(42)}!`]) assert.equal((await confirm(token)).status, 400)
    assert.equal((await fetch(`${base}/auth/email/change?token=${'x'.repeat(43)}`)).status, 400)
    assert.equal((await new Browser(base).request('/auth/email/change', { form: { token: 'x'.repeat(43) } })).status, 403, 'no CSRF token')
    const unchanged = await stored(gina.id)
    assert.deepEqual([unchanged.email, unchanged.emailVerified], [gina.email, false])
    assert.equal((await app.inject({ url: `/api/v1/users/${gina.id}/email`, headers: bearer(gina.accessToken) })).json().pending, null)
    const samePatch = await app.inject({ method: 'PATCH', url: `/api/v1/users/${gina.id}`, headers: bearer(gina.accessToken), payload: { email: gina.email, name: 'Gina' } })
    assert.equal(samePatch.statusCode, 200, 'a record sent back whole, with the address unchanged, is fine')
    await new Promise((resolve) => setTimeout(resolve, 300))
    assert.equal(smtp.received.length, since, 'no mail went out')
  })
})

describe('without SMTP_URL', () => {
  test('self-service change is off and not offered; an admin still sets an address', async () => {
    const t = await buildTestApp()
    try {
      const user = await registerUser(t.app)
      const { accessToken } = await signIn(t.app, user.username, user.password)
      const asked = await t.app.inject({ method: 'POST', url: `/api/v1/users/${user.id}/email`, headers: bearer(accessToken), payload: { email: `x-${user.email}`, password: user.password } })
      assert.equal(asked.statusCode, 404)
      assert.equal((await t.app.inject({ url: '/auth/email/change?token=x' })).statusCode, 404)
      const own = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}`, headers: bearer(accessToken), payload: { email: `x-${user.email}` } })
      assert.equal(own.statusCode, 403)
      const byAdmin = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}`, headers: bearer(await adminToken(t.app)), payload: { email: `x-${user.email}` } })
      assert.deepEqual([byAdmin.statusCode, byAdmin.json().email], [200, `x-${user.email}`])
    } finally {
      await t.close()
    }
  })
})

describe('moneypenny users set-email', () => {
  const cliScript = join(fileURLToPath(new URL('.', import.meta.url)), '../../src/cli.js')

  test('sets the address at once, unverified, and queues the notice to the old one, which the server then sends', async () => {
    const smtp = await TestSmtpServer.start()
    const folder = tempDir()
    const env = { SMTP_URL: smtp.url, MAIL_FROM: 'login@example.com' }
    const cli = (args: string[], input = '') =>
      new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [cliScript, ...args], { env: { PATH: process.env.PATH, SQLITE_PATH: join(folder.dir, 'moneypenny.db'), BCRYPT_COST: '4', LOG_LEVEL: 'silent', ...env } })
        let stdout = ''
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk))
        child.on('error', reject)
        child.on('close', (code) => resolve({ code, stdout }))
        child.stdin.end(input)
      })
    try {
      assert.equal((await cli(['users', 'add', 'hedy', '--email', 'hedy@example.com'], 'frequency-hopping\n')).code, 0)
      assert.equal((await cli(['users', 'set-email', 'hedy', 'not an address'])).code, 2)
      const set = await cli(['users', 'set-email', 'hedy', 'hedy@lamarr.example'])
      assert.equal(set.code, 0)
      assert.deepEqual([JSON.parse(set.stdout).email, JSON.parse(set.stdout).emailVerified], ['hedy@lamarr.example', false])

      // The server on the same store sends what the CLI queued.
      const app = await buildApp(testConfig(env, folder.dir), { logger: false })
      try {
        await app.ready()
        const [toOld, toNew] = await Promise.all([smtp.to('hedy@example.com', 0), smtp.to('hedy@lamarr.example', 0)])
        assert.equal(toOld.subject, 'An administrator changed the email address of your moneypenny account')
        assert.equal(toNew.subject, 'Confirm your email address for moneypenny')
      } finally {
        await app.close()
      }
    } finally {
      await smtp.stop()
      folder.remove()
    }
  })
})
