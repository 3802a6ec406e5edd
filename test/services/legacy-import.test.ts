import assert from 'node:assert/strict'
import { test } from 'node:test'
import bcrypt from 'bcrypt'
import { importLegacy } from '../../src/services/legacy-import.js'
import { buildTestApp } from '../helpers.js'

test('old moneypenny-mongo-storage users and clients are imported by the API rules; the rest is reported', async () => {
  const t = await buildTestApp()
  try {
    const hash = await bcrypt.hash('legacy-password-1', 4)
    const report = await importLegacy(
      {
        users: [
          { _id: 'a1', username: 'oldtimer', hash, email: 'old@example.com', scope: ['user', 'superpower'] },
          { _id: 'a2', username: 'nohash' },
          { _id: 'a3', username: 'bad hash', hash: 'plaintext' },
          { _id: 'a4', username: 'OldTimer', hash }
        ],
        clients: [
          { _id: 'c1', id: 'legacy-client', redirectUri: 'https://app.example.com/cb', secret: '$2b$10$whatever' },
          { _id: 'c2', id: 'insecure', redirectUri: 'http://app.example.com/cb' },
          { _id: 'c3' }
        ],
        codeCount: 3
      },
      t.app.accounts,
      t.app.oauth2.clients,
      t.config.allowedScopes
    )
    assert.equal(report.usersImported, 1)
    assert.deepEqual(report.skipped.map((s) => s.id), ['a2', 'a3', 'a4', 'insecure', 'c3'])
    assert.equal(report.codesSkipped, 3)
    assert.equal(report.clientsImported.length, 1)
    assert.equal(report.clientsImported[0]!.client_id, 'legacy-client')
    assert.ok(report.clientsImported[0]!.client_secret)

    const user = await t.app.accounts.authenticate('oldtimer', 'legacy-password-1')
    assert.deepEqual(user.scope, ['user'])
    assert.ok(await t.app.oauth2.clients.find('legacy-client'))
  } finally {
    await t.close()
  }
})
