// Time from process spawn to /readyz answering 200 on the embedded store, median of five fresh starts;
// on Node 22.1+ also with a compile cache filled beforehand, as the container image has one.
import module from 'node:module'
import { startMoneypenny } from './lib.mjs'

/** Each start gets a new SQLite file in a temporary folder of its own. */
async function startOnce(compileCache) {
  const server = await startMoneypenny({ LOG_LEVEL: 'warn' }, { stdio: 'ignore', compileCache })
  await server.stop()
  return server.readyMs
}

async function medianOfFive(label, compileCache) {
  const times = []
  for (let i = 0; i < 5; i += 1) times.push(await startOnce(compileCache))
  times.sort((a, b) => a - b)
  console.log(`${label}: start to /readyz 200 (new SQLite file each time), Node ${process.version}: median ${times[2].toFixed(0)} ms, all ${times.map((t) => t.toFixed(0)).join(', ')} ms`)
}

await medianOfFive('no compile cache', false)
// As the Dockerfile does: the app imported once with the cache on, then every start with it (bench/lib.mjs).
if (typeof module.enableCompileCache === 'function') await medianOfFive('compile cache as in the image', true)
