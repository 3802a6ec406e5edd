import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { CompactSign, exportJWK } from 'jose'
import { SIGNING_ALGORITHMS } from '../../src/services/signing-keys.js'
import { ADMIN, Browser, buildTestApp, jwtPayload, registerUser, signIn, type TestApp } from '../helpers.js'
import { authorize, registerClient, startOAuthServer, type OAuthServer, type RegisteredClient } from '../oauth2/harness.js'

type Header = Record<string, unknown>
type Claims = Record<string, unknown>

const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url')

/** A JWS over any header; `crit` names extensions jose must let through when signing. */
async function sign(header: Header, claims: Claims, key: KeyObject | Uint8Array): Promise<string> {
  const crit = Array.isArray(header.crit) ? Object.fromEntries((header.crit as string[]).map((name) => [name, true])) : undefined
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader(header as { alg: string })
    .sign(key, crit ? { crit } : {})
}

/** An unsigned token (`alg: none`): header, payload and an empty signature. */
function unsigned(claims: Claims, typ = 'at+jwt'): string {
  return `${encode({ alg: 'none', typ })}.${encode(claims)}.`
}

/** `npm ls --json` of one package; npm exits non-zero for unrelated tree problems but still prints the tree. */
function npmLs(name: string): string {
  try {
    return execFileSync('npm', ['ls', name, '--all', '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  } catch (error) {
    return (error as { stdout: string }).stdout
  }
}

const secretBytes = (text: string) => new TextEncoder().encode(text)
const now = () => Math.floor(Date.now() / 1000)
/** A key pair of the kind `algorithm` signs with, as an attacker would make. */
const attackerKey = (algorithm = 'ES256') =>
  algorithm === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' })

/** What /authorise, introspection and each protected route answer to one token. */
interface Answers {
  authorise: number
  introspect: boolean
  users: number
  details: number
  userinfo: number
  lummoxAccess: number
}
const refusal: Answers = { authorise: 401, introspect: false, users: 401, details: 401, userinfo: 401, lummoxAccess: 401 }

/**
 * Every forged, stale or misused token is refused by /authorise, by introspection and
 * by every protected route. A genuine token made the same way (our key, the admin's
 * claims) is accepted first, so each refusal is the defence at work and not a missing scope.
 */
for (const algorithm of SIGNING_ALGORITHMS) {
  describe(`forged and misused access tokens (${algorithm} keys in the store)`, () => {
    let server: OAuthServer
    let client: RegisteredClient
    /** A resource server: a confidential client that introspects tokens it was not issued. */
    let resourceServer: RegisteredClient
    let ourKey: { kid: string; privateKey: KeyObject; publicPem: string; jwk: Record<string, unknown> }
    let adminClaims: Claims
    let adminRefreshToken: string
    let oauthRefreshToken: string
    /** Name, token, and answers that differ from a refusal everywhere. */
    const forgeries: Array<[string, () => Promise<string> | string, Partial<Answers>?]> = []

    const redirectUri = 'https://app.example.com/callback'
    const verifier = 'forgery-test-code-verifier-of-at-least-43-characters'

    const ourHeader = () => ({ alg: algorithm, typ: 'at+jwt', kid: ourKey.kid })
    const signedByUs = (claims: Claims, header: Header = ourHeader()) => sign(header, claims, ourKey.privateKey)

    /** Refresh and ID tokens of a real code flow (openid offline_access) for a fresh user. */
    async function oauthTokens(): Promise<{ refresh_token: string; id_token: string; access_token: string }> {
      const user = await registerUser(server.app)
      const url = `${server.base}/oauth2/authorization?${new URLSearchParams({
        client_id: client.client_id,
        redirect_uri: redirectUri,
        response_type: 'code',
        scope: 'openid offline_access',
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256'
      })}`
      const code = (await authorize(new Browser(server.base), url, user)).searchParams.get('code')!
      const response = await server.app.inject({
        method: 'POST',
        url: '/oauth2/token',
        headers: { authorization: basic(), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }).toString()
      })
      assert.equal(response.statusCode, 200, response.body)
      return response.json()
    }

    function basic(as: RegisteredClient = client): string {
      return `Basic ${Buffer.from(`${as.client_id}:${as.client_secret}`).toString('base64')}`
    }

    async function answers(token: string): Promise<Answers> {
      const bearer = { authorization: `Bearer ${token}` }
      const get = async (url: string, headers: Record<string, string> = bearer) => (await server.app.inject({ url, headers })).statusCode
      const introspection = await server.app.inject({
        method: 'POST',
        url: '/oauth2/introspect',
        headers: { authorization: basic(resourceServer), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ token }).toString()
      })
      return {
        authorise: await get('/authorise', { authorization: `Token ${token}` }),
        introspect: introspection.json().active as boolean,
        users: await get('/api/v1/users'),
        details: await get('/auth/details'),
        userinfo: await get('/oauth2/userinfo'),
        lummoxAccess: (await server.app.inject({ method: 'POST', url: '/api/v1/tokens/access', headers: { authorization: token } })).statusCode
      }
    }

    before(async () => {
      server = await startOAuthServer({ JWT_ALGORITHM: algorithm })
      client = await registerClient(server, { redirect_uris: [redirectUri], grant_types: ['authorization_code', 'refresh_token'], first_party: true })
      resourceServer = await registerClient(server, { redirect_uris: [redirectUri], first_party: true, resource_server: 'all' })
      const [record] = await server.store.signingKeys.list()
      const publicKey = createPublicKey(record!.publicKey)
      ourKey = { kid: record!.kid, privateKey: createPrivateKey(record!.privateKey), publicPem: record!.publicKey, jwk: { ...(await exportJWK(publicKey)), kid: record!.kid } }
      const published = (await server.app.inject('/.well-known/jwks.json')).json().keys
      assert.deepEqual(published.map((key: { kid: string }) => key.kid), [ourKey.kid], 'the key used here is the published one')

      const admin = await signIn(server.app, ADMIN.username, ADMIN.password)
      adminRefreshToken = admin.refreshToken
      // The admin's own claims, with openid so that userinfo would accept them too.
      adminClaims = { ...jwtPayload(admin.accessToken), scope: 'admin openid profile' }

      const attacker = attackerKey(algorithm)
      const attackerJwk = await exportJWK(attacker.publicKey)
      const hsWith = (secret: string) => sign({ alg: 'HS256', typ: 'at+jwt', kid: ourKey.kid }, adminClaims, secretBytes(secret))
      const byAttacker = (header: Header) => sign({ alg: algorithm, typ: 'at+jwt', ...header }, adminClaims, attacker.privateKey)
      const genuine = await signedByUs(adminClaims)
      const [genuineHeader, , genuineSignature] = genuine.split('.')
      const oauth = await oauthTokens()
      oauthRefreshToken = oauth.refresh_token

      const disabled = await registerUser(server.app)
      const deleted = await registerUser(server.app)
      const disabledToken = (await signIn(server.app, disabled.username, disabled.password)).accessToken
      const deletedToken = (await signIn(server.app, deleted.username, deleted.password)).accessToken
      const asAdmin = { authorization: `Bearer ${admin.accessToken}` }
      assert.equal((await server.app.inject({ method: 'PATCH', url: `/api/v1/users/${disabled.id}`, headers: asAdmin, payload: { active: false } })).statusCode, 200)
      assert.equal((await server.app.inject({ method: 'DELETE', url: `/api/v1/users/${deleted.id}`, headers: asAdmin })).statusCode, 204)

      forgeries.push(
        ['alg none', () => unsigned(adminClaims)],
        ['alg none, no typ', () => `${encode({ alg: 'none' })}.${encode(adminClaims)}.`],
        ['alg NONE with our signature kept', () => `${encode({ alg: 'NONE', typ: 'at+jwt', kid: ourKey.kid })}.${encode(adminClaims)}.${genuineSignature}`],
        ['HS256 with our public key (PEM) as the secret', () => hsWith(ourKey.publicPem)],
        ['HS256 with our public key (PEM after a newline) as the secret', () => hsWith(`\n${ourKey.publicPem}`)],
        ['HS256 with our public key (PEM without its last newline) as the secret', () => hsWith(ourKey.publicPem.trimEnd())],
        ['HS256 with our public key (JWK JSON) as the secret', () => hsWith(JSON.stringify(ourKey.jwk))],
        ['HS256 with our public key (JWKS document) as the secret', () => hsWith(JSON.stringify({ keys: [ourKey.jwk] }))],
        ["our kid, an attacker's key", () => byAttacker({ kid: ourKey.kid })],
        ["no kid, an attacker's key", () => byAttacker({})],
        ['jku pointing at the attacker', () => byAttacker({ kid: 'attacker', jku: 'https://evil.example/jwks.json' })],
        ['x5u pointing at the attacker', () => byAttacker({ kid: 'attacker', x5u: 'https://evil.example/cert.pem' })],
        ['the attacker key embedded as jwk', () => byAttacker({ jwk: attackerJwk })],
        ['the attacker key embedded as jwk, with our kid', () => byAttacker({ kid: ourKey.kid, jwk: attackerJwk })],
        ['a crit header extension, signed by our key', () => signedByUs(adminClaims, { ...ourHeader(), crit: ['http://evil.example/ignore-exp'], 'http://evil.example/ignore-exp': true })],
        ['expired, signed by our key', () => signedByUs({ ...adminClaims, iat: now() - 3600, exp: now() - 60 })],
        ['no exp, signed by our key', () => signedByUs(Object.fromEntries(Object.entries(adminClaims).filter(([name]) => name !== 'exp')))],
        ['nbf in the future, signed by our key', () => signedByUs({ ...adminClaims, nbf: now() + 600 })],
        ['wrong iss, signed by our key', () => signedByUs({ ...adminClaims, iss: 'https://evil.example' })],
        ['wrong aud, signed by our key', () => signedByUs({ ...adminClaims, aud: 'another-service' })],
        ['typ JWT (an ID token shape), signed by our key', () => signedByUs(adminClaims, { ...ourHeader(), typ: 'JWT' })],
        ['an id_token used as an access token', () => oauth.id_token],
        ['an OAuth2 refresh token used as an access token', () => oauth.refresh_token],
        // It is a credential at lummox's own endpoint, and nowhere else.
        ['a seed refresh token used as an access token', () => adminRefreshToken, { lummoxAccess: 200 }],
        ["a disabled user's token", () => disabledToken],
        ["a deleted user's token", () => deletedToken],
        ['payload edited (scope admin) under the old signature', () => {
          const [header, payload, signature] = oauth.access_token.split('.')
          return `${header}.${encode({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), scope: 'admin openid' })}.${signature}`
        }],
        ['payload replaced under a genuine header and signature', () => `${genuineHeader}.${encode({ ...adminClaims, sub: 'someone-else' })}.${genuineSignature}`],
        ['over 8 KiB, signed by our key', () => signedByUs({ ...adminClaims, padding: 'x'.repeat(8 * 1024) })],
        ['a signature of another encoding (padding added)', () => `${genuine}==`]
      )
    })
    after(() => server.close())

    test('fast-jwt resolves to 6.3.1 or later (earlier versions had algorithm-confusion and unsigned-token holes)', () => {
      const tree = JSON.parse(npmLs('fast-jwt')) as object
      const versions = [...JSON.stringify(tree).matchAll(/"fast-jwt":\{"version":"([^"]+)"/g)].map((match) => match[1]!)
      assert.ok(versions.length > 0, 'fast-jwt is installed')
      for (const version of versions) {
        const [major, minor, patch] = version.split('.').map(Number) as [number, number, number]
        assert.ok(major > 6 || (major === 6 && (minor > 3 || (minor === 3 && patch >= 1))), `fast-jwt ${version}`)
      }
    })

    test('a genuine token made the same way is accepted everywhere (the control)', async () => {
      const accepted = await answers(await signedByUs(adminClaims))
      assert.deepEqual({ ...accepted, lummoxAccess: undefined }, { authorise: 200, introspect: true, users: 200, details: 200, userinfo: 200, lummoxAccess: undefined })
      const lummox = await server.app.inject({ method: 'POST', url: '/api/v1/tokens/access', headers: { authorization: adminRefreshToken } })
      assert.equal(lummox.statusCode, 200, 'the seed refresh token is good at its own endpoint')
    })

    test("an OAuth2 client's refresh token is refused at the seed refresh endpoints (it would escape rotation and the client's scope)", async () => {
      const lummox = await server.app.inject({ method: 'POST', url: '/api/v1/tokens/access', headers: { authorization: oauthRefreshToken } })
      assert.equal(lummox.statusCode, 401)
      const rdata = await server.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refresh_token: oauthRefreshToken } })
      assert.equal(rdata.statusCode, 401)
    })

    test('every forgery is refused: 401 at /authorise and each protected route, inactive at introspection', async (t) => {
      for (const [name, forge, exceptions] of forgeries) {
        await t.test(name, async () => {
          assert.deepEqual(await answers(await forge()), { ...refusal, ...exceptions })
        })
      }
    })
  })
}

