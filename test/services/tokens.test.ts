import assert from 'node:assert/strict'
import { createHmac, generateKeyPairSync } from 'node:crypto'
import { describe, test } from 'node:test'
import { createSigner } from 'fast-jwt'
import { Unauthenticated } from '../../src/errors.js'
import { hashRefreshToken, newRefreshToken, Tokens } from '../../src/services/tokens.js'
import { openStore, options, subject } from './token-fixture.js'

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

describe('access tokens', () => {
  test('a token carries every claim of the design and verifies back to them', async () => {
    const tokens = await Tokens.create(options, openStore().signingKeys)
    const now = Date.now()
    const { token, claims } = await tokens.issueAccessToken(subject, 's1', now + 60_000, now)
    const [header] = token.split('.')
    assert.deepEqual(JSON.parse(Buffer.from(header!, 'base64url').toString()), {
      alg: 'RS256',
      typ: 'at+jwt',
      kid: tokens.jwks().keys[0]!.kid
    })
    assert.deepEqual(tokens.verifyAccessToken(token), claims)
    assert.equal(claims.scope, 'user admin')
    assert.equal(claims.exp, Math.floor((now + 60_000) / 1000))
    assert.equal(claims.iat, Math.floor(now / 1000))
    assert.match(claims.jti, /^[0-9a-f-]{36}$/)
    assert.equal(claims.organisation, 'acme')
  })

  test('a user without an organisation gets a token without the claim, not a null', async () => {
    const tokens = await Tokens.create(options, openStore().signingKeys)
    const { token } = await tokens.issueAccessToken({ ...subject, organisation: null }, 's1', Date.now() + 60_000, Date.now())
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>
    assert.equal('organisation' in payload, false)
    assert.ok(Object.values(payload).every((value) => value !== null))
  })

  test('ES256 keys when asked for; a rotation to another algorithm keeps the old key verifying what it signed', async () => {
    const store = openStore()
    const start = Date.now()
    const ec = await Tokens.create({ ...options, algorithm: 'ES256' }, store.signingKeys, start)
    const { token: ecToken } = await ec.issueAccessToken(subject, 's1', start + 60_000, start)
    assert.equal(JSON.parse(Buffer.from(ecToken.split('.')[0]!, 'base64url').toString()).alg, 'ES256')
    assert.deepEqual(Object.keys(ec.jwks().keys[0]!).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y'])

    // The same store read by a release configured for RS256: the existing key signs until a rotation.
    const rsa = await Tokens.create(options, store.signingKeys, start)
    assert.equal(rsa.algorithm, 'ES256')
    await rsa.rotateSigningKey(start)
    await rsa.reloadKeys(start + options.keyPropagationMs + 1)
    assert.equal(rsa.algorithm, 'RS256')
    const { token: rsaToken } = await rsa.issueAccessToken(subject, 's2', start + 60_000, start + options.keyPropagationMs + 1)
    assert.equal(JSON.parse(Buffer.from(rsaToken.split('.')[0]!, 'base64url').toString()).alg, 'RS256')
    assert.equal(rsa.verifyAccessToken(ecToken).sid, 's1')
    assert.equal(rsa.verifyAccessToken(rsaToken).sid, 's2')
    assert.deepEqual(rsa.jwks().keys.map((key) => key.kty).sort(), ['EC', 'RSA'])
  })

  test('two services over one store share the signing key', async () => {
    const store = openStore()
    const first = await Tokens.create(options, store.signingKeys)
    const second = await Tokens.create(options, store.signingKeys)
    const { token } = await first.issueAccessToken(subject, 's1', Date.now() + 60_000, Date.now())
    assert.equal(second.verifyAccessToken(token).sub, 'u1')
    assert.deepEqual(second.jwks(), first.jwks())
  })

  const kidOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid as string

  test('a rotated key is published at once, signs only after the propagation delay, and the old key keeps verifying', async () => {
    const store = openStore()
    const start = Date.now()
    const tokens = await Tokens.create(options, store.signingKeys, start)
    const oldKid = tokens.jwks().keys[0]!.kid
    const old = (await tokens.issueAccessToken(subject, 's1', start + 30_000, start)).token

    const newKid = await tokens.rotateSigningKey(start)
    assert.deepEqual(tokens.jwks().keys.map((key) => key.kid).sort(), [oldKid, newKid].sort())
    assert.equal(kidOf((await tokens.issueAccessToken(subject, 's1', start + 30_000, start)).token), oldKid)

    const switched = start + options.keyPropagationMs
    await tokens.reloadKeys(switched)
    const fresh = (await tokens.issueAccessToken(subject, 's1', switched + 30_000, switched)).token
    assert.equal(kidOf(fresh), newKid)
    assert.equal(tokens.verifyAccessToken(old).sub, 'u1')
    assert.equal(tokens.verifyAccessToken(fresh).sub, 'u1')
    const stored = await store.signingKeys.list()
    assert.deepEqual(
      stored.map((key) => [key.kid, key.createdAt, key.retiredAt, key.verifyUntil]).sort(),
      [
        [oldKid, start, switched, switched + options.longestTokenLifetimeMs],
        [newKid, switched, null, null]
      ].sort()
    )
  })

  test('another replica learns of a rotation on its next reload and switches keys at the same moment', async () => {
    const store = openStore()
    const start = Date.now()
    const first = await Tokens.create(options, store.signingKeys, start)
    const second = await Tokens.create(options, store.signingKeys, start)
    const newKid = await first.rotateSigningKey(start)
    await second.reloadKeys(start + 2_000)
    assert.deepEqual(second.jwks(), first.jwks())
    const switched = start + options.keyPropagationMs
    await first.reloadKeys(switched)
    await second.reloadKeys(switched)
    const fromFirst = (await first.issueAccessToken(subject, 's1', switched + 30_000, switched)).token
    const fromSecond = (await second.issueAccessToken(subject, 's1', switched + 30_000, switched)).token
    assert.equal(kidOf(fromFirst), newKid)
    assert.equal(kidOf(fromSecond), newKid)
    assert.equal(second.verifyAccessToken(fromFirst).sub, 'u1')
  })

  test('a retired key is dropped once its grace has passed', async () => {
    const store = openStore()
    const start = Date.now()
    const tokens = await Tokens.create(options, store.signingKeys, start)
    const newKid = await tokens.rotateSigningKey(start)
    await tokens.reloadKeys(start + options.keyPropagationMs + options.longestTokenLifetimeMs + 1)
    assert.deepEqual(tokens.jwks().keys.map((key) => key.kid), [newKid])
  })

  test('a token is remembered from its second check, not its first', async () => {
    const tokens = await Tokens.create(options, openStore().signingKeys)
    const now = Date.now()
    const { token } = await tokens.issueAccessToken(subject, 's1', now + 60_000, now)
    // A remembered token's claims are the same object each time; a verification makes new ones.
    const first = tokens.verifyAccessToken(token)
    const second = tokens.verifyAccessToken(token)
    assert.notEqual(first, second, 'the first check did not remember the token')
    assert.equal(tokens.verifyAccessToken(token), second, 'the second check remembered it')
  })

  test('an expired token is refused', async () => {
    const tokens = await Tokens.create(options, openStore().signingKeys)
    const past = Date.now() - 120_000
    const { token } = await tokens.issueAccessToken(subject, 's1', past + 60_000, past)
    assert.throws(() => tokens.verifyAccessToken(token), (error: Error) => error instanceof Unauthenticated && /expired/.test(error.message))
  })

  test('a token verified (and remembered) a moment ago is refused once it expires', async () => {
    const tokens = await Tokens.create(options, openStore().signingKeys)
    const now = Date.now()
    // exp is in whole seconds: the token expires at the next second boundary.
    const { token } = await tokens.issueAccessToken(subject, 's1', now + 1000, now)
    assert.equal(tokens.verifyAccessToken(token).sub, 'u1')
    assert.equal(tokens.verifyAccessToken(token).sub, 'u1')
    await new Promise((resolve) => setTimeout(resolve, Math.ceil((now + 1000) / 1000) * 1000 - Date.now() + 20))
    assert.throws(() => tokens.verifyAccessToken(token), (error: Error) => error instanceof Unauthenticated && /expired/.test(error.message))
  })

  test('a token verified (and remembered) before its key was dropped is refused after', async () => {
    const store = openStore()
    const start = Date.now()
    const tokens = await Tokens.create({ ...options, longestTokenLifetimeMs: 0 }, store.signingKeys, start)
    const { token } = await tokens.issueAccessToken(subject, 's1', start + 60_000, start)
    // Remembered from the second check.
    assert.equal(tokens.verifyAccessToken(token).sub, 'u1')
    assert.equal(tokens.verifyAccessToken(token).sub, 'u1')
    await tokens.rotateSigningKey(start)
    await tokens.reloadKeys(start + options.keyPropagationMs + 1)
    assert.throws(() => tokens.verifyAccessToken(token), Unauthenticated)
  })

  test('a token for another audience or issuer is refused', async () => {
    const store = openStore()
    const ours = await Tokens.create(options, store.signingKeys)
    const otherAudience = await Tokens.create({ ...options, audience: 'elsewhere' }, store.signingKeys)
    const otherIssuer = await Tokens.create({ ...options, issuer: 'https://evil.example' }, store.signingKeys)
    const now = Date.now()
    for (const other of [otherAudience, otherIssuer]) {
      const { token } = await other.issueAccessToken(subject, 's', now + 60_000, now)
      assert.throws(() => ours.verifyAccessToken(token), Unauthenticated)
    }
  })

  test('alg none, a foreign key, HS256 keyed with our public key and a missing typ are refused', async () => {
    const tokens = await Tokens.create(options, openStore().signingKeys)
    const now = Date.now()
    const { token, claims } = await tokens.issueAccessToken(subject, 's1', now + 60_000, now)
    const kid = tokens.jwks().keys[0]!.kid
    const payload = base64url(claims)

    const unsigned = `${base64url({ alg: 'none', typ: 'at+jwt', kid })}.${payload}.`
    const foreignKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' })
    const foreign = createSigner({ key: foreignKey.toString(), algorithm: 'ES256', kid, header: { alg: 'ES256', typ: 'at+jwt' } })(claims)
    const publicPem = (await import('node:crypto')).createPublicKey({ key: { ...tokens.jwks().keys[0]! }, format: 'jwk' }).export({ format: 'pem', type: 'spki' }).toString()
    const confusedHeader = base64url({ alg: 'HS256', typ: 'at+jwt', kid })
    const confused = `${confusedHeader}.${payload}.${createHmac('sha256', publicPem).update(`${confusedHeader}.${payload}`).digest('base64url')}`
    const withoutTyp = `${base64url({ alg: 'ES256', kid })}.${payload}.${token.split('.')[2]}`
    const edited = `${token.split('.')[0]}.${base64url({ ...claims, scope: 'admin' })}.${token.split('.')[2]}`

    for (const forged of [unsigned, foreign, confused, withoutTyp, edited, 'not-a-jwt', `${token}x`]) {
      assert.throws(() => tokens.verifyAccessToken(forged), Unauthenticated, forged.slice(0, 40))
    }
  })

  test('shared-secret mode signs HS256 and publishes no keys', async () => {
    const tokens = await Tokens.create({ ...options, secret: 'a'.repeat(32) }, openStore().signingKeys)
    const now = Date.now()
    const { token } = await tokens.issueAccessToken(subject, 's1', now + 60_000, now)
    assert.equal(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).alg, 'HS256')
    assert.equal(tokens.verifyAccessToken(token).username, 'alice')
    assert.deepEqual(tokens.jwks(), { keys: [] })
  })
})

describe('refresh tokens', () => {
  test('are 256 random bits, never equal, stored only as a hash', () => {
    const a = newRefreshToken()
    const b = newRefreshToken()
    assert.equal(Buffer.from(a, 'base64url').length, 32)
    assert.notEqual(a, b)
    assert.notEqual(hashRefreshToken(a), a)
    assert.equal(hashRefreshToken(a), hashRefreshToken(a))
  })
})
