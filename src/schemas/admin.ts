import Type, { type Static, type TObject, type TSchema } from 'typebox'
import { matches } from './check.js'
import { InvalidInput } from '../errors.js'
import type { UserChanges } from '../services/accounts.js'
import { GRANT_TYPES, type ClientMetadata } from '../services/oauth2/clients.js'
import type { TokenEndpointAuthMethod, UserRecord } from '../store/port.js'
import { Email, Password, Username } from './common.js'

/**
 * The admin console's HTML forms (application/x-www-form-urlencoded: every value is text,
 * a checkbox is present or absent, several checkboxes of one name arrive as an array).
 */

const CsrfToken = Type.String({ maxLength: 256 })
/** A confirmation step's answer: destructive actions happen only with it. */
const Confirmed = Type.Optional(Type.Literal('yes'))
const Checkbox = Type.Optional(Type.Literal('yes'))
const Choice = Type.String({ minLength: 1, maxLength: 64 })
/** Checkboxes of one name: absent (none ticked), one value, or several. */
const Choices = Type.Union([Choice, Type.Array(Choice, { maxItems: 64 })])
const OptionalText = (maxLength: number) => Type.Optional(Type.String({ maxLength }))

export const CsrfForm = Type.Object({ _csrf: CsrfToken }, { additionalProperties: false })
export const ConfirmForm = Type.Object({ _csrf: CsrfToken, confirm: Confirmed }, { additionalProperties: false })

const userFields = {
  _csrf: CsrfToken,
  username: Username,
  email: Email,
  scope: Type.Optional(Choices),
  role: OptionalText(64),
  organisation: OptionalText(128)
}
export const NewUserForm = Type.Object({ ...userFields, password: Password, active: Checkbox }, { additionalProperties: false })
export const EditUserForm = Type.Object(userFields, { additionalProperties: false })
export const PasswordForm = Type.Object({ _csrf: CsrfToken, password: Password }, { additionalProperties: false })

const GrantType = Type.Union(GRANT_TYPES.map((grant) => Type.Literal(grant)))
const clientFields = {
  _csrf: CsrfToken,
  client_name: Type.String({ minLength: 1, maxLength: 128 }),
  /** One URI a line. */
  redirect_uris: Type.String({ maxLength: 20 * 2050 }),
  grant_types: Type.Union([GrantType, Type.Array(GrantType, { minItems: 1, maxItems: GRANT_TYPES.length })]),
  scope: Type.String({ minLength: 1, maxLength: 2048 }),
  first_party: Checkbox,
  /** Empty for none. */
  resource_server: Type.Optional(Type.Union([Type.Literal(''), Type.Literal('audience'), Type.Literal('all')]))
}
export const NewClientForm = Type.Object(
  {
    ...clientFields,
    token_endpoint_auth_method: Type.Union([Type.Literal('client_secret_basic'), Type.Literal('client_secret_post'), Type.Literal('none')])
  },
  { additionalProperties: false }
)
export const EditClientForm = Type.Object(clientFields, { additionalProperties: false })

const CLIENT_FORMS = new Set<TObject>([NewClientForm, EditClientForm])

export type NewUserFormT = Static<typeof NewUserForm>
export type EditUserFormT = Static<typeof EditUserForm>
export type NewClientFormT = Static<typeof NewClientForm>
export type EditClientFormT = Static<typeof EditClientForm>

/** What a page echoes back into a form that was refused: the fields as sent, passwords never. */
export type FormValues = Record<string, string | string[] | undefined>

/** `?done=` names what the last change was, so the page it lands on can say so (no free text in the URL). */
const Done = Type.Optional(Type.String({ pattern: '^[a-z-]{1,40}$' }))
export const DoneQuery = Type.Object({ done: Done }, { additionalProperties: false })
export const UserListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 254, description: 'Part of a username or email, any case' })),
    page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
    done: Done
  },
  { additionalProperties: false }
)

export const NoParams = Type.Object({})
export const UserParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })
/** One passkey of a user, by its credential id (base64url). */
export const UserPasskeyParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), credentialId: Type.String({ minLength: 1, maxLength: 1366, pattern: '^[A-Za-z0-9_-]+$' }) })
export const UserSessionParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), sessionId: Type.String({ minLength: 1, maxLength: 64 }) })

/** What to tell a person whose field was refused by the form's schema. */
const FIELD_HINTS: Record<string, string> = {
  username: 'Use 1 to 64 letters, digits, spaces, "_", "." or "-" (no space at either end).',
  email: 'Enter an email address, such as name@example.com.',
  password: 'Use 8 to 1,024 characters.',
  scope: 'Choose from the listed scopes.',
  role: 'At most 64 characters.',
  organisation: 'At most 128 characters.',
  client_name: 'Enter a name of 1 to 128 characters.',
  redirect_uris: 'At most 20 URIs, one a line.',
  grant_types: 'Choose at least one grant type.',
  token_endpoint_auth_method: 'Choose how the client authenticates.',
  resource_server: 'Choose none, audience or all.'
}

