import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { OutboxMessage, MailLinkRecord, Store, UserRecord } from '../../src/store/port.js'

type WithStore = (run: (store: Store) => Promise<void>) => () => Promise<void>

const T = Date.UTC(2025, 0, 1)
const MINUTE = 60_000

function message(id: string, overrides: Partial<OutboxMessage> = {}): OutboxMessage {
  return {
    id,
    to: `${id}@example.com`,
    subject: `Subject ${id}`,
    text: `Text ${id}`,
    html: `<p>HTML ${id}</p>`,
    status: 'queued',
    attempts: 0,
    nextAttemptAt: T,
    claimedBy: null,
    leaseUntil: null,
    lastError: null,
    createdAt: T,
    finishedAt: null,
    ...overrides
  }
}

function reset(hash: string, userId: string, overrides: Partial<MailLinkRecord> = {}): MailLinkRecord {
  return { hash, purpose: 'password_reset', userId, emailKey: 'ada@example.com', newEmail: null, passwordStamp: 'stamp-1', createdAt: T, expiresAt: T + 60 * MINUTE, usedAt: null, ...overrides }
}

/** The mail outbox and password reset links of the storage port's contract; run inside storeContract. */
export function mailStoreContract(withStore: WithStore, newUser: () => UserRecord): void {
  describe('mail outbox', () => {
    test('a claim leases due messages, oldest first, to one worker; others get none until the lease ends', withStore(async (store) => {
      await store.outbox.enqueue(message('m2', { nextAttemptAt: T + 2 }))
      await store.outbox.enqueue(message('m1', { nextAttemptAt: T + 1 }))
      await store.outbox.enqueue(message('later', { nextAttemptAt: T + 10 * MINUTE }))
      const claimed = await store.outbox.claim('worker-a', T + 5, T + MINUTE, 10)
      assert.deepEqual(claimed.map((each) => each.id), ['m1', 'm2'])
      assert.deepEqual(claimed[0], { ...message('m1', { nextAttemptAt: T + 1 }), claimedBy: 'worker-a', leaseUntil: T + MINUTE })
      assert.deepEqual(await store.outbox.claim('worker-b', T + 10, T + MINUTE, 10), [], 'leased to worker-a')
      const afterLease = await store.outbox.claim('worker-b', T + MINUTE, T + 2 * MINUTE, 1)
      assert.deepEqual(afterLease.map((each) => each.id), ['m1'], 'an ended lease frees the message; the limit holds')
      assert.equal(await store.outbox.markSent('m1', 'worker-a', T + MINUTE), false, 'worker-a lost its lease')
    }))

    test('parallel claims never lease one message twice', withStore(async (store) => {
      for (let i = 0; i < 20; i++) await store.outbox.enqueue(message(`m${String(i).padStart(2, '0')}`))
      const batches = await Promise.all(Array.from({ length: 8 }, (_, i) => store.outbox.claim(`worker-${i}`, T, T + MINUTE, 3)))
      const ids = batches.flat().map((each) => each.id)
      assert.equal(ids.length, 20)
      assert.equal(new Set(ids).size, 20)
    }))

    test('sent clears the bodies and ends the lease; a failure retries later or gives up', withStore(async (store) => {
      for (const id of ['sent', 'retried', 'failed']) await store.outbox.enqueue(message(id))
      await store.outbox.claim('w', T, T + MINUTE, 10)
      assert.equal(await store.outbox.markSent('sent', 'w', T + 1), true)
      assert.equal(await store.outbox.markSent('sent', 'w', T + 2), false, 'only once')
      assert.deepEqual(await store.outbox.findById('sent'), { ...message('sent'), status: 'sent', attempts: 1, finishedAt: T + 1, text: '', html: '' })
      assert.equal(await store.outbox.markFailed('retried', 'w', T + 1, 'ECONNREFUSED', T + 5 * MINUTE), true)
      assert.deepEqual(await store.outbox.findById('retried'), { ...message('retried'), attempts: 1, nextAttemptAt: T + 5 * MINUTE, lastError: 'ECONNREFUSED' })
      assert.deepEqual((await store.outbox.claim('w', T + MINUTE, T + 2 * MINUTE, 10)).map((each) => each.id), ['failed'], 'retried is not due before its retry time; the lease on failed has ended')
      assert.equal(await store.outbox.markFailed('failed', 'w', T + 1, '550 no such user', null), true)
      assert.deepEqual(await store.outbox.findById('failed'), { ...message('failed'), status: 'failed', attempts: 1, finishedAt: T + 1, lastError: '550 no such user', text: '', html: '' })
      assert.deepEqual((await store.exportAll()).outbox.map((each) => each.id), ['retried'], 'only queued mail is exported')
      await store.outbox.deleteFinished(T + 1)
      assert.equal(await store.outbox.findById('sent'), null)
      assert.equal(await store.outbox.findById('failed'), null)
      assert.notEqual(await store.outbox.findById('retried'), null)
    }))
  })

  describe('verified addresses', () => {
    test('emailVerified reads back and changes with an update', withStore(async (store) => {
      const ada = { ...newUser(), emailVerified: true }
      await store.users.insert(ada)
      assert.equal((await store.users.findById(ada.id))?.emailVerified, true)
      assert.equal((await store.users.update(ada.id, { emailVerified: false, updatedAt: T + 1 }))?.emailVerified, false)
      assert.equal((await store.users.findByEmailKey(ada.emailKey))?.emailVerified, false)
    }))
  })

  describe('mailed links', () => {
    test('a new link replaces the user\'s older ones; find sees live, unused links only', withStore(async (store) => {
      const [ada, bob] = [newUser(), newUser()]
      await store.users.insert(ada)
      await store.users.insert(bob)
      await store.mailLinks.issue(reset('old', ada.id))
      await store.mailLinks.issue(reset('bob', bob.id))
      await store.mailLinks.issue(reset('new', ada.id, { createdAt: T + 1 }))
      assert.equal(await store.mailLinks.find('old', 'password_reset', T + 2), null, 'superseded')
      assert.deepEqual(await store.mailLinks.find('new', 'password_reset', T + 2), reset('new', ada.id, { createdAt: T + 1 }))
      assert.notEqual(await store.mailLinks.find('bob', 'password_reset', T + 2), null, 'another user\'s link stays')
      assert.equal(await store.mailLinks.find('new', 'password_reset', T + 60 * MINUTE), null, 'expired')
    }))

    test('links of different purposes live side by side and answer only for their own', withStore(async (store) => {
      const ada = newUser()
      await store.users.insert(ada)
      const verify = reset('verify', ada.id, { purpose: 'verify_email', passwordStamp: null })
      await store.mailLinks.issue(reset('reset', ada.id))
      await store.mailLinks.issue(verify)
      assert.notEqual(await store.mailLinks.find('reset', 'password_reset', T + 1), null, 'not superseded by a link of another purpose')
      assert.equal(await store.mailLinks.find('verify', 'password_reset', T + 1), null)
      assert.equal(await store.mailLinks.consume('verify', 'password_reset', T + 1), null)
      assert.deepEqual(await store.mailLinks.consume('verify', 'verify_email', T + 1), { ...verify, usedAt: T + 1 })
    }))

    test('consume succeeds once, even in parallel, and never for an expired link', withStore(async (store) => {
      const ada = newUser()
      await store.users.insert(ada)
      await store.mailLinks.issue(reset('link', ada.id))
      const results = await Promise.all(Array.from({ length: 10 }, () => store.mailLinks.consume('link', 'password_reset', T + 5)))
      const winners = results.filter((each) => each !== null)
      assert.equal(winners.length, 1)
      assert.deepEqual(winners[0], reset('link', ada.id, { usedAt: T + 5 }))
      assert.equal(await store.mailLinks.find('link', 'password_reset', T + 6), null, 'used')
      await store.mailLinks.issue(reset('late', ada.id, { createdAt: T + 7 }))
      assert.equal(await store.mailLinks.consume('late', 'password_reset', T + 60 * MINUTE), null)
      assert.equal(await store.mailLinks.consume('unknown', 'password_reset', T), null)
      await store.mailLinks.deleteExpired(T + 60 * MINUTE)
      await store.mailLinks.issue(reset('fresh', ada.id, { createdAt: T + 8, expiresAt: T + 120 * MINUTE }))
      assert.notEqual(await store.mailLinks.find('fresh', 'password_reset', T + 60 * MINUTE), null)
    }))

    test('a pending address change: the newest live link with its address, until used, expired or withdrawn', withStore(async (store) => {
      const ada = newUser()
      const bob = newUser()
      await store.users.insert(ada)
      await store.users.insert(bob)
      const change = (hash: string, newEmail: string, createdAt: number) => reset(hash, ada.id, { purpose: 'change_email', newEmail, createdAt, expiresAt: createdAt + 60 * MINUTE })
      assert.equal(await store.mailLinks.pending(ada.id, 'change_email', T), null)
      await store.mailLinks.issue(change('first', 'ada@new.example', T))
      await store.mailLinks.issue(change('second', 'ada@newer.example', T + 1))
      await store.mailLinks.issue(reset('reset', ada.id))
      assert.deepEqual(await store.mailLinks.pending(ada.id, 'change_email', T + 2), change('second', 'ada@newer.example', T + 1), 'only the newest')
      assert.equal(await store.mailLinks.pending(bob.id, 'change_email', T + 2), null, 'another user has none')
      assert.equal(await store.mailLinks.pending(ada.id, 'change_email', T + 61 * MINUTE), null, 'expired')
      assert.deepEqual(await store.mailLinks.consume('second', 'change_email', T + 3), { ...change('second', 'ada@newer.example', T + 1), usedAt: T + 3 })
      assert.equal(await store.mailLinks.pending(ada.id, 'change_email', T + 4), null, 'used')

      await store.mailLinks.issue(change('third', 'ada@third.example', T + 5))
      assert.equal(await store.mailLinks.withdraw(ada.id, 'change_email'), true)
      assert.equal(await store.mailLinks.withdraw(ada.id, 'change_email'), false, 'nothing left to withdraw')
      assert.equal(await store.mailLinks.pending(ada.id, 'change_email', T + 6), null)
      assert.equal(await store.mailLinks.consume('third', 'change_email', T + 6), null, 'a withdrawn link is void')
      assert.notEqual(await store.mailLinks.find('reset', 'password_reset', T + 6), null, 'links of other purposes stay')
    }))
  })
}
