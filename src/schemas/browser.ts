import Type from 'typebox'
import { DateTime, Login, PasswordAttempt } from './common.js'
import { RegisterBody } from './local.js'

export const ReturnTo = Type.String({ maxLength: 8192, description: 'Where to go after sign-in: a path on this service only' })

/** The query of a page that sends the person on afterwards: sign-in, registration. */
export const ReturnToQuery = Type.Object({ returnTo: Type.Optional(ReturnTo) }, { additionalProperties: true })

export const CsrfField = Type.String({ maxLength: 256 })

export const SignInForm = Type.Object(
  { username: Login, password: PasswordAttempt, _csrf: CsrfField, returnTo: Type.Optional(ReturnTo) },
  { additionalProperties: false }
)

/** The registration page's form: the JSON endpoint's fields under the same rules, and the form's own. */
export const RegisterForm = Type.Object({ ...RegisterBody.properties, _csrf: CsrfField, returnTo: Type.Optional(ReturnTo) }, { additionalProperties: false })

/** GET /auth/jwt: an access token for the signed-in user, and when it expires. */
export const BrowserAccessToken = Type.Object({ token: Type.String(), expires: DateTime })

/** The second step of a browser sign-in (and a first code at enrolment): `code` from the app, or a recovery code. */
export const CodeForm = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 32 }), _csrf: Type.String({ maxLength: 256 }), returnTo: Type.Optional(ReturnTo) },
  { additionalProperties: false }
)

/** A form that carries a passkey ceremony's answer (the browser's PublicKeyCredential as JSON, checked apart). */
export const PasskeyForm = Type.Object(
  { credential: Type.String({ minLength: 1, maxLength: 8192 }), _csrf: CsrfField, returnTo: Type.Optional(ReturnTo) },
  { additionalProperties: false }
)

/** A JSON request for a ceremony's options, from a page's script: only the form's CSRF token. */
export const CsrfBody = Type.Object({ _csrf: CsrfField }, { additionalProperties: false })
