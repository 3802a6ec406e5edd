import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { adminToken, buildTestApp, registerUser, signIn, type TestApp } from '../helpers.js'

describe('signing key rotation (admin)', () => {
  let t: TestApp
  let admin: string
  before(async () => {
    t = await buildTestApp()
    admin = await adminToken(t.app)
  })
  after(() => t.close())

  test('a new key is published at once and old tokens keep working', async () => {
    const user = await registerUser(t.app)
    const { accessToken } = await signIn(t.app, user.username, user.password)
    const rotate = await t.app.inject({ method: 'POST', url: '/api/v1/keys/rotate', headers: { authorization: `Bearer ${admin}` } })
    assert.equal(rotate.statusCode, 201)
    const kid = rotate.json().kid as string
    const jwks = (await t.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json() as { keys: { kid: string }[] }
    assert.equal(jwks.keys.length, 2)
    assert.ok(jwks.keys.some((key) => key.kid === kid))
    const check = await t.app.inject({ method: 'GET', url: '/authorise', headers: { authorization: `Bearer ${accessToken}` } })
    assert.equal(check.statusCode, 200)
  })

  test('only admins rotate', async () => {
    const user = await registerUser(t.app)
    const { accessToken } = await signIn(t.app, user.username, user.password)
    const rotate = await t.app.inject({ method: 'POST', url: '/api/v1/keys/rotate', headers: { authorization: `Bearer ${accessToken}` } })
    assert.equal(rotate.statusCode, 403)
  })

  test('shared-secret mode has nothing to rotate: 400', async () => {
    const hs = await buildTestApp({ JWT_SECRET: 'a-shared-secret-of-at-least-32-bytes!!' })
    try {
      const rotate = await hs.app.inject({ method: 'POST', url: '/api/v1/keys/rotate', headers: { authorization: `Bearer ${await adminToken(hs.app)}` } })
      assert.equal(rotate.statusCode, 400)
    } finally {
      await hs.close()
    }
  })
})
