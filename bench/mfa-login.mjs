// `npm run bench:mfa`: JSON sign-ins (rdata's authenticate) with and without a second factor,
// at the same bcrypt cost, against one server. A figure, not a test. Each TOTP code is accepted
// once per user, so the MFA load spreads over a pool of enrolled users (bench/totp-users.mjs).
// `npm run bench` measures the same as figure f, beside the bcrypt limit.
//
// Environment: BENCH_DURATION (seconds per figure, default 10), BENCH_CONCURRENCY (8),
// BENCH_BCRYPT_COST (the server's default), BENCH_USERS (users with a factor, default 120).
import { randomBytes } from 'node:crypto'
import os from 'node:os'
import { loadConfig } from '../dist/src/config.js'
import { startMoneypenny } from './lib.mjs'
import { enrolTotpUsers, nextTotpSignIn, postJson as post } from './totp-users.mjs'

const duration = Number(process.env.BENCH_DURATION ?? 10) * 1000
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8)
const bcryptCost = Number(process.env.BENCH_BCRYPT_COST ?? loadConfig({}).bcryptCost)
const userCount = Number(process.env.BENCH_USERS ?? 120)

/** Runs `concurrency` loops of `attempt` for `duration`; answers the rate and the p50 and p99 latencies of successes. */
async function measure(attempt) {
  const latencies = []
  let failures = 0
  const end = Date.now() + duration
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const t0 = performance.now()
        if (await attempt()) latencies.push(performance.now() - t0)
        else failures += 1
      }
    })
  )
  const seconds = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]
  return { perSec: latencies.length / seconds, p50Ms: at(0.5), p99Ms: at(0.99), failures }
}

const mp = await startMoneypenny({ RATE_LIMIT: 'off', BCRYPT_COST: String(bcryptCost), SECRETS_KEY: randomBytes(32).toString('base64url') })
try {
  const url = `${mp.url}/api/v1/auth/local/authenticate`
  const password = randomBytes(12).toString('base64url')
  console.error(`bcrypt cost ${bcryptCost}, ${concurrency} concurrent, ${duration / 1000} s per figure; enrolling ${userCount} users`)
  const users = await enrolTotpUsers(mp.url, { prefix: 'mfa-bench', count: userCount, password, concurrency })
  const plain = users[0].username.replace('mfa-bench', 'plain-bench')
  await post(`${mp.url}/api/v1/auth/local/register`, { username: plain, email: `${plain}@example.test`, password })

  const withoutMfa = await measure(async () => (await post(url, { username: plain, password })).status === 200)
  const next = nextTotpSignIn(users, password)
  const withMfa = await measure(async () => (await post(url, next())).status === 200)
  const line = (name, f) => `${name.padEnd(22)} ${f.perSec.toFixed(1).padStart(7)}/s  p50 ${f.p50Ms.toFixed(1)} ms  p99 ${f.p99Ms.toFixed(1)} ms  refused ${f.failures}`
  console.log(line('logins, password only', withoutMfa))
  console.log(line('logins, password + TOTP', withMfa))
  console.log(`ratio ${(withMfa.perSec / withoutMfa.perSec).toFixed(2)} on ${os.availableParallelism()} cores (bcrypt dominates both)`)
} finally {
  await mp.stop()
}
