import type { FastifyReply } from 'fastify'
import type { ComponentChildren } from 'preact'
import type { FieldErrors, FormValues } from '../schemas/admin.js'
import type { SigningKeyStatus } from '../services/signing-keys.js'
import type { MfaStatus } from '../services/mfa/index.js'
import type { IdentityLinkRecord, OAuthClientRecord, PasskeyRecord, ResourceServerMode, SessionRecord, UserRecord } from '../store/port.js'
import { renderDocument, sendHtml } from './render.js'

/**
 * The admin console's pages, components rendered by preact (which escapes every value from a
 * user, a client or the store); the pages load only /admin/assets/* (no inline script or style).
 * The console speaks English only.
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
  'mfa-reset': 'Second factor removed. The user signs in with the password alone until they enrol again.',
  'passkey-deleted': 'Passkey deleted. It no longer signs the user in.',
  'link-removed': 'Link removed. That provider no longer signs the user in.',
  'session-ended': 'Session ended.',
  'sessions-ended': 'All of the user’s sessions were ended.',
  'client-updated': 'Client saved.',
  'client-deleted': 'Client deleted; every session granted to it was ended.',
  'key-rotated': 'New signing key published. It signs in a few seconds, once every replica has read it; the old key verifies until its tokens expire.'
}

function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />
}

function Layout({ frame, section, title, script, children }: { frame: Frame | null; section: Section | null; title: string; script?: boolean; children: ComponentChildren }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <title>{`${title} · moneypenny admin`}</title>
        <link rel="stylesheet" href="/admin/assets/console.css" />
        {script && <script src="/admin/assets/console.js" defer />}
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header>
          <span class="brand">moneypenny admin</span>
          {frame && (
            <>
              <nav aria-label="Console">
                {SECTIONS.map(([name, href, label]) => (
                  <a href={href} aria-current={name === section ? 'page' : undefined}>
                    {label}
                  </a>
                ))}
              </nav>
              <form method="post" action="/admin/sign-out">
                <CsrfField token={frame.csrfToken} />
                <button type="submit">Sign out {frame.username}</button>
              </form>
            </>
          )}
        </header>
        <main id="main">
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>
  )
}

function Notice({ done }: { done: string | undefined }) {
  const text = done === undefined ? undefined : NOTICES[done]
  return text ? (
    <p class="notice" role="status">
      {text}
    </p>
  ) : null
}

/** The form's own error, or a pointer to the fields marked below, so a screen reader hears that something was refused. */
function FormError({ errors }: { errors: FieldErrors }) {
  const message = errors._form ?? (Object.keys(errors).length ? 'Nothing was saved: check the fields marked below.' : undefined)
  return message ? (
    <p class="form-error" role="alert">
      {message}
    </p>
  ) : null
}

