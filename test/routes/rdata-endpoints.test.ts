import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import bcrypt from 'bcrypt'
import { adminToken, buildTestApp, jwtPayload, postJson, registerUser, signIn, type TestApp } from '../helpers.js'

let t: TestApp
before(async () => {
  t = await buildTestApp()
})
after(() => t.close())

const register = (body: unknown) => postJson(t.app, '/api/v1/auth/local/register', body)
const countUsers = async () => (await t.store.users.list({ offset: 0, limit: 1 })).total

describe('POST /api/v1/auth/local/register', () => {
  test('creates a user and answers 201 {user:{id,email,username,role}} with nothing secret', async () => {
    const { status, body } = await register({ username: 'new user', email: 'New@Example.com', password: 'p@$$W0r.d-long' })
    assert.equal(status, 201)
    assert.deepEqual(Object.keys(body), ['user'])
    assert.deepEqual(Object.keys(body.user).sort(), ['email', 'id', 'role', 'username'])
    assert.deepEqual({ ...body.user, id: undefined }, { id: undefined, email: 'New@Example.com', username: 'new user', role: 'user' })
    const stored = await t.store.users.findById(body.user.id)
    assert.ok(stored)
    assert.equal(stored.usernameKey, 'new user')
    assert.equal(stored.emailKey, 'new@example.com')
    assert.deepEqual(stored.scope, ['user'])
    assert.match(stored.passwordHash, /^\$2b\$04\$/)
    assert.ok(!stored.passwordHash.includes('p@$$W0r.d-long'))
  })

  for (const [name, body, field] of [
    ['a bad email', { username: 'bad email', email: 'not-an-email', password: 'long enough' }, 'email'],
    ['a short password', { username: 'short pw', email: 'short@example.com', password: 'seven77' }, 'password'],
    ['an @ in the username', { username: 'a@b', email: 'ab@example.com', password: 'long enough' }, 'username'],
    ['a slash in the username', { username: 'x/y', email: 'xy@example.com', password: 'long enough' }, 'username'],
    ['a leading space in the username', { username: ' lead', email: 'lead@example.com', password: 'long enough' }, 'username'],
    ['an operator object as username', { username: { $ne: null }, email: 'op@example.com', password: 'long enough' }, 'username'],
    ['a number as password', { username: 'numpw', email: 'numpw@example.com', password: 123456789 }, 'password'],
    ['a missing field', { username: 'missing', password: 'long enough' }, 'email'],
    ['an unknown field', { username: 'extra', email: 'extra@example.com', password: 'long enough', role: 'admin' }, 'additional']
  ] as const) {
    test(`refuses ${name} with 400 naming the problem and stores nothing`, async () => {
      const before = await countUsers()
      const { status, body: answer } = await register(body)
      assert.equal(status, 400)
      assert.equal(answer.statusCode, 400)
      assert.equal(answer.error, 'Bad Request')
      assert.match(answer.message, new RegExp(field))
      assert.equal(await countUsers(), before)
    })
  }

  test('refuses a body that is not JSON with 400', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/auth/local/register', payload: '{"username":', headers: { 'content-type': 'application/json' } })
    assert.equal(response.statusCode, 400)
    assert.equal(response.json().statusCode, 400)
  })

  test('usernames are unique without regard to case or Unicode form; emails without regard to case', async () => {
    await registerUser(t.app, { username: 'Casey', email: 'casey@example.com' })
    const before = await countUsers()
    for (const [username, email, field] of [
      ['CASEY', 'casey2@example.com', 'username'],
      ['ｃａｓｅｙ', 'casey3@example.com', 'username'],
      ['casey4', 'CASEY@EXAMPLE.COM', 'email']
    ]) {
      const { status, body } = await register({ username, email, password: 'long enough' })
      assert.equal(status, 409, username)
      assert.equal(body.message, `${field} is already taken`)
    }
    assert.equal(await countUsers(), before)
  })

  test('a fullwidth username is stored in its NFKC form', async () => {
    const { body } = await register({ username: 'ｆｕｌｌ', email: 'full@example.com', password: 'long enough' })
    assert.equal(body.user.username, 'full')
  })

  test('is refused with 403 when registration is closed', async () => {
    const closed = await buildTestApp({ REGISTRATION: 'closed' })
    try {
      const { status, body } = await postJson(closed.app, '/api/v1/auth/local/register', { username: 'x', email: 'x@example.com', password: 'long enough' })
      assert.equal(status, 403)
      assert.equal(body.message, 'Registration is closed')
    } finally {
      await closed.close()
    }
  })
})

