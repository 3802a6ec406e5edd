// Helpers shared by the bench scripts: free ports, child servers that are waited for
// and always killed, and RSS from /proc.
import { execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import module from 'node:module'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export async function freePort() {
  const server = createServer().listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  const { port } = server.address()
  await new Promise((resolve) => server.close(resolve))
  return port
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Resident set size of a process in MB, from /proc (Linux). */
export function rssMb(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return Number(match[1]) / 1024
}

/**
 * A process's resident memory by kind of mapping, in MB, from /proc/<pid>/smaps (Linux): the `node`
 * binary's pages, glibc's main heap (`[heap]`), shared libraries and other files, and anonymous
 * memory (V8's heap, buffers, the other malloc arenas, threads' stacks).
 */
export function residentByMapping(pid) {
  const sums = { binary: 0, mainHeap: 0, files: 0, anonymous: 0 }
  let kind = 'anonymous'
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    // A mapping's header: address range, permissions, offset, device, inode, then its path if any.
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \d+\s*(.*)$/.exec(line)
    if (header) {
      const path = header[1]
      kind = path === '' || path.startsWith('[anon') || path === '[stack]' ? 'anonymous' : path === '[heap]' ? 'mainHeap' : /\/node$/.test(path) ? 'binary' : 'files'
      continue
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line)
    if (rss) sums[kind] += Number(rss[1]) / 1024
  }
  return sums
}

/**
 * One line for a memory breakdown (bench/run.mjs's memoryOf), in MB. "Anonymous outside the heap" is
 * the anonymous memory less V8's heap as reserved and external memory: slightly negative when V8 has
 * reserved pages it has not touched yet.
 */
export const memoryLine = (m) =>
  `RSS ${m.rss.toFixed(1)}: heap ${m.heapTotal.toFixed(1)} (new ${m.heap.new.toFixed(1)}, old ${m.heap.old.toFixed(1)}, code ${m.heap.code.toFixed(1)}, large ${m.heap.large_object.toFixed(1)}), external ${m.external.toFixed(1)}, native and the rest ${m.native.toFixed(1)}` +
  (m.mappings ? ` (binary ${m.mappings.binary.toFixed(1)}, glibc main heap ${m.mappings.mainHeap.toFixed(1)}, other files ${m.mappings.files.toFixed(1)}, anonymous outside the heap ${(m.mappings.anonymous - m.heapTotal - m.external).toFixed(1)})` : '')

// A bench that throws must not leave servers behind to skew the next run.
const running = new Set()
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

/**
 * Spawns `node script` with PORT set to a free port and the variables `env(url)` returns,
 * and waits, polling every 5 ms, for `readyPath` to answer 200. readyMs runs from just
 * before the spawn. Options: stdio for spawn (default: only stderr shown), timeoutMs, nodeArgs.
 */
export async function startNode(script, env, { readyPath = '/', stdio = ['ignore', 'ignore', 'inherit'], timeoutMs = 20_000, nodeArgs = [] } = {}) {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const started = performance.now()
  const child = spawn(process.execPath, [...nodeArgs, script], { env: { PATH: process.env.PATH, PORT: String(port), ...env(url) }, stdio })
  running.add(child)
  let gone = false
  const exited = new Promise((resolve) =>
    child.once('exit', () => {
      gone = true
      running.delete(child)
      resolve()
    })
  )
  for (;;) {
    if (gone) throw new Error(`${script} exited (${child.exitCode ?? child.signalCode}) before ${readyPath} answered 200`)
    try {
      if ((await fetch(`${url}${readyPath}`)).status === 200) break
    } catch {
      // not listening yet
    }
    if (performance.now() - started > timeoutMs) {
      child.kill('SIGKILL')
      throw new Error(`${script} not ready within ${timeoutMs} ms`)
    }
    await sleep(5)
  }
  const readyMs = performance.now() - started
  const stop = async () => {
    if (!gone) child.kill('SIGTERM')
    await exited
  }
  return { url, child, readyMs, stop }
}

/**
 * The image's command (the Dockerfile's CMD): the flags it gives node and the server's script, so
 * that the bench measures the server as it runs in production.
 */
export function imageCommand() {
  const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8'))
  if (!cmd) throw new Error('the Dockerfile has no CMD in exec form')
  const [node, ...rest] = JSON.parse(cmd[1])
  const script = rest.at(-1)
  if (node !== 'node' || !/^dist\/.*\.js$/.test(script ?? '')) throw new Error(`the Dockerfile's CMD is not node ... dist/<script>.js: ${cmd[1]}`)
  return { flags: rest.slice(0, -1), script }
}

/** The module the image imports to fill Node's compile cache (the Dockerfile's `await import('/app/...')`). */
function imageCompileCacheModule() {
  const fill = /await import\('\/app\/(dist\/[^']+\.js)'\)/.exec(readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8'))
  if (!fill) throw new Error('the Dockerfile fills no compile cache')
  return `./${fill[1]}`
}