function isoMinute(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

function Time({ at }: { at: number }) {
  return <time datetime={new Date(at).toISOString()}>{isoMinute(at)}</time>
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

/** What a field's error and hint are called, for aria-describedby; undefined when it has neither. */
function describedBy(id: string, hint: boolean, error: boolean): string | undefined {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined
}

function FieldError({ id, error }: { id: string; error: string | undefined }) {
  return error ? (
    <p class="field-error" id={id}>
      {error}
    </p>
  ) : null
}

/** A labelled input with its hint and, when refused, its error right beside it (aria-describedby ties them). */
function Field(options: FieldOptions) {
  const id = `field-${options.name}`
  const error = options.errors?.[options.name]
  const attributes = {
    id,
    name: options.name,
    required: options.required,
    autocomplete: options.autocomplete,
    'aria-describedby': describedBy(id, options.hint !== undefined, error !== undefined),
    'aria-invalid': error ? ('true' as const) : undefined
  }
  return (
    <div class="field">
      <label for={id}>{options.label}</label>
      {options.multiline ? <textarea {...attributes} value={options.value ?? ''} /> : <input type={options.type ?? 'text'} {...attributes} value={options.value ?? ''} />}
      {options.hint && (
        <p class="hint" id={`${id}-hint`}>
          {options.hint}
        </p>
      )}
      <FieldError id={`${id}-error`} error={error} />
    </div>
  )
}

/** A group of checkboxes (or one) with a legend, its error beside it. */
function Checkboxes(options: { name: string; legend: string; choices: [string, string][]; checked: string[]; errors?: FieldErrors }) {
  const error = options.errors?.[options.name]
  const errorId = `field-${options.name}-error`
  return (
    <fieldset class="field" aria-describedby={error ? errorId : undefined}>
      <legend>{options.legend}</legend>
      {options.choices.map(([value, label], index) => {
        const id = `field-${options.name}-${index}`
        return (
          <label class="choice" for={id}>
            <input type="checkbox" id={id} name={options.name} value={value} checked={options.checked.includes(value)} />
            {label}
          </label>
        )
      })}
      <FieldError id={errorId} error={error} />
    </fieldset>
  )
}

/** A select with its label and, when refused, its error beside it. */
function Select(options: { name: string; label: string; choices: [string, string][]; selected: string; errors?: FieldErrors; hint?: string }) {
  const id = `field-${options.name}`
  const error = options.errors?.[options.name]
  return (
    <div class="field">
      <label for={id}>{options.label}</label>
      <select id={id} name={options.name} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy(id, options.hint !== undefined, error !== undefined)}>
        {options.choices.map(([value, label]) => (
          <option value={value} selected={value === options.selected}>
            {label}
          </option>
        ))}
      </select>
      {options.hint && (
        <p class="hint" id={`${id}-hint`}>
          {options.hint}
        </p>
      )}
      <FieldError id={`${id}-error`} error={error} />
    </div>
  )
}

/** A form of one button that POSTs with the CSRF token (links lead to confirmation pages; this does the thing). */
function ButtonForm({ frame, action, label }: { frame: Frame; action: string; label: string }) {
  return (
    <form method="post" action={action}>
      <CsrfField token={frame.csrfToken} />
      <button type="submit">{label}</button>
    </form>
  )
}

function text(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(' ') : value
}

function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value]
}

function Stat({ label, value, note }: { label: string; value: number; note: string }) {
  return (
    <li>
      <span class="number">{value}</span>
      {label}
      <br />
      <span class="note">{note}</span>
    </li>
  )
}

export function overviewPage(frame: Frame, counts: { users: number; liveSessions: number; signIns: number; processStart: number; clients: number; keys: number }): string {
  return renderDocument(
    <Layout frame={frame} section="overview" title="Overview">
      <ul class="stats">
        <Stat label="Users" value={counts.users} note="Active and disabled" />
        <Stat label="Live sessions" value={counts.liveSessions} note="Token sessions (API, /login, OAuth2) neither ended nor expired, all replicas" />
        <Stat
          label="Sign-ins"
          value={counts.signIns}
          note={`Successful password sign-ins served by this process since it started, ${isoMinute(counts.processStart)} (from /metrics; other replicas count their own)`}
        />
        <Stat label="OAuth clients" value={counts.clients} note="Registered clients" />
        <Stat label="Signing keys" value={counts.keys} note="Keys that still verify tokens" />
      </ul>
      <p>
        <a class="button" href="/admin/users/new">
          New user
        </a>
        <a class="button secondary" href="/admin/clients/new">
          New OAuth client
        </a>
      </p>
    </Layout>
  )
}

function Badge({ on, children }: { on?: boolean; children: ComponentChildren }) {
  return <span class={on === undefined ? 'badge' : on ? 'badge on' : 'badge off'}>{children}</span>
}

