import Type from 'typebox'
import { ReturnTo } from './browser.js'

const IdpName = Type.String({ minLength: 1, maxLength: 64, description: 'An identity provider, by its name in SAML_CONFIG' })

export const SamlLoginQuery = Type.Object({ idp: IdpName, returnTo: Type.Optional(ReturnTo) })

export const SamlMetadataQuery = Type.Object({ idp: Type.Optional(IdpName) })

/**
 * How big an IdP's answer may be, in base64 characters. A signed response with four
 * attributes is 6,400-9,300 (5-7 KB of XML); one with 50 attributes, both signatures and
 * the IdP's certificate in each is 29,848 (22 KB; see bench/saml-worst-case.mjs). This is
 * four times that.
 */
export const SAML_ANSWER_LIMIT = 131_072

/**
 * What the linear pass (services/saml-outline.ts) lets through to node-saml. The 50-attribute
 * response above has 142 elements, 7 levels and 285 attributes, at most 7 on one element; a
 * thousand elements leave room for 858 group values besides. node-saml's cost grows faster than the
 * element count, so this bounds its worst case (measured in the bench).
 */
export const SAML_XML_LIMITS = { maxElements: 1_000, maxDepth: 16, maxAttributes: 2_000, maxAttributesPerElement: 32 } as const

/** The HTTP-POST binding's form, as the IdP makes the browser send it. */
export const SamlCallbackForm = Type.Object(
  {
    SAMLResponse: Type.String({ minLength: 1, maxLength: SAML_ANSWER_LIMIT, description: "The IdP's Response, base64" }),
    RelayState: Type.Optional(Type.String({ maxLength: 16_384, description: 'As we sent it: the identity provider and returnTo' }))
  },
  { additionalProperties: false }
)
