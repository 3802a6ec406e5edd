import assert from 'node:assert/strict'
import { createPublicKey, generateKeyPairSync } from 'node:crypto'
import { describe, test } from 'node:test'
import { createSigner, createVerifier } from 'fast-jwt'
import { jwtSigners } from '../../src/services/jwt-signer.js'
import { ACCESS_TOKEN_TYP, Tokens } from '../../src/services/tokens.js'
import type { SigningAlgorithm } from '../../src/services/signing-keys.js'
import { openStore, options, subject } from './token-fixture.js'

const claims = { iss: options.issuer, aud: 'moneypenny', sub: 'u1', scope: 'user', sid: 's1', jti: 'j1', iat: 1_700_000_000, exp: 1_700_000_900 }

const pem = (algorithm: SigningAlgorithm) =>
  (algorithm === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' })).privateKey
    .export({ format: 'pem', type: 'pkcs8' })
    .toString()

/** What fast-jwt's synchronous signer, used before signing moved to the pool, made of the same claims. */
const beforeWithFastJwt = (key: string, algorithm: SigningAlgorithm | 'HS256', typ: string, kid?: string) =>
  createSigner({ key, algorithm, ...(kid === undefined ? {} : { kid }), header: { alg: algorithm, typ } })(claims)

const part = (token: string, index: number) => JSON.parse(Buffer.from(token.split('.')[index]!, 'base64url').toString()) as Record<string, unknown>

describe('JWT signing on the thread pool', () => {
  test('RS256 and HS256 tokens are byte for byte what fast-jwt signed', async () => {
    const rsaKey = pem('RS256')
    for (const [key, algorithm, kid] of [
      [rsaKey, 'RS256', 'kid-1'],
      ['s'.repeat(32), 'HS256', undefined]
    ] as const) {
      for (const typ of [ACCESS_TOKEN_TYP, 'JWT', 'logout+jwt']) {
        assert.equal(await jwtSigners(key, algorithm, kid)(typ)(claims), beforeWithFastJwt(key, algorithm, typ, kid), `${algorithm} ${typ}`)
      }
    }
  })

  test('ES256 tokens have fast-jwt header and claims, and a 64-byte R || S signature that fast-jwt verifies', async () => {
    const key = pem('ES256')
    const token = await jwtSigners(key, 'ES256', 'kid-1')(ACCESS_TOKEN_TYP)(claims)
    const before = beforeWithFastJwt(key, 'ES256', ACCESS_TOKEN_TYP, 'kid-1')
    assert.equal(token.split('.').slice(0, 2).join('.'), before.split('.').slice(0, 2).join('.'))
    assert.equal(Buffer.from(token.split('.')[2]!, 'base64url').length, 64)
    const publicPem = createPublicKey(key).export({ format: 'pem', type: 'spki' }).toString()
    assert.deepEqual(createVerifier({ key: publicPem, algorithms: ['ES256'], ignoreExpiration: true })(token), claims)
  })

  test('a key of the wrong type for its algorithm is refused when loaded, not when signing', () => {
    assert.throws(() => jwtSigners(pem('ES256'), 'RS256'), /RS256 signing key must be an RSA key/)
    assert.throws(() => jwtSigners(pem('RS256'), 'ES256'), /ES256 signing key must be an EC key/)
  })
})

describe('tokens signed on the pool', () => {
  for (const algorithm of ['RS256', 'ES256'] as const) {
    test(`${algorithm}: access, ID and logout tokens verify against the published JWKS with the header and claims of before`, async () => {
      const tokens = await Tokens.create({ ...options, algorithm }, openStore().signingKeys)
      const [jwk] = tokens.jwks().keys
      const publicPem = createPublicKey({ key: { ...jwk! }, format: 'jwk' }).export({ format: 'pem', type: 'spki' }).toString()
      const verify = createVerifier({ key: publicPem, algorithms: [algorithm], complete: true })
      const now = Date.now()
      const { token, claims: issued } = await tokens.issueAccessToken(subject, 's1', now + 60_000, now, { clientId: 'c1' })
      const idToken = await tokens.issueIdToken({ sub: 'u1', aud: 'c1', azp: 'c1', auth_time: 1, acr: '0', at_hash: 'h', sid: 's1' }, now + 60_000, now)
      const logoutToken = await tokens.issueLogoutToken('c1', 'u1', 's1', now)
      for (const [signed, typ] of [
        [token, ACCESS_TOKEN_TYP],
        [idToken, 'JWT'],
        [logoutToken, 'logout+jwt']
      ] as const) {
        assert.deepEqual(Object.entries(part(signed, 0)), [
          ['alg', algorithm],
          ['typ', typ],
          ['kid', jwk!.kid]
        ])
        assert.deepEqual(verify(signed).payload, part(signed, 1))
      }
      assert.deepEqual(Object.keys(part(token, 1)), ['iss', 'aud', 'sub', 'username', 'role', 'organisation', 'scope', 'client_id', 'sid', 'jti', 'iat', 'exp'])
      assert.deepEqual(part(token, 1), { ...issued })
      assert.deepEqual(tokens.verifyAccessToken(token), issued)
      assert.deepEqual(Object.keys(part(idToken, 1)), ['iss', 'sub', 'aud', 'azp', 'auth_time', 'acr', 'at_hash', 'sid', 'iat', 'exp'])
      assert.deepEqual(Object.keys(part(logoutToken, 1)), ['iss', 'aud', 'sub', 'sid', 'events', 'jti', 'iat', 'exp'])
    })
  }
})
