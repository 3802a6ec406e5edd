import { after } from 'node:test'
import { Sessions, type SessionOptions } from '../../src/services/sessions.js'
import type { AccessClaims } from '../../src/services/tokens.js'
import { openSqliteStore } from '../../src/store/sqlite/index.js'
import { tempDir } from '../helpers.js'

/** Sessions on a fresh SQLite file with a clock the test moves; closed after the test. */
export function sessionsOnTempStore(options: SessionOptions) {
  const { dir, remove } = tempDir()
  const store = openSqliteStore(`${dir}/db.sqlite`)
  const clock = { now: 10_000_000_000 }
  const sessions = new Sessions(store, options, () => clock.now)
  after(async () => {
    await sessions.stop()
    await store.close()
    remove()
  })
  return { store, clock, sessions }
}

/** The claims of a sliding access token for `session`, as a replica would verify them. */
export function slidingClaimsOf(session: { id: string; createdAt: number; expiresAt: number }, options: SessionOptions): AccessClaims {
  return {
    iss: 'i', aud: 'a', sub: 'u', username: 'u', organisation: null, scope: '', role: 'user',
    sid: session.id, jti: 'j', iat: Math.floor(session.createdAt / 1000), exp: Math.floor(session.expiresAt / 1000), idle: options.loginIdleTtlMs / 1000
  }
}