describe('POST /api/v1/auth/local/authenticate', () => {
  test('answers both tokens and their expiry; the access token carries the design\'s claims', async () => {
    const user = await registerUser(t.app)
    const { status, body } = await postJson(t.app, '/api/v1/auth/local/authenticate', { username: user.username, password: user.password })
    assert.equal(status, 200)
    assert.deepEqual(Object.keys(body).sort(), ['accessToken', 'accessTokenExpiresAt', 'refreshToken', 'refreshTokenExpiresAt'])
    const header = JSON.parse(Buffer.from(body.accessToken.split('.')[0], 'base64url').toString())
    const jwks = (await t.app.inject('/.well-known/jwks.json')).json()
    assert.deepEqual(header, { alg: 'RS256', typ: 'at+jwt', kid: jwks.keys[0].kid })
    const claims = jwtPayload(body.accessToken)
    // No organisation: a claim without a value is left out (OIDC Core §5.3.2), never null.
    assert.deepEqual(Object.keys(claims).sort(), ['aud', 'exp', 'iat', 'iss', 'jti', 'role', 'scope', 'sid', 'sub', 'username'])
    assert.equal(claims.sub, user.id)
    assert.equal(claims.aud, 'moneypenny')
    assert.equal(claims.iss, 'http://localhost:8080')
    assert.equal(claims.username, user.username)
    assert.equal(claims.scope, 'user')
    assert.equal((claims.exp as number) - (claims.iat as number), 15 * 60)
    assert.equal(new Date(body.accessTokenExpiresAt).getTime(), (claims.exp as number) * 1000)
    const refreshDays = (new Date(body.refreshTokenExpiresAt).getTime() - Date.now()) / 86_400_000
    assert.ok(refreshDays > 29.9 && refreshDays <= 30, String(refreshDays))
    const session = await t.store.sessions.findById(claims.sid as string)
    assert.equal(session?.userId, user.id)
    assert.equal(session?.revokedAt, null)
  })

  test('accepts the email, in any case, or the username in another case', async () => {
    const user = await registerUser(t.app, { username: 'Mixed Case', email: 'mixed@example.com' })
    for (const login of ['MIXED@example.com', 'mixed case']) {
      const tokens = await signIn(t.app, login, user.password)
      assert.equal(jwtPayload(tokens.accessToken).sub, user.id)
    }
  })

  test('an unknown user and a wrong password get the same 401 body', async () => {
    const user = await registerUser(t.app)
    const wrong = await postJson(t.app, '/api/v1/auth/local/authenticate', { username: user.username, password: 'wrong password' })
    const unknown = await postJson(t.app, '/api/v1/auth/local/authenticate', { username: 'nobody at all', password: 'wrong password' })
    assert.equal(wrong.status, 401)
    assert.deepEqual(unknown, { ...wrong, headers: unknown.headers })
    assert.deepEqual(wrong.body, { statusCode: 401, error: 'Unauthorized', message: 'Invalid username or password' })
  })

  test('a disabled user cannot sign in, with the same answer', async () => {
    const user = await registerUser(t.app)
    await t.store.users.update(user.id, { active: false, updatedAt: Date.now() })
    const { status, body } = await postJson(t.app, '/api/v1/auth/local/authenticate', { username: user.username, password: user.password })
    assert.equal(status, 401)
    assert.equal(body.message, 'Invalid username or password')
  })

  test('passwords longer than 72 bytes that share a prefix are not interchangeable', async () => {
    const prefix = 'é'.repeat(80)
    const user = await registerUser(t.app, { password: `${prefix}-one` })
    const { status } = await postJson(t.app, '/api/v1/auth/local/authenticate', { username: user.username, password: `${prefix}-two` })
    assert.equal(status, 401)
    await signIn(t.app, user.username, `${prefix}-one`)
  })

  test('an imported bcrypt hash signs in once as it is, and is then replaced by the current scheme', async () => {
    const token = await adminToken(t.app)
    const passwordHash = await bcrypt.hash('imported password', 4)
    const { body: created } = await postJson(
      t.app,
      '/api/v1/users',
      { username: 'imported', email: 'imported@example.com', passwordHash },
      { authorization: `Bearer ${token}` }
    )
    assert.equal((await t.store.users.findById(created.id))?.passwordScheme, 'bcrypt')
    await signIn(t.app, 'imported', 'imported password')
    const stored = await t.store.users.findById(created.id)
    assert.equal(stored?.passwordScheme, 'bcrypt-hmac-sha256')
    assert.notEqual(stored?.passwordHash, passwordHash)
    await signIn(t.app, 'imported', 'imported password')
  })
})

