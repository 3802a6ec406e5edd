import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { requireSelfOrAdmin } from '../services/access-check.js'
import { AuthorizationHeader, errors, IdParams, PublicUser } from '../schemas/common.js'
import { UserWithMfa } from '../schemas/mfa.js'
import { CreateUserBody, ListUsersQuery, UpdateUserBody, UserList } from '../schemas/users.js'
import { publicUser } from '../schemas/views.js'

/** lummox's user CRUD. Sign-up here is admin-only (lummox left it open). */
const users: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['users']
  const security = [{ bearer: [] }]

  app.post(
    '/api/v1/users',
    {
      bodyLimit: app.config.authBodyLimit,
      preHandler: app.requireAdmin,
      schema: {
        tags,
        security,
        summary: 'Create a user (admin); passwordHash imports an existing bcrypt hash',
        headers: AuthorizationHeader,
        body: CreateUserBody,
        response: { 201: PublicUser, ...errors(400, 401, 403, 409, 413) }
      }
    },
    async (request, reply) => reply.code(201).send(publicUser(await app.accounts.create(request.body)))
  )

  app.get(
    '/api/v1/users',
    {
      preHandler: app.requireAdmin,
      schema: { tags, security, summary: 'List users (admin)', headers: AuthorizationHeader, querystring: ListUsersQuery, response: { 200: UserList, ...errors(400, 401, 403) } }
    },
    async (request) => {
      const { limit, offset, q } = request.query
      const { items, total } = await app.accounts.list({ limit, offset, ...(q === undefined ? {} : { search: q }) })
      return { users: items.map(publicUser), total, limit, offset }
    }
  )

  app.get(
    '/api/v1/users/:id',
    {
      preHandler: app.requireAccessToken,
      schema: { tags, security, summary: 'Read a user with their second-factor status (admin, or the user themself)', headers: AuthorizationHeader, params: IdParams, response: { 200: UserWithMfa, ...errors(401, 403, 404) } }
    },
    async (request) => {
      requireSelfOrAdmin(request.principal, request.params.id)
      const user = await app.accounts.get(request.params.id)
      return { ...publicUser(user), mfa: await app.mfa.status(user.id) }
    }
  )

  app.patch(
    '/api/v1/users/:id',
    {
      // It may check a password (currentPassword), so it counts against the address limit.
      ...app.credentialRoute,
      preHandler: app.requireAccessToken,
      schema: {
        tags,
        security,
        summary: 'Update a user; scope, role, organisation and active are for admins only. Changing any of them, the username or the password ends the user\'s sessions, since tokens carry them. Profile fields (name, givenName, familyName, locale, zoneinfo, picture): null clears one.',
        headers: AuthorizationHeader,
        params: IdParams,
        body: UpdateUserBody,
        response: { 200: PublicUser, ...errors(400, 401, 403, 404, 409, 413) }
      }
    },
    async (request) => publicUser(await app.accounts.update(request.params.id, request.body, requireSelfOrAdmin(request.principal, request.params.id)))
  )

  app.delete(
    '/api/v1/users/:id',
    {
      preHandler: app.requireAdmin,
      schema: { tags, security, summary: 'Delete a user and end their sessions (admin)', headers: AuthorizationHeader, params: IdParams, response: { 204: { type: 'null', description: 'Deleted' }, ...errors(401, 403, 404) } }
    },
    async (request, reply) => {
      await app.accounts.remove(request.params.id)
      return reply.code(204).send(null)
    }
  )
}

export default users
