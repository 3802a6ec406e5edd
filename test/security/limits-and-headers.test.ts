import assert from 'node:assert/strict'
import { once } from 'node:events'
import { connect } from 'node:net'
import { Writable } from 'node:stream'
import { after, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import { loggerOptions } from '../../src/logger.js'
import { jsonNestsDeeperThan, MAX_JSON_DEPTH } from '../../src/plugins/security.js'
import { openSqliteStore } from '../../src/store/sqlite/index.js'
import { ADMIN, adminToken, buildTestApp, hiddenField, postJson, registerUser, startServer, tempDir, testConfig, type TestApp } from '../helpers.js'

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

/**
 * Sends a request's head and the start of its body on a new connection, never the rest, and
 * resolves with the status line of the answer: one that comes before the body is done was
 * given without reading the body. 'no answer' when none came within `waitMs`.
 */
async function answerBeforeBodyEnds(base: string, head: string, bodyStart: string, waitMs = 3000): Promise<string> {
  const { hostname, port } = new URL(base)
  const socket = connect(Number(port), hostname)
  await once(socket, 'connect')
  socket.on('error', () => {})
  socket.write(head + bodyStart)
  return await new Promise((resolve) => {
    let received = ''
    const finish = (answer: string) => {
      clearTimeout(timer)
      socket.destroy()
      resolve(answer)
    }
    const timer = setTimeout(() => finish('no answer'), waitMs)
    socket.on('data', (chunk) => {
      received += String(chunk)
      if (received.includes('\r\n')) finish(received.slice(0, received.indexOf('\r\n')))
    })
    socket.on('close', () => finish(received === '' ? 'closed without an answer' : received.split('\r\n')[0]!))
  })
}

/** A redirect URI of exactly `length` characters, made like a real one: host, path segments. */
function longRedirectUri(i: number, length: number): string {
  let uri = `https://app-${i}.example.com/oauth2/callback`
  for (let n = 0; uri.length < length; n++) uri += `/step-${String(n).padStart(3, '0')}-abcdefgh`
  return uri.slice(0, length)
}

/** A scope of API scopes as long as the schema allows (2,048 characters). */
function longScope(): string {
  let scope = 'openid profile email offline_access'
  for (let n = 0; `${scope} reports-${n}.read`.length <= 2048; n++) scope = `${scope} reports-${n}.read`
  return scope
}

/** The admin console's sign-in and a form post over inject, with the cookies in between. */
async function consoleFormPost(app: FastifyInstance, url: string, form: Record<string, string>) {
  const cookies = new Map<string, string>()
  const request = async (path: string, fields?: Record<string, string>) => {
    const cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ')
    const payload = fields === undefined ? undefined : new URLSearchParams(fields).toString()
    const response = await app.inject({
      method: payload === undefined ? 'GET' : 'POST',
      url: path,
      headers: { ...(cookie ? { cookie } : {}), ...(payload === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }) },
      ...(payload === undefined ? {} : { payload })
    })
    for (const set of response.cookies) cookies.set(set.name, set.value)
    return { response, bytes: payload === undefined ? 0 : Buffer.byteLength(payload) }
  }
  const signInPage = (await request('/auth/local/login?returnTo=/admin')).response
  await request('/auth/local/login', { _csrf: hiddenField(signInPage.body, '_csrf'), username: ADMIN.username, password: ADMIN.password, returnTo: '/admin' })
  const csrf = hiddenField((await request('/admin/clients/new')).response.body, '_csrf')
  return request(url, { _csrf: csrf, ...form })
}

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

  test('a body over BODY_LIMIT is 413 on a route without a limit of its own, before anyone is authenticated', async () => {
    const t = await app()
    const token = await adminToken(t.app)
    // 70 KB: under Fastify's default 1 MiB, so it used to be read, parsed and only then refused.
    const oversized = JSON.stringify({ client_name: 'x', scope: 'openid', notes: 'x'.repeat(70_000) })
    for (const headers of [{ authorization: `Bearer ${token}` }, {}]) {
      const response = await t.app.inject({ method: 'POST', url: '/api/v1/clients', headers: { ...headers, 'content-type': 'application/json' }, payload: oversized })
      assert.equal(response.statusCode, 413)
      assert.equal(response.json().statusCode, 413)
    }
    // The review's body: a megabyte of nested arrays, which took a quarter of a second to parse.
    const nested = await t.app.inject({ method: 'PATCH', url: '/api/v1/clients/any', headers: { 'content-type': 'application/json' }, payload: '['.repeat(1_000_000) })
    assert.equal(nested.statusCode, 413)
    assert.equal(t.app.initialConfig.bodyLimit, t.config.bodyLimit)
    assert.equal((await app({ BODY_LIMIT: '100000' })).app.initialConfig.bodyLimit, 100_000)
  })

  test('routes that take no body refuse one with a JSON 413 before parsing it, and close the connection', async () => {
    const t = await app()
    const token = await adminToken(t.app)
    const user = await registerUser(t.app)
    const noBody: [string, string][] = [
      ['POST', '/api/v1/keys/rotate'],
      ['POST', '/api/v1/clients/some-client/secret'],
      ['DELETE', '/api/v1/clients/some-client'],
      ['DELETE', `/api/v1/users/${user.id}`],
      ['DELETE', `/api/v1/users/${user.id}/consents/some-client`],
      ['POST', '/api/v1/tokens/access'],
      ['POST', '/auth/logout']
    ]
    for (const [method, url] of noBody) {
      for (const headers of [{}, { authorization: `Bearer ${token}` }]) {
        // Not JSON at all: a parser would have answered 400.
        const response = await t.app.inject({ method: method as 'POST', url, headers: { ...headers, 'content-type': 'application/json' }, payload: '[[[' })
        assert.equal(response.statusCode, 413, `${method} ${url}`)
        assert.deepEqual(response.json(), { statusCode: 413, error: response.json().error, message: 'This route takes no request body' })
        assert.equal(response.headers.connection, 'close')
      }
    }
    // Userinfo takes a form body (RFC 6750 §2.2), bounded by a limit of its own; an OAuth2 route answers in RFC 6749's shape.
    const userinfo = await t.app.inject({ method: 'POST', url: '/oauth2/userinfo', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `access_token=${'x'.repeat(20_000)}` })
    assert.equal(userinfo.statusCode, 413)
    assert.equal(userinfo.json().error, 'invalid_request')
    // Without a body they work as before; the user was not deleted above.
    const rotated = await t.app.inject({ method: 'POST', url: '/api/v1/keys/rotate', headers: { authorization: `Bearer ${token}` } })
    assert.equal(rotated.statusCode, 201)
    assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/v1/users/${user.id}`, headers: { authorization: `Bearer ${token}`, 'content-length': '0' } })).statusCode, 204)
  })

  test('a body sent to a route that takes none, or to no route, is answered before it is read, chunked or not', async () => {
    const server = await startServer()
    apps.push(server)
    const head = (method: string, path: string, framing: string) =>
      `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${framing}\r\n`
    const chunk = (text: string) => `${text.length.toString(16)}\r\n${text}\r\n`
    const nested = '['.repeat(65_536)
    // A chunked body that never ends, and one announced at 500 KB of which 64 KiB is sent:
    // an answer can only come before the body ends if the body is not read.
    assert.match(await answerBeforeBodyEnds(server.base, head('POST', '/api/v1/keys/rotate', 'Transfer-Encoding: chunked\r\n'), chunk(nested)), /^HTTP\/1\.1 413 /)
    assert.match(await answerBeforeBodyEnds(server.base, head('POST', '/api/v1/keys/rotate', 'Content-Length: 500000\r\n'), nested), /^HTTP\/1\.1 413 /)
    assert.match(await answerBeforeBodyEnds(server.base, head('POST', '/auth/logout', 'Transfer-Encoding: chunked\r\n'), chunk(nested)), /^HTTP\/1\.1 413 /)
    assert.match(await answerBeforeBodyEnds(server.base, head('POST', '/no/such/route', 'Content-Length: 500000\r\n'), nested), /^HTTP\/1\.1 404 /)
  })

  test('JSON nested deeper than MAX_JSON_DEPTH is refused before it is parsed; brackets in strings do not count', async () => {
    const t = await app()
    const token = await adminToken(t.app)
    const post = (payload: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/clients', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload })
    const deep = `{"client_name":"x","scope":${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}}`
    const refused = await post(deep)
    assert.equal(refused.statusCode, 400)
    assert.match(refused.json().message, /nested deeper than 32 levels/)
    // 64 KiB of `[`, the size limit's worth: refused by the depth check, not by JSON.parse.
    assert.match((await post('['.repeat(65_536))).json().message, /nested deeper/)
    const brackets = '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{\\"'
    const accepted = await post(JSON.stringify({ client_name: brackets, grant_types: ['client_credentials'] }))
    assert.equal(accepted.statusCode, 201, accepted.body)
    assert.equal(accepted.json().client_name, brackets)
    assert.equal(jsonNestsDeeperThan('[[{"a":"\\"[[[["}]]', 3), false)
    assert.equal(jsonNestsDeeperThan('[[{"a":"\\\\"},[[]]]]', 3), true)
  })

  test('the default BODY_LIMIT holds the largest real request, with room but not twenty times over', async () => {
    const t = await app({ RATE_LIMIT: 'off' })
    const token = await adminToken(t.app)
    // The most a client registration may be: 20 redirect URIs of 2,048 characters and a
    // 2,048-character scope (the schema refuses more URIs or longer ones).
    const largest = {
      client_name: 'n'.repeat(128),
      redirect_uris: Array.from({ length: 20 }, (_, i) => longRedirectUri(i, 2048)),
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: longScope(),
      first_party: false
    }
    const json = JSON.stringify(largest)
    const registered = await t.app.inject({ method: 'POST', url: '/api/v1/clients', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: json })
    assert.equal(registered.statusCode, 201, registered.body.slice(0, 200))
    assert.equal(registered.json().redirect_uris.length, 20)
    // The same client through the admin console's form, URL-encoded (each / and : takes three characters).
    const { response: form, bytes: formBytes } = await consoleFormPost(t.app, '/admin/clients', {
      client_name: largest.client_name,
      redirect_uris: largest.redirect_uris.join('\r\n'),
      grant_types: 'authorization_code',
      scope: largest.scope,
      token_endpoint_auth_method: 'client_secret_basic'
    })
    assert.equal(form.statusCode, 201, form.body.slice(0, 200))
    const largestBytes = Math.max(Buffer.byteLength(json), formBytes)
    assert.ok(largestBytes > 40_000, `the largest request is ${largestBytes} bytes`)
    assert.ok(t.app.initialConfig.bodyLimit! <= largestBytes * 2, `the body limit ${t.app.initialConfig.bodyLimit} is far above the largest request (${largestBytes} bytes)`)
    assert.ok(t.config.bodyLimit >= largestBytes * 1.25, `BODY_LIMIT ${t.config.bodyLimit} leaves too little room over ${largestBytes} bytes`)
    // The SAML callback keeps its own larger limit: a 100 KB answer is read and judged (401), not refused as too large.
    const saml = await t.app.inject({ method: 'POST', url: '/auth/saml/login/callback', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, payload: `SAMLResponse=${'A'.repeat(100_000)}` })
    assert.notEqual(saml.statusCode, 413)
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
