import assert from 'node:assert/strict'
import { once } from 'node:events'
import { connect } from 'node:net'
import { Writable } from 'node:stream'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import { loggerOptions, UNDECODABLE_QUERY } from '../../src/logger.js'
import { ADMIN, jwtPayload, postJson, registerUser, signIn, tempDir, testConfig } from '../helpers.js'

/** An app (not yet ready: routes may be added) logging at `level` into `lines`. */
async function loggingApp(level: string, env: Record<string, string> = {}) {
  const lines: string[] = []
  const folder = tempDir()
  const config = testConfig({ LOG_LEVEL: level, ...env }, folder.dir)
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean))
      done()
    }
  })
  const app = await buildApp(config, { logger: { ...(loggerOptions(config) as object), stream } })
  return {
    app,
    lines,
    close: async () => {
      await app.close()
      folder.remove()
    }
  }
}

/** Writes `request` as it is on a new connection to `app` (listening) and resolves with the answer's status line. */
async function rawRequest(app: FastifyInstance, request: string): Promise<string> {
  const { port } = app.server.address() as { port: number }
  const socket = connect(port, '127.0.0.1')
  await once(socket, 'connect')
  socket.on('error', () => {})
  // Not end(): Node's server drops a request whose client half-closes before an answer that waits
  // on I/O (a signature on the thread pool, a MongoDB read); the server closes (Connection: close).
  socket.write(request)
  let answer = ''
  for await (const chunk of socket) answer += String(chunk)
  return answer.split('\r\n')[0]!
}

