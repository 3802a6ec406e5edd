import { hash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import { Conflict, InvalidClient, InvalidInput, NotFound } from '../../errors.js'
import type { OAuthClientPatch, OAuthClientRecord, OAuthClientRepository, ResourceServerMode, TokenEndpointAuthMethod } from '../../store/port.js'
import { securityEvent } from '../security-log.js'
import type { Sessions } from '../sessions.js'
import { parseScope } from './scopes.js'

/** Client metadata with RFC 7591 names, as the admin API takes it. */
export interface ClientMetadata {
  client_name?: string
  redirect_uris?: string[]
  grant_types?: string[]
  response_types?: string[]
  token_endpoint_auth_method?: TokenEndpointAuthMethod
  scope?: string
  /** First-party clients skip the consent page. */
  first_party?: boolean
  /** A resource server introspects the tokens whose audience names it, or all of them; null: only its own. */
  resource_server?: ResourceServerMode | null
  /** OIDC RP-Initiated Logout §3.1: where the browser may be sent back after signing out. */
  post_logout_redirect_uris?: string[]
  /** OIDC Back-Channel Logout §2.2: where logout tokens are posted; null: none. */
  backchannel_logout_uri?: string | null
  /** RFC 7591 §2: pages about the client that the consent page links to; null clears one. */
  client_uri?: string | null
  logo_uri?: string | null
  policy_uri?: string | null
  tos_uri?: string | null
  /** OIDC Dynamic Client Registration §2: acr values asked for when a request names none; ["2"] always asks for a second factor. */
  default_acr_values?: string[]
}

/** The RFC 7591 page fields, by metadata name and record field. */
const CLIENT_PAGES = [
  ['client_uri', 'clientUri'],
  ['logo_uri', 'logoUri'],
  ['policy_uri', 'policyUri'],
  ['tos_uri', 'tosUri']
] as const

/** How a request to the token, introspection or revocation endpoint named its client. */
export interface ClientCredentials {
  clientId: string
  secret: string | null
  method: TokenEndpointAuthMethod
}

export const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const
const DEFAULT_SCOPE = 'openid profile email offline_access'

function hashSecret(secret: string): Buffer {
  // One-shot: a Hash object per call cost introspection 3 µs a request.
  return hash('sha256', secret, 'buffer')
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]'
}

/**
 * Redirect URIs are compared as exact strings later, so they are checked strictly
 * here: absolute, no fragment; https, or http on a loopback host (development and
 * native apps, RFC 8252), or a private-use scheme with a dot (`com.example.app:/cb`).
 */
function checkRedirectUri(uri: string, field = 'redirect_uris'): void {
  const url = absoluteUriWithoutFragment(uri, field)
  const scheme = url.protocol.slice(0, -1)
  if (scheme === 'https') return
  if (scheme === 'http' && isLoopback(url.hostname)) return
  if (scheme !== 'http' && scheme.includes('.')) return
  throw new InvalidInput(`${field}: must be https, http on a loopback host, or a private-use scheme: ${uri}`)
}

function absoluteUriWithoutFragment(uri: string, field: string): URL {
  let url: URL
  try {
    url = new URL(uri)
  } catch {
    throw new InvalidInput(`${field}: not an absolute URI: ${uri}`)
  }
  if (url.hash !== '' || uri.includes('#')) throw new InvalidInput(`${field}: must not have a fragment: ${uri}`)
  return url
}

/** RFC 7591 §2: a page the person's browser opens (or an image it shows): https only, or http on a loopback host. */
function checkClientPage(uri: string, field: string): void {
  const url = absoluteUriWithoutFragment(uri, field)
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname))) return
  throw new InvalidInput(`${field}: must be https, or http on a loopback host: ${uri}`)
}

/** Back-Channel Logout §2.2: an absolute URI without fragment that moneypenny posts to (https, or http on a loopback host). */
function checkBackchannelLogoutUri(uri: string): void {
  const url = absoluteUriWithoutFragment(uri, 'backchannel_logout_uri')
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname))) return
  throw new InvalidInput(`backchannel_logout_uri: must be https, or http on a loopback host: ${uri}`)
}

/**
 * How long a client record read to authenticate a client is reused, so the token and
 * introspection endpoints do not read the store on every call. A secret rotated or a
 * client deleted on this replica takes effect at once; on other replicas within this.
 */
const AUTHENTICATED_CLIENT_TTL_MS = 1000