export function usersPage(frame: Frame, view: { users: UserRecord[]; total: number; page: number; pageSize: number; q: string; done?: string | undefined }): string {
  const pages = Math.max(1, Math.ceil(view.total / view.pageSize))
  const href = (page: number) => `/admin/users?${new URLSearchParams({ ...(view.q ? { q: view.q } : {}), page: String(page) })}`
  return renderDocument(
    <Layout frame={frame} section="users" title="Users">
      <Notice done={view.done} />
      <form class="search" method="get" action="/admin/users" role="search">
        <Field name="q" label="Search by name or email" type="search" value={view.q} />
        <button type="submit">Search</button>
        <a class="button secondary" href="/admin/users/new">
          New user
        </a>
      </form>
      {view.users.length ? (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Users</caption>
            <thead>
              <tr>
                {['Username', 'Email', 'Scope', 'Organisation', 'Status', 'Created'].map((heading) => (
                  <th scope="col">{heading}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {view.users.map((user) => (
                <tr>
                  <td>
                    <a href={`/admin/users/${encodeURIComponent(user.id)}`}>{user.username}</a>
                  </td>
                  <td>{user.email}</td>
                  <td>{user.scope.join(' ') || '—'}</td>
                  <td>{user.organisation ?? '—'}</td>
                  <td>{user.active ? <Badge on>active</Badge> : <Badge on={false}>disabled</Badge>}</td>
                  <td>
                    <Time at={user.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{view.q ? `No user’s name or email contains “${view.q}”.` : 'No users yet.'}</p>
      )}
      <nav class="pager" aria-label="Pages">
        {view.page > 1 && (
          <a rel="prev" href={href(view.page - 1)}>
            ← Previous
          </a>
        )}
        <span>{`Page ${view.page} of ${pages} · ${view.total} user${view.total === 1 ? '' : 's'}`}</span>
        {view.page < pages && (
          <a rel="next" href={href(view.page + 1)}>
            Next →
          </a>
        )}
      </nav>
    </Layout>
  )
}

function UserFields({ values, errors, allowedScopes }: { values: FormValues; errors: FieldErrors; allowedScopes: string[] }) {
  return (
    <>
      <Field name="username" label="Username" value={text(values.username)} errors={errors} required autocomplete="off" hint={'Letters, digits, spaces, "_", "." and "-".'} />
      <Field name="email" label="Email" type="email" value={text(values.email)} errors={errors} required autocomplete="off" hint="A changed address is unverified until its link is followed; with mail, the old address is told of the change." />
      <Checkboxes name="scope" legend="Scope" choices={allowedScopes.map((scope) => [scope, scope])} checked={list(values.scope)} errors={errors} />
      <Field name="role" label="Role" value={text(values.role)} errors={errors} hint={'Carried in tokens as the role claim; "user" when left empty on a new user.'} />
      <Field name="organisation" label="Organisation" value={text(values.organisation)} errors={errors} hint="Leave empty for none." />
    </>
  )
}

export function newUserPage(frame: Frame, view: { values: FormValues; errors: FieldErrors; allowedScopes: string[] }): string {
  return renderDocument(
    <Layout frame={frame} section="users" title="New user">
      <FormError errors={view.errors} />
      <form method="post" action="/admin/users" class="card" novalidate>
        <CsrfField token={frame.csrfToken} />
        <UserFields {...view} />
        <Field name="password" label="Password" type="password" errors={view.errors} required autocomplete="new-password" hint="At least 8 characters." />
        <Checkboxes name="active" legend="Status" choices={[['yes', 'Active (may sign in)']]} checked={list(view.values.active)} errors={view.errors} />
        <button type="submit">Create user</button>
        <a class="button secondary" href="/admin/users">
          Cancel
        </a>
      </form>
    </Layout>
  )
}

export function userValues(user: UserRecord): FormValues {
  return { username: user.username, email: user.email, scope: user.scope, role: user.role, organisation: user.organisation ?? '' }
}

function Card({ heading, id, children }: { heading: string; id: string; children: ComponentChildren }) {
  return (
    <section class="card" aria-labelledby={id}>
      <h2 id={id}>{heading}</h2>
      {children}
    </section>
  )
}

export function userPage(
  frame: Frame,
  view: { user: UserRecord; mfa: MfaStatus; passkeys: PasskeyRecord[]; links: IdentityLinkRecord[]; sessions: SessionRecord[]; allowedScopes: string[]; now: number; values: FormValues; errors: FieldErrors; passwordErrors: FieldErrors; done?: string | undefined }
): string {
  const { user } = view
  const base = `/admin/users/${encodeURIComponent(user.id)}`
  return renderDocument(
    <Layout frame={frame} section="users" title={`User ${user.username}`}>
      <Notice done={view.done} />
      <p>
        <a href="/admin/users">← All users</a>
      </p>
      <div class="columns">
        <Card heading="Details" id="edit-heading">
          <FormError errors={view.errors} />
          <form method="post" action={base} novalidate>
            <CsrfField token={frame.csrfToken} />
            <UserFields {...view} />
            <button type="submit">Save changes</button>
          </form>
          <p class="hint">
            Created <Time at={user.createdAt} /> · updated <Time at={user.updatedAt} /> · id <code>{user.id}</code>
          </p>
        </Card>
        <div>
          <Card heading="Access" id="status-heading">
            {user.active ? (
              <>
                <p>
                  Status: <Badge on>active</Badge>
                </p>
                <p>
                  <a class="button danger" href={`${base}/disable`}>
                    Disable user
                  </a>
                </p>
              </>
            ) : (
              <>
                <p>
                  Status: <Badge on={false}>disabled</Badge>
                </p>
                <ButtonForm frame={frame} action={`${base}/enable`} label="Enable user" />
              </>
            )}
          </Card>
          <Card heading="Second factor" id="mfa-heading">
            {view.mfa.enabled ? (
              <>
                <p>
                  Authenticator app: <Badge on>on</Badge> · {view.mfa.recoveryCodesLeft} recovery codes left
                </p>
                <p>
                  <a class="button danger" href={`${base}/reset-mfa`}>
                    Reset second factor
                  </a>
                </p>
              </>
            ) : (
              <p>
                Authenticator app: <Badge on={false}>off</Badge>
              </p>
            )}
          </Card>
          <Card heading="Passkeys" id="passkeys-heading">
            {view.passkeys.length ? (
              <ul class="plain">
                {view.passkeys.map((passkey) => (
                  <li>
                    <strong>{passkey.name}</strong> · {passkey.backedUp ? 'synced' : 'one device'} · added <Time at={passkey.createdAt} /> · last used{' '}
                    {passkey.lastUsedAt === null ? 'never' : <Time at={passkey.lastUsedAt} />}{' '}
                    <a class="button danger" href={`${base}/passkeys/${encodeURIComponent(passkey.credentialId)}/delete`}>
                      Delete<span class="visually-hidden"> passkey {passkey.name}</span>
                    </a>
                  </li>
                ))}
              </ul>
            ) : (
              <p>No passkeys.</p>
            )}
          </Card>
          <Card heading="Linked providers" id="links-heading">
            {view.links.length ? (
              <ul class="plain">
                {view.links.map((link) => (
                  <li>
                    <strong>{link.provider}</strong> · <code>{link.subject}</code> · added <Time at={link.createdAt} /> · last used{' '}
                    {link.lastUsedAt === null ? 'never' : <Time at={link.lastUsedAt} />}{' '}
                    <a class="button danger" href={`${base}/links/${encodeURIComponent(link.provider)}/delete`}>
                      Remove<span class="visually-hidden"> link to {link.provider}</span>
                    </a>
                  </li>
                ))}
              </ul>
            ) : (
              <p>No linked OpenID Connect providers.</p>
            )}
          </Card>
          <Card heading="Reset password" id="password-heading">
            <FormError errors={view.passwordErrors} />
            <form method="post" action={`${base}/password`} novalidate>
              <CsrfField token={frame.csrfToken} />
              <Field name="password" label="New password" type="password" errors={view.passwordErrors} required autocomplete="new-password" hint="At least 8 characters. Ends the user’s sessions." />
              <button type="submit">Set password</button>
            </form>
          </Card>
          <Card heading="Delete" id="delete-heading">
            <p>
              <a class="button danger" href={`${base}/delete`}>
                Delete user
              </a>
            </p>
          </Card>
        </div>
      </div>
      <section aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Sessions</h2>
        {view.sessions.length ? (
          <>
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Started</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Client</th>
                    <th scope="col">Ends</th>
                    <th scope="col">
                      <span class="visually-hidden">Action</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {view.sessions.map((session) => (
                    <tr>
                      <td>
                        <Time at={session.createdAt} /> ({age(session.createdAt, view.now)} ago)
                      </td>
                      <td>{session.kind}</td>
                      <td>{session.clientId ?? '—'}</td>
                      <td>
                        <Time at={Math.min(session.expiresAt, session.idleExpiresAt ?? Infinity)} />
                      </td>
                      <td>
                        <a
                          class="button secondary"
                          href={`${base}/sessions/${encodeURIComponent(session.id)}/end`}
                          aria-label={`End the session started ${new Date(session.createdAt).toISOString()}`}
                        >
                          End
                        </a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p>
              <a class="button danger" href={`${base}/sessions/end-all`}>
                End all sessions
              </a>
            </p>
          </>
        ) : (
          <p>No live sessions.</p>
        )}
      </section>
    </Layout>
  )
}

/** The step every destructive action goes through: it says what will happen, and only its button does it. */
export function confirmPage(frame: Frame, view: { section: Section; title: string; question: string; consequence: string; action: string; button: string; cancel: string; error?: string }): string {
  return renderDocument(
    <Layout frame={frame} section={view.section} title={view.title}>
      {view.error && (
        <p class="form-error" role="alert">
          {view.error}
        </p>
      )}
      <div class="card">
        <p>
          <strong>{view.question}</strong>
        </p>
        <p>{view.consequence}</p>
        <div class="actions">
          <form method="post" action={view.action}>
            <CsrfField token={frame.csrfToken} />
            <input type="hidden" name="confirm" value="yes" />
            <button type="submit" class="danger">
              {view.button}
            </button>
          </form>
          <a class="button secondary" href={view.cancel}>
            Cancel
          </a>
        </div>
      </div>
    </Layout>
  )
}

/** How the console names a client's resource-server setting (what /oauth2/introspect tells it). */
const RESOURCE_SERVER_CHOICES: [string, string][] = [
  ['', 'None: introspection shows it only its own tokens'],
  ['audience', 'Audience: also tokens issued for it (aud names it)'],
  ['all', 'All: every access token']
]

function resourceServerLabel(mode: ResourceServerMode | null): string {
  return mode ?? 'none'
}

export function clientsPage(frame: Frame, view: { clients: OAuthClientRecord[]; done?: string | undefined }): string {
  return renderDocument(
    <Layout frame={frame} section="clients" title="OAuth clients">
      <Notice done={view.done} />
      <p>
        <a class="button" href="/admin/clients/new">
          New client
        </a>
      </p>
      {view.clients.length ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                {['Name', 'Client id', 'Grant types', 'Type', 'Resource server', 'Created'].map((heading) => (
                  <th scope="col">{heading}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {view.clients.map((client) => (
                <tr>
                  <td>
                    <a href={`/admin/clients/${encodeURIComponent(client.id)}`}>{client.name}</a>
                  </td>
                  <td>
                    <code>{client.id}</code>
                  </td>
                  <td>{client.grantTypes.join(', ')}</td>
                  <td>{client.tokenEndpointAuthMethod === 'none' ? 'public' : 'confidential'}</td>
                  <td>{resourceServerLabel(client.resourceServer)}</td>
                  <td>
                    <Time at={client.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>No clients yet.</p>
      )}
    </Layout>
  )
}

const GRANT_TYPE_CHOICES: [string, string][] = [
  ['authorization_code', 'Authorization code (sign-in in a browser)'],
  ['refresh_token', 'Refresh token'],
  ['client_credentials', 'Client credentials (service to service)']
]

function ClientFields({ frame, values, errors }: { frame: Frame; values: FormValues; errors: FieldErrors }) {
  return (
    <>
      <CsrfField token={frame.csrfToken} />
      <Field name="client_name" label="Name" value={text(values.client_name)} errors={errors} required />
      <Field
        name="redirect_uris"
        label="Redirect URIs"
        value={text(values.redirect_uris)}
        errors={errors}
        multiline
        hint="One a line: https, http on localhost or 127.0.0.1, or an app scheme like com.example.app:/cb. Compared exactly."
      />
      <Checkboxes name="grant_types" legend="Grant types" choices={GRANT_TYPE_CHOICES} checked={list(values.grant_types)} errors={errors} />
      <Field name="scope" label="Scope" value={text(values.scope)} errors={errors} required hint="Space-separated, for example: openid profile email offline_access" />
      <Checkboxes name="first_party" legend="Consent" choices={[['yes', 'First-party client: skip the consent page']]} checked={list(values.first_party)} errors={errors} />
      <Select
        name="resource_server"
        label="Resource server"
        choices={RESOURCE_SERVER_CHOICES}
        selected={text(values.resource_server) ?? ''}
        errors={errors}
        hint="Which access tokens /oauth2/introspect describes to this client; the others it answers {active:false}."
      />
    </>
  )
}

const AUTH_METHOD_CHOICES: [string, string][] = [
  ['client_secret_basic', 'Confidential: secret in HTTP Basic (client_secret_basic)'],
  ['client_secret_post', 'Confidential: secret in the form (client_secret_post)'],
  ['none', 'Public: no secret, PKCE required (none)']
]

export function newClientPage(frame: Frame, view: { values: FormValues; errors: FieldErrors }): string {
  return renderDocument(
    <Layout frame={frame} section="clients" title="New OAuth client">
      <FormError errors={view.errors} />
      <form method="post" action="/admin/clients" class="card" novalidate>
        <ClientFields frame={frame} {...view} />
        <Select
          name="token_endpoint_auth_method"
          label="Client authentication"
          choices={AUTH_METHOD_CHOICES}
          selected={text(view.values.token_endpoint_auth_method) ?? 'client_secret_basic'}
          errors={view.errors}
        />
        <button type="submit">Create client</button>
        <a class="button secondary" href="/admin/clients">
          Cancel
        </a>
      </form>
    </Layout>
  )
}

export function clientValues(client: OAuthClientRecord): FormValues {
  return {
    client_name: client.name,
    redirect_uris: client.redirectUris.join('\n'),
    grant_types: client.grantTypes,
    scope: client.scope.join(' '),
    first_party: client.firstParty ? 'yes' : undefined,
    resource_server: client.resourceServer ?? ''
  }
}

function ClientSummary({ client }: { client: OAuthClientRecord }) {
  return (
    <p>
      Client id <code>{client.id}</code> · {client.tokenEndpointAuthMethod === 'none' ? 'public (no secret)' : `confidential (${client.tokenEndpointAuthMethod})`} · resource server:{' '}
      {resourceServerLabel(client.resourceServer)} · created <Time at={client.createdAt} />
    </p>
  )
}

export function clientPage(frame: Frame, view: { client: OAuthClientRecord; values: FormValues; errors: FieldErrors; done?: string | undefined }): string {
  const { client } = view
  const base = `/admin/clients/${encodeURIComponent(client.id)}`
  return renderDocument(
    <Layout frame={frame} section="clients" title={`Client ${client.name}`}>
      <Notice done={view.done} />
      <p>
        <a href="/admin/clients">← All clients</a>
      </p>
      <ClientSummary client={client} />
      <FormError errors={view.errors} />
      <form method="post" action={base} class="card" novalidate>
        <ClientFields frame={frame} values={view.values} errors={view.errors} />
        <button type="submit">Save changes</button>
      </form>
      <Card heading="Secret and deletion" id="danger-heading">
        <p class="hint">The secret is shown only when it is made. Rotating it stops the old one at once.</p>
        <div class="actions">
          {client.tokenEndpointAuthMethod !== 'none' && (
            <a class="button danger" href={`${base}/rotate-secret`}>
              Rotate secret
            </a>
          )}
          <a class="button danger" href={`${base}/delete`}>
            Delete client
          </a>
        </div>
      </Card>
    </Layout>
  )
}

/** A read-only value with a copy button, which the console script shows (it stays hidden without script). */
function Copyable({ id, value, describedBy: hintId }: { id: string; value: string; describedBy?: string }) {
  return (
    <div class="secret">
      <input type="text" id={id} readonly value={value} aria-describedby={hintId} size={48} />
      <button type="button" class="secondary" data-copy={id} hidden>
        Copy
      </button>
    </div>
  )
}

/** The only page that ever shows a client secret: right after it is made. Never cached. */
export function clientSecretPage(frame: Frame, view: { client: OAuthClientRecord; secret: string | null; created: boolean }): string {
  const { client } = view
  return renderDocument(
    <Layout frame={frame} section="clients" title={view.created ? `Client ${client.name} created` : `New secret for ${client.name}`} script>
      <div class="card">
        <ClientSummary client={client} />
        <div class="field">
          <label for="client-id">Client id</label>
          <Copyable id="client-id" value={client.id} />
        </div>
        {view.secret === null ? (
          <p>This is a public client: it has no secret, and must use PKCE.</p>
        ) : (
          <div class="field">
            <label for="client-secret">Client secret</label>
            <Copyable id="client-secret" value={view.secret} describedBy="secret-hint" />
            <p class="hint" id="secret-hint">
              <strong>Shown this once.</strong> Store it now: moneypenny keeps only its hash and cannot show it again.
            </p>
          </div>
        )}
      </div>
      <p>
        <a class="button" href={`/admin/clients/${encodeURIComponent(client.id)}`}>
          Done
        </a>
      </p>
    </Layout>
  )
}

function KeyState({ signingKey, now }: { signingKey: SigningKeyStatus; now: number }) {
  if (signingKey.state === 'signing') return <Badge on>signing</Badge>
  if (signingKey.state === 'next')
    return (
      <Badge>
        published; signs from <Time at={signingKey.createdAt} />
      </Badge>
    )
  return (
    <Badge on={false}>
      retired; verifies until <Time at={signingKey.verifyUntil ?? now} />
    </Badge>
  )
}

export function keysPage(frame: Frame, view: { keys: SigningKeyStatus[]; sharedSecret: boolean; now: number; done?: string | undefined }): string {
  return renderDocument(
    <Layout frame={frame} section="keys" title="Signing keys">
      <Notice done={view.done} />
      {view.sharedSecret ? (
        <p>JWT_SECRET is set: tokens are signed with that shared secret (HS256), so there are no keys to list or rotate.</p>
      ) : (
        <>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  {['Key id', 'Algorithm', 'Created', 'Age', 'State'].map((heading) => (
                    <th scope="col">{heading}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {view.keys.map((key) => (
                  <tr>
                    <td>
                      <code>{key.kid}</code>
                    </td>
                    <td>{key.alg}</td>
                    <td>
                      <Time at={key.createdAt} />
                    </td>
                    <td>{key.createdAt > view.now ? 'not yet in force' : age(key.createdAt, view.now)}</td>
                    <td>
                      <KeyState signingKey={key} now={view.now} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p>
            <a class="button danger" href="/admin/keys/rotate">
              Rotate signing key
            </a>
          </p>
        </>
      )}
    </Layout>
  )
}

/** 403 for a signed-in user without the admin scope: says why, and offers to sign out (to sign in as someone else). */
export function notAdminPage(frame: Frame): string {
  return renderDocument(
    <Layout frame={null} section={null} title="Not an administrator">
      <p class="error" role="alert">
        {`You are signed in as ${frame.username}, who does not hold the admin scope. The admin console is for admins only.`}
      </p>
      <form method="post" action="/admin/sign-out">
        <CsrfField token={frame.csrfToken} />
        <button type="submit">Sign out and sign in as someone else</button>
      </form>
    </Layout>
  )
}

export function consoleErrorPage(frame: Frame | null, title: string, message: string): string {
  return renderDocument(
    <Layout frame={frame} section={null} title={title}>
      <p class="form-error" role="alert">
        {message}
      </p>
      <p>
        <a href="/admin">Back to the console</a>
      </p>
    </Layout>
  )
}

/** The console's policy: only its own style sheet and script, forms posted only to this service. */
export const CONSOLE_CSP = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

/** Sends a console page: no framing, no referrer, never cached, under the console's policy. */
export function sendConsolePage(reply: FastifyReply, statusCode: number, html: string) {
  return sendHtml(reply, statusCode, html, CONSOLE_CSP)
}
