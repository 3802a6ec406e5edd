import Type, { type Static, type TSchema } from 'typebox'

/** `{statusCode, error, message}`: every non-OAuth error answer. */
export const ErrorResponse = Type.Object(
  {
    statusCode: Type.Integer(),
    error: Type.String(),
    message: Type.String(),
    code: Type.Optional(Type.String({ description: 'Why, for a client to act on: mfa_required, mfa_enrollment_required' }))
  },
  { $id: 'ErrorResponse', description: 'Error' }
)

/** Error answers a route may give, each referring to the shared schema. */
export function errors(...codes: number[]): Record<number, TSchema> {
  return Object.fromEntries(codes.map((code) => [code, Type.Ref('ErrorResponse')]))
}

/** The lengths of an account's fields: the schemas below, and the words of the page that asks for them. */
export const ACCOUNT_LIMITS = { usernameMaxLength: 64, emailMaxLength: 254, passwordMinLength: 8, passwordMaxLength: 1024 } as const

/** Syntax only; the rules after NFKC normalisation are checked in services/accounts.ts. */
export const Username = Type.String({
  minLength: 1,
  maxLength: ACCOUNT_LIMITS.usernameMaxLength,
  pattern: '^[\\p{L}\\p{N}_.-](?:[\\p{L}\\p{N} _.-]*[\\p{L}\\p{N}_.-])?$',
  description: 'Letters, digits, space, "_", "." and "-"; unique without regard to case'
})
export const Email = Type.String({ format: 'email', maxLength: ACCOUNT_LIMITS.emailMaxLength })
export const Password = Type.String({
  minLength: ACCOUNT_LIMITS.passwordMinLength,
  maxLength: ACCOUNT_LIMITS.passwordMaxLength,
  description: `${ACCOUNT_LIMITS.passwordMinLength} to ${ACCOUNT_LIMITS.passwordMaxLength} characters`
})
/** For sign-in: any length up to the maximum, so a short guess is a 401, not a hint. */
export const PasswordAttempt = Type.String({ minLength: 1, maxLength: 1024 })
/** A second factor sent with the password: a 6-digit code from the authenticator app or a recovery code. */
export const OneTimeCode = Type.String({ minLength: 1, maxLength: 32, description: 'a code from the authenticator app, or a recovery code; required when the account has a second factor' })
/** Username or email. */
export const Login = Type.String({ minLength: 1, maxLength: 254 })
/** The body of every JSON password sign-in (each seed's fields, and `otp`). */
export const passwordSignInFields = { username: Login, password: PasswordAttempt, otp: Type.Optional(OneTimeCode) }
export const Scope = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 64, uniqueItems: true })
export const Organisation = Type.Union([Type.String({ minLength: 1, maxLength: 128 }), Type.Null()])
export const Role = Type.String({ minLength: 1, maxLength: 64 })
export const DateTime = Type.String({ format: 'date-time' })
/** An opaque token or a JWT: bounded, printable. */
export const TokenString = Type.String({ minLength: 1, maxLength: 8192, pattern: '^[\\x21-\\x7e]+$' })

export const AuthorizationHeader = Type.Object({
  authorization: Type.Optional(Type.String({ description: 'Bearer <token>, Token <token> or Token: <token>' }))
})

/** A profile field as the users API takes it: null clears it. Its rule is checked in services/profile.ts. */
const ProfileValue = (maxLength: number, description: string) => Type.Union([Type.String({ minLength: 1, maxLength, description }), Type.Null()])

/** The profile a user may hold (OIDC Core §5.1 standard claims, camel-cased as the API is). */
export const ProfileFields = {
  name: ProfileValue(256, 'Full name as displayed (OIDC name)'),
  givenName: ProfileValue(128, 'Given name (OIDC given_name)'),
  familyName: ProfileValue(128, 'Family name (OIDC family_name)'),
  locale: ProfileValue(35, 'BCP 47 language tag, such as en-US (OIDC locale)'),
  zoneinfo: ProfileValue(64, 'IANA time zone, such as Europe/Paris (OIDC zoneinfo)'),
  picture: ProfileValue(2048, 'https URL of a picture of the user; http only on localhost (OIDC picture)')
}

/** A user as every answer shows it: never a password or a hash. `_id` repeats `id` for lummox clients. */
export const PublicUser = Type.Object(
  {
    id: Type.String(),
    _id: Type.String(),
    username: Type.String(),
    email: Type.String(),
    emailVerified: Type.Boolean({ description: 'The user followed a link mailed to the address (or an identity provider vouches for it)' }),
    scope: Type.Array(Type.String()),
    role: Type.String(),
    organisation: Organisation,
    active: Type.Boolean(),
    ...ProfileFields,
    createdAt: DateTime,
    updatedAt: DateTime
  },
  { $id: 'PublicUser' }
)
export type PublicUserT = Static<typeof PublicUser>

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })
