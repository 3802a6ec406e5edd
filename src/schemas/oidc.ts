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
