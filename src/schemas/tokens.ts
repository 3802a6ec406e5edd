import Type from 'typebox'
import { passwordSignInFields, TokenString } from './common.js'

export const RefreshTokenRequest = Type.Object(passwordSignInFields, { additionalProperties: false })

export const TokenAnswer = Type.Object({ token: Type.String() })

export const AccessTokenQuery = Type.Object(
  {
    token: Type.Optional(
      Type.String({ ...TokenString, description: 'The refresh token. Less safe than the Authorization header: URLs end up in logs and histories.' })
    )
  },
  { additionalProperties: false }
)

export const RawAuthorizationHeader = Type.Object({
  authorization: Type.Optional(Type.String({ description: 'The refresh token, bare or as Bearer <token>' }))
})
