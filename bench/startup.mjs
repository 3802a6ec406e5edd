// Time from process spawn to /readyz answering 200 on the embedded store, median of five fresh starts;
// on Node 22.1+ also with a compile cache filled beforehand, as the container image has one.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import module from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startMoneypenny } from './lib.mjs'

/** Each start gets a new SQLite file in a temporary folder of its own. */
async function startOnce(extraEnv) {
  const server = await startMoneypenny({ LOG_LEVEL: 'warn', ...extraEnv }, { stdio: 'ignore' })
  await server.stop()
  return server.readyMs
}

async function medianOfFive(label, extraEnv = {}) {
  const times = []
  for (let i = 0; i < 5; i += 1) times.push(await startOnce(extraEnv))
  times.sort((a, b) => a - b)
  console.log(`${label}: start to /readyz 200 (new SQLite file each time), Node ${process.version}: median ${times[2].toFixed(0)} ms, all ${times.map((t) => t.toFixed(0)).join(', ')} ms`)
}

const dir = mkdtempSync(join(tmpdir(), 'moneypenny-startup-'))
try {
  await medianOfFive('no compile cache')
  if (typeof module.enableCompileCache === 'function') {
    // As the Dockerfile does: import the app once with the cache on, then start with it.
    const NODE_COMPILE_CACHE = join(dir, 'compile-cache')
    execFileSync(process.execPath, ['--input-type=module', '-e', "await import('./dist/src/app.js')"], { env: { ...process.env, NODE_COMPILE_CACHE } })
    await medianOfFive('compile cache as in the image', { NODE_COMPILE_CACHE })
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
