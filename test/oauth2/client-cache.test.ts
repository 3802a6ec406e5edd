import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import { openSqliteStore } from '../../src/store/sqlite/index.js'
import { adminToken, postJson, tempDir, testConfig } from '../helpers.js'

/**
 * Client records are reused for a second at the token endpoint (no store read per call):
 * a rotated secret must stop working at once on the replica that rotated it, and within
 * that second on every other replica over the same store.
 */
describe('authenticated clients are remembered for a second, across replicas', () => {
  const folder = tempDir()
  const replicas: FastifyInstance[] = []
  let client: { client_id: string; client_secret: string }
  let admin: string

  const tokenWith = (app: FastifyInstance, secret: string) =>
    app.inject({
      method: 'POST',
      url: '/oauth2/token',
      headers: { authorization: `Basic ${Buffer.from(`${client.client_id}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=client_credentials'
    })

  /** A token answer, or the RFC 6749 refusal of a client that does not authenticate. */
  async function expectToken(app: FastifyInstance, secret: string) {
    const answer = await tokenWith(app, secret)
    assert.equal(answer.statusCode, 200)
    assert.match(answer.json().access_token, /^[\w-]+\.[\w-]+\.[\w-]+$/)
  }
  async function expectRefused(app: FastifyInstance, secret: string) {
    const answer = await tokenWith(app, secret)
    assert.equal(answer.statusCode, 401)
    assert.equal(answer.json().error, 'invalid_client')
  }

  before(async () => {
    const config = testConfig({ RATE_LIMIT: 'off' }, folder.dir)
    for (let i = 0; i < 2; i += 1) {
      const app = await buildApp(config, { store: openSqliteStore((config.store as { path: string }).path), logger: false })
      await app.ready()
      replicas.push(app)
    }
    admin = await adminToken(replicas[0]!)
    const created = await postJson(replicas[0]!, '/api/v1/clients', { client_name: 'jobs', grant_types: ['client_credentials'], scope: 'jobs' }, { authorization: `Bearer ${admin}` })
    assert.equal(created.status, 201)
    client = created.body
  })
  after(async () => {
    for (const app of replicas) await app.close()
    folder.remove()
  })

  test('a rotated secret is refused at once where it was rotated, and within a second on the other replica', async () => {
    const [a, b] = replicas as [FastifyInstance, FastifyInstance]
    const old = client.client_secret
    await expectToken(b, old)
    const rotated = await a.inject({ method: 'POST', url: `/api/v1/clients/${client.client_id}/secret`, headers: { authorization: `Bearer ${admin}` } })
    assert.equal(rotated.statusCode, 200)
    const fresh = rotated.json().client_secret as string
    await expectRefused(a, old)
    await expectToken(a, fresh)
    await new Promise((resolve) => setTimeout(resolve, 1100))
    await expectRefused(b, old)
    await expectToken(b, fresh)
  })

  test('a deleted client is refused at once where it was deleted, and within a second on the other replica', async () => {
    const [a, b] = replicas as [FastifyInstance, FastifyInstance]
    const created = await postJson(a, '/api/v1/clients', { client_name: 'gone', grant_types: ['client_credentials'], scope: 'jobs' }, { authorization: `Bearer ${admin}` })
    client = created.body
    await expectToken(b, client.client_secret)
    assert.equal((await a.inject({ method: 'DELETE', url: `/api/v1/clients/${client.client_id}`, headers: { authorization: `Bearer ${admin}` } })).statusCode, 204)
    await expectRefused(a, client.client_secret)
    await new Promise((resolve) => setTimeout(resolve, 1100))
    await expectRefused(b, client.client_secret)
  })
})