/** At most this many clients are remembered; only registered clients, so junk ids cannot fill it. */
const AUTHENTICATED_CLIENT_LIMIT = 1000

/** OAuth2 clients: registration rules, secrets (shown once, kept as SHA-256), authentication. */
export class OAuthClients {
  /** Each with its secret's digest decoded once, not per authentication. */
  private readonly recentlyRead = new Map<string, { client: OAuthClientRecord; secretDigest: Buffer | null; until: number }>()

  constructor(
    private readonly clients: OAuthClientRepository,
    private readonly sessions: Sessions
  ) {}

  /**
   * Registers a client; the secret (confidential clients only) is returned once. `id` is
   * for imports that must keep a client's existing id; it is refused if taken.
   */
  async create(metadata: ClientMetadata, id: string = randomUUID()): Promise<{ client: OAuthClientRecord; secret: string | null }> {
    if (await this.clients.findById(id)) throw new Conflict(`client_id ${id} is taken`)
    const now = Date.now()
    const method = metadata.token_endpoint_auth_method ?? 'client_secret_basic'
    const secret = method === 'none' ? null : newSecret()
    const client: OAuthClientRecord = {
      id,
      createdAt: now,
      ...this.validated(metadata, {
        name: '',
        redirectUris: [],
        grantTypes: ['authorization_code'],
        responseTypes: [],
        tokenEndpointAuthMethod: method,
        scope: parseScope(DEFAULT_SCOPE)!,
        secretHash: null,
        firstParty: false,
        resourceServer: null,
        postLogoutRedirectUris: [],
        backchannelLogoutUri: null,
        clientUri: null,
        logoUri: null,
        policyUri: null,
        tosUri: null,
        defaultAcrValues: [],
        updatedAt: now
      }),
      secretHash: secret === null ? null : hashSecret(secret).toString('base64url')
    }
    await this.clients.insert(client)
    securityEvent('info', 'client_created', { clientId: client.id })
    return { client, secret }
  }

  async get(id: string): Promise<OAuthClientRecord> {
    const client = await this.clients.findById(id)
    if (!client) throw new NotFound('No such client')
    return client
  }

  /** The client, or null: for the authorization endpoint, which answers an unknown client with a page. */
  find(id: string): Promise<OAuthClientRecord | null> {
    return this.clients.findById(id)
  }

  list(): Promise<OAuthClientRecord[]> {
    return this.clients.list()
  }

  /** Changes metadata; a client that becomes public loses its secret, one that becomes confidential needs rotateSecret. */
  async update(id: string, metadata: ClientMetadata): Promise<OAuthClientRecord> {
    // The patch carries only changeable fields: an adapter writes every key it is given.
    const { id: _id, createdAt: _createdAt, ...current } = await this.get(id)
    const next = this.validated(metadata, { ...current, updatedAt: Date.now() })
    const patch: OAuthClientPatch = { ...next, secretHash: next.tokenEndpointAuthMethod === 'none' ? null : current.secretHash }
    const updated = await this.clients.update(id, patch)
    this.recentlyRead.delete(id)
    if (!updated) throw new NotFound('No such client')
    securityEvent('info', 'client_updated', { clientId: id })
    return updated
  }

  /** A new secret for a confidential client; the old one stops working at once. */
  async rotateSecret(id: string): Promise<{ client: OAuthClientRecord; secret: string }> {
    const current = await this.get(id)
    if (current.tokenEndpointAuthMethod === 'none') throw new InvalidInput('a public client (token_endpoint_auth_method none) has no secret')
    const secret = newSecret()
    const client = await this.clients.update(id, { secretHash: hashSecret(secret).toString('base64url'), updatedAt: Date.now() })
    this.recentlyRead.delete(id)
    if (!client) throw new NotFound('No such client')
    securityEvent('info', 'client_secret_rotated', { clientId: id })
    return { client, secret }
  }

  /** Deletes the client and ends every session granted to it. */
  async remove(id: string): Promise<void> {
    const deleted = await this.clients.delete(id)
    this.recentlyRead.delete(id)
    if (!deleted) throw new NotFound('No such client')
    securityEvent('info', 'client_deleted', { clientId: id })
    await this.sessions.revokeClient(id)
  }

