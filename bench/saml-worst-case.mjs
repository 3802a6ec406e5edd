// What one SAML answer can cost the server: the worst answers that still pass the limits on
// size, elements, depth and attributes (crafted like the attack in issue 22: a made-up
// ds:Signature and as many elements as the limits allow), the worst real answers that are
// accepted (50 attributes, both signatures, the IdP's certificate in each KeyInfo; then the
// same with group values up to the limits), and an answer over the limits. The columns, in ms:
// - POST p50, max: how long the answer takes, over the rounds;
// - busy: how long the main thread's event loop was busy meanwhile (eventLoopUtilization, median,
//   measured on a second POST with nothing else going on; on a loaded machine it also counts
//   time the thread waited for a core);
// - delay: the longest event-loop delay meanwhile (perf_hooks.monitorEventLoopDelay);
// - healthz: the slowest GET /healthz, one due every 5 ms, timed from when it was due;
// - outline: the main thread's own steps before any parsing (base64 and the outline), timed
//   alone (only on builds that have the outline).
// Everything runs in this process (the app from dist/, driven by inject), so the event loop
// measured is the server's. The first row, with no answer posted, shows what the machine itself
// does to the delay figures.
// Usage: npm run bench:saml -- [rounds]   (default 5; each round takes a new request id)
// It runs on older builds too: limits missing from dist/src/schemas/saml.js count as none.
import { Writable } from 'node:stream'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { buildApp } from '../dist/src/app.js'
import { loadConfig } from '../dist/src/config.js'
import * as samlSchemas from '../dist/src/schemas/saml.js'
import { TestIdp, writeSamlConfig } from '../dist/test/saml/idp.js'

const rounds = Number(process.argv[2] ?? 5)
const answerLimit = samlSchemas.SAML_ANSWER_LIMIT
const limits = samlSchemas.SAML_XML_LIMITS ?? { maxElements: Infinity, maxDepth: Infinity, maxAttributes: Infinity, maxAttributesPerElement: Infinity }
const outline = await import('../dist/src/services/saml-outline.js').then((module) => module.outlineResponse).catch(() => null)
/** Where a limit is missing (older builds), the accepted answers are made as big as the current limits allow. */
const elementTarget = Number.isFinite(limits.maxElements) ? limits.maxElements : 1_000
const depthTarget = Number.isFinite(limits.maxDepth) ? limits.maxDepth : 16

const dir = mkdtempSync(join(tmpdir(), 'moneypenny-saml-bench-'))
const extraAttributes = Array.from({ length: 46 }, (_, i) => `extra${i + 1}`)
const idp = new TestIdp('big', undefined, undefined, extraAttributes)
const config = loadConfig({
  SQLITE_PATH: join(dir, 'moneypenny.db'),
  PUBLIC_URL: 'https://sp.example',
  RATE_LIMIT: 'off',
  LOG_LEVEL: 'warn',
  BCRYPT_COST: '4',
  SAML_CONFIG: writeSamlConfig(dir, [idp.configEntry()])
})
let lastReason = null
const stream = new Writable({
  write(chunk, _encoding, done) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      const entry = JSON.parse(line)
      if (entry.msg === 'SAML sign-in refused') lastReason = entry.reason
    }
    done()
  }
})
const app = await buildApp(config, { logger: { level: 'warn', stream } })
await app.ready()
idp.trust((await app.inject('/auth/saml/metadata?idp=big')).body, { signWholeResponse: true })

async function newRequest() {
  const response = await app.inject('/auth/saml/login?idp=big')
  if (response.statusCode !== 302) throw new Error(`login: ${response.statusCode} ${response.body}`)
  return idp.receive(response.headers.location)
}

const attributeValues = Object.fromEntries(
  extraAttributes.map((name, i) => [`attr${name[0].toUpperCase()}${name.slice(1)}`, `value ${i + 1}: urn:example:a-realistic-identifier-of-some-length-${i}`])
)
let people = 0
function person() {
  people += 1
  return { nameId: `person-${people}@acme.example`, mail: `person-${people}@acme.example`, uid: `person-${people}`, org: 'Acme', groups: 'user' }
}

const countElements = (xml) => (xml.match(/<[A-Za-z_]/g) ?? []).length

