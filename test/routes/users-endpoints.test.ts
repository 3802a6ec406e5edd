import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import bcrypt from 'bcrypt'
import { ADA_PROFILE, ADMIN, adminToken, buildTestApp, postJson, registerUser, signIn, type TestApp } from '../helpers.js'

let t: TestApp
let admin: string
before(async () => {
  t = await buildTestApp()
  admin = await adminToken(t.app)
})
after(() => t.close())

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const PUBLIC_FIELDS = ['_id', 'active', 'createdAt', 'email', 'emailVerified', 'familyName', 'givenName', 'id', 'locale', 'name', 'organisation', 'picture', 'role', 'scope', 'updatedAt', 'username', 'zoneinfo']

function call(method: 'GET' | 'PATCH' | 'DELETE', url: string, token: string | null, payload?: object) {
  return t.app.inject({ method, url, headers: token ? bearer(token) : {}, ...(payload ? { payload } : {}) })
}

const authoriseStatus = async (token: string) => (await t.app.inject({ url: '/authorise', headers: bearer(token) })).statusCode

describe('POST /api/v1/users', () => {
  test('an admin creates a user; the answer has the public fields only', async () => {
    const { status, body } = await postJson(
      t.app,
      '/api/v1/users',
      { username: 'l337', email: 'email@example.com', password: '12345678', scope: ['admin'], active: true, organisation: 'acme', role: 'manager' },
      bearer(admin)
    )
    assert.equal(status, 201)
    assert.deepEqual(Object.keys(body).sort(), PUBLIC_FIELDS)
    assert.equal(body._id, body.id)
    assert.equal(body.emailVerified, false, 'a new local user has not followed a link yet')
    assert.deepEqual(
      { username: body.username, email: body.email, scope: body.scope, active: body.active, organisation: body.organisation, role: body.role },
      { username: 'l337', email: 'email@example.com', scope: ['admin'], active: true, organisation: 'acme', role: 'manager' }
    )
    assert.ok(!JSON.stringify(body).includes('12345678'))
    assert.ok((await t.store.users.findById(body.id))?.passwordHash.startsWith('$2b$'))
  })

  test('an imported bcrypt hash is stored as given and lets the user sign in', async () => {
    const passwordHash = await bcrypt.hash('some-password', 4)
    const { status, body } = await postJson(t.app, '/api/v1/users', { username: 'importee', email: 'importee@example.com', passwordHash }, bearer(admin))
    assert.equal(status, 201)
    assert.ok(!JSON.stringify(body).includes(passwordHash))
    assert.equal((await t.store.users.findById(body.id))?.passwordHash, passwordHash)
    await signIn(t.app, 'importee', 'some-password')
  })

  test('a $2y$ hash (PHP\'s name for $2b$) is imported as $2b$ and works', async () => {
    const passwordHash = (await bcrypt.hash('php-password', 4)).replace(/^\$2b\$/, '$2y$')
    const { status, body } = await postJson(t.app, '/api/v1/users', { username: 'from php', email: 'php@example.com', passwordHash }, bearer(admin))
    assert.equal(status, 201)
    assert.equal((await t.store.users.findById(body.id))?.passwordHash, passwordHash.replace(/^\$2y\$/, '$2b$'))
    await signIn(t.app, 'from php', 'php-password')
  })

  test('both password and passwordHash, neither, a malformed hash or an unknown scope is 400', async () => {
    const before = (await t.store.users.list({ offset: 0, limit: 1 })).total
    for (const body of [
      { username: 'both', email: 'both@example.com', password: '12345678', passwordHash: await bcrypt.hash('x', 4) },
      { username: 'neither', email: 'neither@example.com' },
      { username: 'badhash', email: 'badhash@example.com', passwordHash: 'md5:abc' },
      { username: 'badscope', email: 'badscope@example.com', password: '12345678', scope: ['superuser'] }
    ]) {
      const { status, body: answer } = await postJson(t.app, '/api/v1/users', body, bearer(admin))
      assert.equal(status, 400, body.username)
      assert.equal(answer.statusCode, 400)
    }
    assert.equal((await t.store.users.list({ offset: 0, limit: 1 })).total, before)
  })

  test('without a token it is 401; with a non-admin token 403: sign-up here is for admins only', async () => {
    const user = await registerUser(t.app)
    const { accessToken } = await signIn(t.app, user.username, user.password)
    const body = { username: 'sneaky', email: 'sneaky@example.com', password: '12345678', scope: ['admin'] }
    assert.equal((await postJson(t.app, '/api/v1/users', body)).status, 401)
    const refused = await postJson(t.app, '/api/v1/users', body, bearer(accessToken))
    assert.equal(refused.status, 403)
    assert.equal(refused.body.message, 'the admin scope is required')
    assert.equal(await t.store.users.findByUsernameKey('sneaky'), null)
  })
})

