import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { describe, test } from 'node:test'
import { DuplicateKeyError, type SessionRecord, type Store, type UserRecord } from '../../src/store/port.js'

/**
 * The storage port's contract. Every adapter runs this suite unchanged; it relies only
 * on the interfaces in src/store/port.ts.
 */
export function storeContract(adapterName: string, open: () => Promise<Store>): void {
  async function withStore(run: (store: Store) => Promise<void>): Promise<void> {
    const store = await open()
    try {
      await run(store)
    } finally {
      await store.close()
    }
  }

  let sequence = 0
  function user(overrides: Partial<UserRecord> = {}): UserRecord {
    sequence += 1
    const name = `user${sequence}-${randomUUID().slice(0, 8)}`
    return {
      id: randomUUID(),
      username: name,
      usernameKey: name.toLowerCase(),
      email: `${name}@example.com`,
      emailKey: `${name}@example.com`.toLowerCase(),
      passwordHash: '$2b$04$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234',
      passwordScheme: 'bcrypt-hmac-sha256',
      scope: ['user'],
      role: 'user',
      organisation: null,
      active: true,
      createdAt: 1_000_000 + sequence,
      updatedAt: 1_000_000 + sequence,
      ...overrides
    }
  }

  function session(overrides: Partial<SessionRecord> = {}): SessionRecord {
    return {
      id: randomUUID(),
      userId: 'u1',
      kind: 'token',
      createdAt: 1_000,
      expiresAt: 10_000,
      idleExpiresAt: null,
      revokedAt: null,
      ...overrides
    }
  }

  describe(`store contract: ${adapterName}`, () => {
    describe('users', () => {
      test('a stored user reads back with every field, by id, username key and email key', () =>
        withStore(async (store) => {
          const alice = user({ scope: ['admin', 'user'], organisation: 'acme', active: false, passwordScheme: 'bcrypt' })
          await store.users.insert(alice)
          assert.deepEqual(await store.users.findById(alice.id), alice)
          assert.deepEqual(await store.users.findByUsernameKey(alice.usernameKey), alice)
          assert.deepEqual(await store.users.findByEmailKey(alice.emailKey), alice)
          assert.equal(await store.users.findById('nobody'), null)
          assert.equal(await store.users.findByUsernameKey('nobody'), null)
          assert.equal(await store.users.findByEmailKey('nobody@example.com'), null)
        }))

      test('a taken username key or email key is refused with the field named, and nothing changes', () =>
        withStore(async (store) => {
          const alice = user()
          await store.users.insert(alice)
          await assert.rejects(
            store.users.insert(user({ usernameKey: alice.usernameKey })),
            (error: unknown) => error instanceof DuplicateKeyError && error.field === 'username'
          )
          await assert.rejects(
            store.users.insert(user({ emailKey: alice.emailKey })),
            (error: unknown) => error instanceof DuplicateKeyError && error.field === 'email'
          )
          const bob = user()
          await store.users.insert(bob)
          await assert.rejects(
            store.users.update(bob.id, { emailKey: alice.emailKey, email: alice.email, updatedAt: 5 }),
            (error: unknown) => error instanceof DuplicateKeyError && error.field === 'email'
          )
          await assert.rejects(
            store.users.update(bob.id, { usernameKey: alice.usernameKey, updatedAt: 5 }),
            (error: unknown) => error instanceof DuplicateKeyError && error.field === 'username'
          )
          assert.deepEqual(await store.users.findById(bob.id), bob)
          assert.equal((await store.users.list({ offset: 0, limit: 100 })).total, 2)
        }))

      test('an update changes only the given fields and returns the new record', () =>
        withStore(async (store) => {
          const alice = user()
          await store.users.insert(alice)
          const updated = await store.users.update(alice.id, { scope: ['admin'], active: false, organisation: 'acme', updatedAt: 99 })
          const expected = { ...alice, scope: ['admin'], active: false, organisation: 'acme', updatedAt: 99 }
          assert.deepEqual(updated, expected)
          assert.deepEqual(await store.users.findById(alice.id), expected)
          assert.deepEqual(await store.users.update(alice.id, { organisation: null, updatedAt: 100 }), { ...expected, organisation: null, updatedAt: 100 })
        }))

      test('updating an unknown user returns null and stores nothing', () =>
        withStore(async (store) => {
          assert.equal(await store.users.update('nobody', { role: 'admin', updatedAt: 1 }), null)
          assert.equal((await store.users.list({ offset: 0, limit: 10 })).total, 0)
        }))

      test('delete removes a user once', () =>
        withStore(async (store) => {
          const alice = user()
          await store.users.insert(alice)
          assert.equal(await store.users.delete(alice.id), true)
          assert.equal(await store.users.delete(alice.id), false)
          assert.equal(await store.users.findById(alice.id), null)
          // The keys are free again.
          await store.users.insert(user({ usernameKey: alice.usernameKey, emailKey: alice.emailKey }))
        }))

      test('list pages in creation order with a total, and searches username and email without regard to case', () =>
        withStore(async (store) => {
          const users = [
            user({ username: 'Zed', usernameKey: 'zed', email: 'z@Example.com', emailKey: 'z@example.com', createdAt: 3 }),
            user({ username: 'amy', usernameKey: 'amy', email: 'amy@other.org', emailKey: 'amy@other.org', createdAt: 1 }),
            user({ username: 'Bo_b', usernameKey: 'bo_b', email: 'b@example.com', emailKey: 'b@example.com', createdAt: 2 }),
            user({ username: 'b%x', usernameKey: 'b%x', email: 'pct@x.org', emailKey: 'pct@x.org', createdAt: 4 })
          ]
          for (const item of users) await store.users.insert(item)
          const all = await store.users.list({ offset: 0, limit: 10 })
          assert.deepEqual(all.items.map((item) => item.username), ['amy', 'Bo_b', 'Zed', 'b%x'])
          assert.equal(all.total, 4)
          const page = await store.users.list({ offset: 1, limit: 2 })
          assert.deepEqual(page.items.map((item) => item.username), ['Bo_b', 'Zed'])
          assert.equal(page.total, 4)
          const byDomain = await store.users.list({ offset: 0, limit: 10, search: 'EXAMPLE' })
          assert.deepEqual(byDomain.items.map((item) => item.username), ['Bo_b', 'Zed'])
          assert.equal(byDomain.total, 2)
          assert.deepEqual((await store.users.list({ offset: 0, limit: 10, search: '_' })).items.map((item) => item.username), ['Bo_b'])
          assert.deepEqual((await store.users.list({ offset: 0, limit: 10, search: '%' })).items.map((item) => item.username), ['b%x'])
          assert.equal((await store.users.list({ offset: 0, limit: 10, search: 'nothing' })).total, 0)
        }))
      test('counts active users holding a scope', () =>
        withStore(async (store) => {
          await store.users.insert(user({ scope: ['admin', 'user'] }))
          await store.users.insert(user({ scope: ['admin'], active: false }))
          await store.users.insert(user({ scope: ['user'] }))
          await store.users.insert(user({ scope: ['administrator'] }))
          assert.equal(await store.users.countActiveWithScope('admin'), 1)
          assert.equal(await store.users.countActiveWithScope('user'), 2)
          assert.equal(await store.users.countActiveWithScope('reports'), 0)
        }))
    })

    describe('sessions', () => {
      test('a stored session reads back with every field', () =>
        withStore(async (store) => {
          const record = session({ kind: 'login', idleExpiresAt: 2_000 })
          await store.sessions.insert(record)
          assert.deepEqual(await store.sessions.findById(record.id), record)
          assert.equal(await store.sessions.findById('nothing'), null)
        }))

      test('the idle expiry only moves forward, never past the absolute end, and not on a revoked session', () =>
        withStore(async (store) => {
          const record = session({ idleExpiresAt: 2_000, expiresAt: 10_000 })
          await store.sessions.insert(record)
          await store.sessions.extendIdle(record.id, 3_000)
          assert.equal((await store.sessions.findById(record.id))!.idleExpiresAt, 3_000)
          await store.sessions.extendIdle(record.id, 2_500)
          assert.equal((await store.sessions.findById(record.id))!.idleExpiresAt, 3_000)
          await store.sessions.extendIdle(record.id, 50_000)
          assert.equal((await store.sessions.findById(record.id))!.idleExpiresAt, 10_000)
          const revoked = session({ idleExpiresAt: 2_000, revokedAt: 1_500 })
          await store.sessions.insert(revoked)
          await store.sessions.extendIdle(revoked.id, 3_000)
          assert.equal((await store.sessions.findById(revoked.id))!.idleExpiresAt, 2_000)
        }))

      test('a session is revoked once', () =>
        withStore(async (store) => {
          const record = session()
          await store.sessions.insert(record)
          assert.equal(await store.sessions.revoke(record.id, 5_000), true)
          assert.equal(await store.sessions.revoke(record.id, 6_000), false)
          assert.equal((await store.sessions.findById(record.id))!.revokedAt, 5_000)
          assert.equal(await store.sessions.revoke('nothing', 6_000), false)
        }))

      test('revoking a user revokes only their live sessions and names them', () =>
        withStore(async (store) => {
          const live = session({ userId: 'alice', expiresAt: 10_000 })
          const expired = session({ userId: 'alice', expiresAt: 4_000 })
          const alreadyRevoked = session({ userId: 'alice', revokedAt: 3_000 })
          const other = session({ userId: 'bob' })
          for (const record of [live, expired, alreadyRevoked, other]) await store.sessions.insert(record)
          assert.deepEqual(await store.sessions.revokeByUser('alice', 5_000), [{ id: live.id, expiresAt: 10_000 }])
          assert.equal((await store.sessions.findById(live.id))!.revokedAt, 5_000)
          assert.equal((await store.sessions.findById(expired.id))!.revokedAt, null)
          assert.equal((await store.sessions.findById(alreadyRevoked.id))!.revokedAt, 3_000)
          assert.equal((await store.sessions.findById(other.id))!.revokedAt, null)
        }))

      test('listRevoked returns sessions revoked since a time that have not yet expired', () =>
        withStore(async (store) => {
          const early = session({ revokedAt: 1_000, expiresAt: 10_000 })
          const late = session({ revokedAt: 3_000, expiresAt: 10_000 })
          const gone = session({ revokedAt: 3_000, expiresAt: 4_000 })
          const live = session()
          for (const record of [early, late, gone, live]) await store.sessions.insert(record)
          const ids = (list: { id: string }[]) => list.map((item) => item.id).sort()
          assert.deepEqual(ids(await store.sessions.listRevoked(0, 5_000)), [early.id, late.id].sort())
          assert.deepEqual(await store.sessions.listRevoked(2_000, 5_000), [{ id: late.id, expiresAt: 10_000 }])
          assert.deepEqual(await store.sessions.listRevoked(0, 20_000), [])
        }))

      test('listByUser returns a user\'s sessions in creation order', () =>
        withStore(async (store) => {
          const second = session({ userId: 'alice', createdAt: 2 })
          const first = session({ userId: 'alice', createdAt: 1 })
          await store.sessions.insert(second)
          await store.sessions.insert(first)
          await store.sessions.insert(session({ userId: 'bob' }))
          assert.deepEqual(await store.sessions.listByUser('alice'), [first, second])
        }))
    })

    describe('refresh tokens', () => {
      const token = (hash: string, sessionId = 's1') => ({ hash, sessionId, createdAt: 1, expiresAt: 10_000, rotatedAt: null })

      test('a stored refresh token reads back by its hash', () =>
        withStore(async (store) => {
          await store.refreshTokens.insert(token('h1'))
          assert.deepEqual(await store.refreshTokens.findByHash('h1'), token('h1'))
          assert.equal(await store.refreshTokens.findByHash('h2'), null)
        }))

      test('a refresh token rotates once; rotated again it is reported as reused and gets no second successor', () =>
        withStore(async (store) => {
          await store.refreshTokens.insert(token('h1'))
          assert.equal(await store.refreshTokens.rotate('h1', token('h2'), 50), 'rotated')
          assert.equal((await store.refreshTokens.findByHash('h1'))!.rotatedAt, 50)
          assert.deepEqual(await store.refreshTokens.findByHash('h2'), token('h2'))
          assert.equal(await store.refreshTokens.rotate('h1', token('h3'), 60), 'reused')
          assert.equal(await store.refreshTokens.findByHash('h3'), null)
          assert.equal((await store.refreshTokens.findByHash('h1'))!.rotatedAt, 50)
          assert.equal(await store.refreshTokens.rotate('unknown', token('h4'), 60), 'unknown')
          assert.equal(await store.refreshTokens.findByHash('h4'), null)
        }))

      test('twenty parallel rotations of one token give exactly one success', () =>
        withStore(async (store) => {
          await store.refreshTokens.insert(token('h1'))
          const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.refreshTokens.rotate('h1', token(`next${i}`), 50)))
          assert.equal(results.filter((result) => result === 'rotated').length, 1)
          assert.equal(results.filter((result) => result === 'reused').length, 19)
          const successors = await Promise.all(Array.from({ length: 20 }, (_, i) => store.refreshTokens.findByHash(`next${i}`)))
          assert.equal(successors.filter(Boolean).length, 1)
        }))
    })

    describe('signing keys', () => {
      const key = (kid: string, createdAt: number) => ({
        kid,
        alg: 'ES256',
        privateKey: `private ${kid}`,
        publicKey: `public ${kid}`,
        createdAt,
        retiredAt: null,
        verifyUntil: null
      })

      test('a key is stored once per kid and listed oldest first', () =>
        withStore(async (store) => {
          assert.equal(await store.signingKeys.insert(key('b', 2)), true)
          assert.equal(await store.signingKeys.insert(key('a', 1)), true)
          assert.equal(await store.signingKeys.insert({ ...key('a', 5), privateKey: 'other' }), false)
          assert.deepEqual(await store.signingKeys.list(), [key('a', 1), key('b', 2)])
        }))

      test('retiring a key records when and until when it verifies', () =>
        withStore(async (store) => {
          await store.signingKeys.insert(key('a', 1))
          await store.signingKeys.retire('a', 10, 20)
          assert.deepEqual(await store.signingKeys.list(), [{ ...key('a', 1), retiredAt: 10, verifyUntil: 20 }])
        }))
    })

    test('ping answers while the store is open', () => withStore((store) => store.ping()))
  })
}
