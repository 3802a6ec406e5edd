import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AuthorizationHeader, errors, IdParams } from '../schemas/common.js'
import { CodeBody, RecoveryCodes, RemoveTotpBody, TotpEnrolment } from '../schemas/mfa.js'
import { requireSelf } from '../services/access-check.js'

/** The second factor by API: enrolment (RFC 6238 TOTP) and its confirmation, recovery codes, removal, an admin's reset. */
const mfa: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['second factor']
  const security = [{ bearer: [] }]
  // Each of them may check a code or a password, so they count against the address limit.
  const route = { ...app.credentialRoute, preHandler: app.requireAccessToken }

  app.post(
    '/api/v1/users/:id/mfa/totp',
    {
      ...route,
      schema: {
        tags,
        security,
        summary: 'Start a TOTP enrolment (the user): a new secret, asked for at sign-in once confirmed with a first code',
        headers: AuthorizationHeader,
        params: IdParams,
        response: { 201: TotpEnrolment, ...errors(401, 403, 404, 409) }
      }
    },
    async (request, reply) => {
      requireSelf(request.principal, request.params.id, 'second factor')
      const { secret, otpauthUri } = await app.mfa.beginTotp(await app.accounts.get(request.params.id))
      return reply.code(201).header('cache-control', 'no-store').send({ secret, otpauth_uri: otpauthUri })
    }
  )

  app.post(
    '/api/v1/users/:id/mfa/totp/confirm',
    {
      ...route,
      schema: {
        tags,
        security,
        summary: 'Confirm the enrolment with a first code: the factor is on, and the answer holds 10 recovery codes, shown once',
        headers: AuthorizationHeader,
        params: IdParams,
        body: CodeBody,
        response: { 200: RecoveryCodes, ...errors(400, 401, 403, 404, 409, 413, 429) }
      }
    },
    async (request, reply) => {
      requireSelf(request.principal, request.params.id, 'second factor')
      const recoveryCodes = await app.mfa.confirmTotp(await app.accounts.get(request.params.id), request.body.code)
      return reply.header('cache-control', 'no-store').send({ recoveryCodes })
    }
  )

  app.post(
    '/api/v1/users/:id/mfa/recovery-codes',
    {
      ...route,
      schema: {
        tags,
        security,
        summary: 'New recovery codes in place of the old ones, for a current code',
        headers: AuthorizationHeader,
        params: IdParams,
        body: CodeBody,
        response: { 200: RecoveryCodes, ...errors(400, 401, 403, 404, 413, 429) }
      }
    },
    async (request, reply) => {
      requireSelf(request.principal, request.params.id, 'second factor')
      const recoveryCodes = await app.mfa.regenerateRecoveryCodes(await app.accounts.get(request.params.id), request.body.code)
      return reply.header('cache-control', 'no-store').send({ recoveryCodes })
    }
  )

  app.delete(
    '/api/v1/users/:id/mfa/totp',
    {
      ...route,
      schema: {
        tags,
        security,
        summary: 'Remove the second factor (the user), proven with a current code, a recovery code or the password',
        headers: AuthorizationHeader,
        params: IdParams,
        body: RemoveTotpBody,
        response: { 204: { type: 'null' }, ...errors(400, 401, 403, 404, 413, 429) }
      }
    },
    async (request, reply) => {
      requireSelf(request.principal, request.params.id, 'second factor')
      await app.mfa.removeTotp(await app.accounts.get(request.params.id), request.body)
      return reply.code(204).send(null)
    }
  )

  app.post(
    '/api/v1/users/:id/mfa/reset',
    {
      preHandler: app.requireAdmin,
      schema: {
        tags,
        security,
        summary: "Reset a user's second factor (admin): the factor and its recovery codes are gone; a security event",
        headers: AuthorizationHeader,
        params: IdParams,
        response: { 204: { type: 'null' }, ...errors(401, 403, 404) }
      }
    },
    async (request, reply) => {
      await app.accounts.get(request.params.id)
      await app.mfa.reset(request.params.id)
      return reply.code(204).send(null)
    }
  )
}

export default mfa
