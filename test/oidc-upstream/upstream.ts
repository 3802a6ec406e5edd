import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { join } from 'node:path'
import Provider from 'oidc-provider'
import { freePort } from '../helpers.js'

export const CLIENT = { id: 'moneypenny', secret: 'upstream-client-secret-0123456789' }
/** moneypenny again, authenticating with private_key_jwt (the key the providers file names for `keyed`). */
export const KEYED_CLIENT = { id: 'moneypenny-keyed', key: generateKeyPairSync('ec', { namedCurve: 'P-256' }) }
/** Another client of the same provider, with the same redirect URI: its codes are not moneypenny's. */
export const OTHER_CLIENT = { id: 'other-app', secret: 'other-client-secret-0123456789' }

/** What the upstream says about one person. */
export interface UpstreamAccount {
  email?: string
  email_verified?: boolean
  preferred_username?: string
  /** Claims for the mappings of the `mapped` providers (released with the profile scope). */
  org?: string
  groups?: string[]
  role?: string
  /** The amr the upstream reports for the sign-in. */
  amr?: string[]
}

export interface Upstream {
  issuer: string
  /** The people the upstream knows, by sub; tests add and change them. */
  accounts: Map<string, UpstreamAccount>
  /** Who the tiny login signs in on the next authorization request. */
  signInAs: string
  /**
   * Which of two providers under the same issuer answers (the JWKS is always the first's): `impostor`
   * makes every ID token signed by a key the published JWKS does not hold.
   */
  answeredBy: 'genuine' | 'impostor'
  close(): Promise<void>
}

/**
 * node-oidc-provider as the upstream, in this process on a free port: two instances under one
 * issuer with different keys, one confidential client for moneypenny and one for another app, and a
 * login of our own (no pages) that signs in whoever `signInAs` names and grants what was asked.
 */
export async function startUpstream(redirectUri: string, port?: number): Promise<Upstream> {
  port ??= await freePort()
  const issuer = `http://127.0.0.1:${port}`
  const accounts = new Map<string, UpstreamAccount>()
  const client = (id: string, secret: string) => ({
    client_id: id,
    client_secret: secret,
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'ES256'
  })
  const build = () =>
    new Provider(issuer, {
      clients: [
        client(CLIENT.id, CLIENT.secret),
        client(OTHER_CLIENT.id, OTHER_CLIENT.secret),
        {
          ...client(KEYED_CLIENT.id, ''),
          client_secret: undefined,
          token_endpoint_auth_method: 'private_key_jwt',
          token_endpoint_auth_signing_alg: 'ES256',
          jwks: { keys: [{ ...KEYED_CLIENT.key.publicKey.export({ format: 'jwk' }), kid: 'keyed-1' }] }
        }
      ],
      jwks: { keys: [generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' })] },
      cookies: { keys: [randomBytes(32).toString('hex')] },
      // amr goes into ID tokens only as a claim of a granted scope.
      claims: { openid: ['sub', 'amr'], email: ['email', 'email_verified'], profile: ['preferred_username', 'org', 'groups', 'role'] },
      features: { devInteractions: { enabled: false } },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      async findAccount(_ctx, sub) {
        const account = accounts.get(sub)
        if (!account) return undefined
        const { amr: _amr, ...claims } = account
        return { accountId: sub, claims: async () => ({ sub, ...claims }) }
      }
    })
  const genuine = build()
  const impostor = build()
  const upstream: Upstream = {
    issuer,
    accounts,
    signInAs: '',
    answeredBy: 'genuine',
    close: async () => {
      server.close()
      server.closeAllConnections()
      await once(server, 'close')
    }
  }

  /** The tiny login: the account named by signInAs, with everything asked for granted. */
  async function interaction(provider: Provider, req: IncomingMessage, res: ServerResponse) {
    const details = await provider.interactionDetails(req, res)
    const accountId = upstream.signInAs
    const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) })
    grant.addOIDCScope(String(details.params.scope))
    const grantId = await grant.save()
    const amr = accounts.get(accountId)?.amr
    await provider.interactionFinished(req, res, { login: { accountId, ...(amr ? { amr } : {}) }, consent: { grantId } }, { mergeWithLastSubmission: false })
  }

  const server: Server = createServer((req, res) => {
    const provider = req.url === '/jwks' || upstream.answeredBy === 'genuine' ? genuine : impostor
    if (req.url?.startsWith('/interaction/')) {
      interaction(provider, req, res).catch((error: unknown) => {
        res.statusCode = 500
        res.end(String(error))
      })
      return
    }
    provider.callback()(req, res)
  })
  server.listen(port, '127.0.0.1')
  await once(server, 'listening')
  return upstream
}

/**
 * An OIDC_PROVIDERS file naming the upstream seven times: `acme` with the given first-sign-in rule,
 * `strict` (linked_only), `keyed` (create, private_key_jwt with a JWK file), `pem` (the same with
 * the key as a PEM file), `by-email` (link_by_email), `mapped` and `mapped-once` (organisation,
 * scope and role from the claims org, groups and role; `mapped` with sync_on_sign_in and keep_tokens); and `late`,
 * an upstream at `lateIssuer` that is not there yet.
 */
export function writeProvidersFile(dir: string, issuer: string, lateIssuer: string, firstSignIn = 'create'): string {
  const entry = (name: string, rule: string) => ({
    name,
    display_name: name === 'acme' ? 'Acme ID' : 'Strict ID',
    issuer,
    client_id: CLIENT.id,
    client_secret: CLIENT.secret,
    first_sign_in: rule
  })
  const path = join(dir, 'oidc-providers.json')
  const keyPath = join(dir, 'keyed.jwk')
  writeFileSync(keyPath, JSON.stringify({ ...KEYED_CLIENT.key.privateKey.export({ format: 'jwk' }), kid: 'keyed-1' }))
  const { client_secret: _secret, ...keyed } = { ...entry('keyed', 'create'), display_name: 'Keyed ID', client_id: KEYED_CLIENT.id, private_key: keyPath }
  const pemPath = join(dir, 'keyed.pem')
  writeFileSync(pemPath, KEYED_CLIENT.key.privateKey.export({ format: 'pem', type: 'pkcs8' }))
  const claims = { organisation: { claim: 'org' }, scope: { claim: 'groups' }, role: { claim: 'role' } }
  writeFileSync(
    path,
    JSON.stringify([
      entry('acme', firstSignIn),
      entry('strict', 'linked_only'),
      keyed,
      { ...keyed, name: 'pem', display_name: 'PEM ID', private_key: pemPath },
      { ...entry('by-email', 'link_by_email'), display_name: 'Email ID' },
      { ...entry('mapped', 'create'), display_name: 'Mapped ID', claims, sync_on_sign_in: true, keep_tokens: true },
      { ...entry('mapped-once', 'create'), display_name: 'Mapped-once ID', claims },
      { ...entry('late', 'create'), display_name: 'Late ID', issuer: lateIssuer }
    ])
  )
  return path
}
