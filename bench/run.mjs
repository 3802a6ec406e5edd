// One runtime's bench (`npm run bench` runs it on Node 26 and on the machine's Node, see
// bench/runtimes.mjs): moneypenny's token checks and logins beside a bare Fastify route (the
// ceiling) and beside oidc-provider (the peer), all on this machine in one run, on the Node
// that runs this script. Prints a table and writes bench/results.json, or the file --results
// names. A benchmark, not a test: the figures are noisy, and a missed target is printed as
// MISSED, never hidden.
//
// Environment: BENCH_WARMUP and BENCH_DURATION (seconds per figure, default 2 and 10),
// BENCH_CONNECTIONS (default 10), BENCH_BCRYPT_COST (default: the server's default).
// `node bench/run.mjs --only h` (or `--only f,h`) runs only those figures' groups (a to e
// run together, f and g together); it prints the table and leaves bench/results.json alone.
// `--only i` is the quick before/after figure of token issuance (about a minute).
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { loadConfig } from '../dist/src/config.js'
import { CURRENT_SCHEME, Passwords } from '../dist/src/services/passwords.js'
import { basicAuth, bearer, form, formHeaders, hasAccessToken, imageCompileCache, isActive, memoryLine, post, residentByMapping, rssMb, startMoneypenny, startNode, startPeer } from './lib.mjs'
import { enrolTotpUsers, nextTotpSignIn } from './totp-users.mjs'

const USAGE = `usage: node bench/run.mjs [--only LETTERS] [--results FILE]   (after npm run build)

  --only LETTERS  comma-separated figure letters to run, e.g. --only h or --only f,h:
                  a-e  ceiling, /authorise hot and cold, introspection, client_credentials, peer (run together)
                  f-g  logins, /authorise beside logins (run together)
                  h    /authorise alone and while two senders post unauthenticated bodies
                  i    client_credentials against the peer's and beside logins at full rate,
                       /authorise at 1000 req/s alone and beside client_credentials at full rate
                  A partial run prints its table and does not write bench/results.json.
  --results FILE  write the figures to FILE (JSON, partial runs too) instead of bench/results.json
  --help          this text

Environment: BENCH_WARMUP, BENCH_DURATION (seconds, default 2 and 10), BENCH_CONNECTIONS (10),
BENCH_BCRYPT_COST (the server's default), BENCH_PROFILE=<folder> (a CPU profile of moneypenny).`

const args = process.argv.slice(2)
if (args.includes('--help') || args.includes('-h')) {
  console.log(USAGE)
  process.exit(0)
}
const onlyAt = args.indexOf('--only')
const only = onlyAt === -1 ? null : new Set((args[onlyAt + 1] ?? '').split(',').map((letter) => letter.trim().toLowerCase()).filter(Boolean))
if (only !== null && (only.size === 0 || [...only].some((letter) => !/^[a-i]$/.test(letter)))) {
  console.error(`--only takes figure letters a to i\n\n${USAGE}`)
  process.exit(2)
}
const resultsAt = args.indexOf('--results')
const resultsFile = resultsAt === -1 ? null : args[resultsAt + 1]
if (resultsFile === undefined || resultsFile?.startsWith('--')) {
  console.error(`--results takes a file name\n\n${USAGE}`)
  process.exit(2)
}
/** Whether the group of figures named by any of `letters` runs. */
const runs = (...letters) => only === null || letters.some((letter) => only.has(letter))

const warmup = Number(process.env.BENCH_WARMUP ?? 2)
const duration = Number(process.env.BENCH_DURATION ?? 10)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10)
const bcryptCost = Number(process.env.BENCH_BCRYPT_COST ?? loadConfig({}).bcryptCost)
const cores = os.availableParallelism()
// A run with more bad answers than this prints an error instead of a figure.
const MAX_BAD = 0.001

const figures = []
const servers = []
// moneypenny's SQLite file, kept from its first start to its restart.
const dataDir = mkdtempSync(join(os.tmpdir(), 'moneypenny-bench-data-'))
// Set by the logins figures (f); null when they do not run.
let compareMs = null
let loginLimit = null
const startedAt = Date.now()

