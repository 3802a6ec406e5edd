import assert from 'node:assert/strict'
import { once } from 'node:events'
import { join } from 'node:path'
import { test } from 'node:test'
import { tempDir } from '../helpers.js'
import { children, start } from './server-process.js'

test('SIGTERM under load: every request in flight finishes normally, then exit code 0', async () => {
  const { dir, remove } = tempDir()
  // bcrypt at cost 10 makes each sign-in take tens of milliseconds: fifty of them are still running when SIGTERM arrives.
  const server = await start({ SQLITE_PATH: join(dir, 'moneypenny.db'), RATE_LIMIT: 'off', BCRYPT_COST: '10', SHUTDOWN_GRACE: '20s' })
  try {
    const user = { username: 'draining', email: 'draining@example.com', password: 'draining-password' }
    const registered = await fetch(`${server.base}/api/v1/auth/local/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(user) })
    assert.equal(registered.status, 201)
    const inFlight = Array.from({ length: 50 }, () =>
      fetch(`${server.base}/api/v1/auth/local/authenticate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: user.username, password: user.password })
      }).then((response) => response.status)
    )
    // SIGTERM once the server has received (most of) them: a request still on its way is
    // not in flight yet, and may be refused by a closing server.
    const deadline = Date.now() + 20_000
    for (let received = 0; received < 50; ) {
      assert.ok(Date.now() < deadline, 'the server never received the fifty requests')
      const metrics = await (await fetch(`${server.base}/metrics`)).text()
      const waiting = Number(/^moneypenny_http_requests_in_flight (\d+)/m.exec(metrics)?.[1] ?? 1) - 1
      const answered = Number(/^moneypenny_http_request_duration_seconds_count\{route="\/api\/v1\/auth\/local\/authenticate"[^}]*\} (\d+)/m.exec(metrics)?.[1] ?? 0)
      received = waiting + answered
    }
    const exited = once(server.child, 'exit')
    server.child.kill('SIGTERM')
    // The signal is delivered asynchronously; give it a moment to arrive.
    await new Promise((resolve) => setTimeout(resolve, 100))
    const readyDuringDrain = await fetch(`${server.base}/readyz`).then((response) => response.status, () => 'refused')
    const statuses = await Promise.all(inFlight)
    const [code] = await exited
    children.delete(server.child)
    assert.deepEqual(statuses, Array(50).fill(200), 'no request in flight failed')
    assert.ok(readyDuringDrain === 503 || readyDuringDrain === 'refused', `/readyz answered ${readyDuringDrain} while draining`)
    assert.equal(code, 0)
  } finally {
    remove()
  }
})
