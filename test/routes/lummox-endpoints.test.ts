import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { buildTestApp, jwtPayload, postJson, registerUser, signIn, type TestApp } from '../helpers.js'

let t: TestApp
before(async () => {
  t = await buildTestApp()
})
after(() => t.close())

async function refreshTokenFor(user: { username: string; password: string }): Promise<string> {
  const { status, body } = await postJson(t.app, '/api/v1/tokens/refresh', { username: user.username, password: user.password })
  assert.equal(status, 200)
  assert.deepEqual(Object.keys(body), ['token'])
  return body.token
}

function access(headers: Record<string, string>, query = '') {
  return t.app.inject({ method: 'POST', url: `/api/v1/tokens/access${query}`, headers })
}

describe('POST /api/v1/tokens/refresh', () => {
  test('answers {token}, a refresh token bound to a new session', async () => {
    const user = await registerUser(t.app)
    const token = await refreshTokenFor(user)
    const sessions = await t.store.sessions.listByUser(user.id)
    assert.equal(sessions.length, 1)
    assert.equal(sessions[0]!.kind, 'token')
    assert.equal(token.split('.').length, 1, 'a refresh token is opaque, never a JWT')
  })

  test('a wrong password is 401 and opens no session', async () => {
    const user = await registerUser(t.app)
    const { status, body } = await postJson(t.app, '/api/v1/tokens/refresh', { username: user.username, password: 'not the password' })
    assert.equal(status, 401)
    assert.equal(body.message, 'Invalid username or password')
    assert.deepEqual(await t.store.sessions.listByUser(user.id), [])
  })
})

describe('POST /api/v1/tokens/access', () => {
  test('the refresh token works bare, as Bearer and as ?token=, and again and again', async () => {
    const user = await registerUser(t.app)
    const refresh = await refreshTokenFor(user)
    for (const response of [
      await access({ authorization: refresh }),
      await access({ authorization: `Bearer ${refresh}` }),
      await access({}, `?token=${refresh}`),
      await access({ authorization: refresh })
    ]) {
      assert.equal(response.statusCode, 200)
      const body = response.json()
      assert.deepEqual(Object.keys(body), ['token'])
      const claims = jwtPayload(body.token)
      assert.equal(claims.sub, user.id)
      assert.equal(claims.scope, 'user')
    }
  })

  test('the access token carries the user\'s current scope', async () => {
    const user = await registerUser(t.app)
    await t.store.users.update(user.id, { scope: ['admin', 'user'], updatedAt: Date.now() })
    const refresh = await refreshTokenFor(user)
    const claims = jwtPayload((await access({ authorization: refresh })).json().token)
    assert.equal(claims.scope, 'admin user')
  })

  test('no token, an access token, an unknown or a revoked refresh token are 401', async () => {
    const user = await registerUser(t.app)
    const { accessToken, refreshToken } = await signIn(t.app, user.username, user.password)
    await postJson(t.app, '/api/v1/auth/revoke', { refresh_token: refreshToken })
    for (const response of [
      await access({}),
      await access({ authorization: `Bearer ${accessToken}` }),
      await access({ authorization: 'unknown-token' }),
      await access({ authorization: refreshToken })
    ]) {
      assert.equal(response.statusCode, 401)
      assert.equal(response.json().statusCode, 401)
    }
  })
})
