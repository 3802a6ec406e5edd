import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, before, describe, test } from 'node:test'
import bcrypt from 'bcrypt'
import type { FastifyInstance } from 'fastify'
import { ADMIN, buildTestApp, hiddenField, registerUser, signIn, type TestApp } from '../helpers.js'
import { TestRedis } from '../scale-out/redis-server.js'

const apps: TestApp[] = []
after(async () => {
  for (const built of apps) await built.close()
})
async function app(env: Record<string, string> = {}): Promise<TestApp> {
  const built = await buildTestApp(env)
  apps.push(built)
  return built
}

interface Attempt {
  status: number
  /** The answer with what legitimately differs between two attempts (CSRF token, the login echoed back) blanked. */
  body: string
  contentType: string
  retryAfter: string | undefined
}

/** Where the request comes from: the socket address, and any X-Forwarded-For an attacker adds. */
interface Origin {
  remoteAddress?: string
  forwardedFor?: string
}

type PasswordRoute = (app: FastifyInstance, login: string, password: string, origin?: Origin) => Promise<Attempt>

function requestOptions(origin: Origin = {}) {
  return {
    ...(origin.remoteAddress ? { remoteAddress: origin.remoteAddress } : {}),
    headers: origin.forwardedFor ? { 'x-forwarded-for': origin.forwardedFor } : {}
  }
}

function jsonRoute(url: string): PasswordRoute {
  return async (app, username, password, origin) => {
    const options = requestOptions(origin)
    const response = await app.inject({ method: 'POST', url, payload: { username, password }, ...options })
    return {
      status: response.statusCode,
      body: response.body,
      contentType: String(response.headers['content-type']),
      retryAfter: response.headers['retry-after'] as string | undefined
    }
  }
}

/** The HTML sign-in form, as a browser fills it: the page (session cookie, CSRF token), then the post. */
const signInForm: PasswordRoute = async (app, username, password, origin) => {
  const options = requestOptions(origin)
  const page = await app.inject({ url: '/auth/local/login', ...options })
  const csrf = hiddenField(page.body, '_csrf')
  const response = await app.inject({
    method: 'POST',
    url: '/auth/local/login',
    ...options,
    headers: {
      ...options.headers,
      cookie: page.cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; '),
      'content-type': 'application/x-www-form-urlencoded'
    },
    payload: new URLSearchParams({ _csrf: csrf, username, password }).toString()
  })
  return {
    status: response.statusCode,
    body: response.body.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""').replace(`value="${username}"`, 'value=""'),
    contentType: String(response.headers['content-type']),
    retryAfter: response.headers['retry-after'] as string | undefined
  }
}

/** Every route that checks a password, and its success status. */
const passwordRoutes: Array<[string, PasswordRoute, number]> = [
  ['rdata JSON authenticate', jsonRoute('/api/v1/auth/local/authenticate'), 200],
  ['lummox tokens/refresh', jsonRoute('/api/v1/tokens/refresh'), 200],
  ['the unnamed service /login', jsonRoute('/login'), 200],
  ['the HTML sign-in form (also the OAuth2 sign-in page)', signInForm, 303]
]

/** Counts bcrypt compares and the cost of the hash each one ran against. */
function countBcryptWork(t: { after: (fn: () => void) => void }): number[] {
  const costs: number[] = []
  const original = bcrypt.compare
  bcrypt.compare = ((data: string, hash: string) => {
    costs.push(Number(hash.slice(4, 6)))
    return original(data, hash)
  }) as typeof bcrypt.compare
  t.after(() => {
    bcrypt.compare = original
  })
  return costs
}

describe('per-address limit on every password check', () => {
  for (const [name, attempt] of passwordRoutes) {
    test(`${name}: past the limit 429 with Retry-After; rotating X-Forwarded-For does not help without TRUST_PROXY`, async () => {
      const t = await app({ RATE_LIMIT_ADDRESS_MAX: '3' })
      for (let i = 0; i < 3; i++) {
        assert.equal((await attempt(t.app, `guess ${i}`, 'wrong guess', { forwardedFor: `10.0.0.${i}` })).status, 401)
      }
      const limited = await attempt(t.app, 'guess 3', 'wrong guess', { forwardedFor: '10.0.0.99' })
      assert.equal(limited.status, 429)
      assert.ok(Number(limited.retryAfter) > 0)
      assert.equal((await attempt(t.app, ADMIN.username, ADMIN.password, { forwardedFor: '10.0.1.1' })).status, 429, 'even the right password waits')
      assert.notEqual((await attempt(t.app, ADMIN.username, ADMIN.password, { remoteAddress: '192.0.2.7' })).status, 429, 'another address is not limited')
    })
  }

  test('behind a trusted proxy (TRUST_PROXY) the address is the forwarded one', async () => {
    const t = await app({ RATE_LIMIT_ADDRESS_MAX: '2', TRUST_PROXY: '127.0.0.1' })
    const [, attempt] = passwordRoutes[0]!
    for (let i = 0; i < 4; i++) assert.equal((await attempt(t.app, 'x', 'wrong guess', { forwardedFor: `10.0.0.${i}` })).status, 401)
    // A proxy that is not trusted cannot choose the address.
    for (let i = 0; i < 2; i++) assert.equal((await attempt(t.app, 'x', 'wrong guess', { remoteAddress: '192.0.2.9', forwardedFor: `10.0.2.${i}` })).status, 401)
    assert.equal((await attempt(t.app, 'x', 'wrong guess', { remoteAddress: '192.0.2.9', forwardedFor: '10.0.2.99' })).status, 429)
  })
})

