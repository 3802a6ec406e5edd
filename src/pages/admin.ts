import type { FastifyReply } from 'fastify'
import type { FieldErrors, FormValues } from '../schemas/admin.js'
import type { SigningKeyStatus } from '../services/signing-keys.js'
import type { OAuthClientRecord, SessionRecord, UserRecord } from '../store/port.js'
import { escapeHtml as e } from './html.js'

/**
 * The admin console's pages. Every value from a user, a client or the store goes
 * through escapeHtml; the pages load only /admin/assets/* (no inline script or style).
 */

/** Everything a console page's frame needs: who is signed in and the CSRF token for its forms. */
export interface Frame {
  username: string
  csrfToken: string
}

type Section = 'overview' | 'users' | 'clients' | 'keys'

const SECTIONS: [Section, string, string][] = [
  ['overview', '/admin', 'Overview'],
  ['users', '/admin/users', 'Users'],
  ['clients', '/admin/clients', 'OAuth clients'],
  ['keys', '/admin/keys', 'Signing keys']
]

/** What `?done=` on a page says about the change just made. */
const NOTICES: Record<string, string> = {
  'user-created': 'User created.',
  'user-updated': 'Changes saved. If the username, scope, role or organisation changed, the user’s sessions were ended.',
  'user-unchanged': 'Nothing changed.',
  'user-disabled': 'User disabled; their sessions were ended.',
  'user-enabled': 'User enabled.',
  'user-deleted': 'User deleted; their sessions were ended.',
  'password-reset': 'Password set; the user’s sessions were ended.',
  'session-ended': 'Session ended.',
  'sessions-ended': 'All of the user’s sessions were ended.',
  'client-updated': 'Client saved.',
  'client-deleted': 'Client deleted; every session granted to it was ended.',
  'key-rotated': 'New signing key published. It signs in a few seconds, once every replica has read it; the old key verifies until its tokens expire.'
}

export function csrfField(token: string): string {
  return `<input type="hidden" name="_csrf" value="${e(token)}">`
}

