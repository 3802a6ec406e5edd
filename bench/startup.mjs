// Time from process spawn to /readyz answering 200 on the embedded store, median of five fresh starts;
// on Node 22.1+ also with a compile cache filled beforehand, as the container image has one.
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import module from 'node:module'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  const { port } = server.address()
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function startOnce(dir, extraEnv) {
  const port = await freePort()
  const started = performance.now()
  const child = spawn(process.execPath, ['dist/src/server.js'], {
    env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production', LOG_LEVEL: 'warn', SQLITE_PATH: join(dir, `${port}.db`), ...extraEnv },
    stdio: 'ignore'
  })
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) break
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  const elapsed = performance.now() - started
  child.kill('SIGTERM')
  await new Promise((resolve) => child.once('exit', resolve))
  return elapsed
}

async function medianOfFive(dir, label, extraEnv = {}) {
  const times = []
  for (let i = 0; i < 5; i += 1) times.push(await startOnce(dir, extraEnv))
  times.sort((a, b) => a - b)
  console.log(`${label}: start to /readyz 200 (new SQLite file each time), Node ${process.version}: median ${times[2].toFixed(0)} ms, all ${times.map((t) => t.toFixed(0)).join(', ')} ms`)
}

const dir = mkdtempSync(join(tmpdir(), 'moneypenny-startup-'))
try {
  await medianOfFive(dir, 'no compile cache')
  if (typeof module.enableCompileCache === 'function') {
    // As the Dockerfile does: import the app once with the cache on, then start with it.
    const NODE_COMPILE_CACHE = join(dir, 'compile-cache')
    execFileSync(process.execPath, ['--input-type=module', '-e', "await import('./dist/src/app.js')"], { env: { ...process.env, NODE_COMPILE_CACHE } })
    await medianOfFive(dir, 'compile cache as in the image', { NODE_COMPILE_CACHE })
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
