import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { adminToken, buildTestApp, postJson, type TestApp } from '../helpers.js'

// Route schemas are compiled on their route's first request (plugins/validation.ts): a restart
// compiles none, and a schema that cannot compile must still be found here, not by a user.
describe('route schemas compiled on first use', () => {
  let t: TestApp
  before(async () => {
    t = await buildTestApp()
  })
  after(() => t.close())

  it('validates and serialises a route on its first request, and compiles only what was used', async () => {
    const refused = await postJson(t.app, '/api/v1/auth/local/authenticate', { username: 42, password: 'x' })
    assert.equal(refused.status, 400)
    assert.match(refused.body.message, /username/)

    const ready = await t.app.inject('/readyz')
    assert.equal(ready.statusCode, 200)
    assert.deepEqual(ready.json(), { status: 'ok' })
    // Only the routes above have compiled: everything else still waits.
    assert.ok(t.app.compileEverySchema() > 100)
  })

  it('every schema of every route compiles, each once', () => {
    assert.equal(t.app.compileEverySchema(), 0)
  })

  it('a query string is coerced and takes its defaults; a body is taken as sent', async () => {
    const admin = await adminToken(t.app)
    const list = async (query: string) => t.app.inject({ url: `/api/v1/users${query}`, headers: { authorization: `Bearer ${admin}` } })
    const defaults = await list('')
    assert.equal(defaults.statusCode, 200)
    assert.deepEqual([defaults.json().limit, defaults.json().offset], [20, 0])
    assert.equal((await list('?limit=2')).json().limit, 2)
    assert.equal((await list('?limit=two')).statusCode, 400)

    const stringForNumber = await postJson(t.app, '/api/v1/auth/local/authenticate', { username: 'root', password: 12_345_678 })
    assert.equal(stringForNumber.status, 400)
    const unknownField = await postJson(t.app, '/api/v1/auth/local/authenticate', { username: 'root', password: 'root-password-1', extra: true })
    assert.equal(unknownField.status, 400)
  })
})
