import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import type { InjectOptions } from 'fastify'
import type { StoreSnapshot } from '../../src/store/port.js'
import { adminToken, buildTestApp, registerUser, signIn, type TestApp } from '../helpers.js'
import { registerClient } from '../oauth2/harness.js'
import { appRoutes, concretePath, type AppRoute } from './routes.js'

interface JsonSchema {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  $ref?: string
}

interface Parameter {
  in: 'query' | 'path' | 'header'
  name: string
}

/** What the OpenAPI document says a route takes. */
interface RouteInput {
  route: AppRoute
  /** Declared body properties and their schemas (empty when the route takes no body). */
  bodyProperties: Record<string, JsonSchema>
  queryNames: string[]
}

/**
 * Fast enough for the whole file to stay well under a minute on a loaded 2-core
 * machine; FUZZ_RUNS multiplies the runs for a longer hunt.
 */
const SCALE = Number(process.env.FUZZ_RUNS ?? '1')
const runs = (n: number) => ({ numRuns: Math.max(1, Math.round(n * SCALE)) })

const JSON_TYPES = ['string', 'number', 'integer', 'boolean', 'null', 'array', 'object'] as const

/** A value of each JSON type, biased towards edge cases. */
const valueOfType: Record<(typeof JSON_TYPES)[number], fc.Arbitrary<unknown>> = {
  string: fc.oneof(fc.string({ unit: 'binary', maxLength: 64 }), fc.constantFrom('', ' ', '\u0000', '$ne', '{"$gt":""}', '../../etc/passwd', '<script>', 'x'.repeat(5000))),
  number: fc.oneof(fc.double(), fc.constantFrom(0.5, -1, 1e308, Number.MAX_SAFE_INTEGER + 2)),
  integer: fc.oneof(fc.integer(), fc.constantFrom(-1, 0, 2 ** 31, 2 ** 53)),
  boolean: fc.boolean(),
  null: fc.constant(null),
  array: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
  object: fc.oneof(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }), fc.constant({ $ne: null }), fc.constant({ __proto__: { admin: true } }))
}

function resolve(schema: JsonSchema, document: { components?: { schemas?: Record<string, JsonSchema> } }): JsonSchema {
  return schema.$ref ? resolve(document.components!.schemas![schema.$ref.split('/').pop()!]!, document) : schema
}

/** The JSON types a schema admits; null when it admits anything. */
function typesOf(schema: JsonSchema): Set<string> | null {
  const members = schema.anyOf ?? schema.oneOf
  if (members) {
    const types = members.map(typesOf)
    return types.includes(null) ? null : new Set(types.flatMap((set) => [...set!]))
  }
  if (schema.type === undefined) return null
  const types = new Set(Array.isArray(schema.type) ? schema.type : [schema.type])
  if (types.has('integer')) types.add('number')
  return types
}

/** A value the schema refuses by its type alone, so the request is malformed whatever else it holds. */
function wrongTypeFor(schema: JsonSchema): fc.Arbitrary<unknown> | null {
  const admitted = typesOf(schema)
  if (admitted === null) return null
  const refused = JSON_TYPES.filter((type) => !admitted.has(type) && !(type === 'integer' && admitted.has('number')))
  return refused.length ? fc.oneof(...refused.map((type) => valueOfType[type])) : null
}

/**
 * A body of the declared shape with one declared property of a wrong type, maybe other
 * properties, unknown ones and prototype keys: refused by the schema, always.
 */
function malformedBody(properties: Record<string, JsonSchema>): fc.Arbitrary<unknown> {
  const breakable = Object.entries(properties).flatMap(([name, schema]) => {
    const wrong = wrongTypeFor(schema)
    return wrong ? [[name, wrong] as const] : []
  })
  const anyValue = fc.oneof(...Object.values(valueOfType))
  const others = fc.dictionary(fc.oneof(fc.constantFrom(...Object.keys(properties), '__proto__', 'constructor'), fc.string({ maxLength: 12 })), anyValue, { maxKeys: 5 })
  if (breakable.length === 0) return fc.oneof(valueOfType.array, valueOfType.string, valueOfType.number)
  return fc
    .tuple(fc.constantFrom(...breakable), others)
    .chain(([[name, wrong], rest]) => wrong.map((value) => ({ ...rest, [name]: value })))
}