/**
 * One run on the same connections: the answers of the first `warmup` seconds are checked
 * but not measured. (A separate warm-up run would leave its last requests in the server's
 * queue, which costs a whole second of bcrypt to the logins.) `check(body)` says whether an
 * answer is right; autocannon counts the others as mismatches. Latencies are kept exact:
 * autocannon's own histogram rounds to whole milliseconds.
 */
async function load(options, check, { warmupS = warmup, measureS = duration } = {}) {
  const latencies = []
  const run = autocannon({ connections, verifyBody: check, ...options, duration: warmupS + measureS })
  const measureFrom = performance.now() + warmupS * 1000
  run.on('response', (_client, _status, _bytes, ms) => {
    if (performance.now() >= measureFrom) latencies.push(ms)
  })
  return { result: await run, latencies }
}

/**
 * The figures that are ratios to one another (the ceiling, /authorise, introspection), measured
 * in turns: `rounds` rounds of a slice each, so that a slow minute of this shared machine
 * weighs on every figure alike instead of on whichever ran in it. Answers of all slices add up.
 * A load given as a function is made afresh for each slice. A load's optional third member,
 * `beside`, starts other traffic for the length of each of its slices (warm-up included) and
 * returns a function that stops it and resolves with what that traffic got back.
 */
async function inTurns(loads, rounds = 3) {
  const measureS = duration / rounds
  const totals = loads.map(() => ({ result: { requests: { total: 0 }, mismatches: 0, non2xx: 0, errors: 0, timeouts: 0 }, latencies: [], beside: [] }))
  for (let round = 0; round < rounds; round += 1) {
    for (const [i, [options, check, beside]] of loads.entries()) {
      const stopBeside = beside ? await beside() : null
      try {
        const { result, latencies } = await load(typeof options === 'function' ? await options() : options, check, { warmupS: 1, measureS })
        const total = totals[i]
        total.result.requests.total += result.requests.total
        for (const count of ['mismatches', 'non2xx', 'errors', 'timeouts']) total.result[count] += result[count]
        for (const ms of latencies) total.latencies.push(ms)
      } finally {
        if (stopBeside) totals[i].beside.push(await stopBeside())
      }
    }
  }
  return totals
}

/**
 * Starts `senders` connections posting `body` to `url` as fast as the server answers (JSON
 * without credentials unless `headers` says otherwise); the returned function stops them and
 * resolves with their answers by status. A refused sender whose connection is closed
 * reconnects and sends again. `settleMs`: how long to wait after stopping, for work the server
 * still does for requests cut off (queued logins), so that the next figure does not pay for it.
 */
function sendersOf(url, body, { senders = 2, headers = { 'content-type': 'application/json' }, settleMs = 0 } = {}) {
  return async () => {
    const run = autocannon({ url, method: 'POST', connections: senders, headers, body, duration: 3600, timeout: 60 })
    const stopped = new Promise((resolve) => run.once('done', resolve))
    return async () => {
      run.stop()
      const result = await stopped
      await new Promise((resolve) => setTimeout(resolve, settleMs))
      const statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([status, { count }]) => [status, count]))
      return { answers: result.requests.total, statuses, errors: result.errors, timeouts: result.timeouts }
    }
  }
}

/** What the senders of all slices got back, added up. */
function sendersGot(slices) {
  const total = { answers: 0, statuses: {}, errors: 0, timeouts: 0 }
  for (const slice of slices) {
    total.answers += slice.answers
    total.errors += slice.errors
    total.timeouts += slice.timeouts
    for (const [status, count] of Object.entries(slice.statuses)) total.statuses[status] = (total.statuses[status] ?? 0) + count
  }
  return total
}

function percentile(values, q) {
  const sorted = Float64Array.from(values).sort()
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]
}

