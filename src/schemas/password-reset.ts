import Type from 'typebox'
import { Email, OneTimeCode, Password } from './common.js'

/** The token of a reset link: 256 random bits, base64url. */
export const ResetToken = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description: 'the token of the reset link' })

export const ForgotPasswordBody = Type.Object({ email: Email }, { additionalProperties: false })

export const ForgotPasswordAnswer = Type.Object(
  { result: Type.Literal('accepted') },
  { description: 'The same answer for every address: a link is mailed if an active account with a password has it' }
)

export const ResetPasswordBody = Type.Object({ token: ResetToken, password: Password, otp: Type.Optional(OneTimeCode) }, { additionalProperties: false })

export const ResetPasswordAnswer = Type.Object({ result: Type.Literal('ok') }, { description: 'The password is changed and every session of the user has ended' })

const CsrfField = Type.String({ maxLength: 256 })

export const ForgotPasswordForm = Type.Object({ email: Email, _csrf: CsrfField }, { additionalProperties: false })

export const ResetPasswordForm = Type.Object(
  { token: ResetToken, password: Password, otp: Type.Optional(Type.String({ maxLength: 32 })), _csrf: CsrfField },
  { additionalProperties: false }
)

/** The reset page's link: ?token=… (anything else there is ignored). */
export const ResetPageQuery = Type.Object({ token: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: true })

export const VerifyEmailBody = Type.Object({ token: ResetToken }, { additionalProperties: false })
export const ResendVerificationBody = ForgotPasswordBody
export const ResendVerificationForm = ForgotPasswordForm
