import Type from 'typebox'
import { DateTime, Login, PasswordAttempt } from './common.js'

export const ReturnTo = Type.String({ maxLength: 8192, description: 'Where to go after sign-in: a path on this service only' })

export const SignInPageQuery = Type.Object({ returnTo: Type.Optional(ReturnTo) }, { additionalProperties: true })

export const SignInForm = Type.Object(
  { username: Login, password: PasswordAttempt, _csrf: Type.String({ maxLength: 256 }), returnTo: Type.Optional(ReturnTo) },
  { additionalProperties: false }
)

/** GET /auth/jwt: an access token for the signed-in user, and when it expires. */
export const BrowserAccessToken = Type.Object({ token: Type.String(), expires: DateTime })

/** The second step of a browser sign-in (and a first code at enrolment): `code` from the app, or a recovery code. */
export const CodeForm = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 32 }), _csrf: Type.String({ maxLength: 256 }), returnTo: Type.Optional(ReturnTo) },
  { additionalProperties: false }
)