/** A figure from a load, or an error in its place when too many answers were wrong. */
function figure(name, { result, latencies }, extra = {}) {
  const answers = result.requests.total
  const bad = Math.max(result.mismatches, result.non2xx) + result.errors + result.timeouts
  const entry = {
    name,
    reqPerSec: latencies.length / duration,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    answers,
    bad: { total: bad, non2xx: result.non2xx, wrongBody: result.mismatches, errors: result.errors, timeouts: result.timeouts },
    ...extra
  }
  if (latencies.length === 0 || bad / answers > MAX_BAD) {
    entry.error = `${bad} of ${answers} answers bad (non-2xx ${result.non2xx}, wrong body ${result.mismatches}, errors ${result.errors}, timeouts ${result.timeouts})`
    entry.reqPerSec = entry.p50Ms = entry.p99Ms = null
  }
  figures.push(entry)
  console.error(`  ${name}: ${entry.error ?? `${entry.reqPerSec.toFixed(0)} req/s, p50 ${entry.p50Ms.toFixed(1)} ms, p99 ${entry.p99Ms.toFixed(1)} ms`}`)
  return entry
}

const byName = (name) => figures.find((f) => f.name === name)

/**
 * Where the server's memory is, in MB, from its own /metrics (prom-client's default metrics):
 * RSS, V8's heap spaces as reserved (new, old, code, large objects), memory outside the heap that
 * V8 knows of (external: buffers), and the rest of RSS (native: SQLite's cache, malloc arenas,
 * threads' stacks, the binary itself), and that rest by kind of mapping (residentByMapping).
 */