let filledCompileCache
/**
 * NODE_COMPILE_CACHE as the image has it (Node 22.1 and later; {} before): a folder filled once per
 * bench process the way the Dockerfile fills /app/.compile-cache, by importing the app, so that
 * every start skips compiling the modules. Removed when the bench exits.
 */
export function imageCompileCache() {
  if (typeof module.enableCompileCache !== 'function') return {}
  if (filledCompileCache === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'moneypenny-compile-cache-'))
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }))
    filledCompileCache = { NODE_COMPILE_CACHE: join(dir, 'cache') }
    execFileSync(process.execPath, ['--input-type=module', '-e', `await import('${imageCompileCacheModule()}')`], { env: { ...process.env, ...filledCompileCache }, stdio: 'ignore' })
  }
  return filledCompileCache
}

/** The image's MALLOC_ARENA_MAX (the Dockerfile's `ENV MALLOC_ARENA_MAX=n`). */
export function imageMallocArenaMax() {
  const env = /^ENV MALLOC_ARENA_MAX=(\d+)$/m.exec(readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8'))
  if (!env) throw new Error('the Dockerfile sets no MALLOC_ARENA_MAX')
  return env[1]
}

/**
 * The built server (dist/) in production mode on 127.0.0.1, ready when /readyz answers 200.
 * `env` adds to or overrides the defaults; without SQLITE_PATH the store is a new file in a
 * temporary folder that stop() removes. With BENCH_PROFILE=<folder> in the environment, it
 * writes a CPU profile there when it stops (node --cpu-prof; open it in Chrome DevTools).
 * node gets the image's flags (the Dockerfile's CMD) and compile cache (imageCompileCache; not
 * with options.compileCache false); BENCH_NODE_ARGS adds more flags; MALLOC_ARENA_MAX is the image's unless set,
 * and the bench's MALLOC_* and LD_PRELOAD variables are passed on.
 */
export async function startMoneypenny(env = {}, { compileCache = true, ...options } = {}) {
  const dir = env.SQLITE_PATH === undefined ? mkdtempSync(join(tmpdir(), 'moneypenny-bench-')) : null
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []
  // The image's flags, then any to try (V8's heap flags, say) and glibc's arena limit, to measure what each costs.
  const { flags, script } = imageCommand()
  const nodeArgs = [...flags, ...profile, ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean), ...(options.nodeArgs ?? [])]
  // glibc's tunables (MALLOC_*) and another allocator (LD_PRELOAD, with jemalloc's MALLOC_CONF) from
  // the bench's environment reach the server, to measure what each costs.
  const allocatorEnv = Object.entries(process.env).filter(([name]) => name.startsWith('MALLOC_') || name === 'LD_PRELOAD')
  const malloc = { MALLOC_ARENA_MAX: imageMallocArenaMax(), ...Object.fromEntries(allocatorEnv) }
  // Filled before the clock of startNode starts.
  const cache = compileCache ? imageCompileCache() : {}
  const server = await startNode(
    script,
    (url) => ({ NODE_ENV: 'production', HOST: '127.0.0.1', PUBLIC_URL: url, ...(dir ? { SQLITE_PATH: join(dir, 'moneypenny.db') } : {}), ...cache, ...malloc, ...env }),
    { readyPath: '/readyz', ...options, nodeArgs }
  ).catch((error) => {
    if (dir) rmSync(dir, { recursive: true, force: true })
    throw error
  })
  const stop = async () => {
    await server.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  }
  return { ...server, stop }
}

/** POSTs `body` as JSON and returns the parsed answer; throws on a non-2xx answer. */
export async function post(url, body, headers = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
  const text = await response.text()
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${text}`)
  return JSON.parse(text)
}

export const form = (fields) => new URLSearchParams(fields).toString()
export const formHeaders = (basic) => ({ authorization: basic, 'content-type': 'application/x-www-form-urlencoded' })
export const basicAuth = (id, secret) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`
export const hasAccessToken = (body) => body.includes('"access_token":"')
/** An introspection answer (RFC 7662) for an active token. */
export const isActive = (body) => body.startsWith('{"active":true')
export const bearer = (token) => ({ authorization: `Bearer ${token}` })

/** oidc-provider (bench/peer-server.mjs) with one client_credentials client, and that grant's request to it. */
export async function startPeer({ nodeArgs = [] } = {}) {
  const peerClient = { id: 'bench', secret: randomBytes(24).toString('base64url') }
  const peer = await startNode('bench/peer-server.mjs', (url) => ({ ISSUER: url, CLIENT_ID: peerClient.id, CLIENT_SECRET: peerClient.secret }), {
    readyPath: '/.well-known/openid-configuration',
    nodeArgs
  })
  const peerBasic = basicAuth(peerClient.id, peerClient.secret)
  const peerTokenRequest = { url: `${peer.url}/token`, method: 'POST', headers: formHeaders(peerBasic), body: form({ grant_type: 'client_credentials', scope: 'api' }) }
  return { peer, peerBasic, peerTokenRequest }
}
