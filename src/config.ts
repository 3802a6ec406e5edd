import { statSync } from 'node:fs'
import { extname } from 'node:path'
import Type, { type Static } from 'typebox'
import { ConfigError } from './errors.js'
import { LOCALES, type Locale } from './pages/messages/index.js'
import { matches, schemaProblems } from './schemas/check.js'
import { loadOidcProviders, type OidcProviderConfig } from './oidc-config.js'
import { loadSamlIdps, type SamlIdpConfig } from './saml-config.js'
import { SIGNING_ALGORITHMS, type SigningAlgorithm } from './services/signing-keys.js'

/** A duration such as `900`, `15m`, `30d` (a bare number means seconds). */
const Duration = Type.String({ pattern: '^[0-9]+(ms|s|m|h|d)?$', description: 'a duration such as 900, 15m or 30d' })
const PositiveInt = Type.String({ pattern: '^[1-9][0-9]*$', description: 'a whole number above 0' })
const OneOf = (...values: string[]) => Type.String({ enum: values, description: `one of ${values.join(', ')}` })
const Text = (description: string) => Type.String({ minLength: 1, description })

/**
 * The environment this service reads; every variable is optional and has a safe
 * local default. Each description completes "must be ..." in the error message.
 */
export const EnvSchema = Type.Object({
  PORT: Type.Optional(Type.String({ pattern: '^[0-9]{1,5}$', description: 'a port number' })),
  HOST: Type.Optional(Text('a host name or address')),
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://[^\\s/?#]+(/[^\\s?#]*)?$', description: 'an http(s) URL' })),
  SQLITE_PATH: Type.Optional(Text('a file path')),
  MONGODB_URI: Type.Optional(Type.String({ pattern: '^mongodb(\\+srv)?://', description: 'a mongodb:// URI' })),
  SHUTDOWN_GRACE: Type.Optional(Duration),
  METRICS_PORT: Type.Optional(Type.String({ pattern: '^[0-9]{1,5}$', description: 'a port number' })),
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://', description: 'a redis:// or rediss:// URL' })),
  JWT_SECRET: Type.Optional(Text('a secret')),
  JWT_AUDIENCE: Type.Optional(Text('an audience name')),
  JWT_ALGORITHM: Type.Optional(OneOf(...SIGNING_ALGORITHMS)),
  ACCESS_TOKEN_TTL: Type.Optional(Duration),
  REFRESH_TOKEN_TTL: Type.Optional(Duration),
  REFRESH_TOKEN_REUSE_GRACE: Type.Optional(Duration),
  LOGIN_SESSION_IDLE_TTL: Type.Optional(Duration),
  LOGIN_SESSION_MAX_TTL: Type.Optional(Duration),
  SESSION_SECRET: Type.Optional(Type.String({ minLength: 32, description: 'at least 32 characters' })),
  SESSION_IDLE_TTL: Type.Optional(Duration),
  SESSION_MAX_TTL: Type.Optional(Duration),
  ADMIN_USERNAME: Type.Optional(Text('a username')),
  ADMIN_PASSWORD: Type.Optional(Type.String({ minLength: 8, maxLength: 1024, description: '8 to 1,024 characters' })),
  ADMIN_EMAIL: Type.Optional(Type.String({ pattern: '^[^\\s@]+@[^\\s@]+$', description: 'an email address' })),
  ALLOWED_SCOPES: Type.Optional(
    Type.String({ pattern: '^[A-Za-z0-9_.:-]+(,[A-Za-z0-9_.:-]+)*$', description: 'a comma-separated list of scope names' })
  ),
  BCRYPT_COST: Type.Optional(Type.String({ pattern: '^([4-9]|[12][0-9]|3[01])$', description: 'a whole number from 4 to 31' })),
  REGISTRATION: Type.Optional(OneOf('open', 'closed')),
  CORS_ORIGINS: Type.Optional(Type.String()),
  LOG_LEVEL: Type.Optional(OneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent')),
  TRUST_PROXY: Type.Optional(Text('true, false, a hop count or addresses')),
  RATE_LIMIT: Type.Optional(OneOf('on', 'off')),
  RATE_LIMIT_ADDRESS_MAX: Type.Optional(PositiveInt),
  RATE_LIMIT_ADDRESS_WINDOW: Type.Optional(Duration),
  RATE_LIMIT_ACCOUNT_FAILURES: Type.Optional(PositiveInt),
  RATE_LIMIT_ACCOUNT_WINDOW: Type.Optional(Duration),
  BODY_LIMIT: Type.Optional(PositiveInt),
  AUTH_BODY_LIMIT: Type.Optional(PositiveInt),
  SAML_CONFIG: Type.Optional(Text('the path of a JSON file')),
  OIDC_PROVIDERS: Type.Optional(Text('the path of a JSON file')),
  DEBUG_ROUTES: Type.Optional(OneOf('true', 'false')),
  FORWARD_AUTH_HEADERS: Type.Optional(Text('a JSON object of header names')),
  BRAND_NAME: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '\\S', description: '1 to 64 characters, not only spaces' })),
  BRAND_LOGO: Type.Optional(Text('an https URL or the path of an image file')),
  BRAND_COLOR: Type.Optional(Type.String({ pattern: '^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$', description: 'a hex colour such as #0b57d0' })),
  BRAND_CSS: Type.Optional(Text('the path of a CSS file')),
  DEFAULT_LOCALE: Type.Optional(OneOf(...LOCALES)),
  SECRETS_KEY: Type.Optional(Type.String({ minLength: 32, description: 'at least 32 characters' })),
  MFA_MAX_FAILURES: Type.Optional(PositiveInt),
  MFA_FAILURE_WINDOW: Type.Optional(Duration),
  MFA_REQUIRED_SCOPES: Type.Optional(
    Type.String({ pattern: '^[A-Za-z0-9_.:-]+(,[A-Za-z0-9_.:-]+)*$', description: 'a comma-separated list of scope names' })
  ),
  WEBAUTHN_ORIGINS: Type.Optional(Text('a comma-separated list of origins such as https://login.example.com')),
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://[^\\s/?#]+/?([?][^\\s#]*)?$', description: 'an smtp:// or smtps:// URL such as smtps://user:password@mail.example.com' })),
  MAIL_FROM: Type.Optional(
    Type.String({ pattern: '^([^<>"\\r\\n]{1,64} <[^\\s@<>]+@[^\\s@<>]+>|[^\\s@<>]+@[^\\s@<>]+)$', maxLength: 254, description: 'an address such as login@example.com or "Example <login@example.com>"' })
  ),
  PASSWORD_RESET_TTL: Type.Optional(Duration),
  REQUIRE_VERIFIED_EMAIL: Type.Optional(OneOf('true', 'false')),
  NODE_ENV: Type.Optional(Type.String())
})
export type Env = Static<typeof EnvSchema>

