import type { ForwardAuthHeaders } from '../config.js'
import { Forbidden } from '../errors.js'
import { headerSafeText } from '../http/header-value.js'
import type { AccessClaims } from './tokens.js'

/** One identity header: its name and where its value comes from (undefined: the token has none). */
type IdentityField = [name: string, value: (claims: AccessClaims) => string | null | undefined]

/**
 * What /authorise tells a gateway (nginx auth_request, Traefik forwardAuth, Envoy ext_authz,
 * Caddy forward_auth): those forward only response headers to the upstream, so the identity
 * goes there as well as in the JSON. Everything comes from the verified claims; nothing is read.
 */
export class ForwardAuth {
  private readonly fields: IdentityField[]
  /** Lower case, as Node keys request headers. */
  readonly requiredOrganisationHeader: string | null

  constructor(names: ForwardAuthHeaders) {
    const fields: [string | null, IdentityField[1]][] = [
      // A client_credentials token has no user: no user id, no username (the JSON's `username` is then the client id).
      [names.userId, (claims) => (claims.username === undefined ? undefined : claims.sub)],
      [names.username, (claims) => claims.username],
      [names.organisation, (claims) => claims.organisation],
      [names.scope, (claims) => claims.scope],
      [names.clientId, (claims) => claims.client_id]
    ]
    this.fields = fields.flatMap(([name, value]) => (name === null ? [] : [[name, value] as IdentityField]))
    this.requiredOrganisationHeader = names.requiredOrganisation?.toLowerCase() ?? null
  }

  /**
   * Headers by claims object: a remembered token's claims are one object for as long as it is
   * remembered (Tokens.verifyAccessToken), so a hot check encodes its headers once.
   */
  private readonly headersOf = new WeakMap<AccessClaims, Record<string, string>>()

  /** The identity headers of checked claims, each value header-safe (headerSafeText); an absent or empty value sends no header. */
  identityHeaders(claims: AccessClaims): Record<string, string> {
    let headers = this.headersOf.get(claims)
    if (headers === undefined) {
      headers = this.encodedHeaders(claims)
      this.headersOf.set(claims, headers)
    }
    return headers
  }

  private encodedHeaders(claims: AccessClaims): Record<string, string> {
    const headers: Record<string, string> = {}
    for (const [name, value] of this.fields) {
      const text = value(claims)
      if (text) headers[name] = headerSafeText(text)
    }
    return headers
  }

  /**
   * Every organisation asked for must be the token's (403 otherwise): the `organisation` query
   * parameters, as given, and the request header, in headerSafeText's encoding as the answer's
   * organisation header has it. An empty one asks for none.
   */
  requireOrganisations(claims: AccessClaims, queried: string[] | undefined, header: string | string[] | undefined): void {
    const organisation = claims.organisation ?? null
    const inQuery = (queried ?? []).every((wanted) => wanted === '' || wanted === organisation)
    const inHeader = [header ?? []].flat().every((wanted) => wanted === '' || (organisation !== null && wanted === headerSafeText(organisation)))
    if (!inQuery || !inHeader) throw new Forbidden('Token belongs to another organisation')
  }
}
