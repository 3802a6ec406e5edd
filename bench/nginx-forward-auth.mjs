// `npm run bench:gateway`: Debian's nginx in front of a small application, without auth and with
// the docs' forward-auth recipe (auth_request, HEAD /authorise on a keep-alive upstream), and, for
// comparison, the shape the gateway issue measured (GET /authorise, a connection per check).
// Prints requests per second, the ratio to nginx without auth, and how many TCP connections nginx
// opened to moneypenny. A benchmark, not a test: the figures are noisy, nothing is asserted.
//
// Environment: BENCH_DURATION (seconds per figure, default 10), BENCH_WARMUP (default 2),
// BENCH_CONNECTIONS (default 10). Needs /usr/sbin/nginx (apt-get install nginx).
import { readFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { nginxMissing, nginxRecipe, startNginx } from '../dist/test/gateway/nginx.js'
import { freePort, startMoneypenny, startNode } from './lib.mjs'

const missing = nginxMissing()
if (missing !== null) {
  console.error(missing)
  process.exit(2)
}
const duration = Number(process.env.BENCH_DURATION ?? 10)
const warmup = Number(process.env.BENCH_WARMUP ?? 2)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10)

/** The recipe as the issue found nginx set up: GET /authorise (the ~1 KB JSON answer) and no upstream keep-alive. */
const beforeRecipe = (recipe) =>
  recipe.replace(/upstream moneypenny \{([^}]*)keepalive 16;/, 'upstream moneypenny {$1').replace('proxy_method HEAD;', '')

async function post(url, body) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`)
  return response.json()
}

// A run with more bad answers than this (as in run.mjs) prints an error instead of a figure.
const MAX_BAD = 0.001

/** Requests per second through nginx at `url` with `headers`, and how many answers were not 200 (errors and timeouts included). */
async function throughput(url, headers) {
  await autocannon({ url, connections, headers, duration: warmup })
  const result = await autocannon({ url, connections, headers, duration })
  const bad = result.non2xx + result.errors + result.timeouts
  if (bad > MAX_BAD * result.requests.total) {
    throw new Error(`${bad} of ${result.requests.total} answers were not 200 at ${url}: ${JSON.stringify(result.statusCodeStats)}, ${result.errors} errors`)
  }
  if (bad > 0) console.error(`${url}: ${bad} not 200: ${JSON.stringify(result.statusCodeStats)}, ${result.errors} errors, ${result.timeouts} timeouts`)
  return { rps: result.requests.average, requests: result.requests.total, bad }
}

const appServer = await startNode('bench/gateway-app.mjs', () => ({}))
const app = new URL(appServer.url).host
const figures = []
try {
  const plain = await startNginx(nginxRecipe({ moneypenny: '127.0.0.1:9', app, auth: false }), await freePort())
  try {
    figures.push({ name: 'nginx, no auth', ...(await throughput(plain.url, {})), connections: null })
  } finally {
    await plain.stop()
  }
  for (const [name, recipe] of [
    ['nginx + forward auth (recipe: HEAD, keep-alive)', (upstreams) => nginxRecipe(upstreams)],
    ['nginx + forward auth (GET, no keep-alive: before)', (upstreams) => beforeRecipe(nginxRecipe(upstreams))]
  ]) {
    const dir = mkdtempSync(join(tmpdir(), 'moneypenny-bench-gateway-'))
    const connectionsFile = join(dir, 'connections')
    const moneypenny = await startMoneypenny({ RATE_LIMIT: 'off', CONNECTIONS_FILE: connectionsFile }, { nodeArgs: ['--import', './bench/count-connections.mjs'] })
    try {
      const user = { username: 'bench-gateway', email: 'bench-gateway@example.com', password: 'bench-gateway-password' }
      await post(`${moneypenny.url}/api/v1/auth/local/register`, user)
      const { accessToken } = await post(`${moneypenny.url}/api/v1/auth/local/authenticate`, { username: user.username, password: user.password })
      const nginx = await startNginx(recipe({ moneypenny: new URL(moneypenny.url).host, app }), await freePort())
      try {
        figures.push({ name, ...(await throughput(nginx.url, { authorization: `Bearer ${accessToken}` })) })
      } finally {
        await nginx.stop()
      }
    } finally {
      await moneypenny.stop()
      // Written when moneypenny exits: every connection it accepted, readiness polls and set-up included.
      figures.at(-1).connections = Number(readFileSync(connectionsFile, 'utf8'))
      rmSync(dir, { recursive: true, force: true })
    }
  }
} finally {
  await appServer.stop()
}

const baseline = figures[0].rps
console.log(`nginx ${connections} connections, ${duration} s per figure after ${warmup} s of warm-up\n`)
console.log('figure'.padEnd(52), 'req/s'.padStart(9), 'ratio'.padStart(7), 'requests'.padStart(10), 'not 200'.padStart(8), 'conns to moneypenny'.padStart(21))
for (const figure of figures) {
  console.log(
    figure.name.padEnd(52),
    figure.rps.toFixed(0).padStart(9),
    (figure.rps / baseline).toFixed(2).padStart(7),
    String(figure.requests).padStart(10),
    String(figure.bad).padStart(8),
    (figure.connections === null ? '-' : String(figure.connections)).padStart(21)
  )
}