/** Never echoed in an error message. */
const SECRET_VARIABLES = new Set(['JWT_SECRET', 'ADMIN_PASSWORD', 'MONGODB_URI', 'SESSION_SECRET', 'REDIS_URL', 'SECRETS_KEY', 'SMTP_URL'])

export interface Config {
  port: number
  host: string
  publicUrl: string
  production: boolean
  store: { kind: 'sqlite'; path: string } | { kind: 'mongodb'; uri: string }
  /** How long requests in flight may take to finish after SIGTERM. */
  shutdownGraceMs: number
  /** Serve /metrics on this port only (not with the API); null serves it on the API port. */
  metricsPort: number | null
  /** Shared rate-limit counters and revocation broadcast across replicas; null for one replica. */
  redisUrl: string | null
  jwt: { secret: string | null; algorithm: SigningAlgorithm; audience: string; accessTokenTtlMs: number; refreshTokenTtlMs: number; refreshReuseGraceMs: number }
  loginSession: { idleTtlMs: number; maxTtlMs: number }
  /** The browser session cookie; a null secret is made once and kept in the store. */
  browserSession: { secret: string | null; idleTtlMs: number; maxTtlMs: number }
  admin: { username: string; password: string; email: string } | null
  allowedScopes: string[]
  bcryptCost: number
  registration: 'open' | 'closed'
  corsOrigins: string[] | '*' | null
  logLevel: string
  trustProxy: boolean | number | string
  rateLimit: {
    enabled: boolean
    addressMax: number
    addressWindowMs: number
    accountFailures: number
    accountWindowMs: number
  }
  /**
   * Bytes a request body may have on any route without a limit of its own: Fastify reads and
   * parses a body before the route checks who sent it, so this bounds what anyone can make it do.
   */
  bodyLimit: number
  /** Bytes a body may have on the credential routes (app.credentialRoute). */
  authBodyLimit: number
  /** SAML identity providers from the SAML_CONFIG file; empty when it is unset. */
  saml: SamlIdpConfig[]
  /** Upstream OpenID Connect providers from the OIDC_PROVIDERS file; empty when it is unset. */
  oidcProviders: OidcProviderConfig[]
  /** GET /auth/jwt; never in production. */
  debugRoutes: boolean
  /** The headers /authorise speaks to gateways (forward auth); a null name is not used. */
  forwardAuth: ForwardAuthHeaders
  /** What end-user pages show: the operator's product name, logo, accent colour and extra style sheet. */
  brand: Brand
  /** The language of end-user pages when neither ui_locales nor Accept-Language names a supported one. */
  defaultLocale: Locale
  /** Second factors: how secrets are sealed, how many wrong codes an account may send, who must enrol. */
  mfa: MfaConfig
  /** Passkeys (WebAuthn): the relying party and the origins whose ceremonies count. */
  passkeys: PasskeysConfig
  /** Outgoing mail; null without SMTP_URL, which turns off every feature that needs it (password reset). */
  mail: MailConfig | null
  /** Password sign-ins are refused (email_unverified) until the user has confirmed their address; needs mail. */
  requireVerifiedEmail: boolean
}

