import { STATUS_CODES } from '../http/node-http.js'
import type { FastifyError, FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import { AppError, OAuthError, TooManyAttempts } from '../errors.js'

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Registers a dependency (store, Redis) whose outage turns otherwise unexplained
     * errors into 503 "<name> unavailable": fail closed, with a clear answer, never a 500.
     */
    addDependencyCheck(name: string, isDown: (error: unknown) => boolean): void
  }
  interface FastifyContextConfig {
    /** The route speaks OAuth2: its errors, malformed input included, are RFC 6749 `{error, error_description}`. */
    oauth?: boolean
  }
}

function sendOAuthError(reply: FastifyReply, error: OAuthError) {
  reply.header('cache-control', 'no-store').header('pragma', 'no-cache')
  if (error.challenge) reply.header('www-authenticate', error.challenge)
  return reply.code(error.statusCode).send({ error: error.error, error_description: error.description })
}

/**
 * RFC 9110 §15.5.2: every 401 carries a challenge. RFC 6750 §3: `error="invalid_token"`
 * when a bearer token was presented and refused; none when no credentials came at all.
 */
function bearerChallenge(authorization: string | undefined): string {
  return authorization !== undefined && /^bearer /i.test(authorization) ? 'Bearer realm="moneypenny", error="invalid_token"' : 'Bearer realm="moneypenny"'
}

/**
 * Every error leaves as `{statusCode, error, message}`: domain errors with their own
 * status, Fastify's 4xx (validation, body too large, bad JSON) as they are, and
 * anything else as a bare 500 with the details only in the log. OAuth2 routes answer
 * RFC 6749's `{error, error_description}` instead.
 */
export default fp(
  async (app) => {
    const dependencies: { name: string; isDown: (error: unknown) => boolean }[] = []
    app.decorate('addDependencyCheck', (name: string, isDown: (error: unknown) => boolean) => {
      dependencies.push({ name, isDown })
    })

    app.setErrorHandler((error: FastifyError | AppError | OAuthError, request, reply) => {
      if (error instanceof OAuthError) return sendOAuthError(reply, error)
      const down = error instanceof AppError || error.statusCode !== undefined ? undefined : dependencies.find((d) => d.isDown(error))
      if (down) {
        request.log.warn({ err: error }, `${down.name} unavailable`)
        const message = `${down.name} unavailable, retry shortly`
        if (request.routeOptions.config.oauth) return sendOAuthError(reply, new OAuthError('temporarily_unavailable', message, 503))
        return reply.code(503).header('retry-after', '1').send({ statusCode: 503, error: 'Service Unavailable', message })
      }
      const statusCode = error.statusCode ?? 500
      if (request.routeOptions.config.oauth && statusCode >= 400 && statusCode < 500) {
        return sendOAuthError(reply, new OAuthError('invalid_request', error.message, statusCode))
      }
      if (error instanceof AppError) {
        if (error instanceof TooManyAttempts) reply.header('retry-after', String(error.retryAfterSeconds))
        const code = error.code === undefined ? {} : { code: error.code }
        return reply.code(error.statusCode).send({ statusCode: error.statusCode, error: error.error, message: error.message, ...code })
      }
      if (statusCode >= 400 && statusCode < 500) {
        return reply.code(statusCode).send({
          statusCode,
          error: STATUS_CODES[statusCode] ?? 'Client Error',
          message: error.message
        })
      }
      request.log.error({ err: error }, 'request failed')
      return reply.code(500).send({ statusCode: 500, error: 'Internal Server Error', message: 'Internal Server Error' })
    })
    app.addHook('onSend', (request, reply, payload, done) => {
      if (reply.statusCode === 401 && !reply.hasHeader('www-authenticate')) reply.header('www-authenticate', bearerChallenge(request.headers.authorization))
      done(null, payload)
    })
    app.setNotFoundHandler((request, reply) => {
      reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `Route ${request.method} ${request.url.split('?')[0]} not found` })
    })
  },
  { name: 'errors' }
)
