import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { after, describe, test } from 'node:test'
import { buildApp } from '../../src/app.js'
import { loggerOptions } from '../../src/logger.js'
import { openSqliteStore } from '../../src/store/sqlite/index.js'
import { buildTestApp, postJson, registerUser, tempDir, testConfig, type TestApp } from '../helpers.js'

const apps: TestApp[] = []
after(async () => {
  for (const app of apps) await app.close()
})
async function app(env: Record<string, string> = {}): Promise<TestApp> {
  const built = await buildTestApp(env)
  apps.push(built)
  return built
}

const authenticate = (t: TestApp, body: unknown, headers: Record<string, string> = {}) =>
  postJson(t.app, '/api/v1/auth/local/authenticate', body, headers)

describe('rate limits', () => {
  test('past the per-address limit the answer is 429 with Retry-After, and X-Forwarded-For does not reset it', async () => {
    const t = await app({ RATE_LIMIT_ADDRESS_MAX: '3' })
    for (let i = 0; i < 3; i++) {
      assert.equal((await authenticate(t, { username: 'x', password: 'y' }, { 'x-forwarded-for': `10.0.0.${i}` })).status, 401)
    }
    const limited = await authenticate(t, { username: 'x', password: 'y' }, { 'x-forwarded-for': '10.0.0.99' })
    assert.equal(limited.status, 429)
    assert.ok(Number(limited.headers['retry-after']) > 0)
    assert.equal(limited.body.statusCode, 429)
    assert.equal(limited.body.error, 'Too Many Requests')
    // The limit covers every credential route from that address.
    assert.equal((await postJson(t.app, '/login', { username: 'x', password: 'y' })).status, 429)
  })

  test('with TRUST_PROXY the client address comes from X-Forwarded-For', async () => {
    const t = await app({ RATE_LIMIT_ADDRESS_MAX: '2', TRUST_PROXY: 'true' })
    for (let i = 0; i < 4; i++) {
      assert.equal((await authenticate(t, { username: 'x', password: 'y' }, { 'x-forwarded-for': `10.0.0.${i}` })).status, 401)
    }
  })

  test('failed passwords lock an account for its window, known or unknown, and leave other accounts alone', async () => {
    const t = await app({ RATE_LIMIT_ACCOUNT_FAILURES: '3' })
    const victim = await registerUser(t.app)
    const bystander = await registerUser(t.app)
    for (const login of [victim.username, 'no such user']) {
      for (let i = 0; i < 3; i++) assert.equal((await authenticate(t, { username: login, password: 'wrong guess' })).status, 401)
      const locked = await authenticate(t, { username: login.toUpperCase(), password: 'wrong guess' })
      assert.equal(locked.status, 429)
      assert.ok(Number(locked.headers['retry-after']) > 800)
    }
    assert.equal((await authenticate(t, { username: victim.username, password: victim.password })).status, 429)
    assert.equal((await authenticate(t, { username: victim.email, password: victim.password })).status, 429, 'the email names the same account')
    assert.equal((await authenticate(t, { username: bystander.username, password: bystander.password })).status, 200)
  })

  test('failures at /login and at authenticate count against the same account', async () => {
    const t = await app({ RATE_LIMIT_ACCOUNT_FAILURES: '2' })
    const user = await registerUser(t.app)
    assert.equal((await postJson(t.app, '/login', { username: user.username, password: 'wrong guess' })).status, 401)
    assert.equal((await authenticate(t, { username: user.email, password: 'wrong guess' })).status, 401)
    assert.equal((await postJson(t.app, '/login', { username: user.username, password: user.password })).status, 429)
    assert.deepEqual(await t.store.sessions.listByUser(user.id), [])
  })

  test('a success clears an account\'s failures', async () => {
    const t = await app({ RATE_LIMIT_ACCOUNT_FAILURES: '2' })
    const user = await registerUser(t.app)
    for (let round = 0; round < 3; round++) {
      assert.equal((await authenticate(t, { username: user.username, password: 'wrong guess' })).status, 401)
      assert.equal((await authenticate(t, { username: user.username, password: user.password })).status, 200)
    }
  })

  test('RATE_LIMIT=off turns every limit off', async () => {
    const t = await app({ RATE_LIMIT: 'off', RATE_LIMIT_ADDRESS_MAX: '1', RATE_LIMIT_ACCOUNT_FAILURES: '1' })
    for (let i = 0; i < 5; i++) assert.equal((await authenticate(t, { username: 'x', password: 'wrong guess' })).status, 401)
  })
})

describe('input', () => {
  test('a body over the auth body limit is 413 and JSON', async () => {
    const t = await app()
    const { status, body } = await authenticate(t, { username: 'x', password: 'p'.repeat(1000), padding: 'x'.repeat(5000) })
    assert.equal(status, 413)
    assert.equal(body.statusCode, 413)
  })

  test('an operator object where a string belongs is 400 and never reaches the store', async () => {
    const t = await app()
    const original = t.store.users.findByUsernameKey
    let reads = 0
    t.store.users.findByUsernameKey = async (key) => {
      reads += 1
      return original.call(t.store.users, key)
    }
    const { status, body } = await authenticate(t, { username: { $ne: null }, password: 'x' })
    t.store.users.findByUsernameKey = original
    assert.equal(status, 400)
    assert.match(body.message, /username/)
    assert.equal(reads, 0)
  })

  test('an unknown route is a JSON 404', async () => {
    const t = await app()
    const response = await t.app.inject('/nothing/here?token=secret')
    assert.equal(response.statusCode, 404)
    assert.deepEqual(response.json(), { statusCode: 404, error: 'Not Found', message: 'Route GET /nothing/here not found' })
  })
})

