import { createHash, createPublicKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto'
import type { SigningKeyRecord, SigningKeyRepository } from '../store/port.js'

/**
 * The asymmetric algorithms a signing key can have (JWT_ALGORITHM). RS256 is the default:
 * token checks verify far more often than sign-ins sign, and an RSA signature verifies in
 * about a third of the time of an ES256 one in Node (OpenSSL 3), while signing costs more.
 */
export const SIGNING_ALGORITHMS = ['RS256', 'ES256'] as const
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number]

interface JwkCommon {
  kid: string
  alg: string
  use: 'sig'
}

type PublicKeyMembers = { kty: 'RSA'; n: string; e: string } | { kty: 'EC'; crv: string; x: string; y: string }

export type PublicJwk = JwkCommon & PublicKeyMembers

/** The public members of a key, in the lexicographic order RFC 7638 hashes them in. */
function publicMembers(jwk: JsonWebKey): PublicKeyMembers {
  return jwk.kty === 'RSA' ? { e: jwk.e!, kty: 'RSA', n: jwk.n! } : { crv: jwk.crv!, kty: 'EC', x: jwk.x!, y: jwk.y! }
}

/** RFC 7638 thumbprint: SHA-256 of the required members in lexicographic order. */
function thumbprint(jwk: JsonWebKey): string {
  return createHash('sha256').update(JSON.stringify(publicMembers(jwk))).digest('base64url')
}

export function newSigningKey(now: number, algorithm: SigningAlgorithm): SigningKeyRecord {
  const { privateKey, publicKey } =
    algorithm === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' })
  return {
    kid: thumbprint(publicKey.export({ format: 'jwk' })),
    alg: algorithm,
    privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKey: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    createdAt: now,
    retiredAt: null,
    verifyUntil: null
  }
}

export function publicJwk(key: SigningKeyRecord): PublicJwk {
  return { ...publicMembers(createPublicKey(key.publicKey).export({ format: 'jwk' })), kid: key.kid, alg: key.alg, use: 'sig' }
}

/** Keys that may still verify at `now`: current, upcoming, and retired ones within their grace. */
export function verifiableKeys(keys: SigningKeyRecord[], now: number): SigningKeyRecord[] {
  return keys.filter((key) => key.verifyUntil === null || key.verifyUntil > now)
}

/**
 * The key that signs at `now`: the newest key already in force (`createdAt` reached,
 * not yet retired). A rotation stores the next key with a `createdAt` a little in the
 * future and retires the current one at that same moment, so every replica has read
 * (and publishes) the next key before any token is signed with it, and all switch at once.
 */
export function signingKeyAt(keys: SigningKeyRecord[], now: number): SigningKeyRecord | undefined {
  return keys.filter((key) => key.createdAt <= now && (key.retiredAt === null || key.retiredAt > now)).sort(newestFirst)[0]
}

/**
 * Newest first; keys made in the same millisecond by `kid`'s code units, the same order on every
 * replica whatever its locale (localeCompare would also load ICU's collation data, megabytes of RSS).
 */
function newestFirst(a: SigningKeyRecord, b: SigningKeyRecord): number {
  return b.createdAt - a.createdAt || (a.kid < b.kid ? -1 : a.kid > b.kid ? 1 : 0)
}

/** Reads the keys; creates and stores the first one (with `algorithm`) when none signs. */
export async function loadSigningKeys(
  repository: SigningKeyRepository,
  now: number,
  algorithm: SigningAlgorithm
): Promise<{ signing: SigningKeyRecord; all: SigningKeyRecord[] }> {
  let keys = await repository.list()
  if (!signingKeyAt(keys, now)) {
    await repository.insert(newSigningKey(now, algorithm))
    keys = await repository.list()
  }
  return { signing: signingKeyAt(keys, now)!, all: verifiableKeys(keys, now) }
}

/** A key as an admin sees it: when it was made and what it does now. */
export interface SigningKeyStatus {
  kid: string
  alg: string
  createdAt: number
  /** `next`: published, signs from createdAt; `signing`: signs now; `retired`: verifies until verifyUntil. */
  state: 'next' | 'signing' | 'retired'
  verifyUntil: number | null
}

/** The keys that still verify at `now`, newest first, each with its state. */
export function signingKeyStatuses(keys: SigningKeyRecord[], now: number): SigningKeyStatus[] {
  const signing = signingKeyAt(keys, now)
  return verifiableKeys(keys, now)
    .sort(newestFirst)
    .map((key) => ({
      kid: key.kid,
      alg: key.alg,
      createdAt: key.createdAt,
      state: key.kid === signing?.kid ? 'signing' : key.createdAt > now ? 'next' : 'retired',
      verifyUntil: key.verifyUntil
    }))
}