describe('forged access tokens (HS256 shared secret, JWT_SECRET)', () => {
  const secret = 'a-shared-secret-of-at-least-thirty-two-bytes'
  let t: TestApp
  let claims: Claims

  const authorise = async (token: string) => (await t.app.inject({ url: '/authorise', headers: { authorization: `Bearer ${token}` } })).statusCode
  const signedWithSecret = (changes: Claims, header: Header = {}) => sign({ alg: 'HS256', typ: 'at+jwt', ...header }, { ...claims, ...changes }, secretBytes(secret))

  before(async () => {
    t = await buildTestApp({ JWT_SECRET: secret, RATE_LIMIT: 'off' })
    claims = { ...jwtPayload((await signIn(t.app, ADMIN.username, ADMIN.password)).accessToken) }
  })
  after(() => t.close())

  test('a genuine token made the same way is accepted (the control)', async () => {
    assert.equal(await authorise(await signedWithSecret({})), 200)
  })

  for (const [name, forge] of [
    ['alg none', () => unsigned(claims)],
    ['another secret', () => sign({ alg: 'HS256', typ: 'at+jwt' }, claims, secretBytes('not-the-secret-not-the-secret-not-the-secret'))],
    ['ES256 with the attacker key embedded as jwk', async () => {
      const attacker = attackerKey()
      return sign({ alg: 'ES256', typ: 'at+jwt', jwk: await exportJWK(attacker.publicKey) }, claims, attacker.privateKey)
    }],
    ['HS512 with the right secret', () => sign({ alg: 'HS512', typ: 'at+jwt' }, claims, secretBytes(secret))],
    ['a crit header extension', () => signedWithSecret({}, { crit: ['http://evil.example/ignore-exp'], 'http://evil.example/ignore-exp': true })],
    ['expired', () => signedWithSecret({ iat: now() - 3600, exp: now() - 60 })],
    ['nbf in the future', () => signedWithSecret({ nbf: now() + 600 })],
    ['wrong iss', () => signedWithSecret({ iss: 'https://evil.example' })],
    ['wrong aud', () => signedWithSecret({ aud: 'another-service' })],
    ['over 8 KiB', () => signedWithSecret({ padding: 'x'.repeat(8 * 1024) })]
  ] as Array<[string, () => Promise<string> | string]>) {
    test(`${name}: 401 at /authorise`, async () => {
      assert.equal(await authorise(await forge()), 401)
    })
  }
})
