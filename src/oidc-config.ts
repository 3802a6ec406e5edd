import { createPrivateKey, type JsonWebKey } from 'node:crypto'
import { readFileSync } from 'node:fs'
import Type, { type Static, type TSchema } from 'typebox'
import { describeEntryProblem, readJsonFile } from './config-file.js'
import { ConfigError } from './errors.js'
import { schemaProblems } from './schemas/check.js'

const Text = (description: string) => Type.String({ minLength: 1, maxLength: 2048, description })
const ClaimName = Type.String({ pattern: '^[A-Za-z0-9_.:/-]{1,128}$', description: 'a claim name (letters, digits, "_", ".", ":", "/", "-")' })
const ScopeName = Type.String({ pattern: '^[A-Za-z0-9_.:-]+$' })

/** A value read from a claim, or the same fixed value for everyone the provider signs in. */
const FromClaimOrFixed = <T extends TSchema>(fixed: T, description: string) =>
  Type.Union([Type.Object({ claim: ClaimName }, { additionalProperties: false }), Type.Object({ value: fixed }, { additionalProperties: false })], {
    description
  })

const ClaimMapping = Type.Object(
  {
    username: Type.Optional(ClaimName),
    email: Type.Optional(ClaimName),
    organisation: Type.Optional(FromClaimOrFixed(Text('an organisation'), '{"claim": NAME} or {"value": "an organisation"}')),
    scope: Type.Optional(
      FromClaimOrFixed(Type.Array(ScopeName, { maxItems: 64 }), '{"claim": NAME} or {"value": [scope names]}, each within ALLOWED_SCOPES')
    ),
    role: Type.Optional(FromClaimOrFixed(Type.String({ minLength: 1, maxLength: 64 }), '{"claim": NAME} or {"value": "a role"}'))
  },
  { additionalProperties: false, description: 'an object mapping username, email, organisation, scope and role' }
)

export const FIRST_SIGN_IN_RULES = ['create', 'link_by_email', 'linked_only'] as const
export type FirstSignInRule = (typeof FIRST_SIGN_IN_RULES)[number]

/**
 * One provider in the OIDC_PROVIDERS file. Each description completes "must be ..." in the
 * error message; any field not listed here is refused, so a typo cannot pass unnoticed.
 */
const ProviderEntry = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,31}$', description: 'a slug: lower-case letters, digits, "_" and "-" (1 to 32), unique' }),
    display_name: Type.String({ minLength: 1, maxLength: 64, pattern: '\\S', description: 'the name shown on the sign-in button (1 to 64 characters)' }),
    issuer: Type.String({ pattern: '^https?://[^\\s?#]+$', description: 'the issuer URL (https; http only for localhost), without query or fragment' }),
    client_id: Text('the client id registered at the provider'),
    client_secret: Type.Optional(Text('the client secret (client_secret_basic)')),
    private_key: Type.Optional(Text('the path of a PEM or JWK private key file (private_key_jwt)')),
    scope: Type.Optional(
      Type.String({ pattern: '^[\\x21\\x23-\\x5B\\x5D-\\x7E]+( [\\x21\\x23-\\x5B\\x5D-\\x7E]+)*$', description: 'space-separated scope values, openid among them' })
    ),
    claims: Type.Optional(ClaimMapping),
    first_sign_in: Type.Union([Type.Literal('create'), Type.Literal('link_by_email'), Type.Literal('linked_only')], {
      description: `one of ${FIRST_SIGN_IN_RULES.join(', ')}`
    }),
    sync_on_sign_in: Type.Optional(Type.Boolean({ description: 'true or false' })),
    keep_tokens: Type.Optional(Type.Boolean({ description: 'true or false' }))
  },
  { additionalProperties: false }
)
const ProvidersFile = Type.Array(ProviderEntry, { minItems: 1, maxItems: 32 })
type ProviderEntryT = Static<typeof ProviderEntry>
const WORDING = {
  entry: 'provider',
  file: 'a JSON list of OpenID Connect providers, one to 32',
  required: 'name, display_name, issuer, client_id and first_sign_in'
}

export type ClaimSource<T> = { claim: string } | { value: T }

/** How the client authenticates to the provider's token endpoint. */
export type ClientAuthentication = { method: 'client_secret_basic'; secret: string } | { method: 'private_key_jwt'; jwk: JsonWebKey; alg: string }

/** One upstream OpenID Connect provider with every default resolved. */
export interface OidcProviderConfig {
  name: string
  displayName: string
  issuer: string
  clientId: string
  authentication: ClientAuthentication
  scope: string
  claims: {
    username: string
    email: string
    organisation: ClaimSource<string> | null
    scope: ClaimSource<string[]> | null
    role: ClaimSource<string> | null
  }
  firstSignIn: FirstSignInRule
  /** Scope, organisation and role brought up to date from the claims at every sign-in, not only set at creation. */
  syncOnSignIn: boolean
  /** The provider's tokens from each sign-in are kept for the link, sealed, for admins to fetch (Keycloak's "store tokens"). */
  keepTokens: boolean
}