export interface PasskeysConfig {
  /** The relying party ID: PUBLIC_URL's host. A passkey works only on this domain and its subdomains. */
  rpId: string
  /** The origins a ceremony may come from (WEBAUTHN_ORIGINS, else PUBLIC_URL's origin). */
  origins: string[]
}

export interface MailConfig {
  /** smtp:// (STARTTLS when the server offers it) or smtps:// (TLS from the start), with credentials if any. */
  smtpUrl: string
  /** The From of every message. */
  from: string
  /** How long a password reset link works. */
  passwordResetTtlMs: number
}

export interface MfaConfig {
  /** Seals second-factor secrets at rest; null: a key is made once and kept in the store (a dump of it then yields them). */
  secretsKey: string | null
  /** Wrong codes per account per window, counted apart from wrong passwords. */
  maxFailures: number
  failureWindowMs: number
  /** Users holding any of these scopes must enrol a second factor before they sign in anywhere. */
  requiredScopes: string[]
}

/** A logo shown from elsewhere (an https URL) or served by moneypenny from a file read at start. */
export type BrandLogo = { kind: 'url'; url: string } | { kind: 'file'; path: string; contentType: string }

export interface Brand {
  name: string
  /** #rrggbb, lower case. */
  color: string
  logo: BrandLogo | null
  /** The operator's style sheet, served after moneypenny's own; null for none. */
  cssPath: string | null
}

/** Header names by what they carry: the identity in /authorise's answers, and one request header. */
export interface ForwardAuthHeaders {
  userId: string | null
  username: string | null
  organisation: string | null
  scope: string | null
  clientId: string | null
  /** The request header naming an organisation the token must belong to, beside `?organisation=`. */
  requiredOrganisation: string | null
}

/** The FORWARD_AUTH_HEADERS keys and their defaults: oauth2-proxy's `X-Auth-Request-*` family. */
const FORWARD_AUTH_DEFAULTS = {
  user_id: 'X-Auth-Request-User-Id',
  username: 'X-Auth-Request-User',
  organisation: 'X-Auth-Request-Organisation',
  scope: 'X-Auth-Request-Scope',
  client_id: 'X-Auth-Request-Client-Id',
  required_organisation: 'X-Auth-Request-Required-Organisation'
} as const

