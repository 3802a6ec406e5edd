// Soak: the real server (production mode, embedded SQLite in a temporary folder, no rate
// limits) under a mixed workload for a given time. Reports unexpected statuses, p99 per
// route, and, minute by minute, the server's RSS, the size of the SQLite file (with its
// WAL) and the rows of each table. Exits 1 when any status was unexpected, or when RSS or
// the file grew by 10% or more after the warm-up.
//
//   npm run soak -- --minutes 10 [--warmup-minutes 4] [--workers 4] [--bcrypt-cost 6] [--token-ttl 1m] [--users 200]
//
// Whatever lives as long as a token (sessions, refresh tokens, browser sessions in the store;
// revoked sessions and verified tokens in memory) grows until the first tokens expire and
// are swept, then levels off. So the soak sets every lifetime (ACCESS_TOKEN_TTL,
// REFRESH_TOKEN_TTL, LOGIN_SESSION_IDLE_TTL and _MAX_TTL, SESSION_IDLE_TTL and _MAX_TTL) to
// --token-ttl, and the warm-up outlasts them, the sweep's margin (1 min) and its interval
// (1 min): growth measured after it is growth that would not level off. Registered users do
// not expire, so the workload keeps --users of them: each new one replaces the oldest, deleted.
//
// Not part of `npm test`. Latencies depend on the machine and on whatever else runs on it.
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, openSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'
import { parseDuration } from '../dist/src/config.js'
import { bearer, rssMb, startMoneypenny } from './lib.mjs'

const { values: options } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    'warmup-minutes': { type: 'string', default: '4' },
    workers: { type: 'string', default: '4' },
    // Production's default is 12; a lower cost lets sign-ins run often enough to matter.
    'bcrypt-cost': { type: 'string', default: '6' },
    'sample-seconds': { type: 'string', default: '10' },
    'token-ttl': { type: 'string', default: '1m' },
    users: { type: 'string', default: '200' }
  }
})
const minutes = Number(options.minutes)
const warmupMinutes = Number(options['warmup-minutes'])
const workers = Number(options.workers)
const sampleMs = Number(options['sample-seconds']) * 1000
const keptUsers = Number(options.users)

// --- the server -------------------------------------------------------------------
const dir = mkdtempSync(join(tmpdir(), 'moneypenny-soak-'))
const admin = { username: 'soak-admin', password: randomBytes(12).toString('base64url') }
const logFile = join(dir, 'server.log')
const log = openSync(logFile, 'a')
const dbFile = join(dir, 'moneypenny.db')
const ttl = options['token-ttl']
const server = await startMoneypenny(
  {
    SQLITE_PATH: dbFile,
    RATE_LIMIT: 'off',
    LOG_LEVEL: 'warn',
    BCRYPT_COST: options['bcrypt-cost'],
    ACCESS_TOKEN_TTL: ttl,
    REFRESH_TOKEN_TTL: ttl,
    LOGIN_SESSION_IDLE_TTL: ttl,
    LOGIN_SESSION_MAX_TTL: ttl,
    SESSION_IDLE_TTL: ttl,
    SESSION_MAX_TTL: ttl,
    ADMIN_USERNAME: admin.username,
    ADMIN_PASSWORD: admin.password
  },
  { stdio: ['ignore', log, log] }
).catch((error) => {
  console.error(`${error.message}; its log: ${logFile}`)
  process.exit(1)
})
const base = server.url
let stopping = false
server.child.once('exit', (code) => {
  if (!stopping) {
    console.error(`the server exited (${code}) during the soak; its log: ${logFile}`)
    process.exit(1)
  }
})

// --- requests, timings and unexpected answers ---------------------------------------
const latencies = new Map()
const unexpected = []
let requests = 0

class Unexpected extends Error {}