describe('metrics and logs', () => {
  const lines: string[] = []
  const folder = tempDir()
  let app: FastifyInstance
  const secrets: string[] = []

  before(async () => {
    const config = testConfig({ LOG_LEVEL: 'info' }, folder.dir)
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean))
        done()
      }
    })
    app = await buildApp(config, { logger: { ...(loggerOptions(config) as object), stream } })
    await app.ready()
  })
  after(async () => {
    await app.close()
    folder.remove()
  })

  test('sign-ins, token calls and admin changes leave security events and no secret in the logs', async () => {
    const user = await registerUser(app)
    secrets.push(user.password)
    const tokens = await signIn(app, user.username, user.password)
    secrets.push(tokens.accessToken, tokens.refreshToken)
    assert.equal((await postJson(app, '/api/v1/auth/local/authenticate', { username: user.username, password: 'a-wrong-password' })).status, 401)
    secrets.push('a-wrong-password')
    await app.inject({ method: 'POST', url: `/api/v1/tokens/access?token=${encodeURIComponent(tokens.refreshToken)}` })
    await app.inject({ method: 'GET', url: '/authorise', headers: { authorization: `Bearer ${tokens.accessToken}`, cookie: 'moneypenny=cookie-value-secret' } })
    secrets.push('cookie-value-secret')
    const admin = await signIn(app, ADMIN.username, ADMIN.password)
    secrets.push(ADMIN.password, admin.accessToken)
    const client = await postJson(app, '/api/v1/clients', { grant_types: ['client_credentials'], scope: 'jobs' }, { authorization: `Bearer ${admin.accessToken}` })
    secrets.push(client.body.client_secret)
    const basic = Buffer.from(`${client.body.client_id}:${client.body.client_secret}`).toString('base64')
    const issued = await app.inject({ method: 'POST', url: '/oauth2/token', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'grant_type=client_credentials' })
    secrets.push(issued.json().access_token)
    await postJson(app, '/api/v1/auth/revoke', { refresh_token: tokens.refreshToken })
    const stored = await app.store.users.findById(user.id)
    secrets.push(stored!.passwordHash)

    const log = lines.join('\n')
    for (const secret of secrets) assert.ok(!log.includes(secret), `a secret reached the log: ${secret.slice(0, 12)}...`)
    const events = lines.map((line) => JSON.parse(line) as { event?: string; userId?: string; actorId?: string; clientAddress?: string }).filter((entry) => entry.event)
    const named = (event: string) => events.filter((entry) => entry.event === event)
    assert.ok(named('sign_in_succeeded').some((entry) => entry.userId === user.id && entry.clientAddress))
    assert.ok(named('sign_in_failed').some((entry) => entry.userId === user.id))
    assert.ok(named('user_created').length >= 1)
    assert.ok(named('client_created').length === 1)
    // An admin change names the admin who made it; a sign-in has no actor but its user.
    assert.equal(named('client_created')[0]!.actorId, jwtPayload(admin.accessToken).sub)
    assert.ok(named('sign_in_succeeded').every((entry) => entry.actorId === undefined))
    assert.ok(named('sessions_revoked').length >= 1)
  })

  test('x-request-id is taken from the request, returned, and names the request in its log lines; a bad one is replaced', async () => {
    const given = await postJson(app, '/api/v1/auth/local/authenticate', { username: 'nobody-at-all', password: 'a-wrong-password' }, { 'x-request-id': 'trace-abc-123' })
    assert.equal(given.headers['x-request-id'], 'trace-abc-123')
    assert.ok(lines.some((line) => line.includes('"reqId":"trace-abc-123"') && line.includes('sign_in_failed')))
    const bad = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'x'.repeat(500) } })
    assert.match(String(bad.headers['x-request-id']), /^[0-9a-f-]{36}$/)
  })

  test('no line per request at info (token checks stay cheap); one per request at debug, with its id, status and time, and no token', async () => {
    const before = lines.length
    await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'quiet-at-info' } })
    assert.ok(!lines.slice(before).some((line) => line.includes('quiet-at-info')))

    const debugLines: string[] = []
    const debugFolder = tempDir()
    const config = testConfig({ LOG_LEVEL: 'debug' }, debugFolder.dir)
    const stream = new Writable({
      write(chunk, _encoding, done) {
        debugLines.push(...String(chunk).split('\n').filter(Boolean))
        done()
      }
    })
    const debugApp = await buildApp(config, { logger: { ...(loggerOptions(config) as object), stream } })
    try {
      await debugApp.inject({ method: 'GET', url: '/authorise', headers: { 'x-request-id': 'logged-at-debug', authorization: 'Bearer a-secret-token' } })
      const entries = debugLines.map((line) => JSON.parse(line) as { reqId?: string; msg?: string; res?: { statusCode?: number }; responseTime?: number })
      const completed = entries.filter((entry) => entry.reqId === 'logged-at-debug' && entry.msg === 'request completed')
      assert.equal(completed.length, 1)
      assert.equal(completed[0]!.res?.statusCode, 401)
      assert.equal(typeof completed[0]!.responseTime, 'number')
      assert.ok(!debugLines.join('\n').includes('a-secret-token'))
    } finally {
      await debugApp.close()
      debugFolder.remove()
    }
  })

  test('at debug a secret query parameter is redacted by its decoded name, and a query that does not decode is not logged', async () => {
    const logging = await loggingApp('debug')
    try {
      const user = await registerUser(logging.app)
      const { refreshToken } = await signIn(logging.app, user.username, user.password)
      const accessWith = (query: string) => logging.app.inject({ method: 'POST', url: `/api/v1/tokens/access?${query}` })
      // The review's request: a percent-encoded name, which the service accepts as `token`.
      assert.equal((await accessWith(`%74oken=${refreshToken}`)).statusCode, 200)
      await accessWith(`T%4Fken=${refreshToken}`)
      await accessWith(`token=${refreshToken}&next=%zz`)
      await accessWith(`%zz=${refreshToken}`)
      await accessWith(`x=1&Refresh_Token=${refreshToken}`)
      const log = logging.lines.join('\n')
      assert.ok(!log.includes(refreshToken), 'the refresh token reached the log')
      const urls = logging.lines.map((line) => (JSON.parse(line) as { req?: { url?: string } }).req?.url).filter((url) => url?.startsWith('/api/v1/tokens/access'))
      assert.deepEqual(urls, [
        '/api/v1/tokens/access?%74oken=[Redacted]',
        '/api/v1/tokens/access?T%4Fken=[Redacted]',
        `/api/v1/tokens/access?${UNDECODABLE_QUERY}`,
        `/api/v1/tokens/access?${UNDECODABLE_QUERY}`,
        '/api/v1/tokens/access?x=1&Refresh_Token=[Redacted]'
      ])
    } finally {
      await logging.close()
    }
  })

  test('a query after #, a request Node cannot parse (at trace) and a reply sent twice put no token in the log', async () => {
    const logging = await loggingApp('trace', { RATE_LIMIT: 'off' })
    // A handler that answers twice: Fastify warns with the request's URL.
    logging.app.get('/answers-twice', async (_request, reply) => {
      reply.send({ first: true })
      reply.send({ second: true })
      return reply
    })
    await logging.app.listen({ port: 0, host: '127.0.0.1' })
    try {
      const user = await registerUser(logging.app)
      const { refreshToken } = await signIn(logging.app, user.username, user.password)
      // The router starts the query at # as at ?: the service accepts this token.
      assert.match(await rawRequest(logging.app, `POST /api/v1/tokens/access#token=${refreshToken} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`), / 200 /)
      // A header line without a colon: Node's parser gives up, and Fastify logs its error with the raw request.
      assert.match(await rawRequest(logging.app, `GET /healthz?token=${refreshToken} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${refreshToken}\r\nnot a header\r\n\r\n`), / 400 /)
      await logging.app.inject({ method: 'GET', url: `/answers-twice?token=${refreshToken}` })
      const log = logging.lines.join('\n')
      assert.match(log, /client error/)
      assert.match(log, /already sent/)
      assert.ok(!log.includes('rawPacket'), 'the raw bytes of a request reached the log')
      assert.ok(!log.includes(refreshToken), 'the refresh token reached the log')
    } finally {
      await logging.close()
    }
  })

  test('/metrics is Prometheus text with requests, sign-ins, tokens, store latency and process metrics', async () => {
    const response = await app.inject('/metrics')
    assert.equal(response.statusCode, 200)
    assert.match(response.headers['content-type'] as string, /^text\/plain/)
    for (const series of [
      /moneypenny_http_request_duration_seconds_count\{route="\/api\/v1\/auth\/local\/authenticate",method="POST",status="200"\} \d+/,
      /moneypenny_sign_ins_total\{outcome="success"\} \d+/,
      /moneypenny_sign_ins_total\{outcome="wrong_password"\} \d+/,
      /moneypenny_tokens_issued_total\{kind="access",grant="client_credentials"\} \d+/,
      /moneypenny_sessions_revoked_total \d+/,
      /moneypenny_store_operation_duration_seconds_count\{repository="users",operation="findByUsernameKey"\} \d+/,
      /moneypenny_process_cpu_user_seconds_total \d+/
    ]) {
      assert.match(response.body, series)
    }
  })
})
