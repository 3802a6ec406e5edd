// The ceiling for /authorise: a bare Fastify route (no logger, no hooks) answering a JSON
// body of BODY_BYTES bytes in the shape of /authorise's, on PORT. With SPIN_US, each request
// first keeps the processor busy that long: a bare route as slow as another server, for
// bench/check-pieces.mjs to tell what a slower answer costs by itself.
import Fastify from 'fastify'

const bytes = Number(process.env.BODY_BYTES)
const data = { username: 'bench-user', organisation: null, token: '', expires: new Date().toISOString() }
data.token = 'x'.repeat(bytes - JSON.stringify({ data }).length)
const body = { data }
if (JSON.stringify(body).length !== bytes) throw new Error(`cannot pad the body to ${bytes} bytes`)

const app = Fastify({ logger: false })
// A response schema, as moneypenny's routes have, so both serialise the same way.
const schema = {
  response: {
    200: {
      type: 'object',
      properties: {
        data: { type: 'object', properties: { username: { type: 'string' }, organisation: { type: ['string', 'null'] }, token: { type: 'string' }, expires: { type: 'string' } } }
      }
    }
  }
}
const spinMs = Number(process.env.SPIN_US ?? 0) / 1000
const spinning = async () => {
  for (const end = performance.now() + spinMs; performance.now() < end; );
  return body
}
app.get('/', { schema }, spinMs > 0 ? spinning : async () => body)
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' })
// A clean exit on SIGTERM, so that node --cpu-prof writes its profile (bench/check-pieces.mjs).
process.once('SIGTERM', () => app.close().then(() => process.exit(0)))
