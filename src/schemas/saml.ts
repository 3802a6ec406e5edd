import Type from 'typebox'
import { ReturnTo } from './browser.js'

const IdpName = Type.String({ minLength: 1, maxLength: 64, description: 'An identity provider, by its name in SAML_CONFIG' })

export const SamlLoginQuery = Type.Object({ idp: IdpName, returnTo: Type.Optional(ReturnTo) })

export const SamlMetadataQuery = Type.Object({ idp: Type.Optional(IdpName) })

/** How big an IdP's answer may be: signed assertions with a certificate and attributes are a few kilobytes. */
export const SAML_ANSWER_LIMIT = 262_144

/** The HTTP-POST binding's form, as the IdP makes the browser send it. */
export const SamlCallbackForm = Type.Object(
  {
    SAMLResponse: Type.String({ minLength: 1, maxLength: SAML_ANSWER_LIMIT, description: "The IdP's Response, base64" }),
    RelayState: Type.Optional(Type.String({ maxLength: 16_384, description: 'As we sent it: the identity provider and returnTo' }))
  },
  { additionalProperties: false }
)
