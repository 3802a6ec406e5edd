import assert from 'node:assert/strict'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { test } from 'node:test'
import { buildApp } from '../../src/app.js'
import { mails } from '../../src/services/metrics.js'
import { Outbox, retryDelay, type MailWorkerOptions } from '../../src/services/mail/outbox.js'
import { smtpTransport } from '../../src/services/mail/smtp.js'
import { openSqliteStore } from '../../src/store/sqlite/index.js'
import type { Store } from '../../src/store/port.js'
import { ADMIN, postJson, tempDir, testConfig } from '../helpers.js'
import { TestSmtpServer } from './smtp.js'

const MAIL_FROM = 'login@example.com'
const QUICK: Partial<MailWorkerOptions> = { pollIntervalMs: 20, firstRetryDelayMs: 20, maxRetryDelayMs: 100 }
const silent = { info() {}, warn() {} }

/** Waits until `condition` holds, looking again every few milliseconds: for state another worker changes. */
async function until(condition: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await delay(10)
  }
}

async function outcomeCount(outcome: string): Promise<number> {
  return (await mails.get()).values.find((value) => value.labels.outcome === outcome)?.value ?? 0
}

test('the retry delay doubles from the first one, stays under its cap, and spreads by at most a fifth', () => {
  const options = { firstRetryDelayMs: 1000, maxRetryDelayMs: 10_000 }
  assert.deepEqual([1, 2, 3, 4, 5, 9].map((attempts) => retryDelay(attempts, options, () => 0.5)), [1000, 2000, 4000, 8000, 10_000, 10_000])
  assert.equal(retryDelay(1, options, () => 0), 800)
  assert.equal(retryDelay(1, options, () => 1), 1200)
})

test('with the SMTP server down a request still answers, and the mail goes out once the server is back', async (t) => {
  const port = await TestSmtpServer.downPort()
  const { dir, remove } = tempDir()
  const config = testConfig({ SMTP_URL: TestSmtpServer.url(port), MAIL_FROM }, dir)
  const store = openSqliteStore(join(dir, 'moneypenny.db'))
  const app = await buildApp(config, { store, logger: false, mailWorker: QUICK })
  await app.ready()
  let smtp: TestSmtpServer | null = null
  t.after(async () => {
    await app.close()
    await smtp?.stop()
    remove()
  })
  const retriedBefore = await outcomeCount('retried')
  const answer = await postJson(app, '/api/v1/auth/password/forgot', { email: ADMIN.email })
  assert.equal(answer.status, 202)
  await until(async () => (await outcomeCount('retried')) > retriedBefore, 'a failed attempt')
  smtp = await TestSmtpServer.start(port)
  const mail = await smtp.next()
  assert.match(mail.subject ?? '', /Reset your moneypenny password/)
})

test('a message the server keeps refusing is given up after the last attempt, its bodies cleared', async (t) => {
  const { dir, remove } = tempDir()
  const store = openSqliteStore(join(dir, 'moneypenny.db'))
  const refusing = new Outbox(store.outbox, async () => Promise.reject(Object.assign(new Error('550 mailbox unavailable'), { code: 'EENVELOPE' })), silent, {
    ...QUICK,
    leaseMs: 60_000,
    maxAttempts: 3
  } as MailWorkerOptions)
  t.after(async () => {
    await refusing.stop()
    await store.close()
    remove()
  })
  const failedBefore = await outcomeCount('failed')
  refusing.start()
  const id = await refusing.enqueue({ to: 'x@example.com', subject: 'S', text: 'secret link', html: '<p>secret link</p>' })
  await until(async () => (await store.outbox.findById(id))?.status === 'failed', 'the message to be given up')
  const message = await store.outbox.findById(id)
  assert.deepEqual([message?.attempts, message?.text, message?.html, message?.lastError], [3, '', '', 'EENVELOPE: 550 mailbox unavailable'])
  assert.equal((await outcomeCount('failed')) - failedBefore, 1)
})

test('two replicas over one store send each message once', async (t) => {
  const smtp = await TestSmtpServer.start()
  const { dir, remove } = tempDir()
  const path = join(dir, 'moneypenny.db')
  // Two handles on one file, as two processes have: each worker claims through its own.
  const stores: Store[] = [openSqliteStore(path), openSqliteStore(path)]
  const transport = smtpTransport(smtp.url, MAIL_FROM)
  const workers = stores.map((store) => new Outbox(store.outbox, transport.send, silent, { ...QUICK, leaseMs: 60_000, maxAttempts: 5 } as MailWorkerOptions))
  t.after(async () => {
    await Promise.all(workers.map((worker) => worker.stop()))
    transport.close()
    for (const store of stores) await store.close()
    await smtp.stop()
    remove()
  })
  for (const worker of workers) worker.start()
  const count = 30
  const arrivals = Array.from({ length: count }, () => smtp.next())
  for (let i = 0; i < count; i++) await workers[i % 2]!.enqueue({ to: `r${i}@example.com`, subject: `message ${i}`, text: `body ${i}`, html: `<p>body ${i}</p>` })
  await Promise.all(arrivals)
  // Stopping waits for each worker's round: whatever either had claimed is sent or back in the queue.
  await Promise.all(workers.map((worker) => worker.stop()))
  const subjects = smtp.received.map((mail) => mail.subject)
  assert.equal(subjects.length, count)
  assert.equal(new Set(subjects).size, count)
})
