import Type from 'typebox'
import { DateTime, Email, Password, passwordSignInFields, TokenString, Username } from './common.js'

export const RegisterBody = Type.Object({ username: Username, email: Email, password: Password }, { additionalProperties: false })

export const RegisterResponse = Type.Object({
  user: Type.Object({ id: Type.String(), email: Type.String(), username: Type.String(), role: Type.String() })
})

export const AuthenticateBody = Type.Object(
  passwordSignInFields,
  { additionalProperties: false, description: 'username may be the user name or the email' }
)

export const TokenPair = Type.Object({
  refreshToken: Type.String(),
  accessToken: Type.String(),
  accessTokenExpiresAt: DateTime,
  refreshTokenExpiresAt: DateTime
})

/** rdata named the field refresh_token; refreshToken is accepted too. */
export const RefreshBody = Type.Object(
  { refresh_token: Type.Optional(TokenString), refreshToken: Type.Optional(TokenString) },
  { additionalProperties: false, minProperties: 1, maxProperties: 1 }
)

export const AccessTokenAnswer = Type.Object({ accessToken: Type.String(), accessTokenExpiresAt: DateTime })

export const RevokeBody = Type.Object({ refresh_token: TokenString }, { additionalProperties: false })
export const RevokeResponse = Type.Object({ result: Type.Literal('ok') })
