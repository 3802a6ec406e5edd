// Compares the answer time of POST /api/v1/auth/password/forgot for an address an account has
// against one nobody has, over HTTP. The lookup, the token and the queued mail happen after the
// answer is written, so both should take the same. A figure, not a test: run with
// `npm run bench:forgot-timing` (builds first).
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { imageCommand } from './lib.mjs'

const rounds = Number(process.env.ROUNDS ?? 200)
const dir = mkdtempSync(join(tmpdir(), 'moneypenny-bench-'))
const port = await new Promise((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = probe.address()
    probe.close(() => resolve(free))
  })
})
// The server in a process of its own: in one process the client would read each answer only after
// the server's work that follows it, and measure that work too.
const server = spawn(process.execPath, [imageCommand().script], {
  env: {
    PATH: process.env.PATH,
    PORT: String(port),
    HOST: '127.0.0.1',
    SQLITE_PATH: join(dir, 'db.sqlite'),
    BCRYPT_COST: '4',
    LOG_LEVEL: 'silent',
    RATE_LIMIT: 'off',
    ADMIN_USERNAME: 'bench-admin',
    ADMIN_PASSWORD: 'bench-admin-password',
    ADMIN_EMAIL: 'admin@bench.example',
    // Nothing listens there: the mail stays queued, which does not change the answer.
    SMTP_URL: 'smtp://127.0.0.1:9',
    MAIL_FROM: 'login@bench.example'
  },
  stdio: 'ignore'
})
const address = `http://127.0.0.1:${port}`
for (;;) {
  try {
    if ((await fetch(`${address}/readyz`)).status === 200) break
  } catch {
    // not listening yet
  }
  await delay(50)
}

async function timeForgot(email) {
  const start = process.hrtime.bigint()
  const response = await fetch(`${address}/api/v1/auth/password/forgot`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) })
  await response.arrayBuffer()
  if (response.status !== 202) throw new Error(`expected 202, got ${response.status}`)
  return Number(process.hrtime.bigint() - start) / 1e6
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1]
const p90 = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.9)]
const knownAddress = []
const unknownAddress = []
for (let i = 0; i < 20; i++) await timeForgot(`warm-${i}@bench.example`)
for (let i = 0; i < rounds; i++) {
  knownAddress.push(await timeForgot('admin@bench.example'))
  unknownAddress.push(await timeForgot(`nobody-${i}@bench.example`))
}
server.kill('SIGTERM')
await new Promise((resolve) => server.once('exit', resolve))
rmSync(dir, { recursive: true, force: true })

console.log(`${rounds} rounds each, alternating`)
console.log(`known address:   median ${median(knownAddress).toFixed(2)} ms, p90 ${p90(knownAddress).toFixed(2)} ms`)
console.log(`unknown address: median ${median(unknownAddress).toFixed(2)} ms, p90 ${p90(unknownAddress).toFixed(2)} ms`)
console.log(`ratio of medians unknown/known: ${(median(unknownAddress) / median(knownAddress)).toFixed(3)}`)