function isLocalhost(url: URL): boolean {
  return url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]'
}

/** The JWS algorithm a private key signs with: RS256 for RSA, ES256/384/512 by curve, EdDSA for Ed25519. */
function algorithmOf(jwk: JsonWebKey): string | null {
  if (jwk.kty === 'RSA') return 'RS256'
  if (jwk.kty === 'EC') return ({ 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' } as Record<string, string>)[jwk.crv ?? ''] ?? null
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA'
  return null
}

/** A private key file, PEM or JWK, as a JWK (with the file's kid when it has one); a problem instead. */
function readPrivateKey(path: string): { jwk: JsonWebKey; alg: string } | string {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    return `private_key: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`
  }
  try {
    const parsed = text.trimStart().startsWith('{') ? (JSON.parse(text) as JsonWebKey & { kid?: string }) : null
    const key = parsed === null ? createPrivateKey(text) : createPrivateKey({ key: parsed, format: 'jwk' })
    const jwk: JsonWebKey & { kid?: string } = key.export({ format: 'jwk' })
    if (typeof parsed?.kid === 'string') jwk.kid = parsed.kid
    const alg = algorithmOf(jwk)
    return alg === null ? `private_key: ${path} is not an RSA, EC (P-256/384/521) or Ed25519 key` : { jwk, alg }
  } catch {
    return `private_key: ${path} is not a PEM or JWK private key`
  }
}

/** The checks a schema cannot make; returns the problems and, when none, the client authentication. */
function checkEntry(entry: ProviderEntryT, index: number, allowedScopes: readonly string[]): { problems: string[]; authentication?: ClientAuthentication } {
  const where = `provider ${index + 1} (${entry.name})`
  const problems: string[] = []
  const issuer = new URL(entry.issuer)
  if (issuer.protocol !== 'https:' && !isLocalhost(issuer)) problems.push(`${where}: issuer must be https (http only for localhost)`)
  if (entry.scope !== undefined && !entry.scope.split(' ').includes('openid')) problems.push(`${where}: scope must contain openid`)
  const fixedScope = entry.claims?.scope !== undefined && 'value' in entry.claims.scope ? entry.claims.scope.value : []
  const unknown = fixedScope.filter((scope) => !allowedScopes.includes(scope))
  if (unknown.length > 0) problems.push(`${where}: claims.scope names ${unknown.join(', ')}, which ALLOWED_SCOPES does not allow`)
  if ((entry.client_secret === undefined) === (entry.private_key === undefined)) {
    problems.push(`${where}: give exactly one of client_secret and private_key`)
    return { problems }
  }
  if (entry.client_secret !== undefined) return { problems, authentication: { method: 'client_secret_basic', secret: entry.client_secret } }
  const key = readPrivateKey(entry.private_key!)
  if (typeof key === 'string') return { problems: [...problems, `${where}: ${key}`] }
  return { problems, authentication: { method: 'private_key_jwt', ...key } }
}

/**
 * Reads the OIDC_PROVIDERS file: a JSON list of upstream OpenID Connect providers. Throws
 * ConfigError naming every problem (never a value: the file may hold a client secret).
 * Defaults: scope `openid email profile`, username from `preferred_username`, email from `email`.
 * A fixed scope must lie within ALLOWED_SCOPES; scopes read from a claim are filtered by it at sign-in.
 */
export function loadOidcProviders(path: string, allowedScopes: readonly string[]): OidcProviderConfig[] {
  const file = readJsonFile('OIDC_PROVIDERS', path)
  const refuse = (problems: string[]) => new ConfigError(`OIDC_PROVIDERS (${path}):\n  ${[...new Set(problems)].join('\n  ')}`)
  const fileProblems = schemaProblems(ProvidersFile, file)
  if (fileProblems.length > 0) throw refuse(fileProblems.map((error) => describeEntryProblem(ProviderEntry, WORDING, error)))
  const entries = file as ProviderEntryT[]
  const checked = entries.map((entry, index) => checkEntry(entry, index, allowedScopes))
  const names = entries.map((entry) => entry.name)
  const problems = [
    ...checked.flatMap((result) => result.problems),
    ...names.filter((name, i) => names.indexOf(name) !== i).map((name) => `the name ${name} is used twice`)
  ]
  if (problems.length > 0) throw refuse(problems)

  return entries.map((entry, index) => ({
    name: entry.name,
    displayName: entry.display_name.trim(),
    issuer: entry.issuer,
    clientId: entry.client_id,
    authentication: checked[index]!.authentication!,
    scope: entry.scope ?? 'openid email profile',
    claims: {
      username: entry.claims?.username ?? 'preferred_username',
      email: entry.claims?.email ?? 'email',
      organisation: entry.claims?.organisation ?? null,
      scope: entry.claims?.scope ?? null,
      role: entry.claims?.role ?? null
    },
    firstSignIn: entry.first_sign_in,
    syncOnSignIn: entry.sync_on_sign_in ?? false,
    keepTokens: entry.keep_tokens ?? false
  }))
}
