import Type from 'typebox'
import { AuthorizationHeader, DateTime, Organisation, passwordSignInFields } from './common.js'

export const LoginBody = Type.Object(passwordSignInFields, { additionalProperties: false })

/** The unnamed service's answer to /login. */
export const SessionAnswer = Type.Object({
  data: Type.Object({
    username: Type.String(),
    organisation: Organisation,
    token: Type.String(),
    expires: DateTime
  })
})

/**
 * /authorise's answer: the seed's fields, and what a caller needs to tell a service from a
 * person (a client_credentials token names the client in `username`, as before).
 */
export const AuthoriseAnswer = Type.Object({
  data: Type.Object({
    username: Type.String({ description: "The user's name; for a token that no user holds, the client's id" }),
    organisation: Organisation,
    token: Type.String(),
    expires: DateTime,
    subject_type: Type.Union([Type.Literal('user'), Type.Literal('client')], {
      description: '`client` when no user is involved (client_credentials): `username` is then a client id, not a person'
    }),
    sub: Type.String({ description: "The user's id, or the client's id for `client`" }),
    scope: Type.String({ description: 'The scopes the token carries, space-separated' }),
    client_id: Type.Optional(Type.String({ description: 'The OAuth2 client the token was issued to; absent for tokens from the seed endpoints' }))
  })
})

/** Other parameters are allowed and ignored: Envoy's ext_authz passes the original request's query on. */
export const AuthoriseQuery = Type.Object({
  organisation: Type.Optional(
    Type.Array(Type.String(), {
      description: 'Refuse (403) unless the token belongs to this organisation; empty asks for none; given twice, both must match'
    })
  )
})

/** The request headers /authorise reads: the credential, and the organisation a gateway may require in `requiredOrganisation`. */
export function AuthoriseHeaders(requiredOrganisation: string | null) {
  const required = requiredOrganisation === null ? {} : {
    [requiredOrganisation]: Type.Optional(
      Type.String({ description: "Refuse (403) unless the token belongs to this organisation, written as the answer's organisation header writes it; empty asks for none" })
    )
  }
  return Type.Object({ ...AuthorizationHeader.properties, ...required })
}

export const LogoutAnswer = Type.Object({ result: Type.Literal('ok') })

/** The body of a forwarded request (Envoy's ext_authz keeps the method): ignored and never read. */
export const ForwardedBody = Type.Unknown({
  description: 'Ignored and never read; when one is sent, the connection closes after the answer, so it is not read either'
})
