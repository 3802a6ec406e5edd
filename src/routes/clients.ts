import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AuthorizationHeader, errors } from '../schemas/common.js'
import { Client, ClientList, ClientParams, clientView, ClientWithSecret, clientWithSecretView, CreateClientBody, UpdateClientBody } from '../schemas/clients.js'

/** OAuth2 client registration by an admin, with RFC 7591 metadata names. */
const clients: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['oauth2 clients']
  const security = [{ bearer: [] }]
  const preHandler = app.requireAdmin
  const { clients } = app.oauth2

  app.post(
    '/api/v1/clients',
    {
      preHandler,
      schema: { tags, security, summary: 'Register a client; the secret is in this answer only', headers: AuthorizationHeader, body: CreateClientBody, response: { 201: ClientWithSecret, ...errors(400, 401, 403) } }
    },
    async (request, reply) => {
      const { client, secret } = await clients.create(request.body)
      reply.header('cache-control', 'no-store')
      return reply.code(201).send(clientWithSecretView(client, secret))
    }
  )

  app.get(
    '/api/v1/clients',
    { preHandler, schema: { tags, security, summary: 'List clients', headers: AuthorizationHeader, response: { 200: ClientList, ...errors(401, 403) } } },
    async () => ({ clients: (await clients.list()).map(clientView) })
  )

  app.get(
    '/api/v1/clients/:id',
    { preHandler, schema: { tags, security, summary: 'Read a client', headers: AuthorizationHeader, params: ClientParams, response: { 200: Client, ...errors(401, 403, 404) } } },
    async (request) => clientView(await clients.get(request.params.id))
  )

  app.patch(
    '/api/v1/clients/:id',
    {
      preHandler,
      schema: { tags, security, summary: 'Change a client', headers: AuthorizationHeader, params: ClientParams, body: UpdateClientBody, response: { 200: Client, ...errors(400, 401, 403, 404) } }
    },
    async (request) => clientView(await clients.update(request.params.id, request.body))
  )

  app.post(
    '/api/v1/clients/:id/secret',
    {
      preHandler,
      schema: { tags, security, summary: 'Rotate the secret; the old one stops working at once', headers: AuthorizationHeader, params: ClientParams, response: { 200: ClientWithSecret, ...errors(400, 401, 403, 404) } }
    },
    async (request, reply) => {
      const { client, secret } = await clients.rotateSecret(request.params.id)
      reply.header('cache-control', 'no-store')
      return clientWithSecretView(client, secret)
    }
  )

  app.delete(
    '/api/v1/clients/:id',
    {
      preHandler,
      schema: { tags, security, summary: 'Delete a client and end every session granted to it', headers: AuthorizationHeader, params: ClientParams, response: { 204: { type: 'null' }, ...errors(401, 403, 404) } }
    },
    async (request, reply) => {
      await clients.remove(request.params.id)
      return reply.code(204).send(null)
    }
  )
}

export default clients
