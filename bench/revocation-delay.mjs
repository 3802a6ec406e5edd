// How long a revocation on replica A takes to be refused by replica B's /authorise: two real
// server processes over one SQLite file, with Redis (broadcast) and without (polling the store).
// Both share PUBLIC_URL, the tokens' issuer, as replicas of one service do.
// Usage: node bench/revocation-delay.mjs [rounds]   (REDIS_URL defaults to redis://127.0.0.1:6379)
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startMoneypenny } from './lib.mjs'

const rounds = Number(process.argv[2] ?? 20)
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

const startReplica = (sqlitePath, extraEnv) =>
  startMoneypenny({ LOG_LEVEL: 'warn', RATE_LIMIT: 'off', PUBLIC_URL: 'http://moneypenny.test', SQLITE_PATH: sqlitePath, ...extraEnv })

async function post(base, path, body) {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`)
  return response.json()
}

const authoriseStatus = async (base, token) => (await fetch(`${base}/authorise`, { headers: { authorization: `Bearer ${token}` } })).status

async function measure(label, extraEnv) {
  const dir = mkdtempSync(join(tmpdir(), 'moneypenny-revocation-'))
  const sqlitePath = join(dir, 'shared.db')
  const a = await startReplica(sqlitePath, extraEnv)
  const b = await startReplica(sqlitePath, extraEnv)
  try {
    const user = { username: `delay-${process.pid}`, email: `delay-${process.pid}@example.test`, password: 'a long enough password' }
    await post(a.url, '/api/v1/auth/local/register', user)
    const delays = []
    for (let round = 0; round < rounds; round += 1) {
      const { accessToken, refreshToken } = await post(a.url, '/api/v1/auth/local/authenticate', { username: user.username, password: user.password })
      const first = await fetch(`${b.url}/authorise`, { headers: { authorization: `Bearer ${accessToken}` } })
      if (first.status !== 200) throw new Error(`B refused a fresh token: ${first.status} ${await first.text()}`)
      const revokedAt = performance.now()
      await post(a.url, '/api/v1/auth/revoke', { refresh_token: refreshToken })
      while ((await authoriseStatus(b.url, accessToken)) !== 401) await new Promise((resolve) => setTimeout(resolve, 2))
      delays.push(performance.now() - revokedAt)
    }
    delays.sort((x, y) => x - y)
    const at = (q) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))].toFixed(1)
    console.log(`${label}: revoke on A (answer included) to 401 on B over ${rounds} rounds: median ${at(0.5)} ms, p90 ${at(0.9)} ms, max ${at(1)} ms`)
  } finally {
    await Promise.all([a.stop(), b.stop()])
    rmSync(dir, { recursive: true, force: true })
  }
}

await measure('with Redis (broadcast)', { REDIS_URL: redisUrl })
await measure('without Redis (store polled every 2 s)', {})
