import { createHash, createPublicKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto'
import type { SigningKeyRecord, SigningKeyRepository } from '../store/port.js'

export const SIGNING_ALG = 'ES256'

export interface PublicJwk {
  kty: string
  crv: string
  x: string
  y: string
  kid: string
  alg: string
  use: 'sig'
}

/** RFC 7638 thumbprint: SHA-256 of the required members in lexicographic order. */
function thumbprint(jwk: JsonWebKey): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })
  return createHash('sha256').update(canonical).digest('base64url')
}

export function newSigningKey(now: number): SigningKeyRecord {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  return {
    kid: thumbprint(publicKey.export({ format: 'jwk' })),
    alg: SIGNING_ALG,
    privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKey: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    createdAt: now,
    retiredAt: null,
    verifyUntil: null
  }
}

export function publicJwk(key: SigningKeyRecord): PublicJwk {
  const { kty, crv, x, y } = createPublicKey(key.publicKey).export({ format: 'jwk' })
  return { kty: kty!, crv: crv!, x: x!, y: y!, kid: key.kid, alg: key.alg, use: 'sig' }
}

/** Keys that may still verify at `now`: the active ones and retired ones within their grace. */
export function verifiableKeys(keys: SigningKeyRecord[], now: number): SigningKeyRecord[] {
  return keys.filter((key) => key.verifyUntil === null || key.verifyUntil > now)
}

/**
 * The key that signs: the oldest active key, so replicas that raced to create the
 * first key still agree on one. Creates and stores a key when none is active.
 */
export async function loadSigningKeys(
  repository: SigningKeyRepository,
  now: number
): Promise<{ signing: SigningKeyRecord; all: SigningKeyRecord[] }> {
  let keys = await repository.list()
  if (!keys.some((key) => key.retiredAt === null)) {
    await repository.insert(newSigningKey(now))
    keys = await repository.list()
  }
  const signing = keys.find((key) => key.retiredAt === null)!
  return { signing, all: verifiableKeys(keys, now) }
}