describe('headers', () => {
  test('security headers: a JSON answer gets the short set, a page the whole one; HSTS only when the public URL is https', async () => {
    const plain = await app()
    const json = await plain.app.inject('/healthz')
    assert.equal(json.headers['x-content-type-options'], 'nosniff')
    assert.equal(json.headers['content-security-policy'], "default-src 'none';frame-ancestors 'none'")
    assert.equal(json.headers['x-frame-options'], 'DENY')
    assert.equal(json.headers['referrer-policy'], 'no-referrer')
    assert.equal(json.headers['cross-origin-opener-policy'], undefined)
    assert.equal(json.headers['strict-transport-security'], undefined)
    const page = await plain.app.inject('/auth/local/login')
    assert.equal(page.headers['cross-origin-opener-policy'], 'same-origin')
    assert.equal(page.headers['x-content-type-options'], 'nosniff')
    assert.equal(page.headers['x-frame-options'], 'DENY')
    assert.equal(page.headers['strict-transport-security'], undefined)
    const secure = await app({ PUBLIC_URL: 'https://auth.example' })
    assert.match((await secure.app.inject('/healthz')).headers['strict-transport-security'] as string, /max-age=/)
    assert.match((await secure.app.inject('/auth/local/login')).headers['strict-transport-security'] as string, /max-age=/)
  })

  test('no cross-origin access without CORS_ORIGINS', async () => {
    const t = await app()
    const response = await t.app.inject({ url: '/authorise', headers: { origin: 'https://app.example.com' } })
    assert.equal(response.headers['access-control-allow-origin'], undefined)
  })

  test('CORS_ORIGINS allows its origins and no other', async () => {
    const t = await app({ CORS_ORIGINS: 'https://app.example.com' })
    const preflight = (origin: string) =>
      t.app.inject({ method: 'OPTIONS', url: '/authorise', headers: { origin, 'access-control-request-method': 'GET' } })
    assert.equal((await preflight('https://app.example.com')).headers['access-control-allow-origin'], 'https://app.example.com')
    assert.equal((await preflight('https://evil.example.com')).headers['access-control-allow-origin'], undefined)
  })
})

describe('docs and health', () => {
  test('the OpenAPI document lists every route; the UI is served', async () => {
    const t = await app()
    const document = (await t.app.inject('/openapi.json')).json()
    assert.equal(document.openapi, '3.1.0')
    for (const path of [
      '/api/v1/auth/local/register',
      '/api/v1/auth/local/authenticate',
      '/api/v1/auth/refresh',
      '/api/v1/auth/revoke',
      '/api/v1/tokens/refresh',
      '/api/v1/tokens/access',
      '/api/v1/users',
      '/api/v1/users/{id}',
      '/login',
      '/logout',
      '/authorise',
      '/.well-known/jwks.json',
      '/healthz',
      '/readyz',
      '/auth/saml/login',
      '/auth/saml/login/callback',
      '/auth/saml/metadata'
    ]) {
      assert.ok(document.paths[path], path)
    }
    assert.ok(document.paths['/api/v1/auth/local/register'].post.requestBody)
    const ui = await t.app.inject('/docs/')
    assert.equal(ui.statusCode, 200)
    assert.match(ui.headers['content-type'] as string, /html/)
  })

  test('/readyz is 200 while the store answers and 503 once it does not', async () => {
    const t = await app()
    assert.deepEqual((await t.app.inject('/healthz')).json(), { status: 'ok' })
    assert.equal((await t.app.inject('/readyz')).statusCode, 200)
    await t.store.close()
    const down = await t.app.inject('/readyz')
    assert.equal(down.statusCode, 503)
    assert.equal((await t.app.inject('/healthz')).statusCode, 200)
  })
})

describe('logs', () => {
  test('never contain a password, a refresh token or an access token', async () => {
    const { dir, remove } = tempDir()
    // debug: request lines (with their URLs) are written too.
    const config = testConfig({ LOG_LEVEL: 'debug' }, dir)
    let logged = ''
    const stream = new Writable({
      write(chunk, _encoding, done) {
        logged += chunk.toString()
        done()
      }
    })
    const store = openSqliteStore((config.store as { path: string }).path)
    const logging = await buildApp(config, { store, logger: { ...(loggerOptions(config) as object), stream } })
    try {
      const password = 'very-secret-password'
      await postJson(logging, '/api/v1/auth/local/register', { username: 'logged', email: 'logged@example.com', password })
      const { body } = await postJson(logging, '/api/v1/auth/local/authenticate', { username: 'logged', password })
      await logging.inject({ method: 'POST', url: `/api/v1/tokens/access?token=${body.refreshToken}` })
      await logging.inject({ url: '/authorise', headers: { authorization: `Bearer ${body.accessToken}` } })
      assert.match(logged, /request completed/)
      assert.match(logged, /token=\[Redacted\]/)
      for (const secret of [password, body.refreshToken, body.accessToken, body.accessToken.split('.')[2]]) {
        assert.ok(!logged.includes(secret), `log contains ${secret.slice(0, 12)}...`)
      }
    } finally {
      await logging.close()
      remove()
    }
  })
})
