import Type from 'typebox'
import { CsrfField } from './browser.js'
import { DateTime, Email, PasswordAttempt } from './common.js'
import { ResetToken } from './password-reset.js'

/** A user's change of their own address (routes/email-change.ts, and the account console's form). */

export const EmailChangeBody = Type.Object(
  { email: Email, password: PasswordAttempt },
  { additionalProperties: false }
)

export const EmailChangeAnswer = Type.Object(
  { result: Type.Literal('accepted') },
  { description: 'The same answer whether another account has the address or not: the new address gets the link (or a note that it is in use), the current one a notice' }
)

export const EmailStatus = Type.Object({
  email: Type.String(),
  emailVerified: Type.Boolean(),
  pending: Type.Union([Type.Object({ email: Type.String(), expiresAt: DateTime }), Type.Null()], { description: 'The address asked for, until its link is followed, the request is cancelled or it expires' })
})

export const ConfirmEmailChangeBody = Type.Object({ token: ResetToken }, { additionalProperties: false })
export const ConfirmEmailChangeAnswer = Type.Object({ result: Type.Literal('ok'), email: Type.String() }, { description: 'The account has the new address, verified' })

export const ConfirmEmailChangeForm = Type.Object({ token: ResetToken, _csrf: CsrfField }, { additionalProperties: false })

/** The account console's form: the new address and the current password. */
export const EmailChangeForm = Type.Object({ newEmail: Email, emailPassword: PasswordAttempt, _csrf: CsrfField }, { additionalProperties: false })