function layout(frame: Frame | null, section: Section | null, title: string, body: string, options: { script?: boolean } = {}): string {
  const nav = frame
    ? `<nav aria-label="Console">${SECTIONS.map(([name, href, label]) => `<a href="${href}"${name === section ? ' aria-current="page"' : ''}>${label}</a>`).join('')}</nav>
<form method="post" action="/admin/sign-out">${csrfField(frame.csrfToken)}<button type="submit">Sign out ${e(frame.username)}</button></form>`
    : ''
  const script = options.script ? '<script src="/admin/assets/console.js" defer></script>' : ''
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(title)} · moneypenny admin</title><link rel="stylesheet" href="/admin/assets/console.css">${script}</head>
<body><a class="skip" href="#main">Skip to content</a><header><span class="brand">moneypenny admin</span>${nav}</header>
<main id="main"><h1>${e(title)}</h1>${body}</main></body></html>`
}

function notice(done: string | undefined): string {
  const text = done === undefined ? undefined : NOTICES[done]
  return text ? `<p class="notice" role="status">${e(text)}</p>` : ''
}

/** The form's own error, or a pointer to the fields marked below, so a screen reader hears that something was refused. */
function formError(errors: FieldErrors): string {
  if (errors._form) return `<p class="form-error" role="alert">${e(errors._form)}</p>`
  return Object.keys(errors).length ? '<p class="form-error" role="alert">Nothing was saved: check the fields marked below.</p>' : ''
}

function time(epochMs: number): string {
  const iso = new Date(epochMs).toISOString()
  return `<time datetime="${iso}">${iso.slice(0, 16).replace('T', ' ')} UTC</time>`
}

/** "3 days", "5 hours", "12 minutes": how long ago, for key ages and sessions. */
export function age(fromMs: number, nowMs: number): string {
  const minutes = Math.max(0, Math.floor((nowMs - fromMs) / 60_000))
  const [count, unit] = minutes >= 2 * 1440 ? [Math.floor(minutes / 1440), 'day'] : minutes >= 120 ? [Math.floor(minutes / 60), 'hour'] : [minutes, 'minute']
  return `${count} ${unit}${count === 1 ? '' : 's'}`
}

interface FieldOptions {
  name: string
  label: string
  value?: string | undefined
  type?: 'text' | 'email' | 'password' | 'search'
  errors?: FieldErrors
  hint?: string
  required?: boolean
  autocomplete?: string
  multiline?: boolean
}

/** A labelled input with its hint and, when refused, its error right beside it (aria-describedby ties them). */
function field(options: FieldOptions): string {
  const id = `field-${options.name}`
  const error = options.errors?.[options.name]
  const described = [options.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ')
  const attributes = `id="${id}" name="${e(options.name)}"${options.required ? ' required' : ''}${options.autocomplete ? ` autocomplete="${options.autocomplete}"` : ''}${described ? ` aria-describedby="${described}"` : ''}${error ? ' aria-invalid="true"' : ''}`
  const control = options.multiline
    ? `<textarea ${attributes}>${e(options.value ?? '')}</textarea>`
    : `<input type="${options.type ?? 'text'}" ${attributes} value="${e(options.value ?? '')}">`
  return `<div class="field"><label for="${id}">${e(options.label)}</label>${control}${options.hint ? `<p class="hint" id="${id}-hint">${e(options.hint)}</p>` : ''}${error ? `<p class="field-error" id="${id}-error">${e(error)}</p>` : ''}</div>`
}

/** A group of checkboxes (or one) with a legend, its error beside it. */
function checkboxes(options: { name: string; legend: string; choices: [string, string][]; checked: string[]; errors?: FieldErrors }): string {
  const error = options.errors?.[options.name]
  const errorId = `field-${options.name}-error`
  const boxes = options.choices
    .map(([value, label], index) => {
      const id = `field-${options.name}-${index}`
      return `<label class="choice" for="${id}"><input type="checkbox" id="${id}" name="${e(options.name)}" value="${e(value)}"${options.checked.includes(value) ? ' checked' : ''}>${e(label)}</label>`
    })
    .join('')
  return `<fieldset class="field"${error ? ` aria-describedby="${errorId}"` : ''}><legend>${e(options.legend)}</legend>${boxes}${error ? `<p class="field-error" id="${errorId}">${e(error)}</p>` : ''}</fieldset>`
}

/** A form of one button that POSTs with the CSRF token (links lead to confirmation pages; this does the thing). */
function buttonForm(frame: Frame, action: string, label: string, kind: '' | 'secondary' | 'danger' = ''): string {
  return `<form method="post" action="${e(action)}">${csrfField(frame.csrfToken)}<button type="submit"${kind ? ` class="${kind}"` : ''}>${e(label)}</button></form>`
}

function text(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(' ') : value
}

function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value]
}

export function overviewPage(frame: Frame, counts: { users: number; liveSessions: number; signIns: number; processStart: number; clients: number; keys: number }): string {
  const stat = (label: string, value: number, note: string) => `<li><span class="number">${value}</span>${e(label)}<br><span class="note">${e(note)}</span></li>`
  return layout(
    frame,
    'overview',
    'Overview',
    `<ul class="stats">