/** A real answer with 50 attributes; `groupValues` more AttributeValue elements in the groups attribute. */
async function realAnswer(request, groupValues = 0) {
  const extra = Array.from({ length: groupValues }, (_, i) => `<saml:AttributeValue xsi:type="xs:string">group-${i}</saml:AttributeValue>`).join('')
  return idp.answer(request, person(), attributeValues, (xml) => xml.replace(/(<saml:AttributeValue[^>]*>user<\/saml:AttributeValue>)/, `$1${extra}`))
}

/** How many group values bring the real answer to the element limit, within the size limit. */
async function groupValuesAtTheLimits() {
  const base = Buffer.from((await realAnswer(await newRequest())).SAMLResponse, 'base64').toString()
  let values = elementTarget - countElements(base)
  for (;;) {
    const answer = await realAnswer(await newRequest(), values)
    if (answer.SAMLResponse.length <= answerLimit) return values
    values = Math.floor(values * 0.9)
  }
}

const FAKE_SIGNATURE = (id) =>
  `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="#${id}"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>bm90IGEgZGlnZXN0</ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue>bm90IGEgc2lnbmF0dXJl</ds:SignatureValue></ds:Signature>`

/** A forged Response to `request` around `body`: it passes every check up to the signature. */
function forged(request, body) {
  const id = '_forged'
  return (
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0" IssueInstant="${new Date().toISOString()}" Destination="https://sp.example/auth/saml/login/callback" InResponseTo="${request.id}">` +
    `<saml:Issuer>${idp.entityId}</saml:Issuer>${FAKE_SIGNATURE(id)}<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>${body}</samlp:Response>`
  )
}
const FRAME_ELEMENTS = countElements(forged({ id: 'x' }, ''))
const FRAME_ATTRIBUTES = (forged({ id: 'x' }, '').match(/ [A-Za-z:]+="/g) ?? []).length
const sizeRoom = (request) => Math.floor((answerLimit * 3) / 4) - forged(request, '').length - 64

/** The crafted answers: each as big as the limits let it be (on a build without limits, as the size limit lets it be). */
const SHAPES = {
  'forged: empty siblings': (request) => {
    const count = Math.min(limits.maxElements - FRAME_ELEMENTS, Math.floor(sizeRoom(request) / 4))
    return forged(request, '<a/>'.repeat(count))
  },
  'forged: attributes, 2 on each sibling': (request) => withAttributes(request, 2),
  'forged: attributes, most on each sibling': (request) => withAttributes(request, Math.min(limits.maxAttributesPerElement, 32)),
  'forged: siblings at the deepest level': (request) => {
    const depth = depthTarget - 2
    const count = Math.min(limits.maxElements - FRAME_ELEMENTS - depth, Math.floor((sizeRoom(request) - depth * 8) / 4))
    return forged(request, `${'<d>'.repeat(depth)}${'<a/>'.repeat(count)}${'</d>'.repeat(depth)}`)
  }
}

/** Empty siblings with `perElement` attributes each, as many as the limits on elements, attributes and size allow. */
function withAttributes(request, perElement) {
  const element = `<a ${Array.from({ length: perElement }, (_, i) => `b${i}=""`).join(' ')}/>`
  const attributesRoom = limits.maxAttributes - FRAME_ATTRIBUTES
  const count = Math.min(limits.maxElements - FRAME_ELEMENTS, Math.floor(attributesRoom / perElement), Math.floor(sizeRoom(request) / element.length))
  return forged(request, element.repeat(count))
}

function over(request) {
  return forged(request, '<a/>'.repeat(Math.floor(sizeRoom(request) / 4)))
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

function post(answer) {
  return answer === null
    ? sleep(200).then(() => ({ statusCode: 0 }))
    : app.inject({
        method: 'POST',
        url: '/auth/saml/login/callback',
        payload: new URLSearchParams(answer).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' }
      })
}

/** Posts `answer` while watching the event loop and /healthz; returns the figures. */
async function watch(answer) {
  const histogram = monitorEventLoopDelay({ resolution: 1 })
  let slowestHealth = 0
  let probing = true
  const probes = (async () => {
    while (probing) {
      // Timed from when it was due, so time spent waiting for a blocked event loop counts.
      const due = performance.now() + 5
      await sleep(5)
      await app.inject('/healthz')
      slowestHealth = Math.max(slowestHealth, performance.now() - due)
    }
  })()
  histogram.enable()
  // The histogram samples once per millisecond: a few samples before and after frame the POST.
  await sleep(5)
  lastReason = null
  const started = performance.now()
  const response = await post(answer)
  const ms = performance.now() - started
  await sleep(5)
  histogram.disable()
  probing = false
  await probes
  return { status: response.statusCode, ms, loopMs: histogram.max / 1e6, healthMs: slowestHealth, reason: lastReason }
}

/** How long the main thread's event loop is busy while `answer` is posted, with nothing else going on. */
async function busy(answer) {
  await sleep(5)
  const utilisation = performance.eventLoopUtilization()
  await post(answer)
  return performance.eventLoopUtilization(utilisation).active
}

/** The main thread's own steps before anything is parsed: base64 decoding and the outline (median of 21, warm). */
function outlineMs(samlResponse) {
  const times = []
  for (let i = 0; i < 21; i += 1) {
    const started = performance.now()
    outline(Buffer.from(samlResponse, 'base64').toString('utf8'), limits)
    times.push(performance.now() - started)
  }
  return median(times)
}

async function run(label, makeAnswer, expectedStatus) {
  const results = []
  let facts = ''
  for (let round = 0; round < rounds; round += 1) {
    const request = await newRequest()
    const answer = await makeAnswer(request)
    const xml = answer === null ? null : Buffer.from(answer.SAMLResponse, 'base64').toString()
    const scan = xml === null ? null : outline?.(xml, limits)
    if (xml !== null) facts = `${countElements(xml)} elements, ${answer.SAMLResponse.length} base64 chars${scan ? `, depth ${scan.depth}, ${scan.attributes} attributes, outline ${scan.problem === null ? 'passes' : 'refuses'}` : ''}`
    const result = await watch(answer)
    // The same again on a new request, unwatched: the probes would count as busy.
    result.busyMs = await busy(await makeAnswer(await newRequest()))
    if (answer !== null && outline) result.outlineMs = outlineMs(answer.SAMLResponse)
    if (result.status !== expectedStatus) throw new Error(`${label}: ${result.status}, not ${expectedStatus} (${result.reason})`)
    results.push(result)
  }
  const row = {
    label,
    facts,
    medianMs: median(results.map((r) => r.ms)),
    maxMs: Math.max(...results.map((r) => r.ms)),
    busyMs: median(results.map((r) => r.busyMs)),
    outlineMs: results[0].outlineMs,
    loopMs: Math.max(...results.map((r) => r.loopMs)),
    healthMs: Math.max(...results.map((r) => r.healthMs)),
    reason: results[0].reason
  }
  const figure = (ms) => ms.toFixed(1).padStart(8)
  console.log(
    `${label.padEnd(40)}${figure(row.medianMs)}${figure(row.maxMs)}${figure(row.busyMs)}${figure(row.loopMs)}${figure(row.healthMs)}${row.outlineMs === undefined ? '' : row.outlineMs.toFixed(2).padStart(8)}`
  )
  console.log(`${''.padEnd(40)} ${facts}${row.reason ? `; refused: ${row.reason.slice(0, 100)}` : ''}`)
}

const wrap = (xml, request) => ({ SAMLResponse: Buffer.from(xml).toString('base64'), RelayState: request.relayState })

console.log(`SAML_ANSWER_LIMIT ${answerLimit} base64 chars; limits: ${limits.maxElements} elements, depth ${limits.maxDepth}, ${limits.maxAttributes} attributes, ${limits.maxAttributesPerElement} on an element; ${rounds} rounds; Node ${process.version}`)
console.log(`${'(ms)'.padEnd(40)}${'POST p50'.padStart(8)}${'max'.padStart(8)}${'busy'.padStart(8)}${'delay'.padStart(8)}${'healthz'.padStart(8)}${outline ? 'outline'.padStart(8) : ''}`)
// Warm up: node-saml, the worker, the JIT.
for (let i = 0; i < 5; i += 1) await watch(await realAnswer(await newRequest()))
const atTheLimits = await groupValuesAtTheLimits()
try {
  // What the machine does to the figures with no answer at all: the same watch over 200 ms.
  await run('idle: no answer, 200 ms', () => null, 0)
  await run('accepted: 50 attributes', (request) => realAnswer(request), 303)
  await run(`accepted: 50 attributes + ${atTheLimits} groups`, (request) => realAnswer(request, atTheLimits), 303)
  for (const [label, shape] of Object.entries(SHAPES)) await run(label, (request) => wrap(shape(request), request), 401)
  await run('over the limits (refused unparsed)', (request) => wrap(over(request), request), 401)
} finally {
  await app.close()
  rmSync(dir, { recursive: true, force: true })
}
