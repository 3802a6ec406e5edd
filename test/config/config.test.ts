import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ConfigError, loadConfig, parseDuration } from '../../src/config.js'
import { buildTestApp, jwtPayload, registerUser, signIn } from '../helpers.js'

describe('configuration', () => {
  test('an empty environment gives the documented local defaults', () => {
    const config = loadConfig({})
    assert.equal(config.port, 8080)
    assert.equal(config.host, '0.0.0.0')
    assert.equal(config.publicUrl, 'http://localhost:8080')
    assert.deepEqual(config.store, { kind: 'sqlite', path: './data/moneypenny.db' })
    assert.deepEqual(config.jwt, { secret: null, algorithm: 'RS256', audience: 'moneypenny', accessTokenTtlMs: 15 * 60_000, refreshTokenTtlMs: 30 * 86_400_000, refreshReuseGraceMs: 5000 })
    assert.deepEqual(config.allowedScopes, ['admin', 'user'])
    assert.equal(config.bcryptCost, 12)
    assert.equal(config.admin, null)
    assert.equal(config.corsOrigins, null)
    assert.equal(config.trustProxy, false)
    assert.deepEqual(config.rateLimit, { enabled: true, addressMax: 100, addressWindowMs: 60_000, accountFailures: 10, accountWindowMs: 15 * 60_000 })
  })

  test('durations take ms, s, m, h and d; a bare number is seconds', () => {
    assert.deepEqual(['250ms', '90', '90s', '15m', '2h', '30d'].map(parseDuration), [250, 90_000, 90_000, 900_000, 7_200_000, 2_592_000_000])
  })

  test('values are parsed: trust proxy, CORS origins, scopes, PUBLIC_URL without its trailing slash', () => {
    const config = loadConfig({ TRUST_PROXY: '2', CORS_ORIGINS: 'https://a.example, https://b.example', ALLOWED_SCOPES: 'admin,user,reports', PUBLIC_URL: 'https://auth.example/' })
    assert.equal(config.trustProxy, 2)
    assert.deepEqual(config.corsOrigins, ['https://a.example', 'https://b.example'])
    assert.deepEqual(config.allowedScopes, ['admin', 'user', 'reports'])
    assert.equal(config.publicUrl, 'https://auth.example')
    assert.equal(loadConfig({ TRUST_PROXY: '10.0.0.0/8' }).trustProxy, '10.0.0.0/8')
    assert.equal(loadConfig({ CORS_ORIGINS: '*' }).corsOrigins, '*')
  })

  for (const [name, value] of [
    ['BCRYPT_COST', '3'],
    ['BCRYPT_COST', '32'],
    ['PORT', '70000'],
    ['PORT', 'http'],
    ['ACCESS_TOKEN_TTL', 'abc'],
    ['ACCESS_TOKEN_TTL', '0'],
    ['REFRESH_TOKEN_REUSE_GRACE', '2m'],
    ['REFRESH_TOKEN_REUSE_GRACE', 'soon'],
    ['LOG_LEVEL', 'loud'],
    ['RATE_LIMIT', 'maybe'],
    ['RATE_LIMIT_ADDRESS_MAX', '0'],
    ['PUBLIC_URL', 'auth.example'],
    ['CORS_ORIGINS', 'not an origin'],
    ['ALLOWED_SCOPES', 'admin,,user'],
    ['ADMIN_PASSWORD', 'short']
  ] as const) {
    test(`${name}=${value} is refused with a message naming ${name}`, () => {
      assert.throws(() => loadConfig({ [name]: value, ...(name === 'ADMIN_PASSWORD' ? { ADMIN_USERNAME: 'admin' } : {}) }), (error: unknown) => {
        return error instanceof ConfigError && error.message.includes(name)
      })
    })
  }

  test('an invalid secret is named in the error but never shown', () => {
    assert.throws(
      () => loadConfig({ ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'hunter2' }),
      (error: unknown) => error instanceof ConfigError && error.message.includes('ADMIN_PASSWORD must be') && !error.message.includes('hunter2')
    )
  })

  test('mail: off without SMTP_URL; SMTP_URL is smtp:// or smtps:// and never shown, MAIL_FROM an address, PASSWORD_RESET_TTL a duration', () => {
    assert.equal(loadConfig({}).mail, null)
    const from = 'Acme Login <login@example.com>'
    assert.deepEqual(loadConfig({ SMTP_URL: 'smtps://user:pw@mail.example.com:465', MAIL_FROM: from }).mail, {
      smtpUrl: 'smtps://user:pw@mail.example.com:465',
      from,
      passwordResetTtlMs: 3_600_000
    })
    assert.equal(loadConfig({ SMTP_URL: 'smtp://mail.example.com:587?requireTLS=true', MAIL_FROM: 'login@example.com', PASSWORD_RESET_TTL: '30m' }).mail?.passwordResetTtlMs, 1_800_000)
    assert.throws(
      () => loadConfig({ SMTP_URL: 'http://user:secret-pw@mail.example.com', MAIL_FROM: from }),
      (error: unknown) => error instanceof ConfigError && error.message.includes('SMTP_URL must be an smtp:// or smtps:// URL') && !error.message.includes('secret-pw')
    )
    assert.throws(() => loadConfig({ SMTP_URL: 'smtp://mail.example.com', MAIL_FROM: 'not an address' }), /MAIL_FROM="not an address" must be an address/)
    assert.throws(() => loadConfig({ SMTP_URL: 'smtp://mail.example.com', MAIL_FROM: 'a@example.com\r\nBcc: x@example.com' }), /MAIL_FROM/)
    assert.throws(() => loadConfig({ SMTP_URL: 'smtp://mail.example.com' }), /SMTP_URL and MAIL_FROM: set both or neither/)
    assert.throws(() => loadConfig({ MAIL_FROM: from }), /set both or neither/)
    assert.throws(() => loadConfig({ SMTP_URL: 'smtp://mail.example.com', MAIL_FROM: from, PASSWORD_RESET_TTL: 'an hour' }), /PASSWORD_RESET_TTL="an hour" must be a duration/)
    assert.throws(() => loadConfig({ SMTP_URL: 'smtp://mail.example.com', MAIL_FROM: from, PASSWORD_RESET_TTL: '30s' }), /PASSWORD_RESET_TTL: must be from one minute to one day/)
    assert.equal(loadConfig({ SMTP_URL: 'smtp://mail.example.com', MAIL_FROM: from, REQUIRE_VERIFIED_EMAIL: 'true' }).requireVerifiedEmail, true)
    assert.throws(() => loadConfig({ REQUIRE_VERIFIED_EMAIL: 'true' }), /REQUIRE_VERIFIED_EMAIL: needs SMTP_URL/)
  })

  test('a JWT_SECRET under 32 bytes is refused in production only', () => {
    assert.equal(loadConfig({ JWT_SECRET: 'short' }).jwt.secret, 'short')
    assert.throws(() => loadConfig({ JWT_SECRET: 'short', NODE_ENV: 'production' }), /JWT_SECRET/)
    assert.equal(loadConfig({ JWT_SECRET: 'x'.repeat(32), NODE_ENV: 'production' }).production, true)
  })

  test('ADMIN_USERNAME needs ADMIN_PASSWORD, and the admin scope must be allowed', () => {
    assert.throws(() => loadConfig({ ADMIN_USERNAME: 'admin' }), /ADMIN_PASSWORD/)
    assert.throws(() => loadConfig({ ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'long enough', ALLOWED_SCOPES: 'user' }), /ALLOWED_SCOPES/)
    assert.deepEqual(loadConfig({ ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'long enough' }).admin, {
      username: 'admin',
      password: 'long enough',
      email: 'admin@moneypenny.invalid'
    })
  })

  test('DEBUG_ROUTES is off by default, on with true, and refused in production', () => {
    assert.equal(loadConfig({}).debugRoutes, false)
    assert.equal(loadConfig({ DEBUG_ROUTES: 'true' }).debugRoutes, true)
    assert.throws(() => loadConfig({ DEBUG_ROUTES: 'yes' }), /DEBUG_ROUTES="yes" must be one of true, false/)
    assert.throws(() => loadConfig({ DEBUG_ROUTES: 'true', NODE_ENV: 'production' }), /DEBUG_ROUTES: must not be true in production/)
    assert.equal(loadConfig({ DEBUG_ROUTES: 'false', NODE_ENV: 'production' }).debugRoutes, false)
  })

  test('JWT_ALGORITHM is RS256 by default, ES256 when asked, and nothing else', () => {
    assert.equal(loadConfig({}).jwt.algorithm, 'RS256')
    assert.equal(loadConfig({ JWT_ALGORITHM: 'ES256' }).jwt.algorithm, 'ES256')
    assert.throws(() => loadConfig({ JWT_ALGORITHM: 'HS256' }), /JWT_ALGORITHM="HS256" must be one of RS256, ES256/)
  })

  test('an idle timeout longer than the session is refused', () => {
    assert.throws(() => loadConfig({ LOGIN_SESSION_IDLE_TTL: '2h', LOGIN_SESSION_MAX_TTL: '1h' }), /LOGIN_SESSION_IDLE_TTL/)
  })

  test('with JWT_SECRET tokens are HS256, /authorise accepts them and no keys are published', async () => {
    const t = await buildTestApp({ JWT_SECRET: 's'.repeat(40) })
    try {
      const user = await registerUser(t.app)
      const { accessToken } = await signIn(t.app, user.username, user.password)
      assert.equal(JSON.parse(Buffer.from(accessToken.split('.')[0]!, 'base64url').toString()).alg, 'HS256')
      assert.equal(jwtPayload(accessToken).sub, user.id)
      assert.equal((await t.app.inject({ url: '/authorise', headers: { authorization: `Bearer ${accessToken}` } })).statusCode, 200)
      assert.deepEqual((await t.app.inject('/.well-known/jwks.json')).json(), { keys: [] })
      assert.deepEqual(await t.store.signingKeys.list(), [])
    } finally {
      await t.close()
    }
  })

  test('the configured admin is created once, with the admin scope', async () => {
    const t = await buildTestApp()
    try {
      const admin = await t.store.users.findByUsernameKey('root')
      assert.deepEqual([admin?.scope, admin?.role, admin?.email], [['admin'], 'admin', 'root@example.com'])
      assert.equal(await t.app.accounts.ensureAdmin('root', 'another password', 'x@example.com'), false)
      assert.equal((await t.store.users.list({ offset: 0, limit: 10 })).total, 1)
    } finally {
      await t.close()
    }
  })
})
