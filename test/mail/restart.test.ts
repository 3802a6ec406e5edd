import assert from 'node:assert/strict'
import { once } from 'node:events'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { test } from 'node:test'
import { openSqliteStore } from '../../src/store/sqlite/index.js'
import { children, start } from '../e2e/server-process.js'
import { tempDir } from '../helpers.js'
import { TestSmtpServer } from './smtp.js'

test('kill -9 with mail queued: after a restart the mail is sent, once', async (t) => {
  const { dir, remove } = tempDir()
  const path = join(dir, 'moneypenny.db')
  const port = await TestSmtpServer.downPort()
  const env = {
    SQLITE_PATH: path,
    SMTP_URL: TestSmtpServer.url(port),
    MAIL_FROM: 'login@example.com',
    ADMIN_USERNAME: 'root',
    ADMIN_PASSWORD: 'root-password-1',
    ADMIN_EMAIL: 'root@example.com'
  }
  let smtp: TestSmtpServer | null = null
  t.after(async () => {
    await smtp?.stop()
    remove()
  })
  const first = await start(env)
  const answer = await fetch(`${first.base}/api/v1/auth/password/forgot`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'root@example.com' })
  })
  assert.equal(answer.status, 202)
  // The mail is in the store once an attempt has failed against the absent server.
  const reader = openSqliteStore(path)
  try {
    const deadline = Date.now() + 15_000
    while (!(await reader.exportAll()).outbox.some((message) => message.attempts > 0)) {
      assert.ok(Date.now() < deadline, 'the mail was never queued and tried')
      await delay(20)
    }
  } finally {
    await reader.close()
  }
  const exited = once(first.child, 'exit')
  first.child.kill('SIGKILL')
  await exited
  children.delete(first.child)

  smtp = await TestSmtpServer.start(port)
  const second = await start(env)
  const mail = await smtp.next()
  assert.match(mail.subject ?? '', /Reset your moneypenny password/)
  // A graceful stop waits for the worker's round, so every message it took is sent or queued again.
  assert.equal(await second.stop(), 0)
  assert.equal(smtp.received.length, 1, 'sent once')
  const after = openSqliteStore(path)
  try {
    assert.deepEqual((await after.exportAll()).outbox, [], 'nothing left queued')
  } finally {
    await after.close()
  }
})
