import { after } from 'node:test'
import type { TokenOptions } from '../../src/services/tokens.js'
import { openSqliteStore } from '../../src/store/sqlite/index.js'
import { tempDir } from '../helpers.js'

/** Asymmetric keys (RS256) in the store, a key's lifetimes short enough for the tests to move past. */
export const options: TokenOptions = {
  issuer: 'http://localhost:8080',
  audience: 'moneypenny',
  secret: null,
  algorithm: 'RS256',
  longestTokenLifetimeMs: 60_000,
  keyPropagationMs: 10_000
}

export const subject = { id: 'u1', username: 'alice', organisation: 'acme', scope: ['user', 'admin'], role: 'user' }

/** A fresh SQLite store, closed and removed after the test. */
export function openStore() {
  const { dir, remove } = tempDir()
  const store = openSqliteStore(`${dir}/db.sqlite`)
  after(async () => {
    await store.close()
    remove()
  })
  return store
}
