import Type from 'typebox'
import { CsrfField, ReturnTo } from './browser.js'
import { IdParams } from './common.js'

export const ProviderName = Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,31}$', description: 'An upstream OpenID Connect provider, by its name in OIDC_PROVIDERS' })

export const OidcLoginQuery = Type.Object({ provider: ProviderName, returnTo: Type.Optional(ReturnTo) }, { additionalProperties: false })

/** The account console's "Link" button: the signed-in user links their account at `provider`. */
export const OidcLinkForm = Type.Object({ provider: ProviderName, intent: Type.Literal('link'), _csrf: CsrfField }, { additionalProperties: false })

/**
 * The provider's answer (RFC 6749 §4.1.2, RFC 9207). Only bounded here: openid-client reads
 * and checks the raw query itself. Providers may add parameters (session_state, ...).
 */
export const OidcCallbackQuery = Type.Object(
  {
    code: Type.Optional(Type.String({ maxLength: 4096 })),
    state: Type.Optional(Type.String({ maxLength: 512 })),
    iss: Type.Optional(Type.String({ maxLength: 2048 })),
    error: Type.Optional(Type.String({ maxLength: 256 })),
    error_description: Type.Optional(Type.String({ maxLength: 2048 }))
  },
  { additionalProperties: Type.String({ maxLength: 4096 }), maxProperties: 16 }
)

/** A user's link to their account at an upstream provider. */
export const IdentityLink = Type.Object(
  {
    provider: ProviderName,
    subject: Type.String({ description: "The provider's sub for this person" }),
    createdAt: Type.String({ format: 'date-time' }),
    lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()])
  },
  { $id: 'IdentityLink' }
)

export const UserLinkParams = Type.Object({ id: IdParams.properties.id, provider: ProviderName })

/** The provider's tokens kept for a link (`keep_tokens`), as the provider issued them at the last sign-in. */
export const KeptUpstreamTokens = Type.Object(
  {
    access_token: Type.String(),
    token_type: Type.String(),
    expires_at: Type.Union([Type.Integer({ description: 'Seconds since the epoch' }), Type.Null()]),
    refresh_token: Type.Union([Type.String(), Type.Null()]),
    id_token: Type.Union([Type.String(), Type.Null()]),
    scope: Type.Union([Type.String(), Type.Null()]),
    obtained_at: Type.Integer({ description: 'When moneypenny received them, seconds since the epoch' })
  },
  { $id: 'KeptUpstreamTokens' }
)
