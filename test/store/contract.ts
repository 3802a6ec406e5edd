import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  DuplicateKeyError,
  type IdentityLinkRecord,
  type PasskeyRecord,
  type RefreshTokenRecord,
  type RevokedSession,
  type SessionRecord,
  type SigningKeyRecord,
  type Store,
  type TotpFactorRecord,
  type UserRecord
} from '../../src/store/port.js'
import { mailStoreContract } from './contract-mail.js'
import { oauthStoreContract } from './contract-oauth.js'

/**
 * The storage port's contract (src/store/port.ts). Every adapter runs this suite
 * unchanged: it uses only the port's interfaces, and each test opens a fresh, empty
 * store through `open()` and closes it afterwards.
 */
export function storeContract(adapterName: string, open: () => Promise<Store>): void {
  /** Opens a fresh store, runs the body, always closes the store. */
  function withStore(run: (store: Store) => Promise<void>): () => Promise<void> {
    return async () => {
      const store = await open()
      try {
        await run(store)
      } finally {
        await store.close()
      }
    }
  }

  /** A realistic epoch-millisecond base time, so values exercise the full number width. */
  const T = Date.UTC(2025, 0, 1)
  const MINUTE = 60_000
  const HOUR = 60 * MINUTE

  let sequence = 0

  /** A user whose keys follow the documented derivation (NFKC + lower case; lower case). */
  function makeUser(overrides: Partial<UserRecord> & { username?: string; email?: string } = {}): UserRecord {
    sequence += 1
    const username = (overrides.username ?? `User${sequence}`).normalize('NFKC')
    const email = overrides.email ?? `${username}.Mail@Example.COM`
    return {
      id: `user-${String(sequence).padStart(4, '0')}`,
      username,
      usernameKey: username.toLowerCase(),
      email,
      emailKey: email.toLowerCase(),
      emailVerified: false,
      passwordHash: `$2b$04$hash-of-user-${sequence}`,
      passwordScheme: 'bcrypt-hmac-sha256',
      scope: ['user'],
      role: 'user',
      organisation: null,
      active: true,
      samlIdentity: null,
      name: null,
      givenName: null,
      familyName: null,
      locale: null,
      zoneinfo: null,
      picture: null,
      createdAt: T + sequence,
      updatedAt: T + sequence,
      ...overrides
    }
  }

  function makeSession(overrides: Partial<SessionRecord> = {}): SessionRecord {
    sequence += 1
    return {
      id: `session-${String(sequence).padStart(4, '0')}`,
      userId: 'user-a',
      kind: 'token',
      createdAt: T,
      expiresAt: T + 10 * HOUR,
      idleExpiresAt: null,
      revokedAt: null,
      clientId: null,
      scope: null,
      authTime: null,
      claims: null,
      amr: null,
      idp: null,
      ...overrides
    }
  }

  function makeToken(hash: string, overrides: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord {
    return { hash, sessionId: 'session-x', createdAt: T, expiresAt: T + 24 * HOUR, rotatedAt: null, ...overrides }
  }

  function makeKey(kid: string, createdAt: number, overrides: Partial<SigningKeyRecord> = {}): SigningKeyRecord {
    return {
      kid,
      alg: 'ES256',
      privateKey: `-----BEGIN PRIVATE KEY-----\n${kid}-private\n-----END PRIVATE KEY-----\n`,
      publicKey: `-----BEGIN PUBLIC KEY-----\n${kid}-public\n-----END PUBLIC KEY-----\n`,
      createdAt,
      retiredAt: null,
      verifyUntil: null,
      ...overrides
    }
  }

  const isDuplicate = (field: 'username' | 'email') => (error: unknown) => {
    assert.ok(error instanceof DuplicateKeyError, `expected a DuplicateKeyError, got ${String(error)}`)
    assert.equal(error.field, field)
    return true
  }

  const byId = <R extends { id: string }>(items: R[]): R[] => [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

  async function allUsers(store: Store): Promise<UserRecord[]> {
    return (await store.users.list({ offset: 0, limit: 1000 })).items
  }

  describe(`store contract: ${adapterName}`, () => {
    test('a fresh store is empty', withStore(async (store) => {
      assert.deepEqual(await store.users.list({ offset: 0, limit: 10 }), { items: [], total: 0 })
      assert.deepEqual(await store.signingKeys.list(), [])
      assert.deepEqual(await store.sessions.listByUser('user-a'), [])
      assert.deepEqual(await store.sessions.listRevoked(0, T), [])
    }))

    test('ping resolves while the store is open', withStore(async (store) => {
      assert.equal(await store.ping(), undefined)
    }))

    describe('users', () => {
      test('a user reads back with every field by id, username key and email key', withStore(async (store) => {
        const alice = makeUser({
          username: 'Zoë Ålice',
          scope: ['admin', 'user', 'reports:read'],
          role: 'admin',
          organisation: 'Acme "Widgets" Ltd',
          active: false,
          passwordScheme: 'bcrypt',
          createdAt: T + 5,
          updatedAt: T + 7
        })
        const bob = makeUser({ scope: [], organisation: null, active: true, passwordScheme: 'bcrypt-hmac-sha256' })
        await store.users.insert(alice)
        await store.users.insert(bob)
        for (const user of [alice, bob]) {
          assert.deepEqual(await store.users.findById(user.id), user)
          assert.deepEqual(await store.users.findByUsernameKey(user.usernameKey), user)
          assert.deepEqual(await store.users.findByEmailKey(user.emailKey), user)
        }
      }))

      test('profile fields read back as stored, each set or null, and an update sets or clears only the ones given', withStore(async (store) => {
        const profile = {
          name: 'Zoë Ålice "Al" Smith',
          givenName: 'Zoë',
          familyName: 'Smith',
          locale: 'fr-CA',
          zoneinfo: 'America/Montreal',
          picture: 'https://pictures.example.com/z%C3%B6e.png?size=96'
        }
        const alice = makeUser(profile)
        const bob = makeUser({ givenName: 'Bob' })
        await store.users.insert(alice)
        await store.users.insert(bob)
        assert.deepEqual(await store.users.findById(alice.id), alice)
        assert.deepEqual(await store.users.findById(bob.id), bob)
        assert.equal((await store.users.findById(bob.id))!.name, null)

        const change = { name: null, locale: 'en-GB', picture: null, updatedAt: T + HOUR }
        const expected = { ...alice, ...change }
        assert.deepEqual(await store.users.update(alice.id, change), expected)
        assert.deepEqual(await store.users.findById(alice.id), expected)
        assert.deepEqual((await store.users.list({ offset: 0, limit: 10 })).items, [expected, bob])
        assert.deepEqual(await store.users.findById(bob.id), bob, 'other users are untouched')
      }))

      test('looking up an unknown id, username key or email key gives null', withStore(async (store) => {
        const alice = makeUser()
        await store.users.insert(alice)
        assert.equal(await store.users.findById('no-such-id'), null)
        assert.equal(await store.users.findByUsernameKey('no-such-user'), null)
        assert.equal(await store.users.findByEmailKey('nobody@example.com'), null)
      }))

      test('inserting a taken username key throws DuplicateKeyError(username) and stores nothing', withStore(async (store) => {
        const alice = makeUser({ username: 'alice' })
        await store.users.insert(alice)
        const clash = makeUser({ username: 'ALICE', usernameKey: 'alice', email: 'other@example.com' })
        await assert.rejects(store.users.insert(clash), isDuplicate('username'))
        assert.equal(await store.users.findById(clash.id), null)
        assert.equal(await store.users.findByEmailKey('other@example.com'), null)
        assert.deepEqual(await allUsers(store), [alice])
      }))

      test('inserting a taken email key throws DuplicateKeyError(email) and stores nothing', withStore(async (store) => {
        const alice = makeUser({ username: 'alice', email: 'Alice@Example.com' })
        await store.users.insert(alice)
        const clash = makeUser({ username: 'bob', email: 'ALICE@example.COM' })
        assert.equal(clash.emailKey, alice.emailKey)
        await assert.rejects(store.users.insert(clash), isDuplicate('email'))
        assert.equal(await store.users.findById(clash.id), null)
        assert.equal(await store.users.findByUsernameKey('bob'), null)
        assert.deepEqual(await allUsers(store), [alice])
      }))

      test('inserting a user whose id exists is refused, not reported as a taken username or email, and keeps the first', withStore(async (store) => {
        const alice = makeUser({ username: 'alice' })
        await store.users.insert(alice)
        const sameId = makeUser({ id: alice.id, username: 'bob' })
        await assert.rejects(store.users.insert(sameId), (error: unknown) => !(error instanceof DuplicateKeyError))
        assert.deepEqual(await store.users.findById(alice.id), alice)
        assert.equal(await store.users.findByUsernameKey('bob'), null)
        assert.deepEqual(await allUsers(store), [alice])
      }))

      test('updating to a taken username key throws DuplicateKeyError(username) and changes neither user', withStore(async (store) => {
        const alice = makeUser({ username: 'alice' })
        const bob = makeUser({ username: 'bob' })
        await store.users.insert(alice)
        await store.users.insert(bob)
        await assert.rejects(
          store.users.update(bob.id, { username: 'Alice', usernameKey: 'alice', role: 'admin', active: false, updatedAt: T + HOUR }),
          isDuplicate('username')
        )
        assert.deepEqual(await store.users.findById(bob.id), bob)
        assert.deepEqual(await store.users.findById(alice.id), alice)
        assert.deepEqual(await store.users.findByUsernameKey('alice'), alice)
      }))

      test('updating to a taken email key throws DuplicateKeyError(email) and changes neither user', withStore(async (store) => {
        const alice = makeUser({ username: 'alice' })
        const bob = makeUser({ username: 'bob' })
        await store.users.insert(alice)
        await store.users.insert(bob)
        await assert.rejects(
          store.users.update(bob.id, { email: alice.email.toUpperCase(), emailKey: alice.emailKey, scope: ['admin'], updatedAt: T + HOUR }),
          isDuplicate('email')
        )
        assert.deepEqual(await store.users.findById(bob.id), bob)
        assert.deepEqual(await store.users.findById(alice.id), alice)
        assert.deepEqual(await store.users.findByEmailKey(alice.emailKey), alice)
      }))

      test('updating a user with its own current keys is not a conflict', withStore(async (store) => {
        const alice = makeUser({ username: 'alice' })
        await store.users.insert(alice)
        const patch = { username: 'ALICE', usernameKey: alice.usernameKey, email: alice.email, emailKey: alice.emailKey, updatedAt: T + HOUR }
        const expected = { ...alice, ...patch }
        assert.deepEqual(await store.users.update(alice.id, patch), expected)
        assert.deepEqual(await store.users.findById(alice.id), expected)
      }))

      test('updating an unknown id returns null and creates nothing', withStore(async (store) => {
        const alice = makeUser()
        await store.users.insert(alice)
        assert.equal(await store.users.update('no-such-id', { role: 'admin', usernameKey: 'fresh', updatedAt: T + HOUR }), null)
        assert.equal(await store.users.findById('no-such-id'), null)
        assert.equal(await store.users.findByUsernameKey('fresh'), null)
        assert.deepEqual(await allUsers(store), [alice])
      }))

      test('an update changes only the given fields and returns the record as stored', withStore(async (store) => {
        const alice = makeUser({ username: 'alice', scope: ['user'], organisation: 'acme', active: true })
        const bob = makeUser({ username: 'bob' })
        await store.users.insert(alice)
        await store.users.insert(bob)

        const rehash = { passwordHash: '$2b$12$new', passwordScheme: 'bcrypt-hmac-sha256' as const, updatedAt: T + HOUR }
        let expected: UserRecord = { ...alice, ...rehash }
        assert.deepEqual(await store.users.update(alice.id, rehash), expected)
        assert.deepEqual(await store.users.findById(alice.id), expected)

        const demote = { scope: ['reports', 'user'], active: false, organisation: null, role: 'clerk', updatedAt: T + 2 * HOUR }
        expected = { ...expected, ...demote }
        assert.deepEqual(await store.users.update(alice.id, demote), expected)
        assert.deepEqual(await store.users.findById(alice.id), expected)

        const restore = { scope: [], active: true, organisation: 'Initech', updatedAt: T + 3 * HOUR }
        expected = { ...expected, ...restore }
        assert.deepEqual(await store.users.update(alice.id, restore), expected)
        assert.deepEqual(await store.users.findById(alice.id), expected)

        const rename = { username: 'Alicia', usernameKey: 'alicia', email: 'Alicia@New.org', emailKey: 'alicia@new.org', updatedAt: T + 4 * HOUR }
        expected = { ...expected, ...rename }
        assert.deepEqual(await store.users.update(alice.id, rename), expected)
        assert.deepEqual(await store.users.findByUsernameKey('alicia'), expected)
        assert.deepEqual(await store.users.findByEmailKey('alicia@new.org'), expected)
        assert.equal(await store.users.findByUsernameKey(alice.usernameKey), null, 'the old username key no longer finds the user')
        assert.equal(await store.users.findByEmailKey(alice.emailKey), null, 'the old email key no longer finds the user')

        assert.deepEqual(await store.users.update(alice.id, { updatedAt: T + 5 * HOUR }), { ...expected, updatedAt: T + 5 * HOUR })
        assert.equal((await store.users.findById(alice.id))!.createdAt, alice.createdAt, 'createdAt never changes')
        assert.deepEqual(await store.users.findById(bob.id), bob, 'other users are untouched')
      }))

      test('delete returns true for an existing user, then false, and frees its keys', withStore(async (store) => {
        const alice = makeUser({ username: 'alice' })
        const bob = makeUser({ username: 'bob' })
        await store.users.insert(alice)
        await store.users.insert(bob)
        assert.equal(await store.users.delete(alice.id), true)
        assert.equal(await store.users.findById(alice.id), null)
        assert.equal(await store.users.findByUsernameKey(alice.usernameKey), null)
        assert.equal(await store.users.findByEmailKey(alice.emailKey), null)
        assert.equal(await store.users.delete(alice.id), false)
        assert.equal(await store.users.delete('no-such-id'), false)
        assert.deepEqual(await allUsers(store), [bob])
        const again = makeUser({ username: 'alice', email: alice.email })
        await store.users.insert(again)
        assert.deepEqual(await store.users.findByUsernameKey('alice'), again)
      }))

      test('list orders by createdAt then id, pages with offset and limit, and totals all users', withStore(async (store) => {
        // Inserted out of order; ties on createdAt are broken by id.
        const users = [
          makeUser({ id: 'u-c', createdAt: T + 2 }),
          makeUser({ id: 'u-e', createdAt: T + 3 }),
          makeUser({ id: 'u-a', createdAt: T + 2 }),
          makeUser({ id: 'u-d', createdAt: T + 1 }),
          makeUser({ id: 'u-b', createdAt: T + 2 })
        ]
        for (const user of users) await store.users.insert(user)
        const ids = (page: { items: UserRecord[] }) => page.items.map((user) => user.id)
        const all = await store.users.list({ offset: 0, limit: 10 })
        assert.deepEqual(ids(all), ['u-d', 'u-a', 'u-b', 'u-c', 'u-e'])
        assert.equal(all.total, 5)
        assert.deepEqual(all.items[0], users[3], 'listed items carry every field')
        assert.deepEqual(await store.users.list({ offset: 0, limit: 2 }), { items: [users[3], users[2]], total: 5 })
        const second = await store.users.list({ offset: 2, limit: 2 })
        assert.deepEqual(ids(second), ['u-b', 'u-c'])
        assert.equal(second.total, 5)
        const last = await store.users.list({ offset: 4, limit: 2 })
        assert.deepEqual(ids(last), ['u-e'])
        assert.equal(last.total, 5)
        assert.deepEqual(await store.users.list({ offset: 10, limit: 5 }), { items: [], total: 5 })
      }))

      test('search matches a case-insensitive substring of username or email, and total counts matches only', withStore(async (store) => {
        const amy = makeUser({ username: 'AmyPond', email: 'amy@tardis.example', organisation: 'leadworth', role: 'companion' })
        const rory = makeUser({ username: 'rory', email: 'Rory.Williams@Leadworth.example' })
        const doctor = makeUser({ username: 'TheDoctor', email: 'who@gallifrey.example' })
        const river = makeUser({ username: 'RiverSong', email: 'river@library.example' })
        for (const user of [amy, rory, doctor, river]) await store.users.insert(user)
        const search = async (text: string, offset = 0, limit = 10) => {
          const page = await store.users.list({ offset, limit, search: text })
          return { usernames: page.items.map((user) => user.username), total: page.total }
        }
        assert.deepEqual(await search('amy'), { usernames: ['AmyPond'], total: 1 }, 'username, different case')
        assert.deepEqual(await search('YPO'), { usernames: ['AmyPond'], total: 1 }, 'username, middle substring')
        assert.deepEqual(await search('LEADWORTH'), { usernames: ['rory'], total: 1 }, 'email only; organisation is not searched')
        assert.deepEqual(await search('Gallifrey.EXAMPLE'), { usernames: ['TheDoctor'], total: 1 }, 'email suffix')
        assert.deepEqual(await search('r'), { usernames: ['AmyPond', 'rory', 'TheDoctor', 'RiverSong'], total: 4 })
        assert.deepEqual(await search('r', 1, 2), { usernames: ['rory', 'TheDoctor'], total: 4 }, 'paging within a search')
        assert.deepEqual(await search('WILL'), { usernames: ['rory'], total: 1 }, 'email, different case')
        assert.deepEqual(await search('companion'), { usernames: [], total: 0 }, 'role is not searched')
        assert.deepEqual(await search('nobody'), { usernames: [], total: 0 })
      }))

      test('a search containing % or _ (or a backslash) is matched literally, not as a wildcard', withStore(async (store) => {
        const percent = makeUser({ username: '100%sure', email: 'pct@example.com' })
        const underscore = makeUser({ username: 'snake_case', email: 'snake@example.com' })
        const backslash = makeUser({ username: 'back\\slash', email: 'bs@example.com' })
        const plain = makeUser({ username: 'plainXuser', email: 'plain@example.com' })
        for (const user of [percent, underscore, backslash, plain]) await store.users.insert(user)
        const usernames = async (text: string) => {
          const page = await store.users.list({ offset: 0, limit: 10, search: text })
          assert.equal(page.total, page.items.length)
          return page.items.map((user) => user.username)
        }
        assert.deepEqual(await usernames('%'), ['100%sure'])
        assert.deepEqual(await usernames('0%s'), ['100%sure'])
        assert.deepEqual(await usernames('_'), ['snake_case'])
        assert.deepEqual(await usernames('e_c'), ['snake_case'])
        assert.deepEqual(await usernames('n%X'), [], '% does not match any run of characters')
        assert.deepEqual(await usernames('i_X'), [], '_ does not match a single character')
        assert.deepEqual(await usernames('\\'), ['back\\slash'])
        assert.deepEqual(await usernames('\\%'), [])
      }))

      test('countActiveWithScope counts only active users holding exactly that scope', withStore(async (store) => {
        await store.users.insert(makeUser({ scope: ['admin', 'user'] }))
        await store.users.insert(makeUser({ scope: ['user', 'admin'] }))
        await store.users.insert(makeUser({ scope: ['admin'], active: false }))
        await store.users.insert(makeUser({ scope: ['user'] }))
        await store.users.insert(makeUser({ scope: ['administrator', 'Admin'] }))
        await store.users.insert(makeUser({ scope: [] }))
        assert.equal(await store.users.countActiveWithScope('admin'), 2)
        assert.equal(await store.users.countActiveWithScope('user'), 3)
        assert.equal(await store.users.countActiveWithScope('adm'), 0)
        assert.equal(await store.users.countActiveWithScope('reports'), 0)
      }))

      test('a user of an identity provider reads back with its identity and no password, and is found by IdP and NameID', withStore(async (store) => {
        const saml = makeUser({ passwordHash: '', passwordScheme: 'none', samlIdentity: { idp: 'acme', nameId: 'Alice@Acme.example' } })
        await store.users.insert(saml)
        await store.users.insert(makeUser())
        assert.deepEqual(await store.users.findById(saml.id), saml)
        assert.deepEqual(await store.users.findBySamlIdentity({ idp: 'acme', nameId: 'Alice@Acme.example' }), saml)
        assert.equal(await store.users.findBySamlIdentity({ idp: 'acme', nameId: 'alice@acme.example' }), null, 'NameIDs compare exactly')
        assert.equal(await store.users.findBySamlIdentity({ idp: 'globex', nameId: 'Alice@Acme.example' }), null, 'the NameID of another IdP')
      }))

      test('a second user with a taken IdP and NameID throws DuplicateKeyError(samlIdentity) and stores nothing; the same NameID at another IdP is another user', withStore(async (store) => {
        const first = makeUser({ samlIdentity: { idp: 'acme', nameId: 'alice' } })
        await store.users.insert(first)
        const second = makeUser({ samlIdentity: { idp: 'acme', nameId: 'alice' } })
        await assert.rejects(store.users.insert(second), (error: unknown) => error instanceof DuplicateKeyError && error.field === 'samlIdentity')
        assert.equal(await store.users.findById(second.id), null)
        const elsewhere = makeUser({ samlIdentity: { idp: 'globex', nameId: 'alice' } })
        await store.users.insert(elsewhere)
        assert.deepEqual(await store.users.findBySamlIdentity({ idp: 'globex', nameId: 'alice' }), elsewhere)
        assert.deepEqual(await store.users.findBySamlIdentity({ idp: 'acme', nameId: 'alice' }), first)
      }))

      test('an update keeps the identity of a user of an identity provider', withStore(async (store) => {
        const saml = makeUser({ samlIdentity: { idp: 'acme', nameId: 'alice' } })
        await store.users.insert(saml)
        const updated = await store.users.update(saml.id, { scope: ['admin'], updatedAt: T + HOUR })
        assert.deepEqual(updated, { ...saml, scope: ['admin'], updatedAt: T + HOUR })
      }))
    })

    describe('sessions', () => {
      test('a session reads back with every field; an unknown id gives null', withStore(async (store) => {
        const plain = makeSession({ kind: 'token', idleExpiresAt: null, revokedAt: null })
        const sliding = makeSession({ kind: 'login', userId: 'user-b', createdAt: T + 1, expiresAt: T + 8 * HOUR, idleExpiresAt: T + 30 * MINUTE })
        const revoked = makeSession({ revokedAt: T + 5 * MINUTE, idleExpiresAt: T + MINUTE })
        for (const session of [plain, sliding, revoked]) await store.sessions.insert(session)
        for (const session of [plain, sliding, revoked]) assert.deepEqual(await store.sessions.findById(session.id), session)
        assert.equal(await store.sessions.findById('no-such-session'), null)
      }))

      test('extendIdle moves the idle expiry forward', withStore(async (store) => {
        const session = makeSession({ kind: 'login', idleExpiresAt: T + 30 * MINUTE })
        await store.sessions.insert(session)
        await store.sessions.extendIdle(session.id, T + 45 * MINUTE)
        assert.deepEqual(await store.sessions.findById(session.id), { ...session, idleExpiresAt: T + 45 * MINUTE })
      }))

      test("recordUse keeps a session's latest use, listed by lastUses for its user only, and leaves the record as it was", withStore(async (store) => {
        const used = makeSession({ id: 'used', userId: 'user-a' })
        const unused = makeSession({ id: 'unused', userId: 'user-a' })
        const theirs = makeSession({ id: 'theirs', userId: 'user-b' })
        for (const session of [used, unused, theirs]) await store.sessions.insert(session)
        await store.sessions.recordUse('used', T + 2 * MINUTE)
        await store.sessions.recordUse('used', T + MINUTE)
        await store.sessions.recordUse('theirs', T + MINUTE)
        assert.deepEqual(await store.sessions.lastUses('user-a'), [{ id: 'used', lastUsedAt: T + 2 * MINUTE }])
        assert.deepEqual(await store.sessions.findById('used'), used)
        assert.deepEqual(await store.sessions.lastUses('nobody'), [])
      }))

      test('extendIdle never moves the idle expiry back', withStore(async (store) => {
        const session = makeSession({ kind: 'login', idleExpiresAt: T + 30 * MINUTE })
        await store.sessions.insert(session)
        await store.sessions.extendIdle(session.id, T + 10 * MINUTE)
        assert.deepEqual(await store.sessions.findById(session.id), session)
        await store.sessions.extendIdle(session.id, T + 30 * MINUTE)
        assert.deepEqual(await store.sessions.findById(session.id), session)
      }))

      test('extendIdle never moves the idle expiry past the absolute expiry', withStore(async (store) => {
        const session = makeSession({ kind: 'login', expiresAt: T + HOUR, idleExpiresAt: T + 30 * MINUTE })
        await store.sessions.insert(session)
        await store.sessions.extendIdle(session.id, T + 2 * HOUR)
        assert.deepEqual(await store.sessions.findById(session.id), { ...session, idleExpiresAt: T + HOUR })
        await store.sessions.extendIdle(session.id, T + 3 * HOUR)
        assert.deepEqual(await store.sessions.findById(session.id), { ...session, idleExpiresAt: T + HOUR })
      }))

      test('extendIdle does not extend a revoked session', withStore(async (store) => {
        const session = makeSession({ kind: 'login', idleExpiresAt: T + 30 * MINUTE })
        await store.sessions.insert(session)
        assert.equal(await store.sessions.revoke(session.id, T + 10 * MINUTE), true)
        await store.sessions.extendIdle(session.id, T + 45 * MINUTE)
        assert.deepEqual(await store.sessions.findById(session.id), { ...session, revokedAt: T + 10 * MINUTE })
      }))

      test('extendIdle does not give an idle timeout to a session that has none', withStore(async (store) => {
        const session = makeSession({ kind: 'token', idleExpiresAt: null })
        await store.sessions.insert(session)
        await store.sessions.extendIdle(session.id, T + 45 * MINUTE)
        assert.deepEqual(await store.sessions.findById(session.id), session)
      }))

      test('extendIdle changes only the named session, and an unknown id creates nothing', withStore(async (store) => {
        const one = makeSession({ kind: 'login', idleExpiresAt: T + 30 * MINUTE })
        const other = makeSession({ kind: 'login', idleExpiresAt: T + 30 * MINUTE })
        await store.sessions.insert(one)
        await store.sessions.insert(other)
        await store.sessions.extendIdle(one.id, T + 40 * MINUTE)
        await store.sessions.extendIdle('no-such-session', T + 40 * MINUTE)
        assert.deepEqual(await store.sessions.findById(other.id), other)
        assert.equal(await store.sessions.findById('no-such-session'), null)
        assert.deepEqual(byId(await store.sessions.listByUser('user-a')), byId([{ ...one, idleExpiresAt: T + 40 * MINUTE }, other]))
      }))

      test('revoke returns true once and records the time, then false; an unknown id gives false', withStore(async (store) => {
        const session = makeSession()
        const other = makeSession()
        await store.sessions.insert(session)
        await store.sessions.insert(other)
        assert.equal(await store.sessions.revoke(session.id, T + MINUTE), true)
        assert.deepEqual(await store.sessions.findById(session.id), { ...session, revokedAt: T + MINUTE })
        assert.equal(await store.sessions.revoke(session.id, T + 2 * MINUTE), false)
        assert.deepEqual(await store.sessions.findById(session.id), { ...session, revokedAt: T + MINUTE }, 'the first revocation time is kept')
        assert.equal(await store.sessions.revoke('no-such-session', T + MINUTE), false)
        assert.equal(await store.sessions.findById('no-such-session'), null)
        assert.deepEqual(await store.sessions.findById(other.id), other)
      }))

      test('a session inserted already revoked cannot be revoked again', withStore(async (store) => {
        const session = makeSession({ revokedAt: T + MINUTE })
        await store.sessions.insert(session)
        assert.equal(await store.sessions.revoke(session.id, T + 2 * MINUTE), false)
        assert.deepEqual(await store.sessions.findById(session.id), session)
      }))

      test("revokeByUser revokes only that user's live sessions and returns their ids and expiresAt", withStore(async (store) => {
        const at = T + 2 * HOUR
        const live = makeSession({ userId: 'alice', expiresAt: T + 10 * HOUR })
        const liveSliding = makeSession({ userId: 'alice', kind: 'login', expiresAt: T + 8 * HOUR, idleExpiresAt: T + 3 * HOUR })
        const expired = makeSession({ userId: 'alice', expiresAt: T + HOUR })
        const expiringNow = makeSession({ userId: 'alice', expiresAt: at })
        const alreadyRevoked = makeSession({ userId: 'alice', revokedAt: T + 30 * MINUTE })
        const bobs = makeSession({ userId: 'bob' })
        const all = [live, liveSliding, expired, expiringNow, alreadyRevoked, bobs]
        for (const session of all) await store.sessions.insert(session)

        const revoked: RevokedSession[] = await store.sessions.revokeByUser('alice', at)
        assert.deepEqual(byId(revoked), byId([
          { id: live.id, expiresAt: live.expiresAt },
          { id: liveSliding.id, expiresAt: liveSliding.expiresAt }
        ]))
        assert.deepEqual(await store.sessions.findById(live.id), { ...live, revokedAt: at })
        assert.deepEqual(await store.sessions.findById(liveSliding.id), { ...liveSliding, revokedAt: at })
        assert.deepEqual(await store.sessions.findById(expired.id), expired, 'an expired session is left alone')
        assert.deepEqual(await store.sessions.findById(expiringNow.id), expiringNow, 'a session expiring at that very time is already expired')
        assert.deepEqual(await store.sessions.findById(alreadyRevoked.id), alreadyRevoked, 'an earlier revocation time is kept')
        assert.deepEqual(await store.sessions.findById(bobs.id), bobs, "another user's session is left alone")

        assert.deepEqual(await store.sessions.revokeByUser('alice', at + MINUTE), [], 'nothing live is left to revoke')
        assert.deepEqual(await store.sessions.revokeByUser('nobody', at), [])
      }))

      test('listRevoked includes sessions revoked at or after since, and not before', withStore(async (store) => {
        const since = T + HOUR
        const now = T + 2 * HOUR
        const before = makeSession({ revokedAt: since - 1 })
        const atSince = makeSession({ revokedAt: since })
        const after = makeSession({ revokedAt: since + MINUTE, expiresAt: T + 5 * HOUR })
        const live = makeSession()
        for (const session of [before, atSince, after, live]) await store.sessions.insert(session)
        assert.deepEqual(byId(await store.sessions.listRevoked(since, now)), byId([
          { id: atSince.id, expiresAt: atSince.expiresAt },
          { id: after.id, expiresAt: after.expiresAt }
        ]))
        assert.deepEqual(byId(await store.sessions.listRevoked(0, now)), byId([
          { id: before.id, expiresAt: before.expiresAt },
          { id: atSince.id, expiresAt: atSince.expiresAt },
          { id: after.id, expiresAt: after.expiresAt }
        ]))
        assert.deepEqual(await store.sessions.listRevoked(since + HOUR, now), [])
      }))

      test('listRevoked leaves out sessions that have expired at now', withStore(async (store) => {
        const since = T
        const now = T + 2 * HOUR
        const stillValid = makeSession({ revokedAt: T + MINUTE, expiresAt: now + 1 })
        const expiresNow = makeSession({ revokedAt: T + MINUTE, expiresAt: now })
        const expiredEarlier = makeSession({ revokedAt: T + MINUTE, expiresAt: T + HOUR })
        const notRevoked = makeSession({ expiresAt: T + 10 * HOUR })
        for (const session of [stillValid, expiresNow, expiredEarlier, notRevoked]) await store.sessions.insert(session)
        assert.deepEqual(await store.sessions.listRevoked(since, now), [{ id: stillValid.id, expiresAt: now + 1 }])
        assert.deepEqual(await store.sessions.listRevoked(since, now + 1), [])
        assert.deepEqual(byId(await store.sessions.listRevoked(since, T + 30 * MINUTE)), byId([
          { id: stillValid.id, expiresAt: stillValid.expiresAt },
          { id: expiresNow.id, expiresAt: expiresNow.expiresAt },
          { id: expiredEarlier.id, expiresAt: expiredEarlier.expiresAt }
        ]))
      }))

      test("listByUser returns all of that user's sessions, revoked and expired ones included, and no one else's", withStore(async (store) => {
        const first = makeSession({ userId: 'alice', createdAt: T + 1 })
        const revoked = makeSession({ userId: 'alice', createdAt: T + 2, revokedAt: T + 3 })
        const expired = makeSession({ userId: 'alice', createdAt: T + 3, expiresAt: T + 4, kind: 'login', idleExpiresAt: T + 4 })
        const bobs = makeSession({ userId: 'bob' })
        for (const session of [expired, bobs, first, revoked]) await store.sessions.insert(session)
        assert.deepEqual(byId(await store.sessions.listByUser('alice')), byId([first, revoked, expired]))
        assert.deepEqual(await store.sessions.listByUser('bob'), [bobs])
        assert.deepEqual(await store.sessions.listByUser('nobody'), [])
      }))

      test('countLive counts sessions neither revoked, nor expired, nor idle past their timeout', withStore(async (store) => {
        const live = [makeSession({ userId: 'alice' }), makeSession({ userId: 'bob', kind: 'login', idleExpiresAt: T + 2 * MINUTE })]
        const ended = [
          makeSession({ revokedAt: T - 1 }),
          makeSession({ expiresAt: T }),
          makeSession({ kind: 'login', idleExpiresAt: T - 1 })
        ]
        for (const session of [...live, ...ended]) await store.sessions.insert(session)
        assert.equal(await store.sessions.countLive(T), live.length)
        assert.equal(await store.sessions.countLive(T + 10 * HOUR), 0)
      }))

      test('deleteExpired drops the sessions that ended at now, by expiry or idle timeout, revoked or not, and keeps the others whole', withStore(async (store) => {
        const now = T + 2 * HOUR
        const ended = [
          makeSession({ expiresAt: now }),
          makeSession({ expiresAt: T + HOUR, revokedAt: T + MINUTE }),
          makeSession({ kind: 'login', idleExpiresAt: now }),
          makeSession({ kind: 'login', idleExpiresAt: T + HOUR, revokedAt: T + 2 * MINUTE })
        ]
        const live = [
          makeSession({ expiresAt: now + 1 }),
          makeSession({ kind: 'login', idleExpiresAt: now + 1 }),
          makeSession({ kind: 'oauth2', clientId: 'client-1', scope: ['openid'], authTime: T }),
          // Revoked but not ended: other replicas still learn of it through listRevoked.
          makeSession({ revokedAt: T + MINUTE, expiresAt: now + HOUR })
        ]
        for (const session of [...ended, ...live]) await store.sessions.insert(session)
        await store.sessions.deleteExpired(now)
        for (const session of ended) assert.equal(await store.sessions.findById(session.id), null, session.id)
        for (const session of live) assert.deepEqual(await store.sessions.findById(session.id), session)
        assert.deepEqual(await store.sessions.listRevoked(0, now), [{ id: live[3]!.id, expiresAt: now + HOUR }])
        assert.equal(await store.sessions.countLive(now), 3)
      }))

      test('deleteExpired takes the refresh tokens of an ended session with it, rotated ones included, and leaves a live family whole', withStore(async (store) => {
        const now = T + 2 * HOUR
        const endedFamily = makeSession({ expiresAt: now, revokedAt: T + HOUR })
        const liveFamily = makeSession({ expiresAt: now + HOUR })
        await store.sessions.insert(endedFamily)
        await store.sessions.insert(liveFamily)
        const endedTokens = [
          makeToken('ended-rotated', { sessionId: endedFamily.id, expiresAt: now, rotatedAt: T + MINUTE }),
          makeToken('ended-current', { sessionId: endedFamily.id, expiresAt: now })
        ]
        const liveRotated = makeToken('live-rotated', { sessionId: liveFamily.id, expiresAt: now + HOUR, rotatedAt: T + MINUTE })
        const liveCurrent = makeToken('live-current', { sessionId: liveFamily.id, expiresAt: now + HOUR })
        for (const token of [...endedTokens, liveRotated, liveCurrent]) await store.refreshTokens.insert(token)
        await store.sessions.deleteExpired(now)
        for (const token of endedTokens) assert.equal(await store.refreshTokens.findByHash(token.hash), null, token.hash)
        assert.deepEqual(await store.refreshTokens.findByHash(liveCurrent.hash), liveCurrent)
        assert.deepEqual(await store.refreshTokens.findByHash(liveRotated.hash), liveRotated)
        // The rotated token of the live family is still recognised as reuse.
        assert.equal(await store.refreshTokens.rotate(liveRotated.hash, makeToken('live-next'), now), 'reused')
      }))

      test('deleteExpired deletes a backlog larger than one batch', withStore(async (store) => {
        const now = T + HOUR
        const count = 2500
        for (let i = 0; i < count; i += 1) {
          const session = makeSession({ expiresAt: now - i, kind: i % 2 ? 'login' : 'token', idleExpiresAt: i % 2 ? now - i : null })
          await store.sessions.insert(session)
          if (i % 2 === 0) await store.refreshTokens.insert(makeToken(`backlog-${i}`, { sessionId: session.id, expiresAt: session.expiresAt }))
        }
        const live = makeSession({ userId: 'backlog-live', expiresAt: now + 1 })
        await store.sessions.insert(live)
        await store.sessions.deleteExpired(now)
        assert.equal(await store.refreshTokens.findByHash('backlog-0'), null)
        assert.equal(await store.refreshTokens.findByHash(`backlog-${count - 2}`), null)
        assert.deepEqual(await store.sessions.listByUser('user-a'), [])
        assert.deepEqual(await store.sessions.listByUser('backlog-live'), [live])
      }))
    })

    describe('refresh tokens', () => {
      test('a refresh token reads back by its hash; an unknown hash gives null', withStore(async (store) => {
        const live = makeToken('hash-live')
        const rotated = makeToken('hash-rotated', { sessionId: 'session-y', createdAt: T + 1, expiresAt: T + 2 * HOUR, rotatedAt: T + MINUTE })
        await store.refreshTokens.insert(live)
        await store.refreshTokens.insert(rotated)
        assert.deepEqual(await store.refreshTokens.findByHash('hash-live'), live)
        assert.deepEqual(await store.refreshTokens.findByHash('hash-rotated'), rotated)
        assert.equal(await store.refreshTokens.findByHash('hash-unknown'), null)
      }))

      test('rotating a live token reports rotated, stamps the old one with rotatedAt and stores the successor as given', withStore(async (store) => {
        const old = makeToken('hash-1')
        const next = makeToken('hash-2', { createdAt: T + HOUR, expiresAt: T + 25 * HOUR })
        await store.refreshTokens.insert(old)
        assert.equal(await store.refreshTokens.rotate('hash-1', next, T + HOUR), 'rotated')
        assert.deepEqual(await store.refreshTokens.findByHash('hash-1'), { ...old, rotatedAt: T + HOUR })
        assert.deepEqual(await store.refreshTokens.findByHash('hash-2'), next)
      }))

      test('a rotated refresh token rotated again is reported as reused and gets no second successor', withStore(async (store) => {
        const old = makeToken('hash-1')
        const next = makeToken('hash-2', { createdAt: T + HOUR })
        await store.refreshTokens.insert(old)
        assert.equal(await store.refreshTokens.rotate('hash-1', next, T + HOUR), 'rotated')
        const second = makeToken('hash-3', { createdAt: T + 2 * HOUR })
        assert.equal(await store.refreshTokens.rotate('hash-1', second, T + 2 * HOUR), 'reused')
        assert.equal(await store.refreshTokens.findByHash('hash-3'), null, 'no second successor is stored')
        assert.deepEqual(await store.refreshTokens.findByHash('hash-1'), { ...old, rotatedAt: T + HOUR }, 'the first rotation time is kept')
        assert.deepEqual(await store.refreshTokens.findByHash('hash-2'), next, 'the first successor is untouched')
      }))

      test('a token inserted already rotated is reported as reused', withStore(async (store) => {
        const old = makeToken('hash-1', { rotatedAt: T + MINUTE })
        await store.refreshTokens.insert(old)
        assert.equal(await store.refreshTokens.rotate('hash-1', makeToken('hash-2'), T + HOUR), 'reused')
        assert.equal(await store.refreshTokens.findByHash('hash-2'), null)
        assert.deepEqual(await store.refreshTokens.findByHash('hash-1'), old)
      }))

      test('rotating an unknown hash reports unknown and stores nothing', withStore(async (store) => {
        assert.equal(await store.refreshTokens.rotate('hash-unknown', makeToken('hash-2'), T + HOUR), 'unknown')
        assert.equal(await store.refreshTokens.findByHash('hash-2'), null)
        assert.equal(await store.refreshTokens.findByHash('hash-unknown'), null)
      }))

      test('a successor can itself be rotated, and only the newest token of the chain is unrotated', withStore(async (store) => {
        await store.refreshTokens.insert(makeToken('hash-1'))
        assert.equal(await store.refreshTokens.rotate('hash-1', makeToken('hash-2', { createdAt: T + 1 }), T + 1), 'rotated')
        assert.equal(await store.refreshTokens.rotate('hash-2', makeToken('hash-3', { createdAt: T + 2 }), T + 2), 'rotated')
        assert.equal((await store.refreshTokens.findByHash('hash-1'))!.rotatedAt, T + 1)
        assert.equal((await store.refreshTokens.findByHash('hash-2'))!.rotatedAt, T + 2)
        assert.deepEqual(await store.refreshTokens.findByHash('hash-3'), makeToken('hash-3', { createdAt: T + 2 }))
        assert.equal(await store.refreshTokens.rotate('hash-1', makeToken('hash-4'), T + 3), 'reused')
        assert.equal(await store.refreshTokens.findByHash('hash-4'), null)
      }))

      test('deleteExpired drops the tokens expired at now, rotated or not, and keeps the live ones', withStore(async (store) => {
        const now = T + 2 * HOUR
        const expired = [makeToken('expired-now', { expiresAt: now }), makeToken('expired-rotated', { expiresAt: T + HOUR, rotatedAt: T + MINUTE })]
        const live = [makeToken('live', { expiresAt: now + 1 }), makeToken('live-rotated', { expiresAt: now + HOUR, rotatedAt: T + MINUTE })]
        for (const token of [...expired, ...live]) await store.refreshTokens.insert(token)
        await store.refreshTokens.deleteExpired(now)
        for (const token of expired) assert.equal(await store.refreshTokens.findByHash(token.hash), null, token.hash)
        for (const token of live) assert.deepEqual(await store.refreshTokens.findByHash(token.hash), token)
      }))

      test('twenty concurrent rotations of one token give exactly one rotated, the rest reused, and one successor', withStore(async (store) => {
        const old = makeToken('hash-race')
        await store.refreshTokens.insert(old)
        const successors = Array.from({ length: 20 }, (_, i) => makeToken(`hash-next-${i}`, { createdAt: T + i }))
        const results = await Promise.all(successors.map((next, i) => store.refreshTokens.rotate('hash-race', next, T + 100 + i)))
        assert.equal(results.filter((result) => result === 'rotated').length, 1)
        assert.equal(results.filter((result) => result === 'reused').length, 19)
        const winner = results.indexOf('rotated')
        const stored = await Promise.all(successors.map((next) => store.refreshTokens.findByHash(next.hash)))
        assert.deepEqual(stored.filter((record) => record !== null), [successors[winner]])
        assert.deepEqual(await store.refreshTokens.findByHash('hash-race'), { ...old, rotatedAt: T + 100 + winner })
      }))
    })

    describe('signing keys', () => {
      test('insert returns true for a new kid, then false for the same kid, which keeps the first key', withStore(async (store) => {
        const key = makeKey('kid-1', T)
        assert.equal(await store.signingKeys.insert(key), true)
        const impostor = makeKey('kid-1', T + HOUR, { alg: 'EdDSA', privateKey: 'other', publicKey: 'other' })
        assert.equal(await store.signingKeys.insert(impostor), false)
        assert.deepEqual(await store.signingKeys.list(), [key])
      }))

      test('keys are listed by createdAt, then kid, with every field', withStore(async (store) => {
        const late = makeKey('kid-a', T + 2 * HOUR)
        const earlyB = makeKey('kid-b', T)
        const earlyA = makeKey('kid-a2', T)
        const retired = makeKey('kid-0', T + HOUR, { retiredAt: T + 2 * HOUR, verifyUntil: T + 3 * HOUR })
        for (const key of [late, earlyB, retired, earlyA]) assert.equal(await store.signingKeys.insert(key), true)
        assert.deepEqual(await store.signingKeys.list(), [earlyA, earlyB, retired, late])
      }))

      test('retire sets retiredAt and verifyUntil on that key only', withStore(async (store) => {
        const current = makeKey('kid-1', T)
        const next = makeKey('kid-2', T + HOUR)
        await store.signingKeys.insert(current)
        await store.signingKeys.insert(next)
        await store.signingKeys.retire('kid-1', T + HOUR, T + 2 * HOUR)
        assert.deepEqual(await store.signingKeys.list(), [{ ...current, retiredAt: T + HOUR, verifyUntil: T + 2 * HOUR }, next])
        await store.signingKeys.retire('kid-unknown', T + HOUR, T + 2 * HOUR)
        assert.deepEqual(await store.signingKeys.list(), [{ ...current, retiredAt: T + HOUR, verifyUntil: T + 2 * HOUR }, next])
      }))

      test('deleteExpired drops the retired keys that no longer verify at now and keeps every other', withStore(async (store) => {
        const retiredEarlier = makeKey('kid-gone', T, { retiredAt: T + MINUTE, verifyUntil: T + HOUR })
        const retiredByRetire = makeKey('kid-retire', T + 1)
        const stillVerifying = makeKey('kid-grace', T + 2, { retiredAt: T + MINUTE, verifyUntil: T + 3 * HOUR })
        const signing = makeKey('kid-signing', T + 3)
        for (const key of [retiredEarlier, retiredByRetire, stillVerifying, signing]) await store.signingKeys.insert(key)
        await store.signingKeys.retire('kid-retire', T + MINUTE, T + 2 * HOUR)
        await store.signingKeys.deleteExpired(T + 2 * HOUR)
        assert.deepEqual(await store.signingKeys.list(), [stillVerifying, signing])
        await store.signingKeys.deleteExpired(T + 100 * HOUR)
        assert.deepEqual(await store.signingKeys.list(), [signing], 'a key that was never retired never expires')
      }))
    })

    oauthStoreContract(withStore)
    mailStoreContract(withStore, () => makeUser())
    describe('SAML request ids', () => {
      const request = { id: '_request-1', idp: 'acme', createdAt: T, expiresAt: T + 10 * MINUTE }

      test('a request reads back while live, and only for the IdP it was sent to', withStore(async (store) => {
        await store.samlRequests.insert(request)
        assert.deepEqual(await store.samlRequests.find('_request-1', 'acme', T + MINUTE), request)
        assert.equal(await store.samlRequests.find('_request-1', 'globex', T + MINUTE), null)
        assert.equal(await store.samlRequests.find('_request-1', 'acme', T + 10 * MINUTE), null, 'expired at expiresAt')
        assert.equal(await store.samlRequests.find('_unknown', 'acme', T), null)
      }))

      test('consume is true once, then false; an unknown id, another IdP or an expired request is false and consumes nothing', withStore(async (store) => {
        await store.samlRequests.insert(request)
        assert.equal(await store.samlRequests.consume('_unknown', 'acme', T + MINUTE), false)
        assert.equal(await store.samlRequests.consume('_request-1', 'globex', T + MINUTE), false)
        assert.equal(await store.samlRequests.consume('_request-1', 'acme', T + 10 * MINUTE), false)
        assert.deepEqual(await store.samlRequests.find('_request-1', 'acme', T + MINUTE), request, 'still there after the refusals')
        assert.equal(await store.samlRequests.consume('_request-1', 'acme', T + MINUTE), true)
        assert.equal(await store.samlRequests.find('_request-1', 'acme', T + MINUTE), null)
        assert.equal(await store.samlRequests.consume('_request-1', 'acme', T + MINUTE), false)
      }))

      test('twenty concurrent consumes of one request give exactly one true', withStore(async (store) => {
        await store.samlRequests.insert(request)
        const results = await Promise.all(Array.from({ length: 20 }, () => store.samlRequests.consume('_request-1', 'acme', T + MINUTE)))
        assert.equal(results.filter(Boolean).length, 1)
      }))

      test('deleteExpired drops the requests expired at now and keeps the others', withStore(async (store) => {
        await store.samlRequests.insert(request)
        await store.samlRequests.insert({ ...request, id: '_request-2', expiresAt: T + 20 * MINUTE })
        await store.samlRequests.deleteExpired(T + 10 * MINUTE)
        assert.equal(await store.samlRequests.find('_request-1', 'acme', T), null)
        assert.equal((await store.samlRequests.find('_request-2', 'acme', T))?.id, '_request-2')
      }))
    })

    describe('SAML assertion ids', () => {
      test('markUsed is true for a new id and false for its replay; the same id at another IdP is separate', withStore(async (store) => {
        assert.equal(await store.samlAssertions.markUsed('acme', '_assertion-1', T + HOUR, T), true)
        assert.equal(await store.samlAssertions.markUsed('acme', '_assertion-1', T + 2 * HOUR, T + MINUTE), false)
        assert.equal(await store.samlAssertions.markUsed('globex', '_assertion-1', T + HOUR, T + MINUTE), true)
        assert.equal(await store.samlAssertions.markUsed('acme', '_assertion-2', T + HOUR, T + MINUTE), true)
      }))

      test('a record that has expired no longer counts, and the new use keeps its own expiry', withStore(async (store) => {
        assert.equal(await store.samlAssertions.markUsed('acme', '_assertion-1', T + HOUR, T), true)
        assert.equal(await store.samlAssertions.markUsed('acme', '_assertion-1', T + 3 * HOUR, T + HOUR), true)
        assert.equal(await store.samlAssertions.markUsed('acme', '_assertion-1', T + 4 * HOUR, T + 2 * HOUR), false)
      }))

      test('twenty concurrent uses of one id give exactly one true', withStore(async (store) => {
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.samlAssertions.markUsed('acme', '_race', T + HOUR, T + i)))
        assert.equal(results.filter(Boolean).length, 1)
      }))

      test('deleteExpired keeps the records that are still live', withStore(async (store) => {
        await store.samlAssertions.markUsed('acme', '_old', T + HOUR, T)
        await store.samlAssertions.markUsed('acme', '_live', T + 3 * HOUR, T)
        await store.samlAssertions.deleteExpired(T + 2 * HOUR)
        assert.equal(await store.samlAssertions.markUsed('acme', '_live', T + 4 * HOUR, T + 2 * HOUR), false)
        assert.equal(await store.samlAssertions.markUsed('acme', '_old', T + 4 * HOUR, T + 2 * HOUR), true)
      }))
    })

    describe('second factors', () => {
      const factor = (userId: string, overrides: Partial<TotpFactorRecord> = {}): TotpFactorRecord => ({
        userId,
        sealedSecret: `sealed-${userId}`,
        confirmedAt: null,
        lastStep: 0,
        createdAt: T,
        ...overrides
      })

      test('an unconfirmed factor is replaced by a new enrolment; a confirmed one is not', withStore(async (store) => {
        const user = makeUser()
        await store.users.insert(user)
        assert.equal(await store.mfa.findTotp(user.id), null)
        assert.equal(await store.mfa.saveTotp(factor(user.id)), true)
        assert.equal(await store.mfa.saveTotp(factor(user.id, { sealedSecret: 'second' })), true)
        assert.deepEqual(await store.mfa.findTotp(user.id), factor(user.id, { sealedSecret: 'second' }))
        assert.equal(await store.mfa.confirmTotp(user.id, 100, T + MINUTE), true)
        assert.equal(await store.mfa.confirmTotp(user.id, 200, T + 2 * MINUTE), false, 'confirmed once')
        assert.equal(await store.mfa.saveTotp(factor(user.id, { sealedSecret: 'third' })), false)
        assert.deepEqual(await store.mfa.findTotp(user.id), factor(user.id, { sealedSecret: 'second', confirmedAt: T + MINUTE, lastStep: 100 }))
      }))

      test('a time step is accepted once, only later than the last, only on a confirmed factor', withStore(async (store) => {
        const user = makeUser()
        await store.users.insert(user)
        await store.mfa.saveTotp(factor(user.id))
        assert.equal(await store.mfa.useTotpStep(user.id, 5), false, 'not confirmed yet')
        await store.mfa.confirmTotp(user.id, 10, T)
        assert.equal(await store.mfa.useTotpStep(user.id, 10), false, 'the step of the first code')
        assert.equal(await store.mfa.useTotpStep(user.id, 9), false)
        const results = await Promise.all(Array.from({ length: 20 }, () => store.mfa.useTotpStep(user.id, 11)))
        assert.equal(results.filter(Boolean).length, 1)
        assert.equal((await store.mfa.findTotp(user.id))?.lastStep, 11)
        assert.equal(await store.mfa.useTotpStep('nobody', 12), false)
      }))

      test('recovery codes are replaced as a set and each is used once', withStore(async (store) => {
        const user = makeUser()
        await store.users.insert(user)
        await store.mfa.replaceRecoveryCodes(user.id, ['h1', 'h2', 'h3'])
        await store.mfa.replaceRecoveryCodes(user.id, ['h4', 'h5'])
        assert.equal(await store.mfa.countRecoveryCodes(user.id), 2)
        assert.equal(await store.mfa.useRecoveryCode(user.id, 'h1'), false, 'replaced')
        assert.equal(await store.mfa.useRecoveryCode('someone-else', 'h4'), false)
        const results = await Promise.all(Array.from({ length: 10 }, () => store.mfa.useRecoveryCode(user.id, 'h4')))
        assert.equal(results.filter(Boolean).length, 1)
        assert.equal(await store.mfa.countRecoveryCodes(user.id), 1)
      }))

      test('removing the factor removes the codes; deleting the user removes both', withStore(async (store) => {
        const [kept, deleted] = [makeUser(), makeUser()]
        for (const user of [kept, deleted]) {
          await store.users.insert(user)
          await store.mfa.saveTotp(factor(user.id))
          await store.mfa.confirmTotp(user.id, 1, T)
          await store.mfa.replaceRecoveryCodes(user.id, ['a', 'b'])
        }
        assert.equal(await store.mfa.removeTotp(kept.id), true)
        assert.equal(await store.mfa.removeTotp(kept.id), false)
        assert.equal(await store.mfa.countRecoveryCodes(kept.id), 0)
        await store.users.delete(deleted.id)
        assert.equal(await store.mfa.findTotp(deleted.id), null)
        assert.equal(await store.mfa.countRecoveryCodes(deleted.id), 0)
        const snapshot = await store.exportAll()
        assert.deepEqual([snapshot.totpFactors, snapshot.recoveryCodes], [[], []])
      }))
    })

    describe('passkeys', () => {
      const passkey = (userId: string, credentialId: string, overrides: Partial<PasskeyRecord> = {}): PasskeyRecord => ({
        credentialId,
        userId,
        publicKey: `key-${credentialId}`,
        counter: 0,
        transports: ['internal', 'hybrid'],
        deviceType: 'multiDevice',
        backedUp: true,
        aaguid: '00000000-0000-0000-0000-000000000000',
        name: 'Laptop',
        createdAt: T,
        lastUsedAt: null,
        ...overrides
      })

      test('a credential id is registered once, to one user; rename and delete touch only the owner\'s', withStore(async (store) => {
        const [alice, bob] = [makeUser(), makeUser()]
        for (const user of [alice, bob]) await store.users.insert(user)
        assert.equal(await store.passkeys.add(passkey(alice.id, 'cred-a')), true)
        assert.equal(await store.passkeys.add(passkey(bob.id, 'cred-a')), false)
        await store.passkeys.add(passkey(alice.id, 'cred-b', { createdAt: T + MINUTE, counter: 7, backedUp: false, deviceType: 'singleDevice', transports: [] }))
        assert.deepEqual(await store.passkeys.find('cred-a'), passkey(alice.id, 'cred-a'))
        assert.deepEqual((await store.passkeys.listByUser(alice.id)).map((each) => [each.credentialId, each.counter, each.backedUp, each.transports]), [
          ['cred-a', 0, true, ['internal', 'hybrid']],
          ['cred-b', 7, false, []]
        ])
        assert.deepEqual(await store.passkeys.listByUser(bob.id), [])
        assert.equal(await store.passkeys.rename(bob.id, 'cred-a', 'Stolen'), false)
        assert.equal(await store.passkeys.rename(alice.id, 'cred-a', 'Phone'), true)
        assert.equal((await store.passkeys.find('cred-a'))!.name, 'Phone')
        assert.equal(await store.passkeys.delete(bob.id, 'cred-a'), false)
        assert.equal(await store.passkeys.delete(alice.id, 'cred-a'), true)
        assert.equal(await store.passkeys.find('cred-a'), null)
        assert.deepEqual((await store.exportAll()).passkeys.map((each) => each.credentialId), ['cred-b'])
        await store.users.delete(alice.id)
        assert.equal(await store.passkeys.find('cred-b'), null)
      }))

      test('a use is recorded only when the counter grows, or stays at 0 for authenticators that count nothing; once for parallel uses', withStore(async (store) => {
        const user = makeUser()
        await store.users.insert(user)
        await store.passkeys.add(passkey(user.id, 'synced'))
        await store.passkeys.add(passkey(user.id, 'counting', { counter: 5 }))
        assert.equal(await store.passkeys.recordUse('synced', 0, T + MINUTE), true)
        assert.equal(await store.passkeys.recordUse('synced', 0, T + 2 * MINUTE), true)
        assert.equal((await store.passkeys.find('synced'))!.lastUsedAt, T + 2 * MINUTE)
        assert.equal(await store.passkeys.recordUse('counting', 5, T + MINUTE), false, 'the same counter again: a clone?')
        assert.equal(await store.passkeys.recordUse('counting', 3, T + MINUTE), false)
        assert.equal(await store.passkeys.recordUse('counting', 0, T + MINUTE), false)
        assert.deepEqual(await store.passkeys.find('counting'), passkey(user.id, 'counting', { counter: 5 }))
        const results = await Promise.all(Array.from({ length: 10 }, () => store.passkeys.recordUse('counting', 6, T + 3 * MINUTE)))
        assert.equal(results.filter(Boolean).length, 1)
        assert.deepEqual([(await store.passkeys.find('counting'))!.counter, (await store.passkeys.find('counting'))!.lastUsedAt], [6, T + 3 * MINUTE])
        assert.equal(await store.passkeys.recordUse('unknown', 1, T), false)
      }))

      test('a challenge is taken once, only for its ceremony and while it lives', withStore(async (store) => {
        await store.passkeys.saveChallenge({ challenge: 'c1', ceremony: 'authentication', userId: null, expiresAt: T + MINUTE })
        await store.passkeys.saveChallenge({ challenge: 'c2', ceremony: 'registration', userId: 'u1', expiresAt: T + MINUTE })
        await store.passkeys.saveChallenge({ challenge: 'c3', ceremony: 'second-factor', userId: 'u1', expiresAt: T + MINUTE })
        assert.equal(await store.passkeys.takeChallenge('c1', 'registration', T), null, 'another ceremony')
        assert.equal(await store.passkeys.takeChallenge('c3', 'authentication', T), null, 'another ceremony')
        assert.equal(await store.passkeys.takeChallenge('c2', 'registration', T + MINUTE), null, 'expired')
        const results = await Promise.all(Array.from({ length: 10 }, () => store.passkeys.takeChallenge('c1', 'authentication', T)))
        assert.deepEqual(results.filter((each) => each !== null), [{ challenge: 'c1', ceremony: 'authentication', userId: null, expiresAt: T + MINUTE }])
        assert.deepEqual(await store.passkeys.takeChallenge('c3', 'second-factor', T), { challenge: 'c3', ceremony: 'second-factor', userId: 'u1', expiresAt: T + MINUTE })
        await store.passkeys.saveChallenge({ challenge: 'c4', ceremony: 'registration', userId: 'u2', expiresAt: T + 2 * MINUTE })
        await store.passkeys.deleteExpiredChallenges(T + MINUTE)
        assert.equal(await store.passkeys.takeChallenge('c2', 'registration', T), null, 'swept')
        assert.equal((await store.passkeys.takeChallenge('c4', 'registration', T))?.userId, 'u2', 'still live')
      }))
    })

    describe('identity links', () => {
      const link = (userId: string, provider: string, subject: string, createdAt = T): IdentityLinkRecord => ({ provider, subject, userId, createdAt, lastUsedAt: null })

      test('a (provider, subject) is linked once, to one user; delete touches only the owner\'s links; a deleted user takes theirs', withStore(async (store) => {
        const [alice, bob] = [makeUser(), makeUser()]
        for (const user of [alice, bob]) await store.users.insert(user)
        assert.equal(await store.identityLinks.add(link(alice.id, 'acme', 'sub-1')), true)
        assert.equal(await store.identityLinks.add(link(bob.id, 'acme', 'sub-1')), false, 'the same account at acme is linked already')
        assert.equal(await store.identityLinks.add(link(bob.id, 'other', 'sub-1')), true, 'the same sub at another provider is someone else')
        await store.identityLinks.add(link(alice.id, 'other', 'sub-2', T + MINUTE))
        assert.deepEqual(await store.identityLinks.find('acme', 'sub-1'), link(alice.id, 'acme', 'sub-1'))
        assert.equal(await store.identityLinks.find('acme', 'sub-2'), null)
        assert.deepEqual((await store.identityLinks.listByUser(alice.id)).map((each) => [each.provider, each.subject]), [['acme', 'sub-1'], ['other', 'sub-2']])
        await store.identityLinks.recordUse('acme', 'sub-1', T + 2 * MINUTE)
        assert.equal((await store.identityLinks.find('acme', 'sub-1'))!.lastUsedAt, T + 2 * MINUTE)
        assert.equal(await store.identityLinks.delete(bob.id, 'acme'), false)
        assert.equal(await store.identityLinks.delete(alice.id, 'acme'), true)
        assert.equal(await store.identityLinks.find('acme', 'sub-1'), null)
        assert.deepEqual((await store.exportAll()).identityLinks.map((each) => [each.provider, each.subject]).sort(), [['other', 'sub-1'], ['other', 'sub-2']])
        await store.users.delete(alice.id)
        assert.equal(await store.identityLinks.find('other', 'sub-2'), null)
        assert.deepEqual((await store.identityLinks.find('other', 'sub-1'))?.userId, bob.id)
      }))

      test('sealed tokens are kept for a link, replaced, forgotten with null, and gone with the link; never in the record or the export', withStore(async (store) => {
        const alice = makeUser()
        await store.users.insert(alice)
        await store.identityLinks.add(link(alice.id, 'acme', 'sub-1'))
        assert.equal(await store.identityLinks.keptTokens('acme', 'sub-1'), null)
        await store.identityLinks.keepTokens('acme', 'sub-1', 'sealed-1')
        await store.identityLinks.keepTokens('acme', 'sub-1', 'sealed-2')
        assert.equal(await store.identityLinks.keptTokens('acme', 'sub-1'), 'sealed-2')
        assert.deepEqual(await store.identityLinks.find('acme', 'sub-1'), link(alice.id, 'acme', 'sub-1'), 'not part of the record')
        assert.deepEqual((await store.exportAll()).identityLinks, [link(alice.id, 'acme', 'sub-1')], 'not exported')
        await store.identityLinks.keepTokens('acme', 'nobody', 'sealed-3')
        assert.equal(await store.identityLinks.keptTokens('acme', 'nobody'), null, 'no link, nothing kept')
        await store.identityLinks.keepTokens('acme', 'sub-1', null)
        assert.equal(await store.identityLinks.keptTokens('acme', 'sub-1'), null)
        await store.identityLinks.keepTokens('acme', 'sub-1', 'sealed-4')
        await store.identityLinks.delete(alice.id, 'acme')
        assert.equal(await store.identityLinks.keptTokens('acme', 'sub-1'), null)
      }))

      test('of parallel links of one (provider, subject), exactly one is stored', withStore(async (store) => {
        const users = Array.from({ length: 5 }, () => makeUser())
        for (const user of users) await store.users.insert(user)
        const results = await Promise.all(users.map((user) => store.identityLinks.add(link(user.id, 'acme', 'race'))))
        assert.equal(results.filter(Boolean).length, 1)
        assert.equal((await store.identityLinks.find('acme', 'race'))!.userId, users[results.indexOf(true)]!.id)
      }))
    })
  })
}