describe('POST /api/v1/auth/refresh and /api/v1/auth/revoke', () => {
  test('a refresh token gives a new access token in the same session, under either field name', async () => {
    const user = await registerUser(t.app)
    const tokens = await signIn(t.app, user.username, user.password)
    for (const body of [{ refresh_token: tokens.refreshToken }, { refreshToken: tokens.refreshToken }]) {
      const { status, body: answer } = await postJson(t.app, '/api/v1/auth/refresh', body)
      assert.equal(status, 200)
      assert.deepEqual(Object.keys(answer).sort(), ['accessToken', 'accessTokenExpiresAt'])
      assert.equal(jwtPayload(answer.accessToken).sid, jwtPayload(tokens.accessToken).sid)
      assert.notEqual(jwtPayload(answer.accessToken).jti, jwtPayload(tokens.accessToken).jti)
    }
  })

  test('an unknown refresh token is 401; both field names or none is 400', async () => {
    assert.equal((await postJson(t.app, '/api/v1/auth/refresh', { refresh_token: 'unknown' })).status, 401)
    assert.equal((await postJson(t.app, '/api/v1/auth/refresh', { refresh_token: 'a', refreshToken: 'b' })).status, 400)
    assert.equal((await postJson(t.app, '/api/v1/auth/refresh', {})).status, 400)
  })

  test('revoking ends the session: the refresh token and its access tokens stop working, at once', async () => {
    const user = await registerUser(t.app)
    const tokens = await signIn(t.app, user.username, user.password)
    const authorise = () => t.app.inject({ url: '/authorise', headers: { authorization: `Bearer ${tokens.accessToken}` } })
    assert.equal((await authorise()).statusCode, 200)

    const { status, body } = await postJson(t.app, '/api/v1/auth/revoke', { refresh_token: tokens.refreshToken })
    assert.equal(status, 200)
    assert.deepEqual(body, { result: 'ok' })
    assert.ok((await t.store.sessions.findById(jwtPayload(tokens.accessToken).sid as string))?.revokedAt)
    assert.equal((await authorise()).statusCode, 401)
    assert.equal((await postJson(t.app, '/api/v1/auth/refresh', { refresh_token: tokens.refreshToken })).status, 401)
    const again = await postJson(t.app, '/api/v1/auth/revoke', { refresh_token: tokens.refreshToken })
    assert.equal(again.status, 401)
  })

  test('revoking one session leaves the user\'s other sessions alone', async () => {
    const user = await registerUser(t.app)
    const first = await signIn(t.app, user.username, user.password)
    const second = await signIn(t.app, user.username, user.password)
    await postJson(t.app, '/api/v1/auth/revoke', { refresh_token: first.refreshToken })
    assert.equal((await postJson(t.app, '/api/v1/auth/refresh', { refresh_token: second.refreshToken })).status, 200)
  })

  test('a refresh token of a user disabled since is refused', async () => {
    const user = await registerUser(t.app)
    const tokens = await signIn(t.app, user.username, user.password)
    await t.store.users.update(user.id, { active: false, updatedAt: Date.now() })
    assert.equal((await postJson(t.app, '/api/v1/auth/refresh', { refresh_token: tokens.refreshToken })).status, 401)
  })
})
