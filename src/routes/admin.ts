import formbody from '@fastify/formbody'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { TObject } from 'typebox'
import { AppError, Conflict, InvalidInput, NotFound } from '../errors.js'
import { CONSOLE_CSS, CONSOLE_SCRIPT } from '../pages/admin-assets.js'
import {
  clientPage,
  clientSecretPage,
  clientsPage,
  clientValues,
  confirmPage,
  consoleErrorPage,
  keysPage,
  newClientPage,
  newUserPage,
  notAdminPage,
  overviewPage,
  sendConsolePage,
  userPage,
  usersPage,
  userValues,
  type Frame
} from '../pages/admin.js'
import { sendRedirect } from '../pages/html.js'
import {
  clientMetadataFrom,
  ConfirmForm,
  CsrfForm,
  DoneQuery,
  NoParams,
  echoValues,
  EditClientForm,
  EditUserForm,
  formErrors,
  newUserFrom,
  NewClientForm,
  NewUserForm,
  PasswordForm,
  serviceFieldError,
  userChangesFrom,
  UserListQuery,
  UserParams,
  UserPasskeyParams,
  UserSessionParams,
  type FieldErrors,
  type FormValues
} from '../schemas/admin.js'
import { ClientParams } from '../schemas/clients.js'
import { UserLinkParams } from '../schemas/oidc.js'
import { successfulSignIns } from '../services/metrics.js'
import { signingKeyStatuses } from '../services/signing-keys.js'
import type { UserRecord } from '../store/port.js'

const USERS_PER_PAGE = 20
const USER_FIELDS = ['username', 'email', 'scope', 'role', 'organisation', 'password']
const CLIENT_FIELDS = ['client_name', 'redirect_uris', 'grant_types', 'scope', 'token_endpoint_auth_method', 'resource_server']

/** A destructive action's confirmation step: what the page says, and what its button does. */
interface Confirmation {
  page: Omit<Parameters<typeof confirmPage>[1], 'action' | 'error'>
  perform: (reply: FastifyReply) => Promise<unknown>
}

/**
 * The admin console at /admin (registered with that prefix): server-rendered pages for
 * a browser-session user with the admin scope. Every change is a form POST with the CSRF
 * token, then a redirect with a notice; destructive ones go through a confirmation page.
 */