${stat('Users', counts.users, 'Active and disabled')}
${stat('Live sessions', counts.liveSessions, 'Token sessions (API, /login, OAuth2) neither ended nor expired, all replicas')}
${stat('Sign-ins', counts.signIns, `Successful password sign-ins served by this process since it started, ${new Date(counts.processStart).toISOString().slice(0, 16).replace('T', ' ')} UTC (from /metrics; other replicas count their own)`)}
${stat('OAuth clients', counts.clients, 'Registered clients')}
${stat('Signing keys', counts.keys, 'Keys that still verify tokens')}
</ul>
<p><a class="button" href="/admin/users/new">New user</a><a class="button secondary" href="/admin/clients/new">New OAuth client</a></p>`
  )
}

export function usersPage(frame: Frame, view: { users: UserRecord[]; total: number; page: number; pageSize: number; q: string; done?: string | undefined }): string {
  const rows = view.users
    .map(
      (user) => `<tr><td><a href="/admin/users/${encodeURIComponent(user.id)}">${e(user.username)}</a></td><td>${e(user.email)}</td><td>${e(user.scope.join(' ') || '—')}</td><td>${e(user.organisation ?? '—')}</td><td>${user.active ? '<span class="badge on">active</span>' : '<span class="badge off">disabled</span>'}</td><td>${time(user.createdAt)}</td></tr>`
    )
    .join('')
  const pages = Math.max(1, Math.ceil(view.total / view.pageSize))
  const link = (page: number, label: string, rel: string) =>
    `<a rel="${rel}" href="/admin/users?${new URLSearchParams({ ...(view.q ? { q: view.q } : {}), page: String(page) }).toString().replace(/&/g, '&amp;')}">${label}</a>`
  const pager = `<nav class="pager" aria-label="Pages">${view.page > 1 ? link(view.page - 1, '← Previous', 'prev') : ''}<span>Page ${view.page} of ${pages} · ${view.total} user${view.total === 1 ? '' : 's'}</span>${view.page < pages ? link(view.page + 1, 'Next →', 'next') : ''}</nav>`
  return layout(
    frame,
    'users',
    'Users',
    `${notice(view.done)}<form class="search" method="get" action="/admin/users" role="search">${field({ name: 'q', label: 'Search by name or email', type: 'search', value: view.q })}<button type="submit">Search</button><a class="button secondary" href="/admin/users/new">New user</a></form>
${
  view.users.length
    ? `<div class="table-wrap"><table><caption class="visually-hidden">Users</caption><thead><tr><th scope="col">Username</th><th scope="col">Email</th><th scope="col">Scope</th><th scope="col">Organisation</th><th scope="col">Status</th><th scope="col">Created</th></tr></thead><tbody>${rows}</tbody></table></div>`
    : `<p>${view.q ? `No user’s name or email contains “${e(view.q)}”.` : 'No users yet.'}</p>`
}${pager}`
  )
}

function scopeChoices(allowedScopes: string[]): [string, string][] {
  return allowedScopes.map((scope) => [scope, scope])
}

function userFields(view: { values: FormValues; errors: FieldErrors; allowedScopes: string[] }): string {
  const { values, errors } = view
  return `${field({ name: 'username', label: 'Username', value: text(values.username), errors, required: true, autocomplete: 'off', hint: 'Letters, digits, spaces, "_", "." and "-".' })}
${field({ name: 'email', label: 'Email', type: 'email', value: text(values.email), errors, required: true, autocomplete: 'off' })}
${checkboxes({ name: 'scope', legend: 'Scope', choices: scopeChoices(view.allowedScopes), checked: list(values.scope), errors })}
${field({ name: 'role', label: 'Role', value: text(values.role), errors, hint: 'Carried in tokens as the role claim; "user" when left empty on a new user.' })}
${field({ name: 'organisation', label: 'Organisation', value: text(values.organisation), errors, hint: 'Leave empty for none.' })}`
}

export function newUserPage(frame: Frame, view: { values: FormValues; errors: FieldErrors; allowedScopes: string[] }): string {
  return layout(
    frame,
    'users',
    'New user',
    `${formError(view.errors)}<form method="post" action="/admin/users" class="card" novalidate>${csrfField(frame.csrfToken)}
