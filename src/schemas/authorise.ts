import Type from 'typebox'
import { DateTime, Login, Organisation, PasswordAttempt } from './common.js'

export const LoginBody = Type.Object({ username: Login, password: PasswordAttempt }, { additionalProperties: false })

/** The unnamed service's answer to /login and /authorise. */
export const SessionAnswer = Type.Object({
  data: Type.Object({
    username: Type.String(),
    organisation: Organisation,
    token: Type.String(),
    expires: DateTime
  })
})

export const AuthoriseQuery = Type.Object(
  {
    organisation: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'Refuse (403) unless the token belongs to this organisation' }))
  },
  { additionalProperties: false }
)

export const LogoutAnswer = Type.Object({ result: Type.Literal('ok') })
