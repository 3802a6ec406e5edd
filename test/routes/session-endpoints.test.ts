import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, before, describe, test } from 'node:test'
import { createSigner } from 'fast-jwt'
import { adminToken, buildTestApp, jwtPayload, postJson, registerUser, signIn, type TestApp } from '../helpers.js'

let t: TestApp
before(async () => {
  t = await buildTestApp()
})
after(() => t.close())

async function login(app = t.app, user?: { username: string; password: string }) {
  const credentials = user ?? (await registerUser(app))
  const { status, body } = await postJson(app, '/login', { username: credentials.username, password: credentials.password })
  assert.equal(status, 200)
  return body.data as { username: string; organisation: string | null; token: string; expires: string }
}

function authorise(authorization: string | null, query = '', app = t.app) {
  return app.inject({ url: `/authorise${query}`, headers: authorization === null ? {} : { authorization } })
}

describe('POST /login', () => {
  test('answers {data:{username, organisation, token, expires}} for a sliding session', async () => {
    const user = await registerUser(t.app)
    const data = await login(t.app, user)
    assert.deepEqual(Object.keys(data).sort(), ['expires', 'organisation', 'token', 'username'])
    assert.equal(data.username, user.username)
    assert.equal(data.organisation, null)
    const claims = jwtPayload(data.token)
    assert.equal(claims.idle, 20 * 60)
    const session = await t.store.sessions.findById(claims.sid as string)
    assert.equal(session?.kind, 'login')
    assert.equal(new Date(data.expires).getTime(), session?.idleExpiresAt)
    assert.equal((claims.exp as number) * 1000, Math.floor(session!.expiresAt / 1000) * 1000)
  })

  test('a wrong password is 401', async () => {
    const user = await registerUser(t.app)
    const { status } = await postJson(t.app, '/login', { username: user.username, password: 'wrong password' })
    assert.equal(status, 401)
  })
})

describe('GET /authorise', () => {
  test('accepts "Token: <jwt>", "Token <jwt>" and "Bearer <jwt>", answering the same token and a later expiry', async () => {
    const data = await login()
    await sleep(5)
    for (const authorization of [`Token: ${data.token}`, `Token ${data.token}`, `Bearer ${data.token}`, `token:  ${data.token}`]) {
      const response = await authorise(authorization)
      assert.equal(response.statusCode, 200, authorization)
      const answer = response.json().data
      assert.equal(answer.token, data.token)
      assert.equal(answer.username, data.username)
      assert.ok(new Date(answer.expires) > new Date(data.expires), `${answer.expires} > ${data.expires}`)
    }
  })

  test('an access token from authenticate answers its own exp as expires', async () => {
    const user = await registerUser(t.app)
    const { accessToken } = await signIn(t.app, user.username, user.password)
    const answer = (await authorise(`Bearer ${accessToken}`)).json().data
    assert.equal(new Date(answer.expires).getTime(), (jwtPayload(accessToken).exp as number) * 1000)
    assert.equal(answer.token, accessToken)
    // A person's token: subject_type user, the user's id and scope; no client_id for the seed endpoints.
    assert.deepEqual([answer.username, answer.subject_type, answer.sub, answer.scope, 'client_id' in answer], [user.username, 'user', user.id, 'user', false])
  })

  test('a missing header, garbage, a refresh token, a foreign key or an edited payload is 401', async () => {
    const user = await registerUser(t.app)
    const { accessToken, refreshToken } = await signIn(t.app, user.username, user.password)
    const [header, , signature] = accessToken.split('.')
    const edited = `${header}.${Buffer.from(JSON.stringify({ ...jwtPayload(accessToken), scope: 'admin' })).toString('base64url')}.${signature}`
    const foreignKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
    const kid = JSON.parse(Buffer.from(header!, 'base64url').toString()).kid
    const foreign = createSigner({ key: foreignKey, algorithm: 'ES256', kid, header: { alg: 'ES256', typ: 'at+jwt' } })(jwtPayload(accessToken))
    for (const authorization of [null, 'Bearer', 'Bearer garbage', `Bearer ${refreshToken}`, `Bearer ${edited}`, `Bearer ${foreign}`, `Bearer ${'a'.repeat(9000)}`]) {
      const response = await authorise(authorization)
      assert.equal(response.statusCode, 401, String(authorization).slice(0, 30))
      assert.equal(response.json().error, 'Unauthorized')
    }
  })

  test('?organisation= must name the token\'s organisation (403 otherwise)', async () => {
    const user = await registerUser(t.app)
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      headers: { authorization: `Bearer ${await adminToken(t.app)}` },
      payload: { organisation: '123454897' }
    })
    assert.equal(patched.statusCode, 200)
    const data = await login(t.app, user)
    assert.equal(data.organisation, '123454897')
    assert.equal((await authorise(`Token ${data.token}`, '?organisation=123454897')).statusCode, 200)
    const other = await authorise(`Token ${data.token}`, '?organisation=999')
    assert.equal(other.statusCode, 403)
    assert.equal(other.json().message, 'Token belongs to another organisation')
  })

  test('a sliding session idle past its timeout is 403', async () => {
    const short = await buildTestApp({ LOGIN_SESSION_IDLE_TTL: '1s' })
    try {
      const data = await login(short.app)
      assert.equal((await authorise(`Token ${data.token}`, '', short.app)).statusCode, 200)
      await sleep(1200)
      const expired = await authorise(`Token ${data.token}`, '', short.app)
      assert.equal(expired.statusCode, 403)
      assert.equal(expired.json().message, 'Session expired, sign in again')
    } finally {
      await short.close()
    }
  })

  test('a revoked session is refused without reading the store', async () => {
    const data = await login()
    await t.app.inject({ url: '/logout', headers: { authorization: `Token: ${data.token}` } })
    const original = t.store.sessions.findById
    let reads = 0
    t.store.sessions.findById = async (id) => {
      reads += 1
      return original.call(t.store.sessions, id)
    }
    try {
      assert.equal((await authorise(`Token ${data.token}`)).statusCode, 401)
    } finally {
      t.store.sessions.findById = original
    }
    assert.equal(reads, 0)
  })
})

describe('GET /logout', () => {
  test('ends the session: 200, revokedAt stored, then /authorise refuses the token', async () => {
    const data = await login()
    const response = await t.app.inject({ url: '/logout', headers: { authorization: `Token: ${data.token}` } })
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), { result: 'ok' })
    assert.ok((await t.store.sessions.findById(jwtPayload(data.token).sid as string))?.revokedAt)
    assert.equal((await authorise(`Token: ${data.token}`)).statusCode, 401)
    assert.equal((await t.app.inject({ url: '/logout', headers: { authorization: `Token: ${data.token}` } })).statusCode, 401)
  })

  test('without a valid token it is 401', async () => {
    assert.equal((await t.app.inject({ url: '/logout' })).statusCode, 401)
    assert.equal((await t.app.inject({ url: '/logout', headers: { authorization: 'Token nonsense' } })).statusCode, 401)
  })
})