  /**
   * Authenticates a client at the token, introspection or revocation endpoint by the
   * method it registered; any mismatch is invalid_client. Secrets are compared as
   * SHA-256 digests in constant time.
   */
  async authenticate(credentials: ClientCredentials): Promise<OAuthClientRecord> {
    const recent = await this.findRecentlyRead(credentials.clientId)
    if (!recent || recent.client.tokenEndpointAuthMethod !== credentials.method) throw new InvalidClient()
    if (credentials.method === 'none') return recent.client
    if (credentials.secret === null || recent.secretDigest === null) throw new InvalidClient()
    if (!timingSafeEqual(hashSecret(credentials.secret), recent.secretDigest)) throw new InvalidClient()
    return recent.client
  }

  private async findRecentlyRead(id: string): Promise<{ client: OAuthClientRecord; secretDigest: Buffer | null } | null> {
    const now = Date.now()
    const recent = this.recentlyRead.get(id)
    if (recent && recent.until > now) return recent
    const client = await this.clients.findById(id)
    if (!client) {
      this.recentlyRead.delete(id)
      return null
    }
    if (this.recentlyRead.size >= AUTHENTICATED_CLIENT_LIMIT) this.recentlyRead.clear()
    const read = { client, secretDigest: client.secretHash === null ? null : Buffer.from(client.secretHash, 'base64url'), until: now + AUTHENTICATED_CLIENT_TTL_MS }
    this.recentlyRead.set(id, read)
    return read
  }

  /** Applies `metadata` over `base` and checks the whole for consistency. */
  private validated(metadata: ClientMetadata, base: Omit<OAuthClientRecord, 'id' | 'createdAt'>): Omit<OAuthClientRecord, 'id' | 'createdAt'> {
    const grantTypes = metadata.grant_types ? [...new Set(metadata.grant_types)] : base.grantTypes
    const usesCode = grantTypes.includes('authorization_code')
    const next = {
      ...base,
      name: metadata.client_name ?? base.name,
      redirectUris: metadata.redirect_uris ? [...new Set(metadata.redirect_uris)] : base.redirectUris,
      grantTypes,
      responseTypes: metadata.response_types ? [...new Set(metadata.response_types)] : usesCode ? ['code'] : [],
      tokenEndpointAuthMethod: metadata.token_endpoint_auth_method ?? base.tokenEndpointAuthMethod,
      firstParty: metadata.first_party ?? base.firstParty,
      resourceServer: metadata.resource_server === undefined ? base.resourceServer : metadata.resource_server,
      postLogoutRedirectUris: metadata.post_logout_redirect_uris ? [...new Set(metadata.post_logout_redirect_uris)] : base.postLogoutRedirectUris,
      backchannelLogoutUri: metadata.backchannel_logout_uri === undefined ? base.backchannelLogoutUri : metadata.backchannel_logout_uri,
      defaultAcrValues: metadata.default_acr_values ? [...new Set(metadata.default_acr_values)] : base.defaultAcrValues
    }
    if (metadata.scope !== undefined) {
      const scope = parseScope(metadata.scope)
      if (scope === null || scope.length === 0) throw new InvalidInput('scope: must be space-separated scope names')
      next.scope = scope
    }
    for (const uri of next.redirectUris) checkRedirectUri(uri)
    for (const uri of next.postLogoutRedirectUris) checkRedirectUri(uri, 'post_logout_redirect_uris')
    if (next.backchannelLogoutUri !== null) checkBackchannelLogoutUri(next.backchannelLogoutUri)
    for (const [name, field] of CLIENT_PAGES) {
      const value = metadata[name]
      if (value === undefined) continue
      if (value !== null) checkClientPage(value, name)
      next[field] = value
    }
    if (usesCode && next.redirectUris.length === 0) throw new InvalidInput('redirect_uris: the authorization_code grant needs at least one')
    if (usesCode !== next.responseTypes.includes('code')) {
      throw new InvalidInput('response_types: must be ["code"] with the authorization_code grant and [] without it')
    }
    if (grantTypes.includes('refresh_token') && !usesCode) throw new InvalidInput('grant_types: refresh_token needs authorization_code')
    if (grantTypes.includes('client_credentials') && next.tokenEndpointAuthMethod === 'none') {
      throw new InvalidInput('grant_types: client_credentials needs a confidential client (a secret)')
    }
    if (!next.name) next.name = next.redirectUris[0] ? new URL(next.redirectUris[0]).host || 'unnamed client' : 'unnamed client'
    return next
  }
}

function newSecret(): string {
  return randomBytes(32).toString('base64url')
}
