// `npm run bench:mfa`: JSON sign-ins (rdata's authenticate) with and without a second factor,
// at the same bcrypt cost, against one server. A figure, not a test. Each TOTP code is accepted
// once per user, so the MFA load spreads over a pool of enrolled users, each signing in with the
// code of the current step and then of the next one.
//
// Environment: BENCH_DURATION (seconds per figure, default 10), BENCH_CONCURRENCY (8),
// BENCH_BCRYPT_COST (the server's default), BENCH_USERS (users with a factor, default 120).
import { randomBytes } from 'node:crypto'
import os from 'node:os'
import { loadConfig } from '../dist/src/config.js'
import { currentCode } from '../dist/src/services/mfa/totp.js'
import { startMoneypenny } from './lib.mjs'

const duration = Number(process.env.BENCH_DURATION ?? 10) * 1000
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8)
const bcryptCost = Number(process.env.BENCH_BCRYPT_COST ?? loadConfig({}).bcryptCost)
const userCount = Number(process.env.BENCH_USERS ?? 120)
const STEP_MS = 30_000

/** POSTs `body` as JSON; without a body, nothing (the enrolment route takes none). */
async function post(url, body, headers = {}) {
  const json = body === undefined ? {} : { headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }
  const response = await fetch(url, { method: 'POST', headers, ...json })
  return { status: response.status, body: await response.json() }
}

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
  const users = []
  for (let batch = 0; batch < userCount; batch += concurrency) {
    const made = await Promise.all(
      Array.from({ length: Math.min(concurrency, userCount - batch) }, async (_, i) => {
        const username = `mfa-bench-${batch + i}`
        const { body } = await post(`${mp.url}/api/v1/auth/local/register`, { username, email: `${username}@example.test`, password })
        const { body: signedIn } = await post(url, { username, password })
        const authorization = `Bearer ${signedIn.accessToken}`
        const { status, body: enrolment } = await post(`${mp.url}/api/v1/users/${body.user.id}/mfa/totp`, undefined, { authorization })
        if (status !== 201) throw new Error(`enrolment failed: ${status} ${JSON.stringify(enrolment)}`)
        const confirmed = await post(`${mp.url}/api/v1/users/${body.user.id}/mfa/totp/confirm`, { code: currentCode(enrolment.secret) }, { authorization })
        if (confirmed.status !== 200) throw new Error(`enrolment failed: ${confirmed.status}`)
        return { username, secret: enrolment.secret, lastStep: Math.floor(Date.now() / STEP_MS) }
      })
    )
    users.push(...made)
  }
  const plain = users[0].username.replace('mfa-bench', 'plain-bench')
  await post(`${mp.url}/api/v1/auth/local/register`, { username: plain, email: `${plain}@example.test`, password })

  const withoutMfa = await measure(async () => (await post(url, { username: plain, password })).status === 200)
  // A step is accepted once per user and the server's window reaches one step ahead: each user
  // signs in with the first unused step from now on, and is skipped until its next step opens.
  let turn = 0
  const withMfa = await measure(async () => {
    const nowStep = Math.floor(Date.now() / STEP_MS)
    for (let tried = 0; tried < users.length; tried++) {
      const user = users[turn++ % users.length]
      const step = Math.max(user.lastStep + 1, nowStep)
      if (step > nowStep + 1) continue
      user.lastStep = step
      return (await post(url, { username: user.username, password, otp: currentCode(user.secret, step * STEP_MS) })).status === 200
    }
    throw new Error(`BENCH_USERS=${userCount} is too few for this rate: raise it`)
  })
  const line = (name, f) => `${name.padEnd(22)} ${f.perSec.toFixed(1).padStart(7)}/s  p50 ${f.p50Ms.toFixed(1)} ms  p99 ${f.p99Ms.toFixed(1)} ms  refused ${f.failures}`
  console.log(line('logins, password only', withoutMfa))
  console.log(line('logins, password + TOTP', withMfa))
  console.log(`ratio ${(withMfa.perSec / withoutMfa.perSec).toFixed(2)} on ${os.availableParallelism()} cores (bcrypt dominates both)`)
} finally {
  await mp.stop()
}