${userFields(view)}
${field({ name: 'password', label: 'Password', type: 'password', errors: view.errors, required: true, autocomplete: 'new-password', hint: 'At least 8 characters.' })}
${checkboxes({ name: 'active', legend: 'Status', choices: [['yes', 'Active (may sign in)']], checked: list(view.values.active), errors: view.errors })}
<button type="submit">Create user</button><a class="button secondary" href="/admin/users">Cancel</a></form>`
  )
}

export function userValues(user: UserRecord): FormValues {
  return { username: user.username, email: user.email, scope: user.scope, role: user.role, organisation: user.organisation ?? '' }
}

export function userPage(
  frame: Frame,
  view: { user: UserRecord; sessions: SessionRecord[]; allowedScopes: string[]; now: number; values: FormValues; errors: FieldErrors; passwordErrors: FieldErrors; done?: string | undefined }
): string {
  const { user } = view
  const base = `/admin/users/${encodeURIComponent(user.id)}`
  const sessions = view.sessions.length
    ? `<div class="table-wrap"><table><thead><tr><th scope="col">Started</th><th scope="col">Kind</th><th scope="col">Client</th><th scope="col">Ends</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead><tbody>${view.sessions
        .map(
          (session) =>
            `<tr><td>${time(session.createdAt)} (${age(session.createdAt, view.now)} ago)</td><td>${e(session.kind)}</td><td>${e(session.clientId ?? '—')}</td><td>${time(Math.min(session.expiresAt, session.idleExpiresAt ?? Infinity))}</td><td><a class="button secondary" href="${base}/sessions/${encodeURIComponent(session.id)}/end" aria-label="End the session started ${new Date(session.createdAt).toISOString()}">End</a></td></tr>`
        )
        .join('')}</tbody></table></div><p><a class="button danger" href="${base}/sessions/end-all">End all sessions</a></p>`
    : '<p>No live sessions.</p>'
  const status = user.active
    ? `<p>Status: <span class="badge on">active</span></p><p><a class="button danger" href="${base}/disable">Disable user</a></p>`
    : `<p>Status: <span class="badge off">disabled</span></p>${buttonForm(frame, `${base}/enable`, 'Enable user')}`
  return layout(
    frame,
    'users',
    `User ${user.username}`,
    `${notice(view.done)}<p><a href="/admin/users">← All users</a></p>
<div class="columns"><section class="card" aria-labelledby="edit-heading"><h2 id="edit-heading">Details</h2>${formError(view.errors)}
<form method="post" action="${base}" novalidate>${csrfField(frame.csrfToken)}${userFields(view)}<button type="submit">Save changes</button></form>
<p class="hint">Created ${time(user.createdAt)} · updated ${time(user.updatedAt)} · id <code>${e(user.id)}</code></p></section>
<div><section class="card" aria-labelledby="status-heading"><h2 id="status-heading">Access</h2>${status}</section>
<section class="card" aria-labelledby="password-heading"><h2 id="password-heading">Reset password</h2>${formError(view.passwordErrors)}
<form method="post" action="${base}/password" novalidate>${csrfField(frame.csrfToken)}${field({ name: 'password', label: 'New password', type: 'password', errors: view.passwordErrors, required: true, autocomplete: 'new-password', hint: 'At least 8 characters. Ends the user’s sessions.' })}<button type="submit">Set password</button></form></section>
<section class="card" aria-labelledby="delete-heading"><h2 id="delete-heading">Delete</h2><p><a class="button danger" href="${base}/delete">Delete user</a></p></section></div></div>
<section aria-labelledby="sessions-heading"><h2 id="sessions-heading">Sessions</h2>${sessions}</section>`
  )
}

/** The step every destructive action goes through: it says what will happen, and only its button does it. */
export function confirmPage(frame: Frame, view: { section: Section; title: string; question: string; consequence: string; action: string; button: string; cancel: string; error?: string }): string {
  return layout(
    frame,
    view.section,
    view.title,
    `${view.error ? `<p class="form-error" role="alert">${e(view.error)}</p>` : ''}<div class="card"><p><strong>${e(view.question)}</strong></p><p>${e(view.consequence)}</p>
<div class="actions"><form method="post" action="${e(view.action)}">${csrfField(frame.csrfToken)}<input type="hidden" name="confirm" value="yes"><button type="submit" class="danger">${e(view.button)}</button></form>
<a class="button secondary" href="${e(view.cancel)}">Cancel</a></div></div>`
  )
}

export function clientsPage(frame: Frame, view: { clients: OAuthClientRecord[]; done?: string | undefined }): string {
  const rows = view.clients
    .map(
      (client) =>
        `<tr><td><a href="/admin/clients/${encodeURIComponent(client.id)}">${e(client.name)}</a></td><td><code>${e(client.id)}</code></td><td>${e(client.grantTypes.join(', '))}</td><td>${e(client.tokenEndpointAuthMethod === 'none' ? 'public' : 'confidential')}</td><td>${time(client.createdAt)}</td></tr>`
    )
    .join('')
  return layout(
    frame,
    'clients',
    'OAuth clients',
    `${notice(view.done)}<p><a class="button" href="/admin/clients/new">New client</a></p>${
      view.clients.length
        ? `<div class="table-wrap"><table><thead><tr><th scope="col">Name</th><th scope="col">Client id</th><th scope="col">Grant types</th><th scope="col">Type</th><th scope="col">Created</th></tr></thead><tbody>${rows}</tbody></table></div>`
        : '<p>No clients yet.</p>'
    }`
  )
}

const GRANT_TYPE_CHOICES: [string, string][] = [
  ['authorization_code', 'Authorization code (sign-in in a browser)'],
  ['refresh_token', 'Refresh token'],
  ['client_credentials', 'Client credentials (service to service)']
]

function clientFields(frame: Frame, view: { values: FormValues; errors: FieldErrors }): string {
  const { values, errors } = view
  return `${csrfField(frame.csrfToken)}${field({ name: 'client_name', label: 'Name', value: text(values.client_name), errors, required: true })}
