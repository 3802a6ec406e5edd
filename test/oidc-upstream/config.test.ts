import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { ConfigError, loadConfig } from '../../src/config.js'
import { tempDir } from '../helpers.js'

describe('OIDC_PROVIDERS', () => {
  let dir: string
  let remove: () => void
  let count = 0
  before(() => ({ dir, remove } = tempDir()))
  after(() => remove())

  const write = (name: string, text: string) => {
    const path = join(dir, name)
    writeFileSync(path, text)
    return path
  }
  const minimal = (extra: Record<string, unknown> = {}) => ({
    name: 'acme',
    display_name: 'Acme',
    issuer: 'https://id.acme.example',
    client_id: 'moneypenny',
    client_secret: 'a-client-secret-that-must-not-leak',
    first_sign_in: 'create',
    ...extra
  })
  const load = (entries: unknown, env: Record<string, string> = {}) =>
    loadConfig({ OIDC_PROVIDERS: write(`providers-${count++}.json`, JSON.stringify(entries)), ...env })

  function assertRefused(entries: unknown, ...expected: RegExp[]) {
    assert.throws(
      () => load(entries),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError, String(error))
        assert.match(error.message, /^OIDC_PROVIDERS/)
        for (const pattern of expected) assert.match(error.message, pattern)
        assert.ok(!error.message.includes('a-client-secret-that-must-not-leak'), 'no secret is echoed')
        return true
      }
    )
  }

  test('unset means no providers', () => {
    assert.deepEqual(loadConfig({}).oidcProviders, [])
  })

  test('a minimal entry gets the defaults: scope openid email profile, username from preferred_username, email from email', () => {
    assert.deepEqual(load([minimal()]).oidcProviders, [
      {
        name: 'acme',
        displayName: 'Acme',
        issuer: 'https://id.acme.example',
        clientId: 'moneypenny',
        authentication: { method: 'client_secret_basic', secret: 'a-client-secret-that-must-not-leak' },
        scope: 'openid email profile',
        claims: { username: 'preferred_username', email: 'email', organisation: null, scope: null, role: null },
        firstSignIn: 'create',
        syncOnSignIn: false,
        keepTokens: false
      }
    ])
    const [configured] = load([minimal({ sync_on_sign_in: true, keep_tokens: true })]).oidcProviders
    assert.deepEqual([configured!.syncOnSignIn, configured!.keepTokens], [true, true])
  })

  test('a private key file (PEM or JWK) makes private_key_jwt with the algorithm of the key', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const pem = write('key.pem', privateKey.export({ format: 'pem', type: 'pkcs8' }).toString())
    const jwk = write('key.json', JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid: 'k1' }))
    const [fromPem, fromJwk] = load([
      minimal({ client_secret: undefined, private_key: pem }),
      minimal({ name: 'other', client_secret: undefined, private_key: jwk })
    ]).oidcProviders
    assert.equal(fromPem!.authentication.method, 'private_key_jwt')
    assert.equal((fromPem!.authentication as { alg: string }).alg, 'ES256')
    assert.equal((fromJwk!.authentication as { jwk: { kid?: string } }).jwk.kid, 'k1')
  })

  test('each bad field is named', () => {
    assertRefused({}, /must be a JSON list/)
    assertRefused([minimal({ name: 'Not A Slug' })], /provider 1: name must be a slug/)
    assertRefused([minimal({ issuer: 'http://id.acme.example' })], /issuer must be https/)
    assertRefused([minimal({ scope: 'email profile' })], /scope must contain openid/)
    assertRefused([minimal({ first_sign_in: 'always' })], /first_sign_in must be one of create, link_by_email, linked_only/)
    assertRefused([minimal({ client_secret: undefined })], /exactly one of client_secret and private_key/)
    assertRefused([minimal({ private_key: join(dir, 'none.pem') })], /exactly one of client_secret and private_key/)
    assertRefused([minimal({ client_secret: undefined, private_key: write('bad.pem', 'nope') })], /private_key: .* is not a PEM or JWK private key/)
    assertRefused([minimal({ claims: { scope: { value: ['root'] } } })], /claims.scope names root, which ALLOWED_SCOPES does not allow/)
    assertRefused([minimal({ claims: { organisation: 'acme' } })], /claims.organisation must be \{"claim": NAME\} or \{"value"/)
    assertRefused([minimal({ keep_tokens: 1 })], /keep_tokens must be true or false/)
    assertRefused([minimal({ sync_on_sign_in: 'yes' })], /sync_on_sign_in must be true or false/)
    assertRefused([minimal(), minimal()], /the name acme is used twice/)
  })

  test('http is accepted for a localhost issuer only', () => {
    assert.equal(load([minimal({ issuer: 'http://localhost:4000' })]).oidcProviders[0]!.issuer, 'http://localhost:4000')
  })
})