describe('GET /api/v1/users', () => {
  test('pages with limit and offset, counts the total and searches by name or email', async () => {
    for (const name of ['pager one', 'pager two', 'pager three']) await registerUser(t.app, { username: name, email: `${name.replace(' ', '.')}@pager.example` })
    const page = (await call('GET', '/api/v1/users?q=PAGER&limit=2&offset=1', admin)).json()
    assert.equal(page.total, 3)
    assert.equal(page.limit, 2)
    assert.equal(page.offset, 1)
    assert.deepEqual(page.users.map((user: { username: string }) => user.username), ['pager two', 'pager three'])
    for (const user of page.users) assert.deepEqual(Object.keys(user).sort(), PUBLIC_FIELDS)
    const all = (await call('GET', '/api/v1/users', admin)).json()
    assert.equal(all.limit, 20)
    assert.ok(all.users.some((user: { username: string }) => user.username === ADMIN.username))
  })

  test('a limit above 100 or a negative offset is 400; a non-admin is 403', async () => {
    assert.equal((await call('GET', '/api/v1/users?limit=101', admin)).statusCode, 400)
    assert.equal((await call('GET', '/api/v1/users?offset=-1', admin)).statusCode, 400)
    const user = await registerUser(t.app)
    const { accessToken } = await signIn(t.app, user.username, user.password)
    assert.equal((await call('GET', '/api/v1/users', accessToken)).statusCode, 403)
  })
})