${field({ name: 'redirect_uris', label: 'Redirect URIs', value: text(values.redirect_uris), errors, multiline: true, hint: 'One a line: https, http on localhost or 127.0.0.1, or an app scheme like com.example.app:/cb. Compared exactly.' })}
${checkboxes({ name: 'grant_types', legend: 'Grant types', choices: GRANT_TYPE_CHOICES, checked: list(values.grant_types), errors })}
${field({ name: 'scope', label: 'Scope', value: text(values.scope), errors, required: true, hint: 'Space-separated, for example: openid profile email offline_access' })}
${checkboxes({ name: 'first_party', legend: 'Consent', choices: [['yes', 'First-party client: skip the consent page']], checked: list(values.first_party), errors })}`
}

export function newClientPage(frame: Frame, view: { values: FormValues; errors: FieldErrors }): string {
  const method = text(view.values.token_endpoint_auth_method) ?? 'client_secret_basic'
  const methods: [string, string][] = [
    ['client_secret_basic', 'Confidential: secret in HTTP Basic (client_secret_basic)'],
    ['client_secret_post', 'Confidential: secret in the form (client_secret_post)'],
    ['none', 'Public: no secret, PKCE required (none)']
  ]
  const error = view.errors.token_endpoint_auth_method
  return layout(
    frame,
    'clients',
    'New OAuth client',
    `${formError(view.errors)}<form method="post" action="/admin/clients" class="card" novalidate>${clientFields(frame, view)}
<div class="field"><label for="field-token_endpoint_auth_method">Client authentication</label><select id="field-token_endpoint_auth_method" name="token_endpoint_auth_method"${error ? ' aria-invalid="true" aria-describedby="field-token_endpoint_auth_method-error"' : ''}>${methods
      .map(([value, label]) => `<option value="${value}"${value === method ? ' selected' : ''}>${e(label)}</option>`)
      .join('')}</select>${error ? `<p class="field-error" id="field-token_endpoint_auth_method-error">${e(error)}</p>` : ''}</div>
<button type="submit">Create client</button><a class="button secondary" href="/admin/clients">Cancel</a></form>`
  )
}

export function clientValues(client: OAuthClientRecord): FormValues {
  return {
    client_name: client.name,
    redirect_uris: client.redirectUris.join('\n'),
    grant_types: client.grantTypes,
    scope: client.scope.join(' '),
    first_party: client.firstParty ? 'yes' : undefined
  }
}

function clientSummary(client: OAuthClientRecord): string {
  return `<p>Client id <code>${e(client.id)}</code> · ${e(client.tokenEndpointAuthMethod === 'none' ? 'public (no secret)' : `confidential (${client.tokenEndpointAuthMethod})`)} · created ${time(client.createdAt)}</p>`
}

export function clientPage(frame: Frame, view: { client: OAuthClientRecord; values: FormValues; errors: FieldErrors; done?: string | undefined }): string {
  const { client } = view
  const base = `/admin/clients/${encodeURIComponent(client.id)}`
  const rotate = client.tokenEndpointAuthMethod === 'none' ? '' : `<a class="button danger" href="${base}/rotate-secret">Rotate secret</a>`
  return layout(
    frame,
    'clients',
    `Client ${client.name}`,
    `${notice(view.done)}<p><a href="/admin/clients">← All clients</a></p>${clientSummary(client)}
