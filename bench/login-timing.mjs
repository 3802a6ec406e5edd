// Compares the time of a sign-in with a wrong password against one for an unknown
// user, at the configured bcrypt cost (default 12). A figure, not a test: run with
// `npm run bench:login-timing` (builds first).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildApp } from '../dist/src/app.js'
import { loadConfig } from '../dist/src/config.js'

const rounds = Number(process.env.ROUNDS ?? 15)
const dir = mkdtempSync(join(tmpdir(), 'moneypenny-bench-'))
const config = loadConfig({
  SQLITE_PATH: join(dir, 'db.sqlite'),
  BCRYPT_COST: process.env.BCRYPT_COST ?? '12',
  LOG_LEVEL: 'silent',
  RATE_LIMIT: 'off',
  ADMIN_USERNAME: 'bench-admin',
  ADMIN_PASSWORD: 'bench-admin-password'
})
const app = await buildApp(config)

async function timeSignIn(username) {
  const start = process.hrtime.bigint()
  const response = await app.inject({ method: 'POST', url: '/api/v1/auth/local/authenticate', payload: { username, password: 'a wrong password' } })
  if (response.statusCode !== 401) throw new Error(`expected 401, got ${response.statusCode}`)
  return Number(process.hrtime.bigint() - start) / 1e6
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1]
const wrongPassword = []
const unknownUser = []
for (let i = 0; i < rounds; i++) {
  wrongPassword.push(await timeSignIn('bench-admin'))
  unknownUser.push(await timeSignIn(`nobody-${i}`))
}
await app.close()
rmSync(dir, { recursive: true, force: true })

const known = median(wrongPassword)
const unknown = median(unknownUser)
console.log(`bcrypt cost ${config.bcryptCost}, ${rounds} rounds each`)
console.log(`median wrong password: ${known.toFixed(1)} ms`)
console.log(`median unknown user:   ${unknown.toFixed(1)} ms`)
console.log(`ratio unknown/wrong:   ${(unknown / known).toFixed(3)}`)
