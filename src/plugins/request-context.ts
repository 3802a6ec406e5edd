import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import fp from 'fastify-plugin'
import { requestContext, type SecurityEventListener } from '../services/security-log.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Called with every security event of this app's requests (besides the log). */
    securityEventListeners: SecurityEventListener[]
  }
}

/** A caller's request id is kept only if it is short and printable; otherwise one is made. */
const REQUEST_ID = /^[\x21-\x7e]{1,128}$/

export function requestId(request: IncomingMessage): string {
  const given = request.headers['x-request-id']
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
}

/**
 * The request id is returned as `x-request-id` (and is `reqId` in every log line);
 * the services get the request's logger and client address for security events
 * without passing `request` down.
 */
export default fp(
  async (app) => {
    const listeners: SecurityEventListener[] = []
    app.decorate('securityEventListeners', listeners)
    app.addHook('onRequest', (request, reply, done) => {
      reply.header('x-request-id', request.id)
      requestContext.enterWith({ log: request.log, ip: request.ip, listeners })
      done()
    })
  },
  { name: 'request-context' }
)
