// What a hot token check costs, piece by piece (issue 21, point 3): the server's CPU time per
// request for GET /authorise with a remembered token and for the bare Fastify route of
// bench/run.mjs (a), each measured twice: once plainly (CPU time from /proc over the run, every
// thread of the process), once under V8's sampling profiler (node --cpu-prof), whose self time
// is split by where it was spent (moneypenny's files, each package, Node's modules, the garbage
// collector, the VM) and printed per request, beside the bare route's. A third run, "slowed", is the
// bare route made as slow as the check by busy work: a piece that grows there as much as in the
// check grows because answers come slower, not because of what the check
// does. After `npm run build`:
//
//   node bench/check-pieces.mjs            (BENCH_DURATION seconds per run, default 8)
//
// Run it on the Node to measure (the Node 26 tree of bench/runtimes.mjs is .bench-runtime/tree).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { startMoneypenny, startNode } from './lib.mjs'

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

/** Runs the load on a server started by `start(nodeArgs)`; returns requests, CPU µs per request and, when profiled, the pieces. */
async function measure(start, request, check, profileDir) {
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-interval=${SAMPLE_US}`] : []
  const server = await start(nodeArgs)
  try {
    // A warm-up the figures leave out: V8 has compiled the hot code before the clock starts.
    await autocannon({ ...request(server), connections, duration: 2 })
    const cpuBefore = cpuUs(server.child.pid)
    const from = monotonicUs()
    let bad = 0
    const result = await autocannon({ ...request(server), connections, duration, verifyBody: (body) => check(body) || (bad++, false) })
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
const profileRoot = mkdtempSync(join(tmpdir(), 'moneypenny-pieces-'))
try {
  const signedIn = async (server) => {
    const answer = await fetch(`${server.url}/api/v1/auth/local/authenticate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) })
    if (answer.status !== 200) throw new Error(`sign-in: ${answer.status} ${await answer.text()}`)
    return { ...server, token: (await answer.json()).accessToken }
  }
  const startMp = async (nodeArgs) =>
    signedIn(await startMoneypenny({ RATE_LIMIT: 'off', BCRYPT_COST: '10', ADMIN_USERNAME: admin.username, ADMIN_PASSWORD: admin.password, ADMIN_EMAIL: 'bench-admin@example.test' }, { nodeArgs }))
  // The bare route answers a body as long as /authorise's.
  const first = await startMp([])
  const answer = await fetch(`${first.url}/authorise`, { headers: { authorization: `Bearer ${first.token}` } })
  const body = await answer.text()
  if (answer.status !== 200) throw new Error(`/authorise: ${answer.status} ${body}`)
  await first.stop()
  const startBare = (spinUs) => (nodeArgs) =>
    startNode('bench/bare-server.mjs', () => ({ BODY_BYTES: String(Buffer.byteLength(body)), SPIN_US: String(spinUs) }), { nodeArgs })

  const checkRequest = ({ url, token }) => ({ url: `${url}/authorise`, headers: { authorization: `Bearer ${token}` } })
  const isAuthorised = (text) => text.startsWith('{"data":{"username":"bench-admin"')
  const bareRequest = ({ url }) => ({ url })
  const isBare = (text) => text.length === body.length

  const runs = {}
  const run = async (name, start, request, check) => {
    const plain = await measure(start, request, check, null)
    const profiled = await measure(start, request, check, join(profileRoot, name))
    runs[name] = { plain, profiled }
    console.error(`${name}: ${(plain.requests / duration).toFixed(0)} req/s, ${plain.cpuPerRequest.toFixed(1)} µs of CPU a request (every thread); profiled ${(profiled.requests / duration).toFixed(0)} req/s`)
  }
  await run('bare', startBare(0), bareRequest, isBare)
  await run('check', startMp, checkRequest, isAuthorised)
  // The bare route made as slow as the check by busy work alone: what a slower answer costs by itself
  // (the client waits more often, and each answer's write wakes it), apart from what the check does.
  const spinUs = Math.max(0, runs.check.plain.cpuPerRequest - runs.bare.plain.cpuPerRequest)
  await run('slowed', startBare(spinUs), bareRequest, isBare)

  const perRequest = (run) => new Map([...run.profiled.pieces].map(([piece, us]) => [piece, us / run.profiled.requests]))
  const columns = ['bare', 'slowed', 'check']
  const byRun = Object.fromEntries(columns.map((name) => [name, perRequest(runs[name])]))
  const pieces = [...new Set(columns.flatMap((name) => [...byRun[name].keys()]))].map((piece) => ({
    piece,
    ...Object.fromEntries(columns.map((name) => [name, byRun[name].get(piece) ?? 0]))
  }))
  pieces.sort((x, y) => y.check - y.bare - (x.check - x.bare))
  const sum = (list, key) => list.reduce((total, piece) => total + piece[key], 0)
  const cells = (values) => values.map((us) => us.toFixed(2).padStart(8)).join('')
  const row = (label, values) => `${label.padEnd(52)}${cells([...values, values[2] - values[0]])}`
  const valuesOf = (list) => columns.map((name) => sum(list, name))
  console.log(`\nNode ${process.version}; µs of the event loop's thread per request (profile self time, sampled every ${SAMPLE_US} µs)`)
  console.log(`slowed: the bare route with ${spinUs.toFixed(1)} µs of busy work a request (shown as bare-server.mjs and performance.now's pieces)`)
  console.log(`${'piece'.padEnd(52)}${['bare', 'slowed', 'check', 'extra'].map((title) => title.padStart(8)).join('')}`)
  const shown = pieces.filter((p) => Math.max(...columns.map((name) => p[name])) >= 0.05)
  for (const piece of shown) console.log(row(piece.piece, valuesOf([piece])))
  const small = pieces.filter((p) => !shown.includes(p))
  console.log(row(`${small.length} pieces under 0.05 µs each`, valuesOf(small)))
  console.log(row('total (profiled thread)', valuesOf(pieces)))
  console.log(row('CPU of the whole process, unprofiled run', columns.map((name) => runs[name].plain.cpuPerRequest)))
  const rate = (name) => runs[name].plain.requests / duration
  console.log(`req/s unprofiled: bare ${rate('bare').toFixed(0)}, slowed ${rate('slowed').toFixed(0)}, check ${rate('check').toFixed(0)} (${(rate('check') / rate('bare')).toFixed(2)} of bare)`)
} finally {
  rmSync(profileRoot, { recursive: true, force: true })
}
