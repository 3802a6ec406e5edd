import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import { nextCode, userWithTotp } from '../mfa/fixture.js'
import { postJson, registerUser, signIn, tempDir, testConfig } from '../helpers.js'
import { TestRedis } from './redis-server.js'

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

const authorise = (app: FastifyInstance, token: string) => app.inject({ method: 'GET', url: '/authorise', headers: { authorization: `Bearer ${token}` } })

/** Two replicas over one SQLite file and a real Redis of the test's own. */
describe('replicas with Redis', () => {
  let redis: TestRedis
  let a: FastifyInstance
  let b: FastifyInstance
  const folder = tempDir()

  before(async () => {
    redis = await TestRedis.start()
    const env = {
      REDIS_URL: redis.url,
      SQLITE_PATH: join(folder.dir, 'shared.db'),
      RATE_LIMIT_ADDRESS_MAX: '30',
      RATE_LIMIT_ACCOUNT_FAILURES: '3',
      MFA_MAX_FAILURES: '3'
    }
    a = await buildApp(testConfig(env, folder.dir), { logger: false })
    await a.ready()
    b = await buildApp(testConfig(env, folder.dir), { logger: false })
    await b.ready()
  })
  after(async () => {
    await Promise.all([a?.close(), b?.close()])
    await redis.stop()
    folder.remove()
  })

  test('a session made on A works on B', async () => {
    const user = await registerUser(a)
    const { accessToken } = await signIn(a, user.username, user.password)
    assert.equal((await authorise(b, accessToken)).statusCode, 200)
  })

  test('a revocation on A is refused by B within one second (broadcast, not polling)', async () => {
    const user = await registerUser(a)
    const { accessToken, refreshToken } = await signIn(a, user.username, user.password)
    assert.equal((await authorise(b, accessToken)).statusCode, 200)
    const revokedAt = Date.now()
    assert.equal((await postJson(a, '/api/v1/auth/revoke', { refresh_token: refreshToken })).status, 200)
    const delay = await waitFor('B to refuse', 1000, async () => ((await authorise(b, accessToken)).statusCode === 401 ? Date.now() - revokedAt : undefined))
    assert.ok(delay < 1000)
  })

  test('the per-account failure limit is shared, not doubled', async () => {
    const user = await registerUser(a)
    const wrong = { username: user.username, password: 'wrong-password' }
    assert.equal((await postJson(a, '/api/v1/auth/local/authenticate', wrong)).status, 401)
    assert.equal((await postJson(b, '/api/v1/auth/local/authenticate', wrong)).status, 401)
    assert.equal((await postJson(a, '/api/v1/auth/local/authenticate', wrong)).status, 401)
    const locked = await postJson(b, '/api/v1/auth/local/authenticate', { username: user.username, password: user.password })
    assert.equal(locked.status, 429, 'three failures across two replicas reach the limit of three')
  })

  test('a second-factor code accepted on A is refused on B', async () => {
    const user = await userWithTotp(a)
    const withCode = { username: user.username, password: user.password, otp: nextCode(user.secret) }
    assert.equal((await postJson(a, '/api/v1/auth/local/authenticate', withCode)).status, 200)
    assert.equal((await postJson(b, '/api/v1/auth/local/authenticate', withCode)).status, 401)
  })

  test('the wrong-code budget is shared, not doubled', async () => {
    const user = await userWithTotp(a)
    for (const app of [a, b, a]) {
      assert.equal((await postJson(app, '/api/v1/auth/local/authenticate', { username: user.username, password: user.password, otp: '000000' })).status, 401)
    }
    const locked = await postJson(b, '/api/v1/auth/local/authenticate', { username: user.username, password: user.password, otp: nextCode(user.secret) })
    assert.equal(locked.status, 429, 'three wrong codes across two replicas reach MFA_MAX_FAILURES=3')
  })

  test('the per-address limit is shared, not doubled', async () => {
    // 40 requests, 20 on each replica: under a per-replica limit of 30 none would be refused.
    const statuses: number[] = []
    for (let i = 0; i < 40; i += 1) {
      const app = i % 2 === 0 ? a : b
      statuses.push((await postJson(app, '/api/v1/auth/local/authenticate', { username: `nobody-${i}`, password: 'x' })).status)
    }
    assert.ok(statuses.filter((status) => status !== 429).length <= 30, `statuses: ${statuses.join(',')}`)
    assert.ok(statuses.includes(429))
  })

  test('Redis going away gives 503 at once, and the service recovers by itself', async () => {
    await redis.stop()
    const ready = await waitFor('/readyz to turn 503', 5000, async () => ((await a.inject('/readyz')).statusCode === 503 ? true : undefined))
    assert.ok(ready)
    const started = Date.now()
    const refused = await postJson(a, '/api/v1/auth/local/authenticate', { username: 'someone', password: 'whatever-password' })
    assert.equal(refused.status, 503)
    assert.match(refused.body.message, /redis unavailable/)
    assert.ok(Date.now() - started < 3000, 'answered within a bounded time')

    await redis.start()
    for (const app of [a, b]) await waitFor('/readyz to recover', 10_000, async () => ((await app.inject('/readyz')).statusCode === 200 ? true : undefined))
    const user = await registerUser(b)
    await waitFor('sign-in to work again', 10_000, async () => {
      const answer = await postJson(a, '/api/v1/auth/local/authenticate', { username: user.username, password: user.password })
      return answer.status === 200 ? true : undefined
    })
  })
})
