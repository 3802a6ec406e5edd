import assert from 'node:assert/strict'
import { existsSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { after, describe, test } from 'node:test'
import Database from 'better-sqlite3'
import { migrations } from '../../src/store/sqlite/migrations.js'
import { migrate, openSqliteStore } from '../../src/store/sqlite/index.js'
import { tempDir } from '../helpers.js'
import { storeContract } from './store-contract.js'

const { dir, remove } = tempDir()
after(remove)
let files = 0
const freshPath = () => join(dir, `contract-${++files}`, 'moneypenny.db')

storeContract('sqlite', async () => openSqliteStore(freshPath()))

describe('sqlite adapter', () => {
  test('the folder of the file is created and the journal is WAL', async () => {
    const path = freshPath()
    const store = openSqliteStore(path)
    await store.close()
    assert.ok(existsSync(path))
    const db = new Database(path)
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal')
    db.close()
  })

  test('reopening the file keeps users, sessions, refresh tokens and keys', async () => {
    const path = freshPath()
    const first = openSqliteStore(path)
    const user = {
      id: 'u1', username: 'Alice', usernameKey: 'alice', email: 'a@example.com', emailKey: 'a@example.com',
      passwordHash: 'hash', passwordScheme: 'bcrypt-hmac-sha256' as const, scope: ['user'], role: 'user',
      organisation: 'acme', active: true, createdAt: 1, updatedAt: 2
    }
    const session = { id: 's1', userId: 'u1', kind: 'login', createdAt: 1, expiresAt: 9e12, idleExpiresAt: 5e12, revokedAt: null }
    const token = { hash: 'h1', sessionId: 's1', createdAt: 1, expiresAt: 9e12, rotatedAt: null }
    const key = { kid: 'k1', alg: 'ES256', privateKey: 'p', publicKey: 'q', createdAt: 1, retiredAt: null, verifyUntil: null }
    await first.users.insert(user)
    await first.sessions.insert(session)
    await first.refreshTokens.insert(token)
    await first.signingKeys.insert(key)
    await first.close()

    const second = openSqliteStore(path)
    assert.deepEqual(await second.users.findById('u1'), user)
    assert.deepEqual(await second.sessions.findById('s1'), session)
    assert.deepEqual(await second.refreshTokens.findByHash('h1'), token)
    assert.deepEqual(await second.signingKeys.list(), [key])
    await second.close()
  })

  test('migrating twice changes nothing and records each version once', async () => {
    const path = freshPath()
    await openSqliteStore(path).close()
    const db = new Database(path)
    assert.equal(migrate(db), migrations.at(-1)!.version)
    assert.deepEqual(
      (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((row) => row.version),
      migrations.map((migration) => migration.version)
    )
    db.close()
  })

  test('a file written by a newer release is refused, not damaged', async () => {
    const path = freshPath()
    await openSqliteStore(path).close()
    const db = new Database(path)
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(999, 0)
    db.close()
    assert.throws(() => openSqliteStore(path), /schema version 999 is newer/)
  })

  test('a file at schema version 1 with rows opens with its rows intact', async () => {
    const path = freshPath()
    mkdirSync(dirname(path), { recursive: true })
    const db = new Database(path)
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)')
    db.exec(migrations[0]!.sql)
    db.prepare('INSERT INTO schema_migrations VALUES (1, 0)').run()
    db.prepare(`INSERT INTO local_users VALUES ('u1', 'Old', 'old', 'o@example.com', 'o@example.com', '$2b$04$x', 'bcrypt', '["user"]', 'user', NULL, 1, 1, 1)`).run()
    db.close()
    const store = openSqliteStore(path)
    const user = await store.users.findByUsernameKey('old')
    assert.equal(user?.email, 'o@example.com')
    assert.equal(user?.passwordScheme, 'bcrypt')
    await store.close()
  })
})
