import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { SecretBox } from '../../src/services/mfa/secret-box.js'
import { currentCode } from '../../src/services/mfa/totp.js'
import { adminToken, buildTestApp, postJson, registerUser, signIn, type TestApp } from '../helpers.js'
import { nextCode, userWithTotp } from './fixture.js'

/** The three JSON sign-ins of the seeds, each with its own body fields and success status. */
const SIGN_INS = [
  { name: 'rdata /api/v1/auth/local/authenticate', url: '/api/v1/auth/local/authenticate' },
  { name: 'lummox /api/v1/tokens/refresh', url: '/api/v1/tokens/refresh' },
  { name: 'the unnamed service /login', url: '/login' }
] as const

describe('TOTP enrolment by API', () => {
  let t: TestApp
  before(async () => {
    t = await buildTestApp({ SECRETS_KEY: 'a test key of at least thirty-two characters' })
  })
  after(() => t.close())

  test('a factor is off until a first code confirms it; then 10 distinct recovery codes, and the user shows it', async () => {
    const user = await registerUser(t.app)
    const { accessToken } = await signIn(t.app, user.username, user.password)
    const authorization = `Bearer ${accessToken}`
    const started = await t.app.inject({ method: 'POST', url: `/api/v1/users/${user.id}/mfa/totp`, headers: { authorization } })
    assert.equal(started.statusCode, 201)
    assert.equal(started.headers['cache-control'], 'no-store')
    const { secret, otpauth_uri: uri } = started.json()
    assert.match(secret, /^[A-Z2-7]{32}$/, '160 bits in base32')
    const parsed = new URL(uri)
    assert.equal(parsed.protocol, 'otpauth:')
    assert.deepEqual([parsed.searchParams.get('secret'), parsed.searchParams.get('algorithm'), parsed.searchParams.get('digits'), parsed.searchParams.get('period')], [secret, 'SHA1', '6', '30'])
    // Pending: sign-in still takes the password alone.
    assert.equal((await postJson(t.app, '/api/v1/auth/local/authenticate', { username: user.username, password: user.password })).status, 200)
    const status = await t.app.inject({ url: `/api/v1/users/${user.id}`, headers: { authorization } })
    assert.deepEqual(status.json().mfa, { enabled: false, pending: true, recoveryCodesLeft: 0 })

    const wrong = await postJson(t.app, `/api/v1/users/${user.id}/mfa/totp/confirm`, { code: currentCode(secret, Date.now() - 10 * 60_000) }, { authorization })
    assert.equal(wrong.status, 400)
    const confirmed = await postJson(t.app, `/api/v1/users/${user.id}/mfa/totp/confirm`, { code: currentCode(secret) }, { authorization })
    assert.equal(confirmed.status, 200)
    const codes = confirmed.body.recoveryCodes as string[]
    assert.equal(new Set(codes).size, 10)
    for (const code of codes) assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)
    const shown = await t.app.inject({ url: `/api/v1/users/${user.id}`, headers: { authorization } })
    assert.deepEqual(shown.json().mfa, { enabled: true, pending: false, recoveryCodesLeft: 10 })
    // A second enrolment while one is confirmed would replace it without proof.
    assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/users/${user.id}/mfa/totp`, headers: { authorization } })).statusCode, 409)
  })

  test('only the user enrols: an admin gets 403, another user 403', async () => {
    const [user, other] = [await registerUser(t.app), await registerUser(t.app)]
    const admin = `Bearer ${await adminToken(t.app)}`
    const otherToken = `Bearer ${(await signIn(t.app, other.username, other.password)).accessToken}`
    for (const authorization of [admin, otherToken]) {
      assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/users/${user.id}/mfa/totp`, headers: { authorization } })).statusCode, 403)
    }
  })

  test('the secret is sealed at rest: the store holds neither it nor anything another key opens', async () => {
    const user = await userWithTotp(t.app)
    const stored = (await t.store.mfa.findTotp(user.id))!
    assert.ok(!stored.sealedSecret.includes(user.secret))
    assert.equal(new SecretBox('a test key of at least thirty-two characters').open(stored.sealedSecret, user.id), user.secret)
    assert.throws(() => new SecretBox('another key of at least thirty-two characters').open(stored.sealedSecret, user.id))
    assert.throws(() => new SecretBox('a test key of at least thirty-two characters').open(stored.sealedSecret, 'another-user'))
  })

  test('recovery codes are regenerated with a current code; the old ones stop working', async () => {
    const user = await userWithTotp(t.app)
    assert.equal((await postJson(t.app, `/api/v1/users/${user.id}/mfa/recovery-codes`, { code: '000000' }, { authorization: user.authorization })).status, 401)
    const renewed = await postJson(t.app, `/api/v1/users/${user.id}/mfa/recovery-codes`, { code: nextCode(user.secret) }, { authorization: user.authorization })
    assert.equal(renewed.status, 200)
    const old = await postJson(t.app, '/api/v1/auth/local/authenticate', { username: user.username, password: user.password, otp: user.recoveryCodes[0] })
    assert.equal(old.status, 401)
    const fresh = await postJson(t.app, '/api/v1/auth/local/authenticate', { username: user.username, password: user.password, otp: renewed.body.recoveryCodes[0] })
    assert.equal(fresh.status, 200)
  })

  test('removal needs a current code or the password; then the password alone signs in', async () => {
    const user = await userWithTotp(t.app)
    const remove = (body: object) => t.app.inject({ method: 'DELETE', url: `/api/v1/users/${user.id}/mfa/totp`, headers: { authorization: user.authorization }, payload: body })
    assert.equal((await remove({})).statusCode, 400)
    assert.equal((await remove({ password: 'not the password' })).statusCode, 403)
    assert.equal((await remove({ code: '123456' })).statusCode, 401)
    assert.equal((await t.store.mfa.findTotp(user.id))?.confirmedAt !== null, true, 'still on')
    assert.equal((await remove({ password: user.password })).statusCode, 204)
    assert.equal((await postJson(t.app, '/api/v1/auth/local/authenticate', { username: user.username, password: user.password })).status, 200)
  })

  test("an admin resets a user's factor (and only an admin); then the password alone signs in", async () => {
    const user = await userWithTotp(t.app)
    const admin = `Bearer ${await adminToken(t.app)}`
    assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/users/${user.id}/mfa/reset`, headers: { authorization: user.authorization } })).statusCode, 403)
    assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/users/${user.id}/mfa/reset`, headers: { authorization: admin } })).statusCode, 204)
    assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/users/${user.id}/mfa/reset`, headers: { authorization: admin } })).statusCode, 404)
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/users/nobody/mfa/reset', headers: { authorization: admin } })).statusCode, 404)
    assert.equal((await postJson(t.app, '/api/v1/auth/local/authenticate', { username: user.username, password: user.password })).status, 200)
  })
})

describe('every JSON sign-in asks for the second factor', () => {
  let t: TestApp
  before(async () => {
    t = await buildTestApp({ RATE_LIMIT_ADDRESS_MAX: '10000' })
  })
  after(() => t.close())

  for (const { name, url } of SIGN_INS) {
    test(`${name}: no code, wrong code, right code, the same code again, a recovery code twice`, async () => {
      const user = await userWithTotp(t.app)
      const attempt = (otp?: string) => postJson(t.app, url, { username: user.username, password: user.password, ...(otp === undefined ? {} : { otp }) })
      const missing = await attempt()
      assert.equal(missing.status, 401)
      assert.equal(missing.body.code, 'mfa_required')
      const wrong = await attempt('000000')
      assert.equal(wrong.status, 401)
      assert.equal(wrong.body.code, undefined, 'a wrong code is a plain 401')
      const code = nextCode(user.secret)
      assert.equal((await attempt(code)).status, 200)
      const reused = await attempt(code)
      assert.equal(reused.status, 401)
      assert.equal(reused.body.code, undefined)
      assert.equal((await attempt(user.recoveryCodes[0]!.toLowerCase().replaceAll('-', ''))).status, 200, 'typed in lower case without dashes')
      assert.equal((await attempt(user.recoveryCodes[0])).status, 401, 'used once')
    })
  }

  test('a wrong password answers the same with and without MFA: it never tells', async () => {
    const withMfa = await userWithTotp(t.app)
    const without = await registerUser(t.app)
    const answers = await Promise.all(
      [withMfa, without].map((user) => postJson(t.app, '/api/v1/auth/local/authenticate', { username: user.username, password: 'wrong password' }))
    )
    assert.deepEqual(answers.map((answer) => [answer.status, answer.body]), [
      [401, answers[1]!.body],
      [401, answers[1]!.body]
    ])
    assert.equal(answers[0]!.body.code, undefined)
  })

  test('the seeds answer in their own shapes with the code', async () => {
    const user = await userWithTotp(t.app)
    const login = await postJson(t.app, '/login', { username: user.username, password: user.password, otp: nextCode(user.secret) })
    assert.equal(login.status, 200)
    assert.equal(typeof login.body.data.token, 'string')
    const lummox = await postJson(t.app, '/api/v1/tokens/refresh', { username: user.username, password: user.password, otp: user.recoveryCodes[1] })
    assert.deepEqual(Object.keys(lummox.body), ['token'])
  })
})

describe('the budget of wrong codes', () => {
  let t: TestApp
  before(async () => {
    // Parallel sign-ins with the right password each count as a password attempt until bcrypt answers.
    t = await buildTestApp({ RATE_LIMIT_ADDRESS_MAX: '10000', MFA_MAX_FAILURES: '5', RATE_LIMIT_ACCOUNT_FAILURES: '50' })
  })
  after(() => t.close())

  test('20 parallel guesses: at most 5 are checked, the rest are refused with 429 and Retry-After', async () => {
    const user = await userWithTotp(t.app)
    const guesses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => postJson(t.app, '/api/v1/auth/local/authenticate', { username: user.username, password: user.password, otp: String(100000 + i) }))
    )
    const checked = guesses.filter((answer) => answer.status === 401).length
    assert.ok(checked <= 5, `${checked} guesses were checked`)
    assert.equal(guesses.filter((answer) => answer.status === 429).length, 20 - checked)
    assert.ok(guesses.find((answer) => answer.status === 429)!.headers['retry-after'])
    // Locked: even the right code waits for the window to end.
    assert.equal((await postJson(t.app, '/api/v1/auth/local/authenticate', { username: user.username, password: user.password, otp: nextCode(user.secret) })).status, 429)
  })

})

describe('wrong codes and wrong passwords', () => {
  let t: TestApp
  before(async () => {
    t = await buildTestApp({ RATE_LIMIT_ADDRESS_MAX: '10000', MFA_MAX_FAILURES: '5', RATE_LIMIT_ACCOUNT_FAILURES: '3' })
  })
  after(() => t.close())

  test('are counted apart: neither locks out the other', async () => {
    const user = await userWithTotp(t.app)
    for (let i = 0; i < 3; i++) await postJson(t.app, '/api/v1/auth/local/authenticate', { username: user.username, password: 'wrong password' })
    assert.equal((await postJson(t.app, '/api/v1/auth/local/authenticate', { username: user.username, password: user.password })).status, 429, 'the password budget is spent')

    const other = await userWithTotp(t.app)
    for (let i = 0; i < 5; i++) await postJson(t.app, '/api/v1/auth/local/authenticate', { username: other.username, password: other.password, otp: '000000' })
    const locked = await postJson(t.app, '/api/v1/auth/local/authenticate', { username: other.username, password: other.password, otp: nextCode(other.secret) })
    assert.equal(locked.status, 429, 'the code budget is spent')
    // The password still counts as right: no password failure was recorded, so a wrong one is a plain 401.
    assert.equal((await postJson(t.app, '/api/v1/auth/local/authenticate', { username: other.username, password: 'wrong password' })).status, 401)
  })
})

describe('MFA_REQUIRED_SCOPES', () => {
  let t: TestApp
  before(async () => {
    t = await buildTestApp({ MFA_REQUIRED_SCOPES: 'admin' })
  })
  after(() => t.close())

  test('a user holding a required scope without a factor gets mfa_enrollment_required; others sign in', async () => {
    const refused = await postJson(t.app, '/api/v1/auth/local/authenticate', { username: 'root', password: 'root-password-1' })
    assert.equal(refused.status, 403)
    assert.equal(refused.body.code, 'mfa_enrollment_required')
    const user = await registerUser(t.app)
    assert.equal((await postJson(t.app, '/login', { username: user.username, password: user.password })).status, 200)
  })
})