describe('GET, PATCH and DELETE /api/v1/users/:id', () => {
  test('a user reads and updates their own record but not another\'s', async () => {
    const me = await registerUser(t.app)
    const other = await registerUser(t.app)
    const { accessToken } = await signIn(t.app, me.username, me.password)
    const mine = await call('GET', `/api/v1/users/${me.id}`, accessToken)
    assert.equal(mine.statusCode, 200)
    assert.equal(mine.json().email, me.email)
    assert.equal((await call('GET', `/api/v1/users/${other.id}`, accessToken)).statusCode, 403)
    assert.equal((await call('PATCH', `/api/v1/users/${other.id}`, accessToken, { email: 'x@example.com' })).statusCode, 403)

    const own = await call('PATCH', `/api/v1/users/${me.id}`, accessToken, { email: 'Changed@Example.com' })
    assert.equal(own.statusCode, 403, 'a user\'s own new address waits for its link (POST /api/v1/users/:id/email)')
    assert.equal((await t.store.users.findById(me.id))?.email, me.email)
    const patched = await call('PATCH', `/api/v1/users/${me.id}`, admin, { email: 'Changed@Example.com' })
    assert.equal(patched.statusCode, 200)
    assert.equal(patched.json().email, 'Changed@Example.com')
    assert.equal((await t.store.users.findById(me.id))?.emailKey, 'changed@example.com')
    assert.equal(await authoriseStatus(accessToken), 200, 'an email change leaves sessions alone')
  })

  test('a new username ends the user\'s sessions, since their tokens name the old one', async () => {
    const me = await registerUser(t.app)
    const { accessToken } = await signIn(t.app, me.username, me.password)
    const renamed = await call('PATCH', `/api/v1/users/${me.id}`, accessToken, { username: `${me.username} renamed` })
    assert.equal(renamed.statusCode, 200)
    assert.equal(renamed.json().username, `${me.username} renamed`)
    assert.equal(await authoriseStatus(accessToken), 401)
    await signIn(t.app, `${me.username} renamed`, me.password)
  })

  test('a user may not change their own scope, role, organisation or active flag', async () => {
    const me = await registerUser(t.app)
    const { accessToken } = await signIn(t.app, me.username, me.password)
    for (const change of [{ scope: ['admin'] }, { role: 'admin' }, { organisation: 'acme' }, { active: false }]) {
      const response = await call('PATCH', `/api/v1/users/${me.id}`, accessToken, change)
      assert.equal(response.statusCode, 403, JSON.stringify(change))
    }
    const stored = await t.store.users.findById(me.id)
    assert.deepEqual([stored?.scope, stored?.role, stored?.organisation, stored?.active], [['user'], 'user', null, true])
  })

  test('a user changes their own password only with the current one, and that ends their sessions', async () => {
    const me = await registerUser(t.app)
    const { accessToken } = await signIn(t.app, me.username, me.password)
    assert.equal((await call('PATCH', `/api/v1/users/${me.id}`, accessToken, { password: 'a new password' })).statusCode, 400)
    assert.equal((await call('PATCH', `/api/v1/users/${me.id}`, accessToken, { password: 'a new password', currentPassword: 'wrong one' })).statusCode, 403)
    await signIn(t.app, me.username, me.password)
    const changed = await call('PATCH', `/api/v1/users/${me.id}`, accessToken, { password: 'a new password', currentPassword: me.password })
    assert.equal(changed.statusCode, 200)
    assert.equal(await authoriseStatus(accessToken), 401)
    await signIn(t.app, me.username, 'a new password')
    assert.equal((await postJson(t.app, '/api/v1/auth/local/authenticate', { username: me.username, password: me.password })).status, 401)
  })

  test('an admin changing scope or disabling a user ends the user\'s sessions', async () => {
    for (const change of [{ scope: ['admin', 'user'] }, { active: false }]) {
      const user = await registerUser(t.app)
      const { accessToken, refreshToken } = await signIn(t.app, user.username, user.password)
      const response = await call('PATCH', `/api/v1/users/${user.id}`, admin, change)
      assert.equal(response.statusCode, 200)
      assert.equal(await authoriseStatus(accessToken), 401)
      assert.equal((await postJson(t.app, '/api/v1/auth/refresh', { refresh_token: refreshToken })).status, 401)
    }
  })

  test('a taken username or email is 409 and changes nothing', async () => {
    const a = await registerUser(t.app)
    const b = await registerUser(t.app)
    for (const change of [{ username: a.username.toUpperCase() }, { email: a.email }]) {
      const response = await call('PATCH', `/api/v1/users/${b.id}`, admin, change)
      assert.equal(response.statusCode, 409)
    }
    const stored = await t.store.users.findById(b.id)
    assert.equal(stored?.username, b.username)
    assert.equal(stored?.email, b.email)
  })

  test('an empty patch is 400; an unknown id is 404', async () => {
    const user = await registerUser(t.app)
    assert.equal((await call('PATCH', `/api/v1/users/${user.id}`, admin, {})).statusCode, 400)
    assert.equal((await call('PATCH', '/api/v1/users/nobody', admin, { role: 'x' })).statusCode, 404)
    assert.equal((await call('GET', '/api/v1/users/nobody', admin)).statusCode, 404)
  })

  test('an admin deletes a user: 204, then 404, and their tokens stop working', async () => {
    const user = await registerUser(t.app)
    const { accessToken, refreshToken } = await signIn(t.app, user.username, user.password)
    const deleted = await call('DELETE', `/api/v1/users/${user.id}`, admin)
    assert.equal(deleted.statusCode, 204)
    assert.equal(deleted.body, '')
    assert.equal(await t.store.users.findById(user.id), null)
    assert.equal((await call('DELETE', `/api/v1/users/${user.id}`, admin)).statusCode, 404)
    assert.equal(await authoriseStatus(accessToken), 401)
    assert.equal((await postJson(t.app, '/api/v1/auth/refresh', { refresh_token: refreshToken })).status, 401)
  })

  test('the last active admin cannot be demoted, disabled or deleted; once there is another, they can', async () => {
    const t2 = await buildTestApp()
    try {
      const token = await adminToken(t2.app)
      const root = (await t2.store.users.findByUsernameKey(ADMIN.username))!
      const as = (method: 'PATCH' | 'DELETE', payload?: object) =>
        t2.app.inject({ method, url: `/api/v1/users/${root.id}`, headers: bearer(token), ...(payload ? { payload } : {}) })
      for (const [method, payload] of [['PATCH', { scope: ['user'] }], ['PATCH', { active: false }], ['DELETE', undefined]] as const) {
        const refused = await as(method, payload)
        assert.equal(refused.statusCode, 409, `${method} ${JSON.stringify(payload)}`)
        assert.equal(refused.json().message, 'this is the last active admin; make another admin first')
      }
      assert.deepEqual((await t2.store.users.findById(root.id))?.scope, ['admin'])
      const second = await postJson(t2.app, '/api/v1/users', { username: 'second admin', email: 'second@example.com', password: '12345678', scope: ['admin'] }, bearer(token))
      assert.equal(second.status, 201)
      assert.equal((await as('PATCH', { scope: ['user'] })).statusCode, 200)
    } finally {
      await t2.close()
    }
  })

  test('a non-admin cannot delete, not even themself', async () => {
    const user = await registerUser(t.app)
    const { accessToken } = await signIn(t.app, user.username, user.password)
    assert.equal((await call('DELETE', `/api/v1/users/${user.id}`, accessToken)).statusCode, 403)
    assert.ok(await t.store.users.findById(user.id))
  })
})

