// What a request costs, piece by piece (issue 21, points 3 and 4): the server's CPU time per
// request for one of moneypenny's requests (the scenario) and for the bare Fastify route of
// bench/run.mjs (a) answering as many bytes, each measured twice: once plainly (CPU time from /proc over the run, every
// thread of the process), once under V8's sampling profiler (node --cpu-prof), whose self time
// is split by where it was spent (moneypenny's files, each package, Node's modules, the garbage
// collector, the VM) and printed per request, beside the bare route's. A third run, "slowed", is the
// bare route made as slow as the scenario by busy work: a piece that grows there as much as in the
// scenario grows because answers come slower, not because of what moneypenny does. Where the target
// is a ratio to oidc-provider (introspect, token), the peer is measured the same way, as a column.
// After `npm run build`:
//
//   node bench/check-pieces.mjs [SCENARIO]    (BENCH_DURATION seconds per run, default 8)
//
//   hot         GET /authorise with a remembered token (the default)
//   cold        GET /authorise with a new token each request (minted before, on the same store)
//   introspect  POST /oauth2/introspect, HTTP Basic client authentication, a remembered token
//   token       POST /oauth2/token, grant client_credentials, HTTP Basic (the signature runs on the pool)
//
// Run it on the Node to measure (the Node 26 tree of bench/runtimes.mjs is .bench-runtime/tree).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { basicAuth, bearer, form, formHeaders, hasAccessToken, isActive, post, startMoneypenny, startNode, startPeer } from './lib.mjs'

const SCENARIOS = ['hot', 'cold', 'introspect', 'token']
const scenario = process.argv[2] ?? 'hot'
if (!SCENARIOS.includes(scenario)) {
  console.error(`usage: node bench/check-pieces.mjs [${SCENARIOS.join('|')}]`)
  process.exit(2)
}
const duration = Number(process.env.BENCH_DURATION ?? 8)
const connections = 10
// The profiler's sampling interval: fine enough for pieces of a few µs over a million requests.
const SAMPLE_US = 100
const TICK_US = 1e6 / 100 // /proc's clock ticks (USER_HZ) in µs

/** utime + stime of every thread of a process, in µs. */
function cpuUs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) * TICK_US
}

/** The name of the piece a profile node's time belongs to. */
function pieceOf({ functionName, url }) {
  if (functionName === '(garbage collector)') return 'V8: garbage collector'
  if (functionName === '(program)') return 'V8 and native code outside JS'
  if (url === '') return `native: ${functionName || '(anonymous)'}`
  const packageName = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)
  if (packageName) return packageName[1]
  const own = /\/dist\/src\/(.+)\.js$/.exec(url)
  if (own) return `moneypenny: ${own[1]}`
  if (url.startsWith('node:')) return url
  return url.replace(/^.*\//, '')
}

/** The monotonic clock in µs, the clock of V8's profile timestamps on Linux (CLOCK_MONOTONIC, shared by processes). */
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n)

/** Self time by piece, in µs, of a .cpuprofile's samples between `from` and `to` (idle time left out). */
function selfTimeByPiece(profile, from, to) {
  const pieceOfNode = new Map(profile.nodes.map((node) => [node.id, node.callFrame.functionName === '(idle)' ? null : pieceOf(node.callFrame)]))
  const byPiece = new Map()
  let at = profile.startTime
  for (const [i, id] of profile.samples.entries()) {
    at += profile.timeDeltas[i]
    // A sample stands for the time until the next one.
    const span = i + 1 < profile.samples.length ? profile.timeDeltas[i + 1] : 0
    const piece = pieceOfNode.get(id)
    if (piece && at >= from && at < to) byPiece.set(piece, (byPiece.get(piece) ?? 0) + span)
  }
  return byPiece
}

/**
 * Runs the load on a server started by `start(nodeArgs)`, asking what `request(server)` (autocannon's
 * options) says; returns requests, CPU µs per request and, when profiled, the pieces.
 */
