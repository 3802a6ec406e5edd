import { STATUS_CODES } from 'node:http'
import type { FastifyError } from 'fastify'
import fp from 'fastify-plugin'
import { AppError, TooManyAttempts } from '../errors.js'

/**
 * Every error leaves as `{statusCode, error, message}`: domain errors with their own
 * status, Fastify's 4xx (validation, body too large, bad JSON) as they are, and
 * anything else as a bare 500 with the details only in the log.
 */
export default fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
      if (error instanceof AppError) {
        if (error instanceof TooManyAttempts) reply.header('retry-after', String(error.retryAfterSeconds))
        return reply.code(error.statusCode).send({ statusCode: error.statusCode, error: error.error, message: error.message })
      }
      const statusCode = error.statusCode ?? 500
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
    app.setNotFoundHandler((request, reply) => {
      reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `Route ${request.method} ${request.url.split('?')[0]} not found` })
    })
  },
  { name: 'errors' }
)