describe('profile fields (name, givenName, familyName, locale, zoneinfo, picture)', () => {
  const PROFILE = ADA_PROFILE
  const profileOf = (body: Record<string, unknown>) => Object.fromEntries(Object.keys(PROFILE).map((field) => [field, body[field]]))
  const UNSET = Object.fromEntries(Object.keys(PROFILE).map((field) => [field, null]))

  test('an admin creates a user with a profile; a user without one shows every field as null', async () => {
    const created = await postJson(t.app, '/api/v1/users', { username: 'ada', email: 'ada@example.com', password: 'ada-password', ...PROFILE }, bearer(admin))
    assert.equal(created.status, 201)
    assert.deepEqual(profileOf(created.body), PROFILE)
    assert.deepEqual(profileOf((await call('GET', `/api/v1/users/${created.body.id}`, admin)).json()), PROFILE)
    const plain = await registerUser(t.app)
    assert.deepEqual(profileOf((await call('GET', `/api/v1/users/${plain.id}`, admin)).json()), UNSET)
  })

  test('a user sets, normalises and clears their own profile, and their sessions go on', async () => {
    const me = await registerUser(t.app)
    const { accessToken } = await signIn(t.app, me.username, me.password)
    const set = await call('PATCH', `/api/v1/users/${me.id}`, accessToken, { ...PROFILE, locale: 'fr-ca', zoneinfo: 'europe/paris' })
    assert.equal(set.statusCode, 200)
    assert.deepEqual(profileOf(set.json()), { ...PROFILE, locale: 'fr-CA', zoneinfo: 'Europe/Paris' })
    assert.equal((await t.store.users.findById(me.id))?.locale, 'fr-CA')
    assert.equal(await authoriseStatus(accessToken), 200, 'a profile change leaves sessions alone')

    const cleared = await call('PATCH', `/api/v1/users/${me.id}`, accessToken, { name: null, picture: null })
    assert.equal(cleared.statusCode, 200)
    assert.deepEqual(profileOf(cleared.json()), { ...PROFILE, locale: 'fr-CA', zoneinfo: 'Europe/Paris', name: null, picture: null })
    const stored = await t.store.users.findById(me.id)
    assert.equal(stored?.name, null)
    assert.equal(stored?.picture, null)
  })

  test('an admin sets another user\'s profile', async () => {
    const other = await registerUser(t.app)
    const patched = await call('PATCH', `/api/v1/users/${other.id}`, admin, { givenName: 'Grace', zoneinfo: 'America/New_York' })
    assert.equal(patched.statusCode, 200)
    assert.equal(patched.json().givenName, 'Grace')
    assert.equal((await t.store.users.findById(other.id))?.zoneinfo, 'America/New_York')
  })

  test('a bad locale, zone, picture or name is 400 naming the field, and nothing changes', async () => {
    const me = await registerUser(t.app)
    const { accessToken } = await signIn(t.app, me.username, me.password)
    assert.equal((await call('PATCH', `/api/v1/users/${me.id}`, accessToken, { givenName: 'Before' })).statusCode, 200)
    const before = await t.store.users.findById(me.id)
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ locale: 'en_US' }, /locale must be a BCP 47 language tag/],
      [{ locale: 'not a tag' }, /locale must be a BCP 47 language tag/],
      [{ zoneinfo: 'Mars/Olympus_Mons' }, /zoneinfo must be an IANA time zone/],
      [{ zoneinfo: '+01:00' }, /zoneinfo must be an IANA time zone/],
      [{ picture: 'http://pictures.example.com/me.png' }, /picture must be an https URL/],
      [{ picture: 'javascript:alert(1)' }, /picture must be an https URL/],
      [{ picture: '/me.png' }, /picture must be an absolute URL/],
      [{ picture: 'https://user:secret@pictures.example.com/me.png' }, /picture must not contain a user name or password/],
      [{ name: 'Line\nbreak' }, /name must not contain control characters/],
      [{ familyName: ' padded' }, /familyName must not contain control characters, nor begin or end with a space/],
      [{ givenName: '' }, /givenName/],
      [{ name: 'x'.repeat(257) }, /name/],
      [{ locale: 42 }, /locale/]
    ]
    for (const [payload, message] of bad) {
      const response = await call('PATCH', `/api/v1/users/${me.id}`, accessToken, { givenName: 'After', ...payload })
      assert.equal(response.statusCode, 400, JSON.stringify(payload))
      assert.match(response.json().message, message)
    }
    assert.deepEqual(await t.store.users.findById(me.id), before)
    const refused = await postJson(t.app, '/api/v1/users', { username: 'badzone', email: 'badzone@example.com', password: 'badzone-password', zoneinfo: 'Nowhere/Special' }, bearer(admin))
    assert.equal(refused.status, 400)
    assert.match(refused.body.message, /zoneinfo must be an IANA time zone/)
    assert.equal(await t.store.users.findByUsernameKey('badzone'), null)
  })

  test('http pictures are taken from loopback hosts only', async () => {
    const me = await registerUser(t.app)
    for (const picture of ['http://localhost:8080/me.png', 'http://127.0.0.1/me.png', 'http://[::1]/me.png']) {
      const response = await call('PATCH', `/api/v1/users/${me.id}`, admin, { picture })
      assert.equal(response.statusCode, 200, picture)
      assert.equal(response.json().picture, picture)
    }
  })
})