async function measure({ start, request, check }, profileDir) {
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-interval=${SAMPLE_US}`] : []
  const server = await start(nodeArgs)
  try {
    // A warm-up the figures leave out: V8 has compiled the hot code before the clock starts.
    const options = await request(server)
    await autocannon({ ...options, connections, duration: 2 })
    const cpuBefore = cpuUs(server.child.pid)
    const from = monotonicUs()
    let bad = 0
    const result = await autocannon({ ...options, connections, duration, verifyBody: (body) => check(body) || (bad++, false) })
    const to = monotonicUs()
    const cpu = cpuUs(server.child.pid) - cpuBefore
    if (bad > 0 || result.non2xx > 0 || result.errors > 0) throw new Error(`bad answers: ${bad} wrong, ${result.non2xx} non-2xx, ${result.errors} errors`)
    const requests = result.requests.total
    // The profile is written when the process exits.
    await server.stop()
    if (!profileDir) return { requests, cpuPerRequest: cpu / requests }
    const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'))
    return { requests, pieces: selfTimeByPiece(JSON.parse(readFileSync(join(profileDir, file), 'utf8')), from, to) }
  } finally {
    await server.stop()
  }
}

const admin = { username: 'bench-admin', password: 'bench-admin-password' }
const adminEnv = { RATE_LIMIT: 'off', BCRYPT_COST: '10', ADMIN_USERNAME: admin.username, ADMIN_PASSWORD: admin.password, ADMIN_EMAIL: 'bench-admin@example.test' }
const isAuthorised = (text) => text.startsWith('{"data":{"username":"bench-admin"')

/** moneypenny with the admin signed in: the admin's tokens and a client_credentials client that may introspect every token. */
async function startSignedIn(env, nodeArgs) {
  const server = await startMoneypenny({ ...adminEnv, ...env }, { nodeArgs })
  const { accessToken, refreshToken } = await post(`${server.url}/api/v1/auth/local/authenticate`, admin)
  const client = await post(
    `${server.url}/api/v1/clients`,
    { client_name: 'bench', grant_types: ['client_credentials'], token_endpoint_auth_method: 'client_secret_basic', resource_server: 'all' },
    bearer(accessToken)
  )
  return { ...server, accessToken, refreshToken, basic: basicAuth(client.client_id, client.client_secret) }
}

/** Each scenario: how to start moneypenny, its request and the check of an answer, and the peer's where the target is a ratio to it. */
const scenarioRuns = {
  hot: async () => ({
    moneypenny: { start: (nodeArgs) => startSignedIn({}, nodeArgs), request: ({ url, accessToken }) => ({ url: `${url}/authorise`, headers: bearer(accessToken) }), check: isAuthorised }
  }),
  // One store for every run, so that tokens minted once stay valid; each server starts with none remembered.
  cold: async (dir) => {
    // The issuer (PUBLIC_URL) the same for every start, whatever its port, so the tokens stay valid.
    const env = { SQLITE_PATH: join(dir, 'cold.db'), PUBLIC_URL: 'http://127.0.0.1' }
    const minting = await startSignedIn(env, [])
    // Enough for both runs of 2 + duration s at up to 15,000 req/s, each token used once per run.
    const tokens = []
    const mint = await autocannon({
      url: `${minting.url}/api/v1/auth/refresh`,
      connections,
      amount: 15_000 * (duration + 2),
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ refresh_token: minting.refreshToken }),
          onResponse: (status, body) => status === 200 && tokens.push(JSON.parse(body).accessToken)
        }
      ]
    })
    await minting.stop()
    if (mint.non2xx > 0) throw new Error(`minting: ${mint.non2xx} non-2xx answers`)
    return {
      moneypenny: {
        start: (nodeArgs) => startSignedIn(env, nodeArgs),
        request: ({ url }) => {
          let next = 0
          return { url: `${url}/authorise`, requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, headers: bearer(tokens[next++ % tokens.length]) }) }] }
        },
        check: isAuthorised
      }
    }
  },
  introspect: async () => ({
    moneypenny: {
      start: (nodeArgs) => startSignedIn({}, nodeArgs),
      request: ({ url, basic, accessToken }) => ({ url: `${url}/oauth2/introspect`, method: 'POST', headers: formHeaders(basic), body: form({ token: accessToken }) }),
      check: isActive
    },
    peer: {
      start: async (nodeArgs) => {
        const { peer, peerBasic, peerTokenRequest } = await startPeer({ nodeArgs })
        const { access_token: token } = await (await fetch(peerTokenRequest.url, peerTokenRequest)).json()
        return { ...peer, request: { url: `${peer.url}/token/introspection`, method: 'POST', headers: formHeaders(peerBasic), body: form({ token }) } }
      },
      request: (peer) => peer.request,
      check: isActive
    }
  }),
  token: async () => ({
    moneypenny: {
      start: (nodeArgs) => startSignedIn({}, nodeArgs),
      request: ({ url, basic }) => ({ url: `${url}/oauth2/token`, method: 'POST', headers: formHeaders(basic), body: form({ grant_type: 'client_credentials' }) }),
      check: hasAccessToken
    },
    peer: {
      start: async (nodeArgs) => {
        const { peer, peerTokenRequest } = await startPeer({ nodeArgs })
        return { ...peer, request: peerTokenRequest }
      },
      request: (peer) => peer.request,
      check: hasAccessToken
    }
  })
}

const profileRoot = mkdtempSync(join(tmpdir(), 'moneypenny-pieces-'))
try {
  const { moneypenny, peer } = await scenarioRuns[scenario](profileRoot)
  // The bare route answers as many bytes as the scenario's answer.
  const first = await moneypenny.start([])
  const sample = await moneypenny.request(first)
  const answer = await fetch(sample.url, { method: sample.method ?? 'GET', headers: sample.headers ?? sample.requests?.[0].setupRequest({}).headers, body: sample.body })
  const body = await answer.text()
  await first.stop()
  if (!answer.ok || !moneypenny.check(body)) throw new Error(`${scenario}: ${answer.status} ${body}`)
  const bare = (spinUs) => ({
    start: (nodeArgs) => startNode('bench/bare-server.mjs', () => ({ BODY_BYTES: String(Buffer.byteLength(body)), SPIN_US: String(spinUs) }), { nodeArgs }),
    request: ({ url }) => ({ url }),
    check: (text) => text.length === body.length
  })

  const runs = {}
  const run = async (name, server) => {
    const plain = await measure(server, null)
    const profiled = await measure(server, join(profileRoot, name))
    runs[name] = { plain, profiled }
    console.error(`${name}: ${(plain.requests / duration).toFixed(0)} req/s, ${plain.cpuPerRequest.toFixed(1)} µs of CPU a request (every thread); profiled ${(profiled.requests / duration).toFixed(0)} req/s`)
  }
  await run('bare', bare(0))
  await run(scenario, moneypenny)
  if (peer) await run('peer', peer)
  // The bare route made as slow as the scenario by busy work alone: what a slower answer costs by itself
  // (the client waits more often, and each answer's write wakes it), apart from what moneypenny does.
  const spinUs = Math.max(0, runs[scenario].plain.cpuPerRequest - runs.bare.plain.cpuPerRequest)
  await run('slowed', bare(spinUs))

  const perRequest = (run) => new Map([...run.profiled.pieces].map(([piece, us]) => [piece, us / run.profiled.requests]))
  const columns = ['bare', 'slowed', ...(peer ? ['peer'] : []), scenario]
  const byRun = Object.fromEntries(columns.map((name) => [name, perRequest(runs[name])]))
  const pieces = [...new Set(columns.flatMap((name) => [...byRun[name].keys()]))].map((piece) => ({
    piece,
    ...Object.fromEntries(columns.map((name) => [name, byRun[name].get(piece) ?? 0]))
  }))
  // moneypenny's largest pieces beyond the bare route's first, then the peer's.
  pieces.sort((x, y) => y[scenario] - y.bare - (x[scenario] - x.bare) || (y.peer ?? 0) - (x.peer ?? 0))
  const sum = (list, key) => list.reduce((total, piece) => total + piece[key], 0)
  const cells = (values) => values.map((us) => us.toFixed(2).padStart(11)).join('')
  const last = columns.length - 1
  const row = (label, values) => `${label.padEnd(52)}${cells([...values, values[last] - values[0]])}`
  const valuesOf = (list) => columns.map((name) => sum(list, name))
  console.log(`\nNode ${process.version}, ${scenario}; µs of the event loop's thread per request (profile self time, sampled every ${SAMPLE_US} µs)`)
  console.log(`slowed: the bare route with ${spinUs.toFixed(1)} µs of busy work a request (shown as bare-server.mjs and performance.now's pieces)`)
  console.log(`${'piece'.padEnd(52)}${[...columns, 'extra'].map((title) => title.padStart(11)).join('')}`)
  const shown = pieces.filter((p) => Math.max(...columns.map((name) => p[name])) >= 0.05)
  for (const piece of shown) console.log(row(piece.piece, valuesOf([piece])))
  const small = pieces.filter((p) => !shown.includes(p))
  console.log(row(`${small.length} pieces under 0.05 µs each`, valuesOf(small)))
  console.log(row('total (profiled thread)', valuesOf(pieces)))
  console.log(row('CPU of the whole process, unprofiled run', columns.map((name) => runs[name].plain.cpuPerRequest)))
  const rate = (name) => runs[name].plain.requests / duration
  const ratios = [`${(rate(scenario) / rate('bare')).toFixed(2)} of bare`, ...(peer ? [`${(rate(scenario) / rate('peer')).toFixed(2)} of the peer`] : [])]
  console.log(`req/s unprofiled: ${columns.map((name) => `${name} ${rate(name).toFixed(0)}`).join(', ')} (${scenario}: ${ratios.join(', ')})`)
} finally {
  rmSync(profileRoot, { recursive: true, force: true })
}