/** One request; its time is recorded under `route`; any status but `expected` is counted and ends the flow. */
async function call(route, path, { method = 'GET', headers = {}, json, form, expected = 200 } = {}) {
  const init = { method, headers: { ...headers }, redirect: 'manual' }
  if (json !== undefined) {
    init.headers['content-type'] = 'application/json'
    init.body = JSON.stringify(json)
  }
  if (form !== undefined) {
    init.headers['content-type'] = 'application/x-www-form-urlencoded'
    init.body = new URLSearchParams(form).toString()
  }
  const started = performance.now()
  const response = await fetch(`${base}${path}`, init)
  const text = await response.text()
  const elapsed = performance.now() - started
  requests += 1
  if (!latencies.has(route)) latencies.set(route, [])
  latencies.get(route).push(elapsed)
  if (response.status !== expected) {
    unexpected.push({ route, status: response.status, expected, body: text.slice(0, 200) })
    throw new Unexpected(route)
  }
  const type = response.headers.get('content-type') ?? ''
  return { response, body: type.includes('json') && text ? JSON.parse(text) : text }
}

/** The registered users, oldest first; `busy` counts the flows using one, which keep it from deletion. */
const users = []
let sequence = 0

/** An admin access token, taken again halfway through its lifetime. */
let adminToken = { token: null, at: 0 }
async function adminBearer() {
  if (Date.now() - adminToken.at > parseDuration(ttl) / 2) {
    const { body } = await call('POST /api/v1/auth/local/authenticate', '/api/v1/auth/local/authenticate', { method: 'POST', json: admin })
    adminToken = { token: body.accessToken, at: Date.now() }
  }
  return bearer(adminToken.token)
}

/** Keeps `keptUsers` users: the oldest idle ones beyond that are deleted through the admin API. */
async function deleteOldUsers() {
  while (users.length > keptUsers) {
    const index = users.findIndex((user) => user.busy === 0)
    if (index < 0 || index >= users.length - keptUsers) return
    const [user] = users.splice(index, 1)
    await call('DELETE /api/v1/users/:id', `/api/v1/users/${user.id}`, { method: 'DELETE', headers: await adminBearer(), expected: 204 })
  }
}

/** rdata and lummox: register, sign in, check, refresh both ways, revoke, and the revoked token refused. */
async function seedFlow() {
  sequence += 1
  const user = { username: `soak ${process.pid} ${sequence}`, email: `soak-${sequence}@example.com`, password: `password-${sequence}-soak`, busy: 1 }
  const { body: registered } = await call('POST /api/v1/auth/local/register', '/api/v1/auth/local/register', {
    method: 'POST',
    json: { username: user.username, email: user.email, password: user.password },
    expected: 201
  })
  user.id = registered.user.id
  users.push(user)
  try {
    await seedSteps(user)
  } finally {
    user.busy -= 1
  }
  await deleteOldUsers()
}

async function seedSteps(user) {
  const { body: tokens } = await call('POST /api/v1/auth/local/authenticate', '/api/v1/auth/local/authenticate', { method: 'POST', json: { username: user.username, password: user.password } })
  for (let i = 0; i < 3; i += 1) await call('GET /authorise', '/authorise', { headers: bearer(tokens.accessToken) })
  await call('POST /api/v1/auth/refresh', '/api/v1/auth/refresh', { method: 'POST', json: { refresh_token: tokens.refreshToken } })
  const { body: lummox } = await call('POST /api/v1/tokens/access', '/api/v1/tokens/access', { method: 'POST', headers: { authorization: tokens.refreshToken } })
  await call('GET /authorise', '/authorise', { headers: bearer(lummox.token) })
  await call('POST /api/v1/auth/revoke', '/api/v1/auth/revoke', { method: 'POST', json: { refresh_token: tokens.refreshToken } })
  await call('GET /authorise (revoked)', '/authorise', { headers: bearer(tokens.accessToken), expected: 401 })
}

/** A registered user for a flow; kept from deletion until the flow gives it back. */
async function withSomeUser(flow) {
  const user = users[Math.floor(Math.random() * users.length)]
  user.busy += 1
  try {
    await flow(user)
  } finally {
    user.busy -= 1
  }
}

/** The unnamed service: a sliding session, checked, ended, and refused afterwards. */
const loginFlow = () => withSomeUser(loginSteps)
async function loginSteps(user) {
  const { body } = await call('POST /login', '/login', { method: 'POST', json: { username: user.username, password: user.password } })
  const token = { authorization: `Token ${body.data.token}` }
  for (let i = 0; i < 3; i += 1) await call('GET /authorise', '/authorise', { headers: token })
  await call('GET /logout', '/logout', { headers: token })
  await call('GET /authorise (revoked)', '/authorise', { headers: token, expected: 401 })
}