/** Printable header values (what an HTTP client can send), credentials of every shape among them. */
const headerText = fc.string({ unit: 'binary-ascii', maxLength: 200 }).map((text) => text.replace(/[^\x20-\x7e]/g, ''))
const junkHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    authorization: fc.oneof(
      headerText,
      headerText.map((text) => `Bearer ${text}`),
      headerText.map((text) => `Token: ${text}`),
      headerText.map((text) => `Basic ${Buffer.from(text).toString('base64')}`),
      fc.constantFrom('Bearer', 'Basic', 'Basic Og==', 'Bearer a.b.c', 'Bearer eyJhbGciOiJub25lIn0.e30.', `Bearer ${'x'.repeat(9000)}`)
    ),
    'content-type': fc.oneof(
      fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/json;;', ''),
      headerText
    ),
    cookie: fc.oneof(headerText, headerText.map((text) => `moneypenny=${text}`), headerText.map((text) => `__Host-moneypenny=${text}`)),
    accept: fc.oneof(headerText, fc.constantFrom('application/json', 'text/html', '*/*')),
    'x-forwarded-for': headerText,
    'x-forwarded-proto': headerText,
    'x-request-id': headerText,
    origin: headerText
  },
  { requiredKeys: [] }
)

/** A raw body of any sort: JSON of any shape, form text, broken JSON, binary junk. */
const junkPayload = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 40 })).map((form) => new URLSearchParams(form).toString()),
  fc.constantFrom('{', '{"a":', '[1,2', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', 'null', '""', '%', 'a=1&a=2&a[]=3'),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1'))
)

/** Query strings: names the route declares and others, repeated, array and object syntax, broken escapes. */
function junkQuery(names: string[]): fc.Arbitrary<string> {
  const name = fc.oneof(fc.constantFrom(...names, 'token', '__proto__', 'constructor[prototype][x]'), fc.string({ maxLength: 10 }).map(encodeURIComponent))
  const value = fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }).map(encodeURIComponent), fc.constantFrom('', '%', '%zz', '%00', '%ff%fe', '-1', '1e309', 'NaN', 'true', '[]', 'x'.repeat(5000)))
  const pair = fc.tuple(name, fc.constantFrom('', '[]', '[a]'), value).map(([key, suffix, text]) => `${key}${suffix}=${text}`)
  return fc.array(pair, { maxLength: 8 }).map((pairs) => pairs.join('&'))
}

/** A path parameter of any sort, already escaped for the URL. */
const junkParam = fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.constantFrom('..', '%', ' ', '0', '-1', 'x'.repeat(300)))

/**
 * Thousands of malformed requests at every route (from the app's own route list and
 * OpenAPI schemas) and at random: never a 5xx, never a stack trace, never a crash, and
 * the store exactly as it was.
 */