${formError(view.errors)}<form method="post" action="${base}" class="card" novalidate>${clientFields(frame, view)}<button type="submit">Save changes</button></form>
<section class="card" aria-labelledby="danger-heading"><h2 id="danger-heading">Secret and deletion</h2><p class="hint">The secret is shown only when it is made. Rotating it stops the old one at once.</p><div class="actions">${rotate}<a class="button danger" href="${base}/delete">Delete client</a></div></section>`
  )
}

/** The only page that ever shows a client secret: right after it is made. Never cached. */
export function clientSecretPage(frame: Frame, view: { client: OAuthClientRecord; secret: string | null; created: boolean }): string {
  const { client } = view
  const secret =
    view.secret === null
      ? '<p>This is a public client: it has no secret, and must use PKCE.</p>'
      : `<div class="field"><label for="client-secret">Client secret</label><div class="secret"><input type="text" id="client-secret" readonly value="${e(view.secret)}" aria-describedby="secret-hint" size="48"><button type="button" class="secondary" data-copy="client-secret" hidden>Copy</button></div>
<p class="hint" id="secret-hint"><strong>Shown this once.</strong> Store it now: moneypenny keeps only its hash and cannot show it again.</p></div>`
  return layout(
    frame,
    'clients',
    view.created ? `Client ${client.name} created` : `New secret for ${client.name}`,
    `<div class="card">${clientSummary(client)}<div class="field"><label for="client-id">Client id</label><div class="secret"><input type="text" id="client-id" readonly value="${e(client.id)}" size="48"><button type="button" class="secondary" data-copy="client-id" hidden>Copy</button></div></div>${secret}</div>
<p><a class="button" href="/admin/clients/${encodeURIComponent(client.id)}">Done</a></p>`,
    { script: true }
  )
}

export function keysPage(frame: Frame, view: { keys: SigningKeyStatus[]; sharedSecret: boolean; now: number; done?: string | undefined }): string {
  const state = (key: SigningKeyStatus) =>
    key.state === 'signing'
      ? '<span class="badge on">signing</span>'
      : key.state === 'next'
        ? `<span class="badge">published; signs from ${time(key.createdAt)}</span>`
        : `<span class="badge off">retired; verifies until ${time(key.verifyUntil ?? view.now)}</span>`
  const rows = view.keys
    .map((key) => `<tr><td><code>${e(key.kid)}</code></td><td>${e(key.alg)}</td><td>${time(key.createdAt)}</td><td>${key.createdAt > view.now ? 'not yet in force' : age(key.createdAt, view.now)}</td><td>${state(key)}</td></tr>`)
    .join('')
  const body = view.sharedSecret
    ? '<p>JWT_SECRET is set: tokens are signed with that shared secret (HS256), so there are no keys to list or rotate.</p>'
    : `<div class="table-wrap"><table><thead><tr><th scope="col">Key id</th><th scope="col">Algorithm</th><th scope="col">Created</th><th scope="col">Age</th><th scope="col">State</th></tr></thead><tbody>${rows}</tbody></table></div>
<p><a class="button danger" href="/admin/keys/rotate">Rotate signing key</a></p>`
  return layout(frame, 'keys', 'Signing keys', `${notice(view.done)}${body}`)
}

/** 403 for a signed-in user without the admin scope: says why, and offers to sign out (to sign in as someone else). */
export function notAdminPage(frame: Frame): string {
  return layout(
    null,
    null,
    'Not an administrator',
    `<p class="error" role="alert">You are signed in as ${e(frame.username)}, who does not hold the admin scope. The admin console is for admins only.</p>
<form method="post" action="/admin/sign-out">${csrfField(frame.csrfToken)}<button type="submit">Sign out and sign in as someone else</button></form>`
  )
}

export function consoleErrorPage(frame: Frame | null, title: string, message: string): string {
  return layout(frame, null, title, `<p class="form-error" role="alert">${e(message)}</p><p><a href="/admin">Back to the console</a></p>`)
}

/**
 * Sends a console page: no framing, no referrer, never cached, and a policy that lets
 * the page load only its own style sheet and script and post forms only to this service.
 */
export function sendConsolePage(reply: FastifyReply, statusCode: number, html: string) {
  return reply
    .code(statusCode)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', CONSOLE_CSP)
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-store')
    .send(html)
}

export const CONSOLE_CSP = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
