import { randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import { openMongoStore } from '../../src/store/mongo/index.js'
import { storeContract } from './contract.js'

const uri = process.env.MONGODB_URI

/** The same contract as SQLite, on a fresh database per test, dropped afterwards. */
if (uri) {
  storeContract('mongodb', async () => {
    const url = new URL(uri)
    url.pathname = `/moneypenny_contract_${randomBytes(6).toString('hex')}`
    const store = await openMongoStore(url.href)
    const close = store.close
    return {
      ...store,
      close: async () => {
        await store.db.dropDatabase()
        await close()
      }
    }
  })
} else {
  describe('store contract: mongodb', () => {
    test('MongoDB store contract', { skip: 'SKIPPED: MONGODB_URI is not set, so the MongoDB contract did not run (no MongoDB server on this machine; .github/workflows/ci.yml runs it against mongo:7)' }, () => {})
  })
}