describe('fuzzing every route', () => {
  let t: TestApp
  let inputs: RouteInput[]
  let admin: string
  let before_: StoreSnapshot
  const unhandled: unknown[] = []
  const onUnhandled = (error: unknown) => unhandled.push(error)
  const sent = { count: 0 }

  before(async () => {
    process.on('unhandledRejection', onUnhandled)
    t = await buildTestApp({ RATE_LIMIT: 'off' })
    admin = await adminToken(t.app)
    const user = await registerUser(t.app)
    await signIn(t.app, user.username, user.password)
    await registerClient({ ...t, base: '', admin }, { redirect_uris: ['https://app.example.com/cb'], grant_types: ['authorization_code', 'refresh_token'] })
    const document = (await t.app.inject('/openapi.json')).json()
    inputs = appRoutes(t.app).map((route) => {
      const operation = document.paths[route.path.replace(/:([A-Za-z]+)/g, '{$1}')]?.[route.method.toLowerCase()] ?? {}
      const content = operation.requestBody?.content ?? {}
      const bodySchema = (content['application/json'] ?? content['application/x-www-form-urlencoded'])?.schema
      const parameters: Parameter[] = operation.parameters ?? []
      return {
        route,
        bodyProperties: bodySchema ? (resolve(bodySchema, document).properties ?? {}) : {},
        queryNames: parameters.filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name)
      }
    })
    assert.ok(inputs.length >= 40, `only ${inputs.length} routes found`)
    assert.ok(inputs.filter((input) => Object.keys(input.bodyProperties).length > 0).length >= 15, 'body schemas were read')
    before_ = await t.store.exportAll()
    assert.ok(before_.users.length >= 2 && before_.sessions.length >= 2 && before_.oauthClients.length === 1, 'a store with something to lose')
  })
  after(async () => {
    process.off('unhandledRejection', onUnhandled)
    await t.close()
  })

  /** Sends one request and checks the answer: 4xx or better, JSON errors without internals. */
  async function send(options: InjectOptions): Promise<void> {
    sent.count += 1
    const response = await t.app.inject(options)
    const what = `${options.method} ${String(options.url).slice(0, 200)} -> ${response.statusCode} ${response.body.slice(0, 300)}`
    assert.ok(response.statusCode < 500, what)
    // A script moneypenny serves (the WebAuthn library) names TypeError in its own code: only other answers are read for internals.
    if (!String(response.headers['content-type']).startsWith('text/javascript')) assert.doesNotMatch(response.body, /\n\s+at |node_modules|SqliteError|TypeError|ReferenceError/, what)
  }

  const urlFor = (route: AppRoute, param: string) => concretePath(route.path, param)

  test('schema-shaped bodies with a wrong-typed field, at every route that takes a body, with and without an admin token', async () => {
    for (const { route, bodyProperties } of inputs.filter((input) => Object.keys(input.bodyProperties).length > 0)) {
      await fc.assert(
        fc.asyncProperty(malformedBody(bodyProperties), junkParam, fc.boolean(), async (body, param, asAdmin) => {
          await send({
            method: route.method as InjectOptions['method'],
            url: urlFor(route, param),
            headers: { 'content-type': 'application/json', ...(asAdmin ? { authorization: `Bearer ${admin}` } : {}) },
            payload: JSON.stringify(body)
          })
        }),
        runs(150)
      )
    }
  })

  test('junk bodies, junk headers and junk path parameters at every route', async () => {
    for (const { route } of inputs) {
      await fc.assert(
        fc.asyncProperty(junkPayload, junkHeaders, junkParam, async (payload, headers, param) => {
          const withBody = route.method !== 'GET' && route.method !== 'DELETE'
          await send({ method: route.method as InjectOptions['method'], url: urlFor(route, param), headers, ...(withBody ? { payload } : {}) })
        }),
        runs(100)
      )
    }
  })

  test('junk query strings at every route, with the names each route declares', async () => {
    for (const { route, queryNames } of inputs) {
      await fc.assert(
        fc.asyncProperty(junkQuery(queryNames), junkParam, async (query, param) => {
          await send({ method: route.method as InjectOptions['method'], url: `${urlFor(route, param)}?${query}` })
        }),
        runs(60)
      )
    }
  })

  test('random methods and paths', async () => {
    const segment = fc.oneof(fc.constantFrom('api', 'v1', 'users', 'oauth2', 'auth', '..', '%2e%2e', '%00', 'docs', 'static', '.well-known'), fc.string({ maxLength: 12 }).map(encodeURIComponent))
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'), fc.array(segment, { maxLength: 6 }), junkPayload, async (method, segments, payload) => {
        await send({ method: method as InjectOptions['method'], url: `/${segments.join('/')}`, ...(method === 'GET' || method === 'HEAD' ? {} : { payload }) })
      }),
      runs(1000)
    )
  })

  test('afterwards: thousands of requests sent, no unhandled rejection, the app still answers, the store unchanged', async () => {
    assert.ok(sent.count >= 8000, `only ${sent.count} requests`)
    assert.deepEqual(unhandled, [])
    assert.equal((await t.app.inject('/readyz')).statusCode, 200)
    assert.deepEqual(await t.store.exportAll(), before_)
  })
})
