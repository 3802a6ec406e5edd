import Type from 'typebox'

const Param = (description: string) => Type.Optional(Type.String({ maxLength: 8192, description }))

/** OIDC RP-Initiated Logout 1.0 §2: every parameter is optional; unknown ones are ignored. */
export const LogoutRequestParams = Type.Object(
  {
    id_token_hint: Param('An ID token issued to the client, expired or not: says whom to sign out, and that the client asks'),
    client_id: Param('The client asking, when there is no id_token_hint'),
    post_logout_redirect_uri: Param('One of the client’s registered post_logout_redirect_uris'),
    state: Param('Returned to the client with the redirect'),
    logout_hint: Param('Ignored: one person signs in per browser'),
    ui_locales: Param('Preferred languages of the pages')
  },
  { additionalProperties: true }
)

/** The confirmation page's form: the request as validated, and the person's answer. */
export const LogoutConfirmForm = Type.Object(
  {
    decision: Type.Union([Type.Literal('sign-out'), Type.Literal('stay')]),
    client_id: Param('As resolved from the request'),
    post_logout_redirect_uri: Param('As validated'),
    state: Param('As given')
  },
  { additionalProperties: true }
)
