import type { IncomingMessage, ServerResponse } from 'node:http'
import cors from '@fastify/cors'
import rateLimit from '@fastify/rate-limit'
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction, onRequestAsyncHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import helmet, { type HelmetOptions } from 'helmet'
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

/** Security headers, CORS from the allow-list, and per-address rate limits. */
export default fp(
  async (app) => {
    const { config } = app
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
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(apiHeaders)
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
