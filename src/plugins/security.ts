import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import { STATUS_CODES } from '../http/node-http.js'
import cors from '@fastify/cors'
import rateLimit from '@fastify/rate-limit'
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction, onRequestAsyncHookHandler, onRequestHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import helmet, { type HelmetOptions } from 'helmet'
import { AppError, InvalidInput, NotFound } from '../errors.js'
import { rateLimitRefusals } from '../services/metrics.js'

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Route options for every route that checks a password or exchanges a token: one
     * per-address limit shared by all of them, and the small body limit.
     */
    credentialRoute: { bodyLimit: number; onRequest: onRequestAsyncHookHandler[] }
    /** onRequest hook for HTML pages: helmet's whole set of headers in place of the JSON answers' short one. */
    pageSecurityHeaders: (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void
  }
}

/**
 * helmet's headers for `options`, worked out once: they are the same for every response,
 * and computing them per request (as @fastify/helmet does) cost a tenth of a token check.
 */
export function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {}
  const response = {
    setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()]
  }
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => {})
  return headers
}

/**
 * Whether a request carries a body, by the test Fastify makes before it reads and parses one:
 * a Transfer-Encoding (chunked: no length known in advance) or a Content-Length other than 0.
 */
export function hasBody(headers: IncomingHttpHeaders): boolean {
  return headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0')
}

/** Methods whose body Fastify never reads; a route on any other method may be sent one. */
const BODYLESS_METHODS = new Set(['GET', 'HEAD', 'TRACE'])

/**
 * Answers `error` without reading the body: the connection closes after the answer, so Node
 * neither reads nor keeps the rest of it (Fastify does the same when a body is too large).
 */
function refuseUnread(reply: FastifyReply, error: Error, done: HookHandlerDoneFunction): void {
  reply.header('connection', 'close')
  done(error)
}

/**
 * onRequest hook of every route that takes no body: any body is refused before it is read,
 * let alone parsed. Without it Fastify parses up to the body limit of JSON (nested `[` cost a
 * quarter of a second per MiB) before the route's authentication has run.
 */
const refuseBody: onRequestHookHandler = (request, reply, done) => {
  if (!hasBody(request.headers)) return done()
  refuseUnread(reply, new AppError(413, STATUS_CODES[413] ?? 'Payload Too Large', 'This route takes no request body'), done)
}

/** How deep a JSON body may nest: moneypenny's go two levels (an object holding arrays of strings). */
export const MAX_JSON_DEPTH = 32

/**
 * Whether JSON `text` opens more than `max` arrays or objects inside one another, counted by one
 * pass over it that skips strings (under half of what parsing it costs, down to a twentieth). It judges
 * depth only; JSON.parse still judges the rest.
 */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) {
      // A string: to its closing quote, stepping over each escaped character.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i)
        if (d === 0x5c) i++
        else if (d === 0x22) break
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true
    } else if (c === 0x5d || c === 0x7d) {
      depth--
    }
  }
  return false
}

/** Security headers, request bodies only where a route takes one, CORS from the allow-list, and per-address rate limits. */
export default fp(
  async (app) => {
    const { config } = app
    // A route that takes a body declares its schema (every handler that reads request.body does);
    // on every other route a body is refused unread. Routes registered after this plugin (all of
    // them but /metrics, a GET) get the hook, wherever they are registered.
    app.addHook('onRoute', (route) => {
      if (route.schema?.body !== undefined) return
      if ([route.method].flat().every((method) => BODYLESS_METHODS.has(method))) return
      route.onRequest = [refuseBody, ...[route.onRequest ?? []].flat()]
    })
    // Fastify's JSON parser behind a depth check. Deeply nested JSON costs V8 far more than flat
    // JSON of the same size: 64 KiB of `[` took 1 to 23 ms to refuse (the unfinished arrays are
    // all alive when the parse fails, and the young generation copies them), flat JSON 2 ms.
    // Every context registered from here on copies this parser.
    const { onProtoPoisoning = 'error', onConstructorPoisoning = 'error' } = app.initialConfig
    const parseJson = app.getDefaultJsonParser(onProtoPoisoning, onConstructorPoisoning)
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      if (jsonNestsDeeperThan(body as string, MAX_JSON_DEPTH)) {
        return done(new InvalidInput(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`), undefined)
      }
      return parseJson(request, body as string, done)
    })
    // Served over plain http (local, or a sidecar on 127.0.0.1), upgrading requests or
    // pinning HSTS would break the /docs page and mean nothing.
    const https = config.publicUrl.startsWith('https:')
    // Nothing moneypenny serves is meant to be framed (helmet's default allows 'self'); X-Frame-Options
    // says the same to browsers that know no frame-ancestors.
    const unframed = { xFrameOptions: { action: 'deny' }, strictTransportSecurity: https } as const
    // Pages get helmet's whole set. JSON answers, which no browser renders, get what still matters
    // for them (OWASP's REST advice): no sniffing, no framing, no referrer, nothing to load; fewer
    // headers on every token check.
    const pageHeaders = securityHeaders({
      ...unframed,
      contentSecurityPolicy: { directives: { 'frame-ancestors': ["'none'"], 'upgrade-insecure-requests': https ? [] : null } }
    })
    const apiHeaders = securityHeaders({
      ...unframed,
      contentSecurityPolicy: { useDefaults: false, directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] } },
      crossOriginOpenerPolicy: false,
      originAgentCluster: false,
      xDnsPrefetchControl: false,
      xDownloadOptions: false,
      xPermittedCrossDomainPolicies: false,
      xXssProtection: false
    })
    app.addHook('onRequest', (request, reply, done) => {
      reply.headers(apiHeaders)
      // The not-found handler would read and parse a body before answering 404: answer it unread.
      // Token checks (GET, no body) pay two header reads for this.
      if (hasBody(request.headers) && request.is404) {
        return refuseUnread(reply, new NotFound(`Route ${request.method} ${request.url.split(/[?#]/)[0]} not found`), done)
      }
      done()
    })
    app.decorate('pageSecurityHeaders', (_request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
      reply.headers(pageHeaders)
      done()
    })
    // Without an allow-list no origin may call, which is the browser's own default: no hook at all.
    if (config.corsOrigins !== null) {
      await app.register(cors, {
        origin: config.corsOrigins,
        methods: ['GET', 'POST', 'PATCH', 'DELETE'],
        allowedHeaders: ['Authorization', 'Content-Type'],
        maxAge: 600
      })
    }
    const onRequest: onRequestAsyncHookHandler[] = []
    if (config.rateLimit.enabled) {
      await app.register(rateLimit, {
        global: false,
        // Counted in Redis when there is one, so replicas share one limit instead of multiplying it.
        ...(app.redis ? { redis: app.redis, nameSpace: 'moneypenny:rate-limit:' } : {}),
        onExceeded: () => rateLimitRefusals.inc({ limit: 'address' }),
        errorResponseBuilder: (_request, context) => ({
          statusCode: 429,
          error: 'Too Many Requests',
          message: `Rate limit exceeded, retry in ${context.after}`
        })
      })
      // One limiter, so its counter is shared: an address gets N password checks in all, not N per route.
      onRequest.push(app.rateLimit({ max: config.rateLimit.addressMax, timeWindow: config.rateLimit.addressWindowMs }))
    }
    app.decorate('credentialRoute', { bodyLimit: config.authBodyLimit, onRequest })
  },
  { name: 'security', dependencies: ['config', 'redis'] }
)