describe('per-account limit on every password check', () => {
  for (const [name, attempt, success] of passwordRoutes) {
    test(`${name}: failures from many addresses lock the account, and only it`, async () => {
      const t = await app({ RATE_LIMIT_ACCOUNT_FAILURES: '3' })
      const victim = await registerUser(t.app)
      const bystander = await registerUser(t.app)
      for (let i = 0; i < 3; i++) {
        assert.equal((await attempt(t.app, victim.username, 'wrong guess', { remoteAddress: `192.0.2.${i}` })).status, 401)
      }
      const locked = await attempt(t.app, victim.username, victim.password, { remoteAddress: '198.51.100.1' })
      assert.equal(locked.status, 429)
      assert.ok(Number(locked.retryAfter) > 0)
      assert.equal((await attempt(t.app, bystander.username, bystander.password, { remoteAddress: '192.0.2.0' })).status, success)
    })
  }

  test('a wrong currentPassword when changing one\'s own password counts against the account', async () => {
    const t = await app({ RATE_LIMIT_ACCOUNT_FAILURES: '3' })
    const user = await registerUser(t.app)
    const { accessToken } = await signIn(t.app, user.username, user.password)
    const change = (currentPassword: string) =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/v1/users/${user.id}`,
        headers: { authorization: `Bearer ${accessToken}` },
        payload: { password: 'a-new-password-1', currentPassword }
      })
    for (let i = 0; i < 3; i++) assert.equal((await change('wrong guess')).statusCode, 403)
    assert.equal((await change(user.password)).statusCode, 429)
    const [, authenticate] = passwordRoutes[0]!
    assert.equal((await authenticate(t.app, user.username, user.password)).status, 429)
  })

  test('the lock lifts by itself when its window ends, however much the attacker keeps trying during it', async () => {
    const t = await app({ RATE_LIMIT_ACCOUNT_FAILURES: '2', RATE_LIMIT_ACCOUNT_WINDOW: '2s' })
    const user = await registerUser(t.app)
    const [, authenticate] = passwordRoutes[0]!
    for (let i = 0; i < 2; i++) assert.equal((await authenticate(t.app, user.username, 'wrong guess')).status, 401)
    const locked = await authenticate(t.app, user.username, user.password)
    assert.equal(locked.status, 429)
    const retryAfterMs = Number(locked.retryAfter) * 1000
    assert.ok(retryAfterMs > 0 && retryAfterMs <= 2000)
    // Hammering during the lock neither extends it nor is checked against the password.
    for (let i = 0; i < 5; i++) assert.equal((await authenticate(t.app, user.username, 'wrong guess')).status, 429)
    await sleep(retryAfterMs + 100)
    assert.equal((await authenticate(t.app, user.username, user.password)).status, 200)
  })

  for (const backend of ['in memory', 'in Redis'] as const) {
    test(`parallel wrong passwords never get more than the limit's password checks (counter ${backend})`, async (t) => {
      let env: Record<string, string> = { RATE_LIMIT_ACCOUNT_FAILURES: '5' }
      if (backend === 'in Redis') {
        const redis = await TestRedis.start()
        t.after(() => redis.stop())
        env = { ...env, REDIS_URL: redis.url }
      }
      const built = await app(env)
      const user = await registerUser(built.app)
      const compares = countBcryptWork(t)
      const [, authenticate] = passwordRoutes[0]!
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => authenticate(built.app, user.username, `wrong guess ${i}`, { remoteAddress: `192.0.2.${i}` }))
      )
      const statuses = answers.map((answer) => answer.status).sort()
      assert.deepEqual(statuses, [...Array(5).fill(401), ...Array(15).fill(429)])
      assert.equal(compares.length, 5, 'a locked attempt is never checked against the password')
    })
  }
})

describe('enumeration: an unknown user looks like a wrong password', () => {
  let t: TestApp
  const cases: Record<string, { login: string; password: string }> = {}

  before(async () => {
    t = await app({ RATE_LIMIT: 'off' })
    const known = await registerUser(t.app)
    const disabled = await registerUser(t.app)
    await t.app.accounts.update(disabled.id, { active: false }, { isAdmin: true })
    const federated = await t.app.accounts.findOrCreateSamlUser({ idp: 'acme', nameId: 'federated@acme.example' }, { username: 'federated', email: 'federated@acme.example' })
    cases['wrong password'] = { login: known.username, password: 'wrong guess' }
    cases['unknown user'] = { login: 'nobody at all', password: 'wrong guess' }
    cases['unknown email'] = { login: 'nobody@example.com', password: 'wrong guess' }
    cases['disabled user, right password'] = { login: disabled.username, password: disabled.password }
    cases['user without a password (SAML)'] = { login: federated.username, password: 'wrong guess' }
  })

  for (const [name, attempt] of passwordRoutes) {
    test(`${name}: the same status and body, after one bcrypt compare at the configured cost`, async (context) => {
      const compares = countBcryptWork(context)
      const answers: Record<string, Omit<Attempt, 'retryAfter'>> = {}
      for (const [label, { login, password }] of Object.entries(cases)) {
        const before = compares.length
        const { status, body, contentType } = await attempt(t.app, login, password)
        answers[label] = { status, body, contentType }
        assert.deepEqual(compares.slice(before), [t.config.bcryptCost], `${label}: one compare at cost ${t.config.bcryptCost}`)
      }
      const reference = answers['wrong password']!
      assert.equal(reference.status, 401)
      for (const [label, answer] of Object.entries(answers)) assert.deepEqual(answer, reference, label)
    })
  }
})
