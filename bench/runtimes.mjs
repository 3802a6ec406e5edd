// `npm run bench`: bench/run.mjs on the image's Node (26) and, when the machine's Node is another,
// on the machine's Node too, one after the other; then one table with a column per runtime, and
// bench/results.json with both runs (the image's first). Arguments (--only) go to both runs.
//
// When the machine's Node is older than the image's, Node 26 comes from the npm registry's `node`
// package (.ci/node-runtime, as CI takes it) into .bench-runtime/, beside a copy of package.json
// and the lockfile installed with that Node (native addons are built per Node), into which each
// run copies the fresh dist/, bench/ and Dockerfile. Both are reused while the lockfile stays the same.
import { execFileSync, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { memoryLine } from './lib.mjs'

const IMAGE_MAJOR = 26
const root = new URL('..', import.meta.url).pathname
const cache = join(root, '.bench-runtime')
const args = process.argv.slice(2)
if (args.includes('--results')) {
  console.error('bench/runtimes.mjs writes bench/results.json itself: --results is for bench/run.mjs alone')
  process.exit(2)
}
const partial = args.includes('--only') || args.includes('--help') || args.includes('-h')
const machineMajor = Number(process.versions.node.split('.')[0])

/** Node `IMAGE_MAJOR` and a tree whose node_modules were installed with it: { node, cwd, env }. */
function imageRuntime() {
  mkdirSync(cache, { recursive: true })
  const home = execFileSync(join(root, '.ci/node-runtime'), [String(IMAGE_MAJOR), cache], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim()
  const env = { ...process.env, PATH: `${home}/bin:${process.env.PATH}`, npm_config_nodedir: home }
  const tree = join(cache, 'tree')
  const manifests = ['package.json', 'package-lock.json']
  const installed = createHash('sha256')
  for (const file of manifests) installed.update(readFileSync(join(root, file)))
  const stamp = join(tree, '.installed-from')
  const digest = installed.digest('hex')
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== digest) {
    rmSync(tree, { recursive: true, force: true })
    mkdirSync(tree, { recursive: true })
    for (const file of manifests) cpSync(join(root, file), join(tree, file))
    console.error(`installing node_modules for Node ${IMAGE_MAJOR} in ${tree}`)
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: tree, env, stdio: ['ignore', 'ignore', 'inherit'] })
    writeFileSync(stamp, digest)
  }
  // The Dockerfile too: the bench starts the server with the flags of its CMD.
  for (const entry of ['dist', 'bench', 'Dockerfile']) {
    rmSync(join(tree, entry), { recursive: true, force: true })
    cpSync(join(root, entry), join(tree, entry), { recursive: true })
  }
  return { node: join(home, 'bin/node'), cwd: tree, env }
}

/** Runs bench/run.mjs on one runtime and returns its results (null when it wrote none). */
function benchOn({ node, cwd, env }) {
  const results = join(cache, `results-${process.pid}-${Date.now()}.json`)
  mkdirSync(cache, { recursive: true })
  const run = spawnSync(node, ['bench/run.mjs', ...args, '--results', results], { cwd, env, stdio: 'inherit' })
  if (run.status !== 0) process.exitCode = run.status ?? 1
  if (!existsSync(results)) return null
  const parsed = JSON.parse(readFileSync(results, 'utf8'))
  rmSync(results)
  return parsed
}

const machine = { node: process.execPath, cwd: root, env: process.env }
if (args.includes('--help') || args.includes('-h')) {
  benchOn(machine)
  console.log(`\nnpm run bench runs this on Node ${IMAGE_MAJOR} (the image's) and on the machine's Node, then prints both side by side.`)
  process.exit(0)
}
const runs = []
console.error(`--- on Node ${IMAGE_MAJOR}, the image's runtime`)
const imageRun = benchOn(machineMajor === IMAGE_MAJOR ? machine : imageRuntime())
if (imageRun) runs.push(imageRun)
if (machineMajor !== IMAGE_MAJOR) {
  console.error(`--- on the machine's Node ${process.version}`)
  const machineRun = benchOn(machine)
  if (machineRun) runs.push(machineRun)
}
if (runs.length === 0) process.exit(process.exitCode ?? 1)

// --- one table, a column per runtime --------------------------------------------------
const cell = (value, digits) => (value === null || value === undefined ? '-' : value.toFixed(digits))
const names = [...new Set(runs.flatMap((run) => run.figures.map((f) => f.name)))]
const width = 24
console.log(`\nmoneypenny bench on ${runs[0].machine.cpu}, ${runs[0].machine.cores} cores: req/s, p50 ms, p99 ms per runtime`)
console.log(`${'figure'.padEnd(40)} ${runs.map((run) => `Node ${run.machine.node}`.padStart(width)).join(' ')}`)
for (const name of names) {
  const columns = runs.map((run) => {
    const f = run.figures.find((figure) => figure.name === name)
    if (!f) return '-'.padStart(width)
    if (f.error) return 'ERROR'.padStart(width)
    return `${cell(f.reqPerSec, f.reqPerSec < 100 ? 1 : 0)} ${cell(f.p50Ms, 1)} ${cell(f.p99Ms, 1)}`.padStart(width)
  })
  console.log(`${name.padEnd(40)} ${columns.join(' ')}`)
}
console.log('\ntargets')
const verdict = (check) => (check ? `${cell(check.value, 2)}${check.target === null ? '' : ` ${check.met ? 'met' : 'MISSED'}`}` : '-')
const checkRows = new Map()
for (const [i, run] of runs.entries()) {
  const all = [...run.figures.flatMap((f) => (f.checks ?? []).map((check) => [`${f.name}: ${check.what}`, check])), ...run.checks.map((check) => [check.what, check])]
  for (const [label, check] of all) {
    const target = check.target === null ? '' : ` (${check.target})`
    const key = `${label}${target}`
    if (!checkRows.has(key)) checkRows.set(key, [])
    checkRows.get(key)[i] = check
  }
}
for (const [label, checks] of checkRows) console.log(`${label.padEnd(64)} ${runs.map((_, i) => verdict(checks[i]).padStart(14)).join(' ')}`)
console.log(`RSS idle after start, MB ${runs.map((run) => cell(run.memory.rssIdleMb, 1).padStart(14)).join(' ')}`)
for (const run of runs) console.log(`Node ${run.machine.node} memory at the end, MB: ${memoryLine(run.memory.end)}`)

if (!partial && runs.length > 0) {
  writeFileSync(join(root, 'bench/results.json'), `${JSON.stringify({ runs }, null, 2)}\n`)
  console.log(`bench/results.json written (${runs.map((run) => `Node ${run.machine.node}`).join(', ')})`)
}
