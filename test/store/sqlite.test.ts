import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { after, describe, test } from 'node:test'
import Database from 'better-sqlite3'
import { DuplicateKeyError, type RefreshTokenRecord, type SessionRecord, type SigningKeyRecord, type UserRecord } from '../../src/store/port.js'
import { migrate, openSqliteStore, sqliteRuntimeProblem } from '../../src/store/sqlite/index.js'
import { migrations } from '../../src/store/sqlite/migrations.js'
import { storeContract } from './contract.js'

const dir = mkdtempSync(join(tmpdir(), 'mp-'))
after(() => rmSync(dir, { recursive: true, force: true }))

let files = 0
const freshPath = (name = 'moneypenny') => join(dir, `${name}-${++files}.db`)

storeContract('sqlite', async () => openSqliteStore(freshPath('contract')))

const T = Date.UTC(2025, 0, 1)
const newest = migrations.at(-1)!.version

const alice: UserRecord = {
  id: 'user-alice',
  username: 'Alice',
  usernameKey: 'alice',
  email: 'Alice@Example.com',
  emailKey: 'alice@example.com',
  emailVerified: false,
  passwordHash: '$2b$04$alice',
  passwordScheme: 'bcrypt',
  scope: ['admin', 'user'],
  role: 'admin',
  organisation: 'Acme',
  active: true,
  samlIdentity: null,
  name: null,
  givenName: null,
  familyName: null,
  locale: null,
  zoneinfo: null,
  picture: null,
  createdAt: T,
  updatedAt: T + 1
}
const bob: UserRecord = {
  ...alice,
  id: 'user-bob',
  username: 'bob',
  usernameKey: 'bob',
  email: 'bob@example.com',
  emailKey: 'bob@example.com',
  passwordHash: '$2b$04$bob',
  passwordScheme: 'bcrypt-hmac-sha256',
  scope: [],
  role: 'user',
  organisation: null,
  active: false
}
const liveSession: SessionRecord = {
  id: 'session-live',
  userId: alice.id,
  kind: 'login',
  createdAt: T,
  expiresAt: T + 3_600_000,
  idleExpiresAt: T + 600_000,
  revokedAt: null,
  clientId: null,
  scope: null,
  authTime: null,
  claims: null,
  amr: null,
  idp: null
}
const revokedSession: SessionRecord = {
  id: 'session-revoked',
  userId: bob.id,
  kind: 'token',
  createdAt: T + 1,
  expiresAt: T + 7_200_000,
  idleExpiresAt: null,
  revokedAt: T + 60_000,
  clientId: null,
  scope: null,
  authTime: null,
  claims: null,
  amr: null,
  idp: null
}
const rotatedToken: RefreshTokenRecord = { hash: 'hash-1', sessionId: liveSession.id, createdAt: T, expiresAt: T + 3_600_000, rotatedAt: T + 5 }
const liveToken: RefreshTokenRecord = { hash: 'hash-2', sessionId: liveSession.id, createdAt: T + 5, expiresAt: T + 3_600_000, rotatedAt: null }
const retiredKey: SigningKeyRecord = {
  kid: 'kid-old',
  alg: 'ES256',
  privateKey: '-----BEGIN PRIVATE KEY-----\nold\n-----END PRIVATE KEY-----\n',
  publicKey: '-----BEGIN PUBLIC KEY-----\nold\n-----END PUBLIC KEY-----\n',
  createdAt: T,
  retiredAt: T + 100,
  verifyUntil: T + 200
}
const currentKey: SigningKeyRecord = { ...retiredKey, kid: 'kid-new', createdAt: T + 100, retiredAt: null, verifyUntil: null }

/** Everything the file holds apart from migration timestamps: schema text and migration versions. */
function schemaOf(db: Database.Database) {
  return {
    objects: db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all(),
    migrations: db.prepare('SELECT version, applied_at FROM schema_migrations ORDER BY version').all()
  }
}