const admin: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(formbody)
  const tags = ['admin console']
  const { accounts, sessions } = app
  const { clients } = app.oauth2
  const { allowedScopes } = app.config
  /** The admin each request was let in as (set by the preHandler hook below). */
  const admins = new WeakMap<FastifyRequest, UserRecord>()
  const frame = (request: FastifyRequest, reply: FastifyReply): Frame => ({ username: admins.get(request)!.username, csrfToken: reply.generateCsrf() })
  const page = (reply: FastifyReply, html: string, statusCode = 200) => sendConsolePage(reply, statusCode, html)
  const redirect = (reply: FastifyReply, location: string) => sendRedirect(reply, location, 303)
  const userPath = (id: string) => `/admin/users/${encodeURIComponent(id)}`
  const clientPath = (id: string) => `/admin/clients/${encodeURIComponent(id)}`

  // Who may come in: signed in (else to the sign-in page and back), and holding the admin scope (else 403).
  app.addHook('preHandler', async (request, reply) => {
    const url = request.routeOptions.url ?? ''
    if (url.startsWith('/admin/assets/') || url === '/admin/sign-out') return
    const user = await app.sessionUser(request)
    if (!user) return redirect(reply, `/auth/local/login?returnTo=${encodeURIComponent(request.method === 'GET' ? request.url : '/admin')}`)
    if (!user.scope.includes('admin')) return page(reply, notAdminPage({ username: user.username, csrfToken: reply.generateCsrf() }), 403)
    admins.set(request, user)
  })

  // Errors are pages too: a refusal says what was wrong; anything unexpected says only that it failed.
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const current = admins.has(request) ? frame(request, reply) : null
    const statusCode = error instanceof AppError ? error.statusCode : (error.statusCode ?? 500)
    if (error.code?.startsWith('FST_CSRF')) {
      return page(reply, consoleErrorPage(current, 'Form expired', 'This form has expired or did not come from the console. Nothing was changed: go back, reload the page and try again.'), 403)
    }
    if (statusCode >= 400 && statusCode < 500) return page(reply, consoleErrorPage(current, 'Not done', error.message), statusCode)
    request.log.error({ err: error }, 'admin console request failed')
    return page(reply, consoleErrorPage(current, 'Something went wrong', 'The request failed and may not have been carried out. Try again; the service log has the details.'), 500)
  })
  app.setNotFoundHandler((request, reply) => page(reply, consoleErrorPage(admins.has(request) ? frame(request, reply) : null, 'Not found', 'There is no such page in the console.'), 404))

  /** The refused fields of a form, or null when Fastify's validation passed it. */
  function refused(request: FastifyRequest, schema: TObject): FieldErrors | null {
    if (!request.validationError) return null
    const errors = formErrors(schema, request.body)
    return Object.keys(errors).length ? errors : { _form: 'The form could not be read; reload the page and try again.' }
  }

  /** Runs a service call; its refusal (bad input, a taken name) becomes field errors instead of an error page. */
  async function attempt<T>(fields: string[], work: () => Promise<T>): Promise<{ value: T } | { errors: FieldErrors; statusCode: number }> {
    try {
      return { value: await work() }
    } catch (error) {
      if (error instanceof InvalidInput || error instanceof Conflict) return { errors: serviceFieldError(error.message, fields), statusCode: error.statusCode }
      throw error
    }
  }

  /** A form's refusal by its schema, else the service call's outcome. */
  function submit<T>(request: FastifyRequest, schema: TObject, fields: string[], work: () => Promise<T>) {
    const errors = refused(request, schema)
    return errors ? Promise.resolve({ errors, statusCode: 400 }) : attempt(fields, work)
  }

  /**
   * A destructive action at `path`: GET shows the confirmation page; POST does it only
   * with the confirmation's `confirm=yes` (and the CSRF token), else shows the page again.
   */
  function confirmed(path: string, params: TObject, confirmation: (params: Record<string, string>) => Promise<Confirmation>, summary: string) {
    app.get(path, { schema: { tags, summary: `Confirmation page: ${summary}`, params, produces: ['text/html'] } }, async (request, reply) => {
      const { page: view } = await confirmation(request.params as Record<string, string>)
      return page(reply, confirmPage(frame(request, reply), { ...view, action: request.url }))
    })
    app.post(
      path,
      { preHandler: app.csrfProtection, attachValidation: true, schema: { tags, summary, params, body: ConfirmForm, produces: ['text/html'] } },
      async (request, reply) => {
        const step = await confirmation(request.params as Record<string, string>)
        if (request.validationError || (request.body as { confirm?: string }).confirm !== 'yes') {
          const error = 'Nothing was changed: confirm with the button below.'
          return page(reply, confirmPage(frame(request, reply), { ...step.page, action: request.url, error }), 400)
        }
        return step.perform(reply)
      }
    )
  }

  app.get('/assets/console.css', { schema: { tags, summary: 'The console style sheet', produces: ['text/css'] } }, async (_request, reply) =>
    reply.header('content-type', 'text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(CONSOLE_CSS)
  )
  app.get('/assets/console.js', { schema: { tags, summary: 'The console script (copy buttons)', produces: ['text/javascript'] } }, async (_request, reply) =>
    reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(CONSOLE_SCRIPT)
  )

  app.post('/sign-out', { preHandler: app.csrfProtection, schema: { tags, summary: 'End the browser session', body: CsrfForm } }, async (request, reply) => {
    await app.endBrowserSession(request)
    return redirect(reply, '/auth/local/login?returnTo=/admin')
  })

  app.get('/', { schema: { tags, summary: 'Overview: users, live sessions, sign-ins', produces: ['text/html'] } }, async (request, reply) => {
    const [users, liveSessions, signIns, registered, keys] = await Promise.all([
      accounts.list({ limit: 1, offset: 0 }),
      sessions.countLive(),
      successfulSignIns(),
      clients.list(),
      app.store.signingKeys.list()
    ])
    const now = Date.now()
    const counts = {
      users: users.total,
      liveSessions,
      signIns,
      processStart: now - Math.round(process.uptime() * 1000),
      clients: registered.length,
      keys: app.config.jwt.secret === null ? signingKeyStatuses(keys, now).length : 0
    }
    return page(reply, overviewPage(frame(request, reply), counts))
  })

  // Users

  app.get('/users', { schema: { tags, summary: 'Users: search by name or email, a page at a time', querystring: UserListQuery, produces: ['text/html'] } }, async (request, reply) => {
    const q = request.query.q?.trim() ?? ''
    const { page: pageNumber, done } = request.query
    const { items, total } = await accounts.list({ limit: USERS_PER_PAGE, offset: (pageNumber - 1) * USERS_PER_PAGE, ...(q ? { search: q } : {}) })
    return page(reply, usersPage(frame(request, reply), { users: items, total, page: pageNumber, pageSize: USERS_PER_PAGE, q, done }))
  })

  app.get('/users/new', { schema: { tags, summary: 'The new-user form', produces: ['text/html'] } }, async (request, reply) =>
    page(reply, newUserPage(frame(request, reply), { values: { scope: allowedScopes.includes('user') ? ['user'] : [], active: 'yes' }, errors: {}, allowedScopes }))
  )

  app.post(
    '/users',
    { preHandler: app.csrfProtection, attachValidation: true, schema: { tags, summary: 'Create a user', body: NewUserForm, produces: ['text/html'] } },
    async (request, reply) => {
      const outcome = await submit(request, NewUserForm, USER_FIELDS, () => accounts.create(newUserFrom(request.body)))
      if ('errors' in outcome) return page(reply, newUserPage(frame(request, reply), { values: echoValues(request.body), errors: outcome.errors, allowedScopes }), outcome.statusCode)
      return redirect(reply, `${userPath(outcome.value.id)}?done=user-created`)
    }
  )

  /** A user's page, with a refused form's values and errors when there are any. */
  async function showUser(request: FastifyRequest, reply: FastifyReply, user: UserRecord, options: { statusCode?: number; values?: FormValues; errors?: FieldErrors; passwordErrors?: FieldErrors; done?: string | undefined } = {}) {
    const view = {
      user,
      mfa: await app.mfa.status(user.id),
      passkeys: await app.passkeys.list(user.id),
      links: await app.identityLinks.list(user.id),
      sessions: await sessions.liveSessionsOf(user.id),
      allowedScopes,
      now: Date.now(),
      values: options.values ?? userValues(user),
      errors: options.errors ?? {},
      passwordErrors: options.passwordErrors ?? {},
      done: options.done
    }
    return page(reply, userPage(frame(request, reply), view), options.statusCode ?? 200)
  }

  app.get('/users/:id', { schema: { tags, summary: 'A user: details, access, password, sessions', params: UserParams, querystring: DoneQuery, produces: ['text/html'] } }, async (request, reply) =>
    showUser(request, reply, await accounts.get(request.params.id), { done: request.query.done })
  )

  app.post(
    '/users/:id',
    { preHandler: app.csrfProtection, attachValidation: true, schema: { tags, summary: 'Change a user; only fields that differ are changed', params: UserParams, body: EditUserForm, produces: ['text/html'] } },
    async (request, reply) => {
      const user = await accounts.get(request.params.id)
      const errors = refused(request, EditUserForm)
      if (errors) return showUser(request, reply, user, { statusCode: 400, values: echoValues(request.body), errors })
      const changes = userChangesFrom(request.body, user)
      if (Object.keys(changes).length === 0) return redirect(reply, `${userPath(user.id)}?done=user-unchanged`)
      const outcome = await attempt(USER_FIELDS, () => accounts.update(user.id, changes, { isAdmin: true }))
      if ('errors' in outcome) return showUser(request, reply, user, { statusCode: outcome.statusCode, values: echoValues(request.body), errors: outcome.errors })
      return redirect(reply, `${userPath(user.id)}?done=user-updated`)
    }
  )

  app.post(
    '/users/:id/password',
    { preHandler: app.csrfProtection, attachValidation: true, schema: { tags, summary: 'Set a new password; ends the user\'s sessions', params: UserParams, body: PasswordForm, produces: ['text/html'] } },
    async (request, reply) => {
      const user = await accounts.get(request.params.id)
      const errors = refused(request, PasswordForm)
      if (errors) return showUser(request, reply, user, { statusCode: 400, passwordErrors: errors })
      await accounts.update(user.id, { password: request.body.password }, { isAdmin: true })
      return redirect(reply, `${userPath(user.id)}?done=password-reset`)
    }
  )

  app.post(
    '/users/:id/enable',
    { preHandler: app.csrfProtection, schema: { tags, summary: 'Enable a user', params: UserParams, body: CsrfForm, produces: ['text/html'] } },
    async (request, reply) => {
      await accounts.update(request.params.id, { active: true }, { isAdmin: true })
      return redirect(reply, `${userPath(request.params.id)}?done=user-enabled`)
    }
  )

  confirmed(
    '/users/:id/reset-mfa',
    UserParams,
    async ({ id }) => {
      const user = await accounts.get(id!)
      return {
        page: {
          section: 'users',
          title: 'Reset second factor',
          question: `Remove the second factor of ${user.username}?`,
          consequence: 'Their authenticator app and recovery codes stop working; they sign in with the password alone until they enrol again. Do this only once you know it is them (a lost phone).',
          button: 'Reset second factor',
          cancel: userPath(user.id)
        },
        perform: async (reply) => {
          await app.mfa.reset(user.id)
          return redirect(reply, `${userPath(user.id)}?done=mfa-reset`)
        }
      }
    },
    "Remove a user's second factor and recovery codes"
  )

  confirmed(
    '/users/:id/passkeys/:credentialId/delete',
    UserPasskeyParams,
    async ({ id, credentialId }) => {
      const user = await accounts.get(id!)
      const passkey = (await app.passkeys.list(user.id)).find((each) => each.credentialId === credentialId)
      if (passkey === undefined) throw new NotFound('No such passkey')
      return {
        page: {
          section: 'users',
          title: 'Delete passkey',
          question: `Delete the passkey “${passkey.name}” of ${user.username}?`,
          consequence: 'It no longer signs them in, on its own or as a second step. Do this once you know it is them (a lost or stolen device).',
          button: 'Delete passkey',
          cancel: userPath(user.id)
        },
        perform: async (reply) => {
          await app.passkeys.delete(user, passkey.credentialId, 'admin')
          return redirect(reply, `${userPath(user.id)}?done=passkey-deleted`)
        }
      }
    },
    "Delete one of a user's passkeys"
  )

  confirmed(
    '/users/:id/links/:provider/delete',
    UserLinkParams,
    async ({ id, provider }) => {
      const user = await accounts.get(id!)
      const link = (await app.identityLinks.list(user.id)).find((each) => each.provider === provider)
      if (link === undefined) throw new NotFound('No link to that provider')
      return {
        page: {
          section: 'users',
          title: 'Remove link',
          question: `Remove the link of ${user.username} to ${link.provider}?`,
          consequence: 'That provider no longer signs them in; a sign-in through it later follows the provider’s first sign-in rule again.',
          button: 'Remove link',
          cancel: userPath(user.id)
        },
        perform: async (reply) => {
          await app.identityLinks.unlink(user, link.provider, 'admin')
          return redirect(reply, `${userPath(user.id)}?done=link-removed`)
        }
      }
    },
    "Remove a user's link to an upstream OpenID Connect provider"
  )

  confirmed(
    '/users/:id/disable',
    UserParams,
    async ({ id }) => {
      const user = await accounts.get(id!)
      return {
        page: { section: 'users', title: 'Disable user', question: `Disable ${user.username}?`, consequence: 'They can no longer sign in, and every session of theirs ends now. You can enable them again later.', button: 'Disable user', cancel: userPath(user.id) },
        perform: async (reply) => {
          await accounts.update(user.id, { active: false }, { isAdmin: true })
          return redirect(reply, `${userPath(user.id)}?done=user-disabled`)
        }
      }
    },
    'Disable a user and end their sessions'
  )

  confirmed(
    '/users/:id/delete',
    UserParams,
    async ({ id }) => {
      const user = await accounts.get(id!)
      return {
        page: { section: 'users', title: 'Delete user', question: `Delete ${user.username} (${user.email})?`, consequence: 'The account is removed for good and every session of theirs ends now. This cannot be undone.', button: 'Delete user', cancel: userPath(user.id) },
        perform: async (reply) => {
          await accounts.remove(user.id)
          return redirect(reply, '/admin/users?done=user-deleted')
        }
      }
    },
    'Delete a user and end their sessions'
  )

  confirmed(
    '/users/:id/sessions/end-all',
    UserParams,
    async ({ id }) => {
      const user = await accounts.get(id!)
      return {
        page: { section: 'users', title: 'End all sessions', question: `End every session of ${user.username}?`, consequence: 'Their refresh tokens stop working at once and their access tokens are refused; they have to sign in again.', button: 'End all sessions', cancel: userPath(user.id) },
        perform: async (reply) => {
          await sessions.revokeUser(user.id)
          return redirect(reply, `${userPath(user.id)}?done=sessions-ended`)
        }
      }
    },
    'End every session of a user'
  )

  confirmed(
    '/users/:id/sessions/:sessionId/end',
    UserSessionParams,
    async ({ id, sessionId }) => {
      const user = await accounts.get(id!)
      return {
        page: { section: 'users', title: 'End session', question: `End this session of ${user.username}?`, consequence: 'Its refresh token stops working at once and its access tokens are refused. Their other sessions go on.', button: 'End session', cancel: userPath(user.id) },
        perform: async (reply) => {
          await sessions.revokeSessionOf(user.id, sessionId!)
          return redirect(reply, `${userPath(user.id)}?done=session-ended`)
        }
      }
    },
    'End one session of a user'
  )

  // OAuth clients

  app.get('/clients', { schema: { tags, summary: 'OAuth clients', querystring: DoneQuery, produces: ['text/html'] } }, async (request, reply) =>
    page(reply, clientsPage(frame(request, reply), { clients: await clients.list(), done: request.query.done }))
  )

  app.get('/clients/new', { schema: { tags, summary: 'The new-client form', produces: ['text/html'] } }, async (request, reply) =>
    page(reply, newClientPage(frame(request, reply), { values: { grant_types: ['authorization_code'], scope: 'openid profile email', token_endpoint_auth_method: 'client_secret_basic', resource_server: '' }, errors: {} }))
  )

  /** The page with the secret: the only time it is ever shown, so never cached. */
  const showSecret = (request: FastifyRequest, reply: FastifyReply, result: Awaited<ReturnType<typeof clients.create>>, created: boolean) =>
    page(reply, clientSecretPage(frame(request, reply), { client: result.client, secret: result.secret, created }), created ? 201 : 200)

  app.post(
    '/clients',
    { preHandler: app.csrfProtection, attachValidation: true, schema: { tags, summary: 'Register a client; the answer shows its secret once', body: NewClientForm, produces: ['text/html'] } },
    async (request, reply) => {
      const outcome = await submit(request, NewClientForm, CLIENT_FIELDS, () => clients.create(clientMetadataFrom(request.body)))
      if ('errors' in outcome) return page(reply, newClientPage(frame(request, reply), { values: echoValues(request.body), errors: outcome.errors }), outcome.statusCode)
      return showSecret(request, reply, outcome.value, true)
    }
  )

  app.get('/clients/:id', { schema: { tags, summary: 'A client: its metadata, secret rotation, deletion', params: ClientParams, querystring: DoneQuery, produces: ['text/html'] } }, async (request, reply) => {
    const client = await clients.get(request.params.id)
    return page(reply, clientPage(frame(request, reply), { client, values: clientValues(client), errors: {}, done: request.query.done }))
  })

  app.post(
    '/clients/:id',
    { preHandler: app.csrfProtection, attachValidation: true, schema: { tags, summary: 'Change a client\'s name, redirect URIs, grant types, scope, resource server', params: ClientParams, body: EditClientForm, produces: ['text/html'] } },
    async (request, reply) => {
      const client = await clients.get(request.params.id)
      const outcome = await submit(request, EditClientForm, CLIENT_FIELDS, () => clients.update(client.id, clientMetadataFrom(request.body)))
      if ('errors' in outcome) return page(reply, clientPage(frame(request, reply), { client, values: echoValues(request.body), errors: outcome.errors }), outcome.statusCode)
      return redirect(reply, `${clientPath(client.id)}?done=client-updated`)
    }
  )

  confirmed(
    '/clients/:id/rotate-secret',
    ClientParams,
    async ({ id }) => {
      const client = await clients.get(id!)
      return {
        page: { section: 'clients', title: 'Rotate secret', question: `Make a new secret for ${client.name}?`, consequence: 'The current secret stops working at once; the client needs the new one, shown on the next page only.', button: 'Rotate secret', cancel: clientPath(client.id) },
        perform: async (reply) => showSecret(reply.request, reply, await clients.rotateSecret(client.id), false)
      }
    },
    'Rotate a client secret; the answer shows the new one once'
  )

  confirmed(
    '/clients/:id/delete',
    ClientParams,
    async ({ id }) => {
      const client = await clients.get(id!)
      return {
        page: { section: 'clients', title: 'Delete client', question: `Delete ${client.name}?`, consequence: 'The client can no longer sign anyone in, and every session granted to it ends now. This cannot be undone.', button: 'Delete client', cancel: clientPath(client.id) },
        perform: async (reply) => {
          await clients.remove(client.id)
          return redirect(reply, '/admin/clients?done=client-deleted')
        }
      }
    },
    'Delete a client and end every session granted to it'
  )

  // Signing keys

  app.get('/keys', { schema: { tags, summary: 'Signing keys with their age and state', querystring: DoneQuery, produces: ['text/html'] } }, async (request, reply) => {
    const now = Date.now()
    const view = { keys: signingKeyStatuses(await app.store.signingKeys.list(), now), sharedSecret: app.config.jwt.secret !== null, now, done: request.query.done }
    return page(reply, keysPage(frame(request, reply), view))
  })

  confirmed(
    '/keys/rotate',
    NoParams,
    async () => {
      if (app.config.jwt.secret !== null) throw new InvalidInput('JWT_SECRET is set: shared-secret mode has no keys to rotate')
      return {
        page: { section: 'keys', title: 'Rotate signing key', question: 'Publish a new signing key?', consequence: 'It is published now and signs in a few seconds; tokens signed by the current key stay valid until they expire.', button: 'Rotate key', cancel: '/admin/keys' },
        perform: async (reply) => {
          await app.tokens.rotateSigningKey()
          return redirect(reply, '/admin/keys?done=key-rotated')
        }
      }
    },
    'Publish a new signing key'
  )
}

export default admin