async function memoryOf(server) {
  const text = await (await fetch(`${server.url}/metrics`)).text()
  const value = (pattern) => Number(new RegExp(`^moneypenny_${pattern} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20
  const rss = rssMb(server.child.pid)
  const heap = Object.fromEntries(['new', 'old', 'code', 'large_object'].map((space) => [space, value(`nodejs_heap_space_size_total_bytes\\{space="${space}"\\}`)]))
  const heapTotal = value('nodejs_heap_size_total_bytes')
  const external = value('nodejs_external_memory_bytes')
  return { rss, heapTotal, heap, external, native: rss - heapTotal - external, mappings: residentByMapping(server.child.pid) }
}


try {
  // --- moneypenny: start, idle memory, accounts, a client -----------------------------
  const admin = { username: 'bench-admin', password: randomBytes(12).toString('base64url') }
  const mpEnv = {
    SQLITE_PATH: join(dataDir, 'moneypenny.db'),
    RATE_LIMIT: 'off',
    BCRYPT_COST: String(bcryptCost),
    ADMIN_USERNAME: admin.username,
    ADMIN_PASSWORD: admin.password,
    ADMIN_EMAIL: 'bench-admin@example.test',
    // Second factors' secrets are sealed with it (figure f's TOTP logins).
    SECRETS_KEY: randomBytes(32).toString('base64url')
  }
  // The first start on a new file makes the configured admin (a bcrypt hash, at cost 12 about 0.25 s);
  // every later start finds it. The target judges a restart on the same file, which is what a rolling
  // update or a rescheduled pod waits for; the first start is printed beside it.
  const firstStart = await startMoneypenny(mpEnv)
  const firstStartMs = firstStart.readyMs
  await firstStart.stop()
  const mp = await startMoneypenny(mpEnv)
  servers.push(mp)
  // Every figure after an exit we did not ask for (child.killed) would be connection errors: say why.
  mp.child.once('exit', (code, signal) => mp.child.killed || console.error(`moneypenny exited during the bench (${code ?? signal})`))
  const memoryIdle = await memoryOf(mp)
  const rssIdleMb = memoryIdle.rss
  console.error(`moneypenny ready in ${firstStartMs.toFixed(0)} ms on a new file, ${mp.readyMs.toFixed(0)} ms restarted on it, RSS ${rssIdleMb.toFixed(1)} MB; bcrypt cost ${bcryptCost}; ${warmup} s warm-up + ${duration} s per figure`)

  const { accessToken: adminToken } = await post(`${mp.url}/api/v1/auth/local/authenticate`, admin)
  const user = { username: 'bench-user', email: 'bench-user@example.test', password: randomBytes(12).toString('base64url') }
  await post(`${mp.url}/api/v1/auth/local/register`, user)
  const client = await post(
    `${mp.url}/api/v1/clients`,
    { client_name: 'bench', grant_types: ['client_credentials'], token_endpoint_auth_method: 'client_secret_basic', resource_server: 'all' },
    { authorization: `Bearer ${adminToken}` }
  )
  const mpBasic = basicAuth(client.client_id, client.client_secret)
  const { refreshToken } = await post(`${mp.url}/api/v1/auth/local/authenticate`, { username: user.username, password: user.password })
  const hotTokens = []
  for (let i = 0; i < 4; i += 1) hotTokens.push((await post(`${mp.url}/api/v1/auth/refresh`, { refresh_token: refreshToken })).accessToken)

  const authorised = await fetch(`${mp.url}/authorise`, { headers: { authorization: `Bearer ${hotTokens[0]}` } })
  const authoriseBody = await authorised.text()
  if (authorised.status !== 200) throw new Error(`/authorise: ${authorised.status} ${authoriseBody}`)
  const authoriseBytes = Buffer.byteLength(authoriseBody)
  const isAuthorised = (body) => body.startsWith('{"data":{"username":"bench-user"')
  const clientCredentials = { url: `${mp.url}/oauth2/token`, method: 'POST', headers: formHeaders(mpBasic), body: form({ grant_type: 'client_credentials' }) }

  if (runs('a', 'b', 'c', 'd', 'e')) {
    // --- (a) the ceiling, (b) /authorise hot and cold, (c) introspection, in turns ----------
    const bare = await startNode('bench/bare-server.mjs', () => ({ BODY_BYTES: String(authoriseBytes) }))
    servers.push(bare)
    const hotRequests = hotTokens.map((token) => ({ method: 'GET', headers: bearer(token) }))

    // A new token for each cold request, so no cache can carry the figure; at least 20,000.
    // The cold rate is probed on the first 20,000, then enough are added for the measured
    // requests to take fresh ones (a wrap-around would be a second use, and is reported).
    // Minted through the refresh endpoint, which only reads the store.
    const coldTokens = []
    async function mint(amount) {
      const minted = await autocannon({
        url: `${mp.url}/api/v1/auth/refresh`,
        connections,
        amount,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ refresh_token: refreshToken }),
            onResponse: (status, body) => {
              if (status === 200) coldTokens.push(JSON.parse(body).accessToken)
            }
          }
        ]
      })
      if (minted.non2xx > 0) throw new Error(`minting cold tokens: ${minted.non2xx} non-2xx answers`)
    }
    await mint(20_000)
    let next = 0
    const coldRequests = [{ method: 'GET', setupRequest: (request) => ({ ...request, headers: bearer(coldTokens[next++ % coldTokens.length]) }) }]
    const coldProbeRate = (await load({ url: `${mp.url}/authorise`, requests: coldRequests }, isAuthorised, { warmupS: 1, measureS: 2 })).latencies.length / 2
    const probed = next
    await mint(Math.max(0, probed + Math.ceil(coldProbeRate * (duration + 3) * 1.2) - coldTokens.length))
    if (new Set(coldTokens).size !== coldTokens.length) throw new Error('minted tokens are not all distinct')
    const coldCount = coldTokens.length

    const { peer, peerBasic, peerTokenRequest } = await startPeer()
    servers.push(peer)
    // oidc-provider's in-memory adapter is an LRU: the token load pushes out older tokens.
    const peerToken = async () => (await (await fetch(peerTokenRequest.url, peerTokenRequest)).json()).access_token

    console.error(
      `(a) bare Fastify route (${authoriseBytes}-byte body), (b) GET /authorise hot and cold (${coldCount} tokens), (c) POST /oauth2/introspect, ` +
        '(d) POST /oauth2/token client_credentials, (e) oidc-provider: the same two: 3 rounds'
    )
    const [ceilingLoad, hotLoad, coldLoad, introspectLoad, clientTokenLoad, peerTokenLoad, peerIntrospectLoad] = await inTurns([
      [{ url: bare.url }, (body) => body.length === authoriseBytes],
      [{ url: `${mp.url}/authorise`, requests: hotRequests }, isAuthorised],
      [{ url: `${mp.url}/authorise`, requests: coldRequests }, isAuthorised],
      [{ url: `${mp.url}/oauth2/introspect`, method: 'POST', headers: formHeaders(mpBasic), body: form({ token: hotTokens[0] }) }, isActive],
      [clientCredentials, hasAccessToken],
      [peerTokenRequest, hasAccessToken],
      [async () => ({ url: `${peer.url}/token/introspection`, method: 'POST', headers: formHeaders(peerBasic), body: form({ token: await peerToken() }) }), isActive]
    ])
    await Promise.all([bare.stop(), peer.stop()])
    figure('a ceiling: bare Fastify', ceilingLoad, { bodyBytes: authoriseBytes })
    figure('b hot: GET /authorise, 4 tokens', hotLoad)
    const maxUsesPerToken = Math.ceil(next / coldCount)
    figure('b cold: GET /authorise, new token each', coldLoad, { distinctTokens: coldCount, maxUsesPerToken })
    if (maxUsesPerToken > 2) console.error(`  cold tokens were used up to ${maxUsesPerToken} times each: a cache may have helped`)
    figure('c moneypenny introspect', introspectLoad)
    figure('d moneypenny token (client_credentials)', clientTokenLoad)
    figure('e peer token (client_credentials)', peerTokenLoad)
    figure('e peer introspection', peerIntrospectLoad)
  }


  if (runs('f', 'g')) {
    // --- (f) logins against bcrypt's limit, (g) /authorise beside them -----------------
    // The same code the server runs, in this process while the server idles.
    const passwords = new Passwords(bcryptCost)
    const hash = await passwords.hash(user.password)
    const compares = []
    for (let i = 0; i < 10; i += 1) {
      const started = performance.now()
      if (!(await passwords.verify(user.password, hash, CURRENT_SCHEME))) throw new Error('the bcrypt compare failed')
      compares.push(performance.now() - started)
    }
    compareMs = compares.sort((x, y) => x - y)[compares.length >> 1]
    loginLimit = cores / (compareMs / 1000)
    console.error(`(f) POST /api/v1/auth/local/authenticate; one bcrypt compare (cost ${bcryptCost}) ${compareMs.toFixed(1)} ms, limit ${loginLimit.toFixed(1)}/s on ${cores} cores`)
    const login = {
      url: `${mp.url}/api/v1/auth/local/authenticate`,
      method: 'POST',
      connections: 8,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: user.username, password: user.password })
    }
    const isTokenPair = (body) => body.includes('"accessToken":"')
    figure('f logins', await load(login, isTokenPair), { bcryptCompareMs: compareMs, limitPerSec: loginLimit })
    // The same sign-in with a TOTP code: bcrypt, then the second factor (an HMAC, the secret decrypted,
    // the used step stored). Each step is accepted once per user, so the load spreads over a pool of users.
    const totpPassword = randomBytes(12).toString('base64url')
    // A user enrolled in this 30-second step has only the next one left in it: one sign-in per user, and half again.
    const totpUserCount = Math.max(16, Math.ceil(loginLimit * (warmup + duration) * 1.5))
    const totpUsers = await enrolTotpUsers(mp.url, { prefix: 'bench-totp', count: totpUserCount, password: totpPassword, concurrency: 8 })
    const nextSignIn = nextTotpSignIn(totpUsers, totpPassword)
    console.error(`(f) the same with a TOTP code, over ${totpUsers.length} users with a second factor`)
    const totpLogin = { ...login, body: undefined, requests: [{ method: 'POST', setupRequest: (request) => ({ ...request, body: JSON.stringify(nextSignIn()) }) }] }
    figure('f logins with TOTP', await load(totpLogin, isTokenPair))

    console.error('(g) GET /authorise at 1000 req/s beside logins at full rate')
    const checksBeside = { url: `${mp.url}/authorise`, connections: 10, overallRate: 1000, requests: hotTokens.map((token) => ({ method: 'GET', headers: bearer(token) })) }
    const [beside, loginsBeside] = await Promise.all([load(checksBeside, isAuthorised), load(login, isTokenPair)])
    figure('g GET /authorise beside logins', beside)
    figure('g logins beside /authorise', loginsBeside)
  }

  // --- (h) /authorise while others post bodies without credentials --------------------
  // The review's senders: two connections posting a megabyte of nested arrays to a route that
  // takes no body, unauthenticated (Fastify used to parse it before the admin check). Then, to
  // judge nesting at the new limit, the largest body a route that takes one reads (BODY_LIMIT,
  // 64 KiB), nested and flat, to POST /api/v1/clients, again without credentials.
  if (runs('h')) {
    const bodyLimit = loadConfig({}).bodyLimit ?? 65_536
    const flatJson = (bytes) => `[${'1,'.repeat(Math.floor((bytes - 3) / 2))}1]`.padEnd(bytes, ' ')
    // As many checks as the server answers (as in b hot), so that time it spends on the senders
    // shows in the latencies; a fixed rate would stop asking while the server is stuck, and hide it.
    const checks = { url: `${mp.url}/authorise`, connections, requests: hotTokens.map((token) => ({ method: 'GET', headers: bearer(token) })) }
    const variants = [
      ['h /authorise, no senders', null],
      ['h /authorise, 1 MB [ to keys/rotate', sendersOf(`${mp.url}/api/v1/keys/rotate`, '['.repeat(1_000_000))],
      ['h /authorise, 64 KiB [ to POST clients', sendersOf(`${mp.url}/api/v1/clients`, '['.repeat(bodyLimit))],
      ['h /authorise, 64 KiB flat to clients', sendersOf(`${mp.url}/api/v1/clients`, flatJson(bodyLimit))]
    ]
    console.error(`(h) GET /authorise at full rate, alone and beside 2 unauthenticated senders of: 1 MB of [ to POST /api/v1/keys/rotate, ${bodyLimit} bytes of [ and of flat JSON to POST /api/v1/clients: 3 rounds`)
    const loads = await inTurns(variants.map(([, beside]) => [checks, isAuthorised, beside]))
    for (const [i, [name, beside]] of variants.entries()) {
      const senders = beside ? sendersGot(loads[i].beside) : undefined
      figure(name, loads[i], senders ? { senders } : {})
      if (senders) console.error(`    senders: ${senders.answers} answers ${JSON.stringify(senders.statuses)}, ${senders.errors} connection errors, ${senders.timeouts} timeouts`)
    }
  }

  // --- (i) token issuance, and token checks while it runs at full rate ----------------
  // Signing happens on libuv's pool, so issuance should use every core and a check should not
  // wait behind a signature. The checks run at a fixed rate, as in (g), so that p99 tells how
  // long one waited; the issuance beside them is as fast as the server answers.
  if (runs('i')) {
    const { peer, peerTokenRequest } = await startPeer()
    servers.push(peer)
    const checksAtFixedRate = { url: `${mp.url}/authorise`, connections: 10, overallRate: 1000, requests: hotTokens.map((token) => ({ method: 'GET', headers: bearer(token) })) }
    const issuance = sendersOf(clientCredentials.url, clientCredentials.body, { senders: connections, headers: clientCredentials.headers })
    // Logins keep bcrypt busy on the same pool as the signatures: issuance must not wait behind them.
    const logins = sendersOf(`${mp.url}/api/v1/auth/local/authenticate`, JSON.stringify({ username: user.username, password: user.password }), { senders: 8, settleMs: 3000 })
    console.error(
      `(i) POST /oauth2/token client_credentials alone and beside logins on 8 connections, the peer's, GET /authorise at 1000 req/s alone and beside client_credentials on ${connections} connections: 3 rounds`
    )
    const [tokenLoad, tokenBesideLoginsLoad, peerTokenLoad, aloneLoad, besideLoad] = await inTurns([
      [clientCredentials, hasAccessToken],
      [clientCredentials, hasAccessToken, logins],
      [peerTokenRequest, hasAccessToken],
      [checksAtFixedRate, isAuthorised],
      [checksAtFixedRate, isAuthorised, issuance]
    ])
    await peer.stop()
    figure('i moneypenny token (client_credentials)', tokenLoad)
    const loginsBeside = sendersGot(tokenBesideLoginsLoad.beside)
    figure('i token beside logins', tokenBesideLoginsLoad, { logins: loginsBeside })
    console.error(`    logins beside: ${loginsBeside.answers} answers ${JSON.stringify(loginsBeside.statuses)}`)
    figure('i peer token (client_credentials)', peerTokenLoad)
    figure('i GET /authorise 1000/s, alone', aloneLoad)
    const senders = sendersGot(besideLoad.beside)
    figure('i GET /authorise 1000/s beside issuance', besideLoad, { senders })
    console.error(`    issuance beside: ${senders.answers} answers ${JSON.stringify(senders.statuses)}, ${senders.errors} connection errors, ${senders.timeouts} timeouts`)
  }

  const memoryEnd = await memoryOf(mp)
  const rssEndMb = memoryEnd.rss
  await mp.stop()

  // --- ratios, targets, the table ---------------------------------------------------
  // A figure that did not run (--only) is null, and so is every check of it.
  const rate = (name) => byName(name)?.reqPerSec ?? null
  const p50 = (name) => byName(name)?.p50Ms ?? null
  const p99 = (name) => byName(name)?.p99Ms ?? null
  const ratio = (a, b) => (a === null || b === null ? null : a / b)
  const ceiling = rate('a ceiling: bare Fastify')
  // Each check belongs to the figure it judges; a null target is printed for information only.
  const checks = [
    ['b hot: GET /authorise, 4 tokens', '/ (a)', ratio(rate('b hot: GET /authorise, 4 tokens'), ceiling), '>= 0.8', (v) => v >= 0.8],
    ['b cold: GET /authorise, new token each', '/ (a)', ratio(rate('b cold: GET /authorise, new token each'), ceiling), '>= 0.3', (v) => v >= 0.3],
    ['c moneypenny introspect', '/ (e introspection)', ratio(rate('c moneypenny introspect'), rate('e peer introspection')), '>= 3', (v) => v >= 3],
    ['c moneypenny introspect', '/ (a)', ratio(rate('c moneypenny introspect'), ceiling), null],
    ['d moneypenny token (client_credentials)', '/ (e token)', ratio(rate('d moneypenny token (client_credentials)'), rate('e peer token (client_credentials)')), '>= 1', (v) => v >= 1],
    ['f logins', '/ bcrypt limit', ratio(rate('f logins'), loginLimit), '>= 0.9', (v) => v >= 0.9],
    ['f logins with TOTP', '/ bcrypt limit', ratio(rate('f logins with TOTP'), loginLimit), '>= 0.9', (v) => v >= 0.9],
    ['g logins beside /authorise', '/ bcrypt limit', ratio(rate('g logins beside /authorise'), loginLimit), null],
    ['g GET /authorise beside logins', 'p99 ms', p99('g GET /authorise beside logins'), '< 20', (v) => v < 20],
    // The review's attack: a route that takes no body must not let anyone make the server parse one.
    ['h /authorise, 1 MB [ to keys/rotate', 'p50 / no senders', ratio(p50('h /authorise, 1 MB [ to keys/rotate'), p50('h /authorise, no senders')), null],
    ['h /authorise, 1 MB [ to keys/rotate', 'p99 / no senders', ratio(p99('h /authorise, 1 MB [ to keys/rotate'), p99('h /authorise, no senders')), null],
    ['h /authorise, 64 KiB [ to POST clients', 'p50 / no senders', ratio(p50('h /authorise, 64 KiB [ to POST clients'), p50('h /authorise, no senders')), null],
    ['i moneypenny token (client_credentials)', '/ (i peer token)', ratio(rate('i moneypenny token (client_credentials)'), rate('i peer token (client_credentials)')), '>= 1', (v) => v >= 1],
    ['i token beside logins', '/ (i moneypenny token)', ratio(rate('i token beside logins'), rate('i moneypenny token (client_credentials)')), null],
    ['i GET /authorise 1000/s beside issuance', 'p99 / alone', ratio(p99('i GET /authorise 1000/s beside issuance'), p99('i GET /authorise 1000/s, alone')), null],
    ['i GET /authorise 1000/s beside issuance', 'p99 ms', p99('i GET /authorise 1000/s beside issuance'), '< 20', (v) => v < 20],
    ['h /authorise, 64 KiB flat to clients', 'p50 / no senders', ratio(p50('h /authorise, 64 KiB flat to clients'), p50('h /authorise, no senders')), null]
  ]
  const judged = (what, value, target, met) => ({ what, value, target, met: target === null ? null : value !== null && met(value) })
  for (const [name, what, value, target, met] of checks) if (byName(name)) (byName(name).checks ??= []).push(judged(what, value, target, met))
  const processChecks = [
    judged('RSS at the end, MB', rssEndMb, '< 150', (v) => v < 150),
    judged('restart to /readyz 200, ms', mp.readyMs, '< 1000', (v) => v < 1000),
    judged('first start (admin made), ms', firstStartMs, null)
  ]

  const cell = (value, digits) => (value === null ? 'ERROR' : value.toFixed(digits))
  const verdict = (c) => `${c.what} ${cell(c.value, 2)}${c.target === null ? '' : ` (target ${c.target}: ${c.met ? 'met' : 'MISSED'})`}`
  const machine = { cpu: os.cpus()[0].model, cores, node: process.version, platform: `${os.platform()} ${os.release()}`, date: new Date(startedAt).toISOString() }
  console.log(
    `\nmoneypenny bench: ${machine.cpu}, ${cores} cores, Node ${machine.node}, ${machine.date}; (a) to (e) in 3 rounds of ${(duration / 3).toFixed(1)} s (1 s warm-up each), (f) and (g) ${warmup} s warm-up + ${duration} s, (h) and (i) in 3 rounds; moneypenny started with the image's node flags${'NODE_COMPILE_CACHE' in imageCompileCache() ? ' and compile cache' : ' (no compile cache before Node 22.1)'}${only === null ? '' : `; only ${[...only].join(', ')}`}`
  )
  console.log(`${'figure'.padEnd(40)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)}  ratio or check`)
  for (const f of figures) {
    const row = `${f.name.padEnd(40)} ${cell(f.reqPerSec, f.reqPerSec < 100 ? 1 : 0).padStart(8)} ${cell(f.p50Ms, 1).padStart(7)} ${cell(f.p99Ms, 1).padStart(7)}`
    const notes = f.error ? [`ERROR: ${f.error}`] : (f.checks ?? []).map(verdict)
    console.log(`${row}  ${notes.join('; ')}`)
  }
  if (compareMs !== null) console.log(`bcrypt compare at cost ${bcryptCost}: ${compareMs.toFixed(1)} ms, so at most ${loginLimit.toFixed(1)} logins/s on ${cores} cores`)
  console.log(`RSS idle after start ${rssIdleMb.toFixed(1)} MB; ${processChecks.map(verdict).join('; ')}`)
  console.log(`memory after start, MB: ${memoryLine(memoryIdle)}\nmemory at the end, MB:   ${memoryLine(memoryEnd)}`)

  const results = {
    machine,
    settings: { warmupSeconds: warmup, durationSeconds: duration, connections, bcryptCost },
    figures,
    bcrypt: { cost: bcryptCost, compareMs, loginLimitPerSec: loginLimit },
    memory: { rssIdleMb, rssEndMb, idle: memoryIdle, end: memoryEnd },
    readyMs: mp.readyMs,
    firstStartMs,
    checks: processChecks,
    runSeconds: (Date.now() - startedAt) / 1000,
    only: only === null ? null : [...only]
  }
  if (resultsFile !== null) {
    writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`)
  } else if (only === null) {
    writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`)
    console.log(`bench/results.json written; the run took ${results.runSeconds.toFixed(0)} s`)
  } else {
    console.log(`a partial run (--only ${[...only].join(',')}): bench/results.json left as it was; the run took ${results.runSeconds.toFixed(0)} s`)
  }
  // Missed targets are figures; a figure that could not be measured is a broken run.
  if (figures.some((f) => f.error)) process.exitCode = 1
} finally {
  await Promise.all(servers.map((server) => server.stop()))
  rmSync(dataDir, { recursive: true, force: true })
}