/** Paths of the files this process holds open (Linux only; null elsewhere). */
function openFiles(): string[] | null {
  if (!existsSync('/proc/self/fd')) return null
  const paths: string[] = []
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      paths.push(readlinkSync(`/proc/self/fd/${fd}`))
    } catch {
      // closed while listing
    }
  }
  return paths
}

describe('sqlite adapter', () => {
  test('the folder of SQLITE_PATH is created when it is missing', async () => {
    const folder = join(dir, 'missing', 'nested')
    const path = join(folder, 'moneypenny.db')
    assert.equal(existsSync(folder), false)
    const store = openSqliteStore(path)
    try {
      assert.ok(statSync(folder).isDirectory())
      assert.ok(statSync(path).isFile())
      await store.users.insert(alice)
      assert.deepEqual(await store.users.findById(alice.id), alice)
    } finally {
      await store.close()
    }
  })

  test('an existing folder is used as it is', async () => {
    const path = freshPath()
    assert.ok(existsSync(dirname(path)))
    const store = openSqliteStore(path)
    await store.ping()
    await store.close()
    assert.ok(statSync(path).isFile())
  })

  test('the journal mode is WAL', async () => {
    const path = freshPath()
    const store = openSqliteStore(path)
    try {
      await store.users.insert(alice)
      const db = new Database(path, { readonly: true })
      try {
        assert.equal(db.pragma('journal_mode', { simple: true }), 'wal')
      } finally {
        db.close()
      }
      assert.ok(existsSync(`${path}-wal`), 'a write-ahead log file sits next to the database')
    } finally {
      await store.close()
    }
  })

  test('a swept backlog is given back: the pages of expired sessions are cut off the file, live rows stay', async () => {
    const path = freshPath()
    const store = openSqliteStore(path)
    const pages = () => {
      const db = new Database(path, { readonly: true })
      try {
        return { count: db.pragma('page_count', { simple: true }) as number, free: db.pragma('freelist_count', { simple: true }) as number }
      } finally {
        db.close()
      }
    }
    try {
      await store.sessions.insert(liveSession)
      for (let i = 0; i < 5000; i += 1) await store.sessions.insert({ ...liveSession, id: `expired-${i}`.padEnd(200, '.'), expiresAt: T, idleExpiresAt: null })
      const full = pages()
      await store.sessions.deleteExpired(T + 1)
      assert.ok(pages().free > 100, 'deleting leaves free pages inside the file')
      await store.reclaimFreeSpace()
      const reclaimed = pages()
      assert.equal(reclaimed.free, 0)
      assert.ok(reclaimed.count < full.count / 4, `${reclaimed.count} pages left of ${full.count}`)
      assert.equal((await store.sessions.findById(liveSession.id))?.id, liveSession.id)
    } finally {
      await store.close()
    }
  })

  test('a file made before auto_vacuum keeps its free pages for reuse: reclaimFreeSpace changes nothing there', async () => {
    const path = freshPath()
    const old = new Database(path)
    migrate(old)
    old.close()
    const store = openSqliteStore(path)
    try {
      for (let i = 0; i < 2000; i += 1) await store.sessions.insert({ ...liveSession, id: `expired-${i}`.padEnd(200, '.'), expiresAt: T, idleExpiresAt: null })
      await store.sessions.deleteExpired(T + 1)
      await store.reclaimFreeSpace()
      const db = new Database(path, { readonly: true })
      try {
        assert.equal(db.pragma('auto_vacuum', { simple: true }), 0)
        assert.ok((db.pragma('freelist_count', { simple: true }) as number) > 0)
      } finally {
        db.close()
      }
    } finally {
      await store.close()
    }
  })

  test('reopening the same file keeps users, sessions, refresh tokens and signing keys', async () => {
    const path = freshPath()
    const first = openSqliteStore(path)
    await first.users.insert(alice)
    await first.users.insert(bob)
    await first.sessions.insert(liveSession)
    await first.sessions.insert(revokedSession)
    await first.refreshTokens.insert(rotatedToken)
    await first.refreshTokens.insert(liveToken)
    assert.equal(await first.signingKeys.insert(retiredKey), true)
    assert.equal(await first.signingKeys.insert(currentKey), true)
    await first.close()

    const second = openSqliteStore(path)
    try {
      assert.deepEqual(await second.users.list({ offset: 0, limit: 10 }), { items: [alice, bob], total: 2 })
      assert.deepEqual(await second.users.findByUsernameKey('alice'), alice)
      assert.deepEqual(await second.users.findByEmailKey('bob@example.com'), bob)
      assert.deepEqual(await second.sessions.findById(liveSession.id), liveSession)
      assert.deepEqual(await second.sessions.findById(revokedSession.id), revokedSession)
      assert.deepEqual(await second.sessions.listRevoked(0, T), [{ id: revokedSession.id, expiresAt: revokedSession.expiresAt }])
      assert.deepEqual(await second.refreshTokens.findByHash(rotatedToken.hash), rotatedToken)
      assert.deepEqual(await second.refreshTokens.findByHash(liveToken.hash), liveToken)
      assert.deepEqual(await second.signingKeys.list(), [retiredKey, currentKey])
      // The unique keys and rotation state survive too, not only the rows.
      await assert.rejects(second.users.insert({ ...bob, id: 'user-bob-2', emailKey: 'other@example.com' }), DuplicateKeyError)
      assert.equal(await second.refreshTokens.rotate(rotatedToken.hash, { ...liveToken, hash: 'hash-3' }, T + 10), 'reused')
      assert.equal(await second.signingKeys.insert(currentKey), false)
    } finally {
      await second.close()
    }
  })

  test('migrate run twice is idempotent and records each version once in schema_migrations', () => {
    const db = new Database(freshPath())
    try {
      assert.equal(migrate(db), newest)
      const once = schemaOf(db)
      assert.deepEqual(
        (once.migrations as { version: number; applied_at: number }[]).map((row) => row.version),
        migrations.map((migration) => migration.version)
      )
      for (const row of once.migrations as { applied_at: unknown }[]) assert.equal(typeof row.applied_at, 'number')
      for (const table of ['local_users', 'sessions', 'refresh_tokens', 'signing_keys']) {
        assert.ok((once.objects as { name: string }[]).some((object) => object.name === table), `${table} exists`)
      }

      db.prepare("INSERT INTO signing_keys (kid, alg, private_key, public_key, created_at) VALUES ('k', 'ES256', 'p', 'q', 1)").run()
      assert.equal(migrate(db), newest)
      assert.deepEqual(schemaOf(db), once, 'the second run changes neither the schema nor the recorded versions')
      assert.equal((db.prepare('SELECT COUNT(*) AS n FROM signing_keys').get() as { n: number }).n, 1, 'rows are kept')
    } finally {
      db.close()
    }
  })

  test('opening a migrated file again applies no migration', async () => {
    const path = freshPath()
    await openSqliteStore(path).close()
    const before = new Database(path, { readonly: true })
    const recorded = schemaOf(before)
    before.close()
    await openSqliteStore(path).close()
    const later = new Database(path, { readonly: true })
    try {
      assert.deepEqual(schemaOf(later), recorded)
    } finally {
      later.close()
    }
  })

  test('a file whose schema version is newer than this release refuses to open with a clear error and is left as it was', async () => {
    const path = freshPath()
    const store = openSqliteStore(path)
    await store.users.insert(alice)
    await store.close()
    const db = new Database(path)
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(newest + 1, T)
    const recorded = schemaOf(db)
    db.close()

    assert.throws(
      () => openSqliteStore(path),
      (error: unknown) => {
        assert.ok(error instanceof Error)
        assert.equal(error.message, `database schema version ${newest + 1} is newer than this release supports (${newest})`)
        return true
      }
    )
    const fds = openFiles()
    if (fds) assert.ok(!fds.includes(path), 'the refused file is not left open')

    const check = new Database(path, { readonly: true })
    try {
      assert.deepEqual(schemaOf(check), recorded)
      assert.equal((check.prepare('SELECT COUNT(*) AS n FROM local_users').get() as { n: number }).n, 1)
    } finally {
      check.close()
    }
  })

  test('a file created at schema version 1 keeps its rows when opened by this release', async () => {
    const path = freshPath()
    const v1 = migrations.find((migration) => migration.version === 1)
    assert.ok(v1, 'migration 1 exists')
    const db = new Database(path)
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)')
    db.exec(v1.sql)
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (1, ?)').run(T - 1)
    const insertUser = db.prepare(`INSERT INTO local_users
      (id, username, username_key, email, email_key, password_hash, password_scheme, scope, role, organisation, active, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    for (const user of [alice, bob]) {
      insertUser.run(user.id, user.username, user.usernameKey, user.email, user.emailKey, user.passwordHash, user.passwordScheme,
        JSON.stringify(user.scope), user.role, user.organisation, user.active ? 1 : 0, user.createdAt, user.updatedAt)
    }
    const insertSession = db.prepare('INSERT INTO sessions (id, user_id, kind, created_at, expires_at, idle_expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    for (const s of [liveSession, revokedSession]) insertSession.run(s.id, s.userId, s.kind, s.createdAt, s.expiresAt, s.idleExpiresAt, s.revokedAt)
    const insertToken = db.prepare('INSERT INTO refresh_tokens (hash, session_id, created_at, expires_at, rotated_at) VALUES (?, ?, ?, ?, ?)')
    for (const t of [rotatedToken, liveToken]) insertToken.run(t.hash, t.sessionId, t.createdAt, t.expiresAt, t.rotatedAt)
    const insertKey = db.prepare('INSERT INTO signing_keys (kid, alg, private_key, public_key, created_at, retired_at, verify_until) VALUES (?, ?, ?, ?, ?, ?, ?)')
    for (const k of [retiredKey, currentKey]) insertKey.run(k.kid, k.alg, k.privateKey, k.publicKey, k.createdAt, k.retiredAt, k.verifyUntil)
    db.close()

    const store = openSqliteStore(path)
    try {
      assert.deepEqual(await store.users.list({ offset: 0, limit: 10 }), { items: [alice, bob], total: 2 })
      assert.deepEqual(await store.users.findByUsernameKey('bob'), bob)
      assert.deepEqual(await store.sessions.findById(liveSession.id), liveSession)
      assert.deepEqual(await store.sessions.findById(revokedSession.id), revokedSession)
      assert.deepEqual(await store.refreshTokens.findByHash(rotatedToken.hash), rotatedToken)
      assert.deepEqual(await store.refreshTokens.findByHash(liveToken.hash), liveToken)
      assert.deepEqual(await store.signingKeys.list(), [retiredKey, currentKey])
      assert.equal(await store.users.countActiveWithScope('admin'), 1)
      await assert.rejects(store.users.insert({ ...bob, id: 'user-bob-2', usernameKey: 'bob-2' }), DuplicateKeyError)
    } finally {
      await store.close()
    }
    const check = new Database(path, { readonly: true })
    try {
      const versions = check.prepare('SELECT version, applied_at FROM schema_migrations ORDER BY version').all() as { version: number; applied_at: number }[]
      assert.deepEqual(versions.map((row) => row.version), migrations.map((migration) => migration.version))
      assert.equal(versions[0]!.applied_at, T - 1, 'version 1 is not applied again')
    } finally {
      check.close()
    }
  })
})

test('Node 24.19 and later 24.x are refused with a reason: better-sqlite3 12 aborts there when statements are collected', () => {
  for (const version of ['v24.19.0', 'v24.21.0', '24.30.1']) assert.match(sqliteRuntimeProblem(version) ?? '', /Node .* aborts .* Node 20, 22 or 26/)
  for (const version of ['v20.20.2', 'v22.23.2', 'v24.18.9', 'v26.10.0']) assert.equal(sqliteRuntimeProblem(version), null)
})
