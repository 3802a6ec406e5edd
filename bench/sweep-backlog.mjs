// `npm run bench:sweep`: a SQLite file holding a million expired token sessions (each with its
// refresh token), as a service that ran without the sweep would have; then the server starts on
// it, and its first sweep (a minute after start) deletes them all while GET /authorise runs at
// 500 req/s beside it. Prints the file's size and the server's RSS before and after, how long the
// sweep took, and /authorise's latency before and during it.
//
// Environment: SWEEP_ROWS (default 1,000,000).
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import Database from 'better-sqlite3'
import { openSqliteStore } from '../dist/src/store/sqlite/index.js'
import { SWEEP_INTERVAL_MS } from '../dist/src/plugins/sweep.js'
import { rssMb, sleep, startMoneypenny } from './lib.mjs'

const rows = Number(process.env.SWEEP_ROWS ?? 1_000_000)
const dir = mkdtempSync(join(tmpdir(), 'moneypenny-sweep-'))
const path = join(dir, 'moneypenny.db')
const mb = (bytes) => (bytes / 2 ** 20).toFixed(1)
/** The file with its write-ahead log, in bytes. */
const fileBytes = () => ['', '-wal'].reduce((total, suffix) => total + (statSync(`${path}${suffix}`, { throwIfNoEntry: false })?.size ?? 0), 0)

function percentile(values, q) {
  const sorted = Float64Array.from(values).sort()
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]
}

let server = null
try {
  // --- the backlog: a new file made by the server's own migrations, the rows in one transaction --
  const started = performance.now()
  await openSqliteStore(path).close()
  const db = new Database(path)
  const expired = Date.now() - 7 * 24 * 3600_000
  const session = db.prepare("INSERT INTO sessions (id, user_id, kind, client_id, scope, amr, created_at, expires_at) VALUES (?, 'bench-user', 'oauth2', 'bench-client', '[\"openid\"]', '[\"pwd\"]', ?, ?)")
  const refreshToken = db.prepare('INSERT INTO refresh_tokens (hash, session_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
  db.transaction(() => {
    for (let i = 0; i < rows; i += 1) {
      const id = randomBytes(16).toString('base64url')
      session.run(id, expired - 3600_000, expired)
      refreshToken.run(randomBytes(32).toString('base64url'), id, expired - 3600_000, expired)
    }
  })()
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
  const bytesBefore = fileBytes()
  console.error(`${rows} expired sessions and refresh tokens written in ${((performance.now() - started) / 1000).toFixed(0)} s: ${mb(bytesBefore)} MB`)

  // --- the server on that file, /authorise beside its first sweep --------------------------
  server = await startMoneypenny({ RATE_LIMIT: 'off', SQLITE_PATH: path })
  const rssStart = rssMb(server.child.pid)
  const user = { username: 'sweep-user', email: 'sweep-user@example.test', password: randomBytes(12).toString('base64url') }
  const post = async (route, body) => (await fetch(`${server.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()
  await post('/api/v1/auth/local/register', user)
  const { accessToken } = await post('/api/v1/auth/local/authenticate', { username: user.username, password: user.password })

  const reader = new Database(path, { readonly: true })
  const backlog = reader.prepare('SELECT (SELECT count(*) FROM sessions WHERE expires_at <= @expired) + (SELECT count(*) FROM refresh_tokens WHERE expires_at <= @expired) AS n')
  const remaining = () => backlog.get({ expired }).n
  const total = remaining()
  const checks = autocannon({ url: `${server.url}/authorise`, connections: 10, overallRate: 500, duration: 3600, headers: { authorization: `Bearer ${accessToken}` } })
  const latencies = []
  checks.on('response', (_client, _status, _bytes, ms) => latencies.push([performance.now(), ms]))
  let sweepStart = null
  let sweepEnd = null
  const deadline = performance.now() + SWEEP_INTERVAL_MS + 10 * 60_000
  while (sweepEnd === null && performance.now() < deadline) {
    await sleep(100)
    const left = remaining()
    if (sweepStart === null && left < total) sweepStart = performance.now()
    if (left === 0) sweepEnd = performance.now()
  }
  checks.stop()
  reader.close()
  if (sweepEnd === null) throw new Error('the sweep did not finish in time')
  const before = latencies.filter(([at]) => at < sweepStart).map(([, ms]) => ms)
  const during = latencies.filter(([at]) => at >= sweepStart && at <= sweepEnd).map(([, ms]) => ms)
  const rssEnd = rssMb(server.child.pid)
  await server.stop()
  server = null

  const file = new Database(path, { readonly: true })
  const pageSize = file.pragma('page_size', { simple: true })
  const free = file.pragma('freelist_count', { simple: true })
  file.close()
  console.log(`\nsweep of ${rows} expired token sessions and ${rows} refresh tokens, Node ${process.version}`)
  console.log(`SQLite file (with WAL): ${mb(bytesBefore)} MB before, ${mb(fileBytes())} MB after, of which ${mb(free * pageSize)} MB free pages`)
  console.log(`RSS: ${rssStart.toFixed(1)} MB after start, ${rssEnd.toFixed(1)} MB after the sweep`)
  console.log(`the sweep took ${((sweepEnd - sweepStart) / 1000).toFixed(1)} s (seen by polling every 100 ms)`)
  console.log(`GET /authorise at 500 req/s: before the sweep p50 ${percentile(before, 0.5).toFixed(2)} ms, p99 ${percentile(before, 0.99).toFixed(2)} ms (${before.length}); during it p50 ${percentile(during, 0.5).toFixed(2)} ms, p99 ${percentile(during, 0.99).toFixed(2)} ms (${during.length})`)
} finally {
  await server?.stop()
  rmSync(dir, { recursive: true, force: true })
}
