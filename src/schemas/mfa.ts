import Type from 'typebox'
import { OneTimeCode, PasswordAttempt, PublicUser } from './common.js'

export const MfaStatus = Type.Object(
  {
    enabled: Type.Boolean({ description: 'A confirmed TOTP factor: every password sign-in asks for a code' }),
    pending: Type.Boolean({ description: 'An enrolment started and not yet confirmed with a first code' }),
    recoveryCodesLeft: Type.Integer({ minimum: 0 })
  },
  { description: 'Second factor' }
)

export const TotpEnrolment = Type.Object({
  secret: Type.String({ description: 'The shared secret, base32 (RFC 6238: HMAC-SHA-1, 6 digits, 30 s)' }),
  otpauth_uri: Type.String({ description: 'The otpauth:// URI an authenticator app scans' })
})

export const CodeBody = Type.Object({ code: OneTimeCode }, { additionalProperties: false })

export const RecoveryCodes = Type.Object({
  recoveryCodes: Type.Array(Type.String(), { description: 'Shown once: each signs in once in place of a code from the app' })
})

export const RemoveTotpBody = Type.Object(
  { code: Type.Optional(OneTimeCode), password: Type.Optional(PasswordAttempt) },
  { additionalProperties: false, description: 'A current code or recovery code, or the password' }
)

/** A user as GET /api/v1/users/:id shows them: with their second-factor status. */
export const UserWithMfa = Type.Object({ ...PublicUser.properties, mfa: MfaStatus })