/** A header name is an RFC 9110 §5.1 token; null switches the header off. */
const HeaderName = Type.Union([Type.String({ pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$" }), Type.Null()])
const ForwardAuthHeadersSchema = Type.Object(
  Object.fromEntries(Object.keys(FORWARD_AUTH_DEFAULTS).map((key) => [key, Type.Optional(HeaderName)])),
  { additionalProperties: false }
)

export { ConfigError }

const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

export function parseDuration(text: string): number {
  const match = /^([0-9]+)(ms|s|m|h|d)?$/.exec(text)
  if (!match) throw new ConfigError(`not a duration: ${text}`)
  return Number(match[1]) * unitMs[match[2] ?? 's']!
}

/** Image types a logo file may have, by file name extension; the extension sets the Content-Type it is served with. */
export const LOGO_TYPES: Record<string, string> = {
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif'
}
/** Files read at start and held in memory: a logo or style sheet bigger than this is a mistake. */
export const BRAND_FILE_LIMIT = 512 * 1024

function brandFile(name: string, path: string): void {
  let size: number
  try {
    const stat = statSync(path)
    if (!stat.isFile()) throw new ConfigError(`${name}: not a file: ${path}`)
    size = stat.size
  } catch (error) {
    if (error instanceof ConfigError) throw error
    throw new ConfigError(`${name}: cannot read ${path}`)
  }
  if (size > BRAND_FILE_LIMIT) throw new ConfigError(`${name}: ${path} is larger than ${BRAND_FILE_LIMIT / 1024} KiB`)
}

function parseBrandLogo(text: string | undefined): BrandLogo | null {
  if (text === undefined) return null
  if (/^[a-z][a-z0-9+.-]*:/i.test(text)) {
    // Only https: the page's CSP names the logo's origin, and an http logo would be mixed content.
    let url: URL | null = null
    try {
      url = new URL(text)
    } catch {
      url = null
    }
    if (url === null || url.protocol !== 'https:' || /[\s"'<>]/.test(text)) throw new ConfigError(`BRAND_LOGO: must be an https URL or a file path, not ${JSON.stringify(text)}`)
    return { kind: 'url', url: url.href }
  }
  const contentType = LOGO_TYPES[extname(text).toLowerCase()]
  if (contentType === undefined) throw new ConfigError(`BRAND_LOGO: the file must end in one of ${Object.keys(LOGO_TYPES).join(' ')}`)
  brandFile('BRAND_LOGO', text)
  return { kind: 'file', path: text, contentType }
}

function parseBrandColor(text: string): string {
  const hex = text.slice(1).toLowerCase()
  return `#${hex.length === 3 ? [...hex].map((digit) => digit + digit).join('') : hex}`
}

function parseBrandCss(text: string | undefined): string | null {
  if (text === undefined) return null
  if (extname(text).toLowerCase() !== '.css') throw new ConfigError('BRAND_CSS: the file must end in .css')
  brandFile('BRAND_CSS', text)
  return text
}

/** An identity provider may grant only scopes that exist here: a name outside ALLOWED_SCOPES is a typo or a mistake, refused at start. */
function grantingOnlyAllowedScopes(idps: SamlIdpConfig[], allowedScopes: readonly string[]): SamlIdpConfig[] {
  for (const idp of idps) {
    const unknown = idp.grantableScopes.filter((scope) => !allowedScopes.includes(scope))
    if (unknown.length) throw new ConfigError(`SAML_CONFIG: identity provider ${idp.name}: grantableScopes names ${unknown.join(', ')}, which ALLOWED_SCOPES does not allow`)
  }
  return idps
}

function parseTrustProxy(text: string | undefined): boolean | number | string {
  if (text === undefined || text === 'false') return false
  if (text === 'true') return true
  if (/^[0-9]+$/.test(text)) return Number(text)
  return text
}

/**
 * FORWARD_AUTH_HEADERS: a JSON object whose keys (FORWARD_AUTH_DEFAULTS) rename headers or,
 * with null, switch them off; unnamed keys keep their defaults. Names are distinct.
 */
function parseForwardAuthHeaders(text: string | undefined): ForwardAuthHeaders {
  let given: unknown = {}
  try {
    if (text !== undefined) given = JSON.parse(text)
  } catch {
    throw new ConfigError('FORWARD_AUTH_HEADERS: must be a JSON object')
  }
  if (!matches(ForwardAuthHeadersSchema, given)) {
    const keys = Object.keys(FORWARD_AUTH_DEFAULTS).join(', ')
    throw new ConfigError(`FORWARD_AUTH_HEADERS: must be a JSON object with some of the keys ${keys}, each a header name or null`)
  }
  const names = { ...FORWARD_AUTH_DEFAULTS, ...(given as Record<string, string | null>) }
  const used = Object.values(names).flatMap((name) => (name === null ? [] : [name.toLowerCase()]))
  const repeated = used.find((name, i) => used.indexOf(name) !== i)
  if (repeated !== undefined) throw new ConfigError(`FORWARD_AUTH_HEADERS: ${repeated} is named twice`)
  return {
    userId: names.user_id,
    username: names.username,
    organisation: names.organisation,
    scope: names.scope,
    clientId: names.client_id,
    requiredOrganisation: names.required_organisation
  }
}

function parseCorsOrigins(text: string | undefined): string[] | '*' | null {
  if (text === undefined || text.trim() === '') return null
  if (text.trim() === '*') return '*'
  const origins = text.split(',').map((origin) => origin.trim()).filter(Boolean)
  for (const origin of origins) {
    if (!/^https?:\/\/[^\s/]+$/.test(origin)) throw new ConfigError(`CORS_ORIGINS: not an origin: ${origin}`)
  }
  return origins
}

/**
 * Reads and validates the environment. Throws ConfigError naming every bad variable;
 * the server prints it and exits 1 rather than starting half-configured.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.fromEntries(
    Object.keys(EnvSchema.properties).flatMap((name) => (env[name] === undefined ? [] : [[name, env[name]]]))
  )
  const envProblems = schemaProblems(EnvSchema, known)
  if (envProblems.length > 0) {
    const invalid = new Set(envProblems.map((error) => error.instancePath.replace(/^\//, '')))
    const problems = [...invalid].map((name) => {
      const schema = EnvSchema.properties[name as keyof Env] as { description?: string }
      const shown = SECRET_VARIABLES.has(name) ? name : `${name}=${JSON.stringify(known[name])}`
      return `${shown} must be ${schema.description ?? 'valid'}`
    })
    throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`)
  }
  const e = known as Env
  const production = e.NODE_ENV === 'production'
  const port = Number(e.PORT ?? 8080)
  if (port > 65535) throw new ConfigError('PORT: must be at most 65535')

  const secret = e.JWT_SECRET ?? null
  if (secret !== null && production && Buffer.byteLength(secret) < 32) {
    throw new ConfigError('JWT_SECRET: must be at least 32 bytes in production')
  }
  const debugRoutes = e.DEBUG_ROUTES === 'true'
  if (debugRoutes && production) throw new ConfigError('DEBUG_ROUTES: must not be true in production')
  const allowedScopes = (e.ALLOWED_SCOPES ?? 'admin,user').split(',')
  if ((e.ADMIN_USERNAME === undefined) !== (e.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError('ADMIN_USERNAME and ADMIN_PASSWORD: set both or neither')
  }
  if (e.ADMIN_USERNAME !== undefined && !allowedScopes.includes('admin')) {
    throw new ConfigError('ALLOWED_SCOPES: must include admin when ADMIN_USERNAME is set')
  }
  const loginSession = {
    idleTtlMs: parseDuration(e.LOGIN_SESSION_IDLE_TTL ?? '20m'),
    maxTtlMs: parseDuration(e.LOGIN_SESSION_MAX_TTL ?? '12h')
  }
  if (loginSession.idleTtlMs > loginSession.maxTtlMs) {
    throw new ConfigError('LOGIN_SESSION_IDLE_TTL: must not exceed LOGIN_SESSION_MAX_TTL')
  }
  const browserSession = {
    secret: e.SESSION_SECRET ?? null,
    idleTtlMs: parseDuration(e.SESSION_IDLE_TTL ?? '30m'),
    maxTtlMs: parseDuration(e.SESSION_MAX_TTL ?? '12h')
  }
  if (browserSession.idleTtlMs > browserSession.maxTtlMs) {
    throw new ConfigError('SESSION_IDLE_TTL: must not exceed SESSION_MAX_TTL')
  }
  const jwt = {
    secret,
    algorithm: (e.JWT_ALGORITHM ?? 'RS256') as SigningAlgorithm,
    audience: e.JWT_AUDIENCE ?? 'moneypenny',
    accessTokenTtlMs: parseDuration(e.ACCESS_TOKEN_TTL ?? '15m'),
    refreshTokenTtlMs: parseDuration(e.REFRESH_TOKEN_TTL ?? '30d'),
    refreshReuseGraceMs: parseDuration(e.REFRESH_TOKEN_REUSE_GRACE ?? '5s')
  }
  if (jwt.refreshReuseGraceMs > 60_000) throw new ConfigError('REFRESH_TOKEN_REUSE_GRACE: must be at most one minute')
  for (const [name, ms] of [
    ['ACCESS_TOKEN_TTL', jwt.accessTokenTtlMs],
    ['REFRESH_TOKEN_TTL', jwt.refreshTokenTtlMs],
    ['LOGIN_SESSION_IDLE_TTL', loginSession.idleTtlMs],
    ['SESSION_IDLE_TTL', browserSession.idleTtlMs]
  ] as const) {
    if (ms < 1000) throw new ConfigError(`${name}: must be at least one second`)
  }

  const mfaRequiredScopes = e.MFA_REQUIRED_SCOPES === undefined ? [] : e.MFA_REQUIRED_SCOPES.split(',')
  const unknownMfaScopes = mfaRequiredScopes.filter((scope) => !allowedScopes.includes(scope))
  if (unknownMfaScopes.length) throw new ConfigError(`MFA_REQUIRED_SCOPES: names ${unknownMfaScopes.join(', ')}, which ALLOWED_SCOPES does not allow`)

  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, '')
  if ((e.SMTP_URL === undefined) !== (e.MAIL_FROM === undefined)) throw new ConfigError('SMTP_URL and MAIL_FROM: set both or neither')
  const requireVerifiedEmail = e.REQUIRE_VERIFIED_EMAIL === 'true'
  if (requireVerifiedEmail && e.SMTP_URL === undefined) throw new ConfigError('REQUIRE_VERIFIED_EMAIL: needs SMTP_URL and MAIL_FROM, or nobody could confirm an address')
  const passwordResetTtlMs = parseDuration(e.PASSWORD_RESET_TTL ?? '1h')
  if (passwordResetTtlMs < 60_000 || passwordResetTtlMs > 86_400_000) throw new ConfigError('PASSWORD_RESET_TTL: must be from one minute to one day')

  return {
    port,
    host: e.HOST ?? '0.0.0.0',
    publicUrl,
    production,
    store: e.MONGODB_URI
      ? { kind: 'mongodb', uri: e.MONGODB_URI }
      : { kind: 'sqlite', path: e.SQLITE_PATH ?? './data/moneypenny.db' },
    redisUrl: e.REDIS_URL ?? null,
    shutdownGraceMs: parseDuration(e.SHUTDOWN_GRACE ?? '10s'),
    metricsPort: e.METRICS_PORT === undefined ? null : Number(e.METRICS_PORT),
    jwt,
    loginSession,
    browserSession,
    admin:
      e.ADMIN_USERNAME && e.ADMIN_PASSWORD
        ? { username: e.ADMIN_USERNAME, password: e.ADMIN_PASSWORD, email: e.ADMIN_EMAIL ?? 'admin@moneypenny.invalid' }
        : null,
    allowedScopes,
    bcryptCost: Number(e.BCRYPT_COST ?? 12),
    registration: (e.REGISTRATION ?? 'open') as Config['registration'],
    corsOrigins: parseCorsOrigins(e.CORS_ORIGINS),
    logLevel: e.LOG_LEVEL ?? 'info',
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    rateLimit: {
      enabled: (e.RATE_LIMIT ?? 'on') === 'on',
      addressMax: Number(e.RATE_LIMIT_ADDRESS_MAX ?? 100),
      addressWindowMs: parseDuration(e.RATE_LIMIT_ADDRESS_WINDOW ?? '1m'),
      accountFailures: Number(e.RATE_LIMIT_ACCOUNT_FAILURES ?? 10),
      accountWindowMs: parseDuration(e.RATE_LIMIT_ACCOUNT_WINDOW ?? '15m')
    },
    // The largest real request is a client registration: 20 redirect URIs of 2,048 characters
    // and a 2,048-character scope are 43 KB of JSON (more in the console's URL-encoded form).
    bodyLimit: Number(e.BODY_LIMIT ?? 65_536),
    authBodyLimit: Number(e.AUTH_BODY_LIMIT ?? 4096),
    saml: e.SAML_CONFIG === undefined ? [] : grantingOnlyAllowedScopes(loadSamlIdps(e.SAML_CONFIG, publicUrl), allowedScopes),
    oidcProviders: e.OIDC_PROVIDERS === undefined ? [] : loadOidcProviders(e.OIDC_PROVIDERS, allowedScopes),
    debugRoutes,
    forwardAuth: parseForwardAuthHeaders(e.FORWARD_AUTH_HEADERS),
    brand: {
      name: (e.BRAND_NAME ?? 'moneypenny').trim(),
      color: parseBrandColor(e.BRAND_COLOR ?? '#0b57d0'),
      logo: parseBrandLogo(e.BRAND_LOGO),
      cssPath: parseBrandCss(e.BRAND_CSS)
    },
    defaultLocale: (e.DEFAULT_LOCALE ?? 'en') as Locale,
    mfa: {
      secretsKey: e.SECRETS_KEY ?? null,
      maxFailures: Number(e.MFA_MAX_FAILURES ?? 5),
      failureWindowMs: parseDuration(e.MFA_FAILURE_WINDOW ?? '15m'),
      requiredScopes: mfaRequiredScopes
    },
    passkeys: { rpId: new URL(publicUrl).hostname, origins: parseWebAuthnOrigins(e.WEBAUTHN_ORIGINS, publicUrl) },
    mail: e.SMTP_URL === undefined ? null : { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM!, passwordResetTtlMs },
    requireVerifiedEmail
  }
}

/**
 * WEBAUTHN_ORIGINS: where the pages that run passkey ceremonies are served. Each must be an
 * origin (scheme, host, port; no path) on the relying party's domain, or browsers refuse the
 * ceremony anyway (WebAuthn §5.1.3 step 8 / §7.1 step 9).
 */
function parseWebAuthnOrigins(value: string | undefined, publicUrl: string): string[] {
  const rpId = new URL(publicUrl).hostname
  if (value === undefined) return [new URL(publicUrl).origin]
  return value.split(',').map((text) => {
    let url: URL
    try {
      url = new URL(text.trim())
    } catch {
      throw new ConfigError(`WEBAUTHN_ORIGINS: ${JSON.stringify(text.trim())} is not an origin`)
    }
    if (!['https:', 'http:'].includes(url.protocol) || url.origin !== text.trim().replace(/\/$/, '')) {
      throw new ConfigError(`WEBAUTHN_ORIGINS: ${JSON.stringify(text.trim())} is not an origin (scheme, host and port only)`)
    }
    if (url.hostname !== rpId && !url.hostname.endsWith(`.${rpId}`)) {
      throw new ConfigError(`WEBAUTHN_ORIGINS: ${url.origin} is not on ${rpId}, the relying party ID from PUBLIC_URL`)
    }
    return url.origin
  })
}
