import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { copyStore } from '../../src/store/copy.js'
import { openSqliteStore } from '../../src/store/sqlite/index.js'
import { adminToken, buildTestApp, postJson, registerUser, signIn, tempDir } from '../helpers.js'

test('copyStore moves every record to an empty store and refuses a non-empty one', async () => {
  const source = await buildTestApp()
  const target = tempDir()
  try {
    const user = await registerUser(source.app)
    await signIn(source.app, user.username, user.password)
    const admin = await adminToken(source.app)
    const client = await postJson(source.app, '/api/v1/clients', { grant_types: ['client_credentials'], scope: 'jobs' }, { authorization: `Bearer ${admin}` })
    assert.equal(client.status, 201)
    await source.store.consents.save({ userId: user.id, clientId: client.body.client_id, scope: ['openid'], grantedAt: Date.now() })
    await source.store.settings.getOrInsert('example', 'value')
    await source.store.mfa.saveTotp({ userId: user.id, sealedSecret: 'sealed', confirmedAt: null, lastStep: 0, createdAt: Date.now() })
    await source.store.mfa.confirmTotp(user.id, 7, Date.now())
    await source.store.mfa.replaceRecoveryCodes(user.id, ['code-hash-1', 'code-hash-2'])

    const copy = openSqliteStore(join(target.dir, 'copy.db'))
    try {
      const counts = await copyStore(source.store, copy)
      assert.equal(counts.users, 2)
      assert.ok(counts.sessions >= 2 && counts.signingKeys === 1 && counts.oauthClients === 1 && counts.consents === 1)
      assert.deepEqual([counts.totpFactors, counts.recoveryCodes], [1, 2])
      assert.deepEqual(await copy.exportAll(), await source.store.exportAll())
      await assert.rejects(copyStore(source.store, copy), /not empty/)
    } finally {
      await copy.close()
    }
  } finally {
    await source.close()
    target.remove()
  }
})