const redirectUri = 'http://127.0.0.1:9/callback'
let client

/** A browser: cookies kept, redirects seen one by one. */
function cookieJar() {
  const cookies = new Map()
  return {
    header: () => ({ cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') }),
    keep(response) {
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';')
        const eq = pair.indexOf('=')
        cookies.set(pair.slice(0, eq), pair.slice(eq + 1))
      }
    }
  }
}

/** OAuth2 code flow with PKCE through the sign-in page, then introspection, userinfo, refresh, revocation. */
const oauthFlow = () => withSomeUser(oauthSteps)
async function oauthSteps(user) {
  const jar = cookieJar()
  const verifier = randomBytes(32).toString('base64url')
  const authorization = `/oauth2/authorization?${new URLSearchParams({
    client_id: client.client_id,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid profile offline_access',
    state: randomBytes(8).toString('hex'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256'
  })}`
  const toSignIn = await call('GET /oauth2/authorization', authorization, { expected: 303 })
  // The request is held in a cookie while the person signs in.
  jar.keep(toSignIn.response)
  const signInPage = await call('GET /auth/local/login', toSignIn.response.headers.get('location'), { headers: jar.header(), expected: 200 })
  jar.keep(signInPage.response)
  const field = (name) => new RegExp(`name="${name}" value="([^"]*)"`).exec(signInPage.body)[1].replace(/&amp;/g, '&')
  const signedIn = await call('POST /auth/local/login', '/auth/local/login', {
    method: 'POST',
    headers: jar.header(),
    form: { _csrf: field('_csrf'), returnTo: field('returnTo'), username: user.username, password: user.password },
    expected: 303
  })
  jar.keep(signedIn.response)
  const back = await call('GET /oauth2/authorization', signedIn.response.headers.get('location'), { headers: jar.header(), expected: 302 })
  const code = new URL(back.response.headers.get('location')).searchParams.get('code')
  const basic = { authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}` }
  const { body: tokens } = await call('POST /oauth2/token (code)', '/oauth2/token', {
    method: 'POST',
    headers: basic,
    form: { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }
  })
  const introspect = (token) => call('POST /oauth2/introspect', '/oauth2/introspect', { method: 'POST', headers: basic, form: { token } })
  if ((await introspect(tokens.access_token)).body.active !== true) unexpected.push({ route: 'POST /oauth2/introspect', status: 'active:false' })
  await call('GET /authorise', '/authorise', { headers: bearer(tokens.access_token) })
  await call('GET /oauth2/userinfo', '/oauth2/userinfo', { headers: bearer(tokens.access_token) })
  const { body: refreshed } = await call('POST /oauth2/token (refresh)', '/oauth2/token', {
    method: 'POST',
    headers: basic,
    form: { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }
  })
  await call('POST /oauth2/revoke', '/oauth2/revoke', { method: 'POST', headers: basic, form: { token: refreshed.refresh_token } })
  if ((await introspect(refreshed.access_token)).body.active !== false) unexpected.push({ route: 'POST /oauth2/introspect (revoked)', status: 'active:true' })
  await call('POST /auth/logout', '/auth/logout', { method: 'POST', headers: jar.header(), expected: 204 })
}

/** Anonymous visits of the sign-in page (the review's 11,000 in 10 s): they must store nothing. */
async function signInPageFlow() {
  for (let i = 0; i < 20; i += 1) await call('GET /auth/local/login (anonymous)', '/auth/local/login')
}

// --- the store, read beside the server ------------------------------------------------
const tables = ['local_users', 'sessions', 'refresh_tokens', 'session_users', 'oauth_code_store', 'signing_keys']
const fileMb = () => ['', '-wal'].reduce((sum, suffix) => sum + (existsSync(dbFile + suffix) ? statSync(dbFile + suffix).size : 0), 0) / 1024 / 1024
let reader = null
/** Rows per table, read through a second (read-only) connection, as WAL allows. */
function rowCounts() {
  reader ??= new Database(dbFile, { readonly: true, fileMustExist: true })
  return Object.fromEntries(tables.map((table) => [table, reader.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get().n]))
}

// --- setup, workload, samples -------------------------------------------------------
const { body: adminTokens } = await call('setup', '/api/v1/auth/local/authenticate', { method: 'POST', json: admin })
;({ body: client } = await call('setup', '/api/v1/clients', {
  method: 'POST',
  headers: bearer(adminTokens.accessToken),
  json: { client_name: 'soak', redirect_uris: [redirectUri], grant_types: ['authorization_code', 'refresh_token'], first_party: true },
  expected: 201
}))
latencies.delete('setup')
await seedFlow()

const flows = [seedFlow, loginFlow, oauthFlow, signInPageFlow]
const started = Date.now()
const warmupEnd = started + warmupMinutes * 60_000
const end = warmupEnd + minutes * 60_000
const samples = []

async function worker(offset) {
  for (let i = offset; Date.now() < end; i += 1) {
    try {
      await flows[i % flows.length]()
    } catch (error) {
      if (!(error instanceof Unexpected)) unexpected.push({ route: 'client', status: String(error) })
    }
  }
}

let warmedUp = false
const sampler = setInterval(() => {
  samples.push({ at: Date.now(), rss: rssMb(server.child.pid), file: fileMb(), rows: rowCounts() })
  if (!warmedUp && Date.now() >= warmupEnd) {
    warmedUp = true
    latencies.clear()
    requests = 0
  }
}, sampleMs)
console.log(
  `soak: ${warmupMinutes} min warm-up, then ${minutes} min; ${workers} workers; bcrypt cost ${options['bcrypt-cost']}; token lifetimes ${options['token-ttl']}; server pid ${server.child.pid}`
)
await Promise.all(Array.from({ length: workers }, (_, i) => worker(i)))
clearInterval(sampler)
reader?.close()
stopping = true
await server.stop()

// --- report -----------------------------------------------------------------------
const p = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]
}
console.log(`\nrequests after warm-up: ${requests} (${(requests / (minutes * 60)).toFixed(0)}/s)`)
console.log(`unexpected statuses: ${unexpected.length}`)
for (const item of unexpected.slice(0, 10)) console.log(`  ${item.route}: ${item.status}${item.expected ? ` (expected ${item.expected})` : ''} ${item.body ?? ''}`)
console.log('\nroute                                  count     p50 ms   p99 ms')
for (const [route, values] of [...latencies].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`${route.padEnd(38)} ${String(values.length).padStart(6)} ${p(values, 0.5).toFixed(1).padStart(10)} ${p(values, 0.99).toFixed(1).padStart(8)}`)
}
// A single reading swings with the garbage collector: compare the medians of the first
// and the last minute after the warm-up.
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1]
/** Median of `field` over the first and over the last minute after the warm-up, and the growth between. */
function growthOf(field) {
  const atStart = median(samples.filter((s) => s.at >= warmupEnd && s.at < warmupEnd + 60_000).map((s) => s[field]))
  const atEnd = median(samples.filter((s) => s.at >= end - 60_000).map((s) => s[field]))
  return { atStart, atEnd, growth: ((atEnd - atStart) / atStart) * 100 }
}
const rss = growthOf('rss')
const file = growthOf('file')
const perMinute = samples.filter((_, i) => i % Math.max(1, Math.round(60_000 / sampleMs)) === 0)
const minute = (s) => ((s.at - started) / 60_000).toFixed(0)
console.log(`\nminute  RSS MB  file MB  ${tables.map((table) => table.padStart(17)).join('')}`)
for (const s of perMinute) {
  console.log(`${minute(s).padStart(6)} ${s.rss.toFixed(0).padStart(7)} ${s.file.toFixed(2).padStart(8)}  ${tables.map((table) => String(s.rows[table]).padStart(17)).join('')}`)
}
console.log(`RSS (median of a minute's samples) after warm-up ${rss.atStart.toFixed(1)} MB, at the end ${rss.atEnd.toFixed(1)} MB, growth ${rss.growth.toFixed(1)}%`)
console.log(`SQLite file with WAL (same medians) after warm-up ${file.atStart.toFixed(2)} MB, at the end ${file.atEnd.toFixed(2)} MB, growth ${file.growth.toFixed(1)}%`)
rmSync(dir, { recursive: true, force: true })
const failed = unexpected.length > 0 || rss.growth >= 10 || file.growth >= 10
console.log(failed ? 'FAIL' : 'PASS')
process.exit(failed ? 1 : 0)
