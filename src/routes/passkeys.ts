import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { AuthorizationHeader, errors, IdParams } from '../schemas/common.js'
import { AddPasskeyBody, CeremonyOptions, PasskeyParams, PasskeyView, RenamePasskeyBody } from '../schemas/passkeys.js'
import type { RegistrationResponseJSON } from '@simplewebauthn/server'
import { actingOn, requireSelf } from '../services/access-check.js'
import { passkeyView } from '../schemas/views.js'

/** Passkeys by API (WebAuthn registration options and verification; list, rename, delete). */
const passkeys: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['passkeys']
  const security = [{ bearer: [] }]
  const route = { preHandler: app.requireAccessToken }

  app.post(
    '/api/v1/users/:id/passkeys/options',
    {
      ...route,
      schema: {
        tags,
        security,
        summary: 'Registration options for a new passkey (the user): pass them to navigator.credentials.create()',
        headers: AuthorizationHeader,
        params: IdParams,
        response: { 200: CeremonyOptions, ...errors(401, 403, 404) }
      }
    },
    async (request, reply) => {
      requireSelf(request.principal, request.params.id, 'passkeys')
      return reply.header('cache-control', 'no-store').send(await app.passkeys.registrationOptions(await app.accounts.get(request.params.id)))
    }
  )

  app.post(
    '/api/v1/users/:id/passkeys',
    {
      ...route,
      // An attestation with an RSA key is larger than a sign-in's body (AUTH_BODY_LIMIT).
      bodyLimit: 16_384,
      schema: {
        tags,
        security,
        summary: 'Verify the browser\'s registration answer and keep the passkey (the user)',
        headers: AuthorizationHeader,
        params: IdParams,
        body: AddPasskeyBody,
        response: { 201: PasskeyView, ...errors(400, 401, 403, 404, 409, 413) }
      }
    },
    async (request, reply) => {
      requireSelf(request.principal, request.params.id, 'passkeys')
      const user = await app.accounts.get(request.params.id)
      const passkey = await app.passkeys.register(user, request.body.credential as RegistrationResponseJSON, request.body.name.trim())
      return reply.code(201).send(passkeyView(passkey))
    }
  )

  app.get(
    '/api/v1/users/:id/passkeys',
    {
      ...route,
      schema: { tags, security, summary: "A user's passkeys (the user or an admin)", headers: AuthorizationHeader, params: IdParams, response: { 200: Type.Array(PasskeyView), ...errors(401, 403, 404) } }
    },
    async (request) => {
      actingOn(request.principal, request.params.id)
      await app.accounts.get(request.params.id)
      return (await app.passkeys.list(request.params.id)).map(passkeyView)
    }
  )

  app.patch(
    '/api/v1/users/:id/passkeys/:credentialId',
    {
      ...route,
      schema: { tags, security, summary: 'Rename a passkey (the user)', headers: AuthorizationHeader, params: PasskeyParams, body: RenamePasskeyBody, response: { 204: { type: 'null' }, ...errors(400, 401, 403, 404) } }
    },
    async (request, reply) => {
      requireSelf(request.principal, request.params.id, 'passkeys')
      await app.passkeys.rename(request.params.id, request.params.credentialId, request.body.name.trim())
      return reply.code(204).send(null)
    }
  )

  app.delete(
    '/api/v1/users/:id/passkeys/:credentialId',
    {
      ...route,
      schema: {
        tags,
        security,
        summary: 'Delete a passkey (the user, unless it is their last way to sign in; or an admin: a security event)',
        headers: AuthorizationHeader,
        params: PasskeyParams,
        response: { 204: { type: 'null' }, ...errors(401, 403, 404, 409) }
      }
    },
    async (request, reply) => {
      const by = actingOn(request.principal, request.params.id)
      await app.passkeys.delete(await app.accounts.get(request.params.id), request.params.credentialId, by)
      return reply.code(204).send(null)
    }
  )
}

export default passkeys
