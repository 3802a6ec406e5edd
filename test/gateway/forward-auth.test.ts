import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance, InjectOptions } from 'fastify'
import fc from 'fast-check'
import { ConfigError } from '../../src/config.js'
import { headerSafeText, isValidHeaderValue } from '../../src/http/header-value.js'
import { adminToken, buildTestApp, postJson, registerUser, signIn, testConfig, type TestApp } from '../helpers.js'

/**
 * /authorise as gateways call it (nginx auth_request, Traefik forwardAuth, Envoy ext_authz,
 * Caddy forward_auth): they forward only the answer's headers to the upstream, Envoy keeps the
 * request's method and appends its path, and a 400 becomes a 500 in nginx.
 */
let t: TestApp
let admin: string
before(async () => {
  t = await buildTestApp({ RATE_LIMIT: 'off' })
  admin = await adminToken(t.app)
})
after(() => t.close())

/** A fresh user with `organisation`, and an access token of theirs. */
async function userToken(organisation: string | null = null, app: FastifyInstance = t.app, username?: string) {
  const user = await registerUser(app, username === undefined ? {} : { username })
  if (organisation !== null) {
    const patched = await app.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}`, headers: { authorization: `Bearer ${await adminToken(app)}` }, payload: { organisation } })
    assert.equal(patched.statusCode, 200)
  }
  return { user, token: (await signIn(app, user.username, user.password)).accessToken }
}

function check(token: string | null, options: Omit<InjectOptions, 'headers'> & { headers?: Record<string, string> } = {}, app = t.app) {
  const { headers, ...rest } = options
  return app.inject({ url: '/authorise', ...rest, headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...headers } })
}

/** The answer's x-auth-request-* headers. */
function identity(headers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith('x-auth-request-')))
}

describe('identity headers', () => {
  test("a person's token: user id, username, organisation and scope in headers, beside the seed's JSON unchanged", async () => {
    const { user, token } = await userToken('123454897')
    const response = await check(token)
    assert.equal(response.statusCode, 200)
    assert.deepEqual(identity(response.headers), {
      'x-auth-request-user-id': user.id,
      'x-auth-request-user': user.username,
      'x-auth-request-organisation': '123454897',
      'x-auth-request-scope': 'user'
    })
    const { data } = response.json()
    assert.deepEqual(Object.keys(data), ['username', 'organisation', 'token', 'expires', 'subject_type', 'sub', 'scope'])
    assert.deepEqual([data.username, data.organisation, data.token, data.sub], [user.username, '123454897', token, user.id])
  })

  test("a client_credentials token: the client id and scope, no user id and no username", async () => {
    const registered = await postJson(
      t.app,
      '/api/v1/clients',
      { client_name: 'Batch', grant_types: ['client_credentials'], scope: 'reports.read' },
      { authorization: `Bearer ${admin}` }
    )
    assert.equal(registered.status, 201)
    const { client_id: clientId, client_secret: secret } = registered.body as { client_id: string; client_secret: string }
    const issued = await t.app.inject({
      method: 'POST',
      url: '/oauth2/token',
      headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=client_credentials&scope=reports.read'
    })
    assert.equal(issued.statusCode, 200, issued.body)
    const response = await check(issued.json().access_token)
    assert.equal(response.statusCode, 200)
    assert.deepEqual(identity(response.headers), { 'x-auth-request-scope': 'reports.read', 'x-auth-request-client-id': clientId })
  })

  test('a name outside ASCII is percent-encoded as UTF-8, and decodes back', async () => {
    const { user, token } = await userToken('Zürich %1', t.app, 'Zoë Ünal')
    const headers = (await check(token)).headers
    assert.equal(headers['x-auth-request-user'], 'Zo%C3%AB %C3%9Cnal')
    assert.equal(decodeURIComponent(String(headers['x-auth-request-user'])), user.username)
    assert.equal(headers['x-auth-request-organisation'], 'Z%C3%BCrich %251')
  })

  test('headerSafeText: any text gives a valid header value that decodeURIComponent reads back', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const value = headerSafeText(text)
        assert.ok(isValidHeaderValue('x-auth-request-user', value), value)
        assert.doesNotMatch(value, /^ | $/)
        assert.equal(decodeURIComponent(value), text)
      }),
      { numRuns: 500 }
    )
    // Lone surrogates cannot be UTF-8: they become U+FFFD, still a valid value.
    assert.equal(headerSafeText('a\ud800b'), 'a%EF%BF%BDb')
    assert.equal(headerSafeText(' \r\n\u0000 '), '%20%0D%0A%00%20')
  })

  test('a refused token gets the seed status and no identity headers', async () => {
    for (const token of [null, 'garbage']) {
      const response = await check(token)
      assert.equal(response.statusCode, 401)
      assert.deepEqual(identity(response.headers), {})
    }
  })

  test('FORWARD_AUTH_HEADERS renames headers and switches them off with null', async () => {
    const renamed = await buildTestApp({ FORWARD_AUTH_HEADERS: JSON.stringify({ username: 'Remote-User', user_id: null, scope: null, organisation: null }) })
    try {
      const { user, token } = await userToken(null, renamed.app)
      const response = await check(token, {}, renamed.app)
      assert.equal(response.headers['remote-user'], user.username)
      assert.deepEqual(identity(response.headers), {})
    } finally {
      await renamed.close()
    }
  })

  test('FORWARD_AUTH_HEADERS that is not JSON, has an unknown key, a bad name or a name twice stops the start with a clear message', () => {
    for (const [value, message] of [
      ['{username:', /FORWARD_AUTH_HEADERS: must be a JSON object/],
      ['{"email":"X-Email"}', /some of the keys user_id, username, organisation, scope, client_id, required_organisation, each a header name or null/],
      ['{"username":"Bad Name"}', /each a header name or null/],
      ['[]', /FORWARD_AUTH_HEADERS: must be a JSON object/],
      ['{"scope":"X-Auth-Request-User"}', /FORWARD_AUTH_HEADERS: x-auth-request-user is named twice/]
    ] as const) {
      assert.throws(() => testConfig({ FORWARD_AUTH_HEADERS: value }), (error: Error) => error instanceof ConfigError && message.test(error.message), value)
    }
  })
})

describe('gateway request shapes', () => {
  test('HEAD answers the same status and headers as GET, without a body', async () => {
    const { token } = await userToken()
    const [get, head] = [await check(token), await check(token, { method: 'HEAD' })]
    assert.equal(head.statusCode, 200)
    assert.equal(head.body, '')
    assert.deepEqual(identity(head.headers), identity(get.headers))
    assert.equal((await check('garbage', { method: 'HEAD' })).statusCode, 401)
  })

  test("Envoy's ext_authz shape: any method, any path under /authorise/, the original query ignored", async () => {
    const { user, token } = await userToken()
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const) {
      for (const url of ['/authorise', '/authorise/', '/authorise/api/v1/orders/7?foo=bar&organisation=', `/authorise/${'a/'.repeat(300)}x`]) {
        const response = await check(token, { method, url, headers: { 'content-length': '0' } })
        assert.equal(response.statusCode, 200, `${method} ${url}`)
        assert.equal(response.headers['x-auth-request-user'], user.username)
        assert.equal((await check(null, { method, url })).statusCode, 401, `${method} ${url} without a token`)
      }
    }
  })

  test('unknown query parameters and an empty organisation are ignored; a named one still must match', async () => {
    const { token } = await userToken('42')
    for (const query of ['?foo=bar', '?organisation=', '?organisation=42&x[y]=1', '?organisation=42&organisation=', '?a&b=&=c']) {
      assert.equal((await check(token, { url: `/authorise${query}` })).statusCode, 200, query)
    }
    for (const query of ['?organisation=41', '?organisation=42&organisation=41']) {
      assert.equal((await check(token, { url: `/authorise${query}` })).statusCode, 403, query)
    }
  })

  test('the required organisation may come from a request header (empty: none); query and header must both match', async () => {
    const { token } = await userToken('Zürich')
    const required = (value: string, url = '/authorise') => check(token, { url, headers: { 'x-auth-request-required-organisation': value } })
    assert.equal((await required('Z%C3%BCrich')).statusCode, 200)
    assert.equal((await required('')).statusCode, 200)
    assert.equal((await required('Bern')).statusCode, 403)
    assert.equal((await required('Z%C3%BCrich', '/authorise?organisation=Bern')).statusCode, 403)
    const { token: none } = await userToken()
    assert.equal((await check(none, { headers: { 'x-auth-request-required-organisation': 'Bern' } })).statusCode, 403)
  })

  test('a forwarded body is never read: invalid JSON is not parsed, and the connection closes after the answer', async () => {
    const { token } = await userToken()
    const response = await check(token, { method: 'POST', url: '/authorise/upload', headers: { 'content-type': 'application/json' }, payload: '{"not": json' })
    assert.equal(response.statusCode, 200)
    assert.equal(response.headers.connection, 'close')
    assert.equal((await check(token, { method: 'POST', headers: { 'content-length': '0' } })).headers.connection, 'keep-alive')
  })

  test('with CORS on, a preflight to /authorise is still answered by CORS, not the check', async () => {
    const cors = await buildTestApp({ CORS_ORIGINS: 'https://app.example.com' })
    try {
      const preflight = await cors.app.inject({
        method: 'OPTIONS',
        url: '/authorise',
        headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' }
      })
      assert.equal(preflight.statusCode, 204)
      assert.equal(preflight.headers['access-control-allow-origin'], 'https://app.example.com')
    } finally {
      await cors.close()
    }
  })
})