/** The fields of a refused form to show again: text and lists only, never a password. */
export function echoValues(body: unknown): FormValues {
  if (typeof body !== 'object' || body === null) return {}
  const values: FormValues = {}
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (name === 'password' || name === '_csrf') continue
    if (typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string'))) values[name] = value
  }
  return values
}

/** Field name -> message; `_form` for what concerns no one field. */
export type FieldErrors = Record<string, string>

/**
 * Every field of `body` that `schema` refuses (a missing `_csrf` too, though the CSRF check
 * answers 403 before any handler sees it), each with a message to show beside it
 * (Fastify's validation stops at the first error; a form should show them all).
 */
export function formErrors(schema: TObject, body: unknown): FieldErrors {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { _form: 'The form could not be read; reload the page and try again.' }
  const fields = body as Record<string, unknown>
  const properties = schema.properties as Record<string, TSchema>
  const required = new Set((schema as { required?: string[] }).required ?? [])
  const errors: FieldErrors = {}
  for (const [name, property] of Object.entries(properties)) {
    const value = fields[name]
    const refused = value === undefined ? required.has(name) : !matches(property, value)
    if (refused) errors[name] = fieldHint(name, schema)
  }
  const unexpected = Object.keys(fields).filter((name) => !(name in properties))
  if (unexpected.length > 0) errors._form = `The form had fields it should not have (${unexpected.slice(0, 3).map((name) => name.slice(0, 40)).join(', ')}); reload the page and try again.`
  return errors
}

function fieldHint(name: string, schema: TObject): string {
  // `scope` is a list of checkboxes on user forms, free text on client forms.
  if (name === 'scope' && CLIENT_FORMS.has(schema)) return 'Enter space-separated scope names.'
  return FIELD_HINTS[name] ?? 'Check this field.'
}

/**
 * The field a service's refusal concerns: its messages start with the field name
 * ("username is already taken", "redirect_uris: ..."); anything else concerns the form.
 */
export function serviceFieldError(message: string, fields: string[]): FieldErrors {
  const field = /^(\w+)/.exec(message)?.[1]
  return { [field !== undefined && fields.includes(field) ? field : '_form']: message }
}

/** Checkboxes as a list: none, one or several. */
export function choices(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value]
}

/** An empty organisation field means none. */
function organisationOf(text: string | undefined): string | null {
  const organisation = text?.trim() ?? ''
  return organisation === '' ? null : organisation
}

function roleOf(text: string | undefined): string | undefined {
  const role = text?.trim() ?? ''
  return role === '' ? undefined : role
}

export function newUserFrom(form: NewUserFormT) {
  const role = roleOf(form.role)
  return {
    username: form.username,
    email: form.email,
    password: form.password,
    scope: choices(form.scope),
    ...(role === undefined ? {} : { role }),
    organisation: organisationOf(form.organisation),
    active: form.active === 'yes'
  }
}

/**
 * Only what differs from the stored user: a change of scope, role, organisation or
 * username ends the user's sessions, so a field sent unchanged must not count as one.
 */
export function userChangesFrom(form: EditUserFormT, user: UserRecord): UserChanges {
  const changes: UserChanges = {}
  if (form.username !== user.username) changes.username = form.username
  if (form.email !== user.email) changes.email = form.email
  const scope = [...new Set(choices(form.scope))]
  if (scope.length !== user.scope.length || scope.some((item) => !user.scope.includes(item))) changes.scope = scope
  const role = roleOf(form.role)
  if (role !== undefined && role !== user.role) changes.role = role
  const organisation = organisationOf(form.organisation)
  if (organisation !== user.organisation) changes.organisation = organisation
  return changes
}

/** Redirect URIs from a text area: one a line, blank lines ignored. */
function redirectUrisOf(text: string): string[] {
  const uris = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
  if (uris.length > 20) throw new InvalidInput('redirect_uris: at most 20')
  if (uris.some((uri) => uri.length > 2048)) throw new InvalidInput('redirect_uris: each at most 2,048 characters')
  return uris
}

export function clientMetadataFrom(form: EditClientFormT & { token_endpoint_auth_method?: TokenEndpointAuthMethod }): ClientMetadata {
  return {
    client_name: form.client_name,
    redirect_uris: redirectUrisOf(form.redirect_uris),
    grant_types: choices(form.grant_types),
    scope: form.scope,
    first_party: form.first_party === 'yes',
    ...(form.resource_server === undefined ? {} : { resource_server: form.resource_server === '' ? null : form.resource_server }),
    ...(form.token_endpoint_auth_method === undefined ? {} : { token_endpoint_auth_method: form.token_endpoint_auth_method })
  }
}
