import { createHmac, createPrivateKey, createSecretKey, sign, type KeyObject } from 'node:crypto'
import type { SigningAlgorithm } from './signing-keys.js'

/** Signs one payload as a compact JWS under a header fixed when the signer was made. */
export type SignJwt = (payload: object) => Promise<string>

type Signature = (input: Buffer) => Promise<Buffer>

/** The key type each asymmetric algorithm needs, checked once when the key is loaded. */
const KEY_TYPE: Record<SigningAlgorithm, string> = { RS256: 'rsa', ES256: 'ec' }

/**
 * The asymmetric signature on libuv's thread pool: crypto.sign with a callback runs there, so
 * an RS256 signature (0.3-0.4 ms) never holds the event loop that answers token checks.
 * ES256 signatures are R || S (RFC 7518 §3.4), not DER.
 */
function signatureOnPool(key: KeyObject, algorithm: SigningAlgorithm): Signature {
  if (key.asymmetricKeyType !== KEY_TYPE[algorithm]) throw new Error(`a ${algorithm} signing key must be an ${KEY_TYPE[algorithm].toUpperCase()} key`)
  const signingKey = algorithm === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' as const } : key
  return (input) =>
    new Promise((resolve, reject) => {
      sign('sha256', input, signingKey, (error, signature) => (error ? reject(error) : resolve(signature)))
    })
}

/**
 * HS256 stays on the event loop: an HMAC of a token costs a few µs, less than handing it to
 * the pool and back.
 */
function hmacSignature(secret: KeyObject): Signature {
  return (input) => Promise.resolve(createHmac('sha256', secret).update(input).digest())
}

/**
 * Makes signers for one key: the key object is made here, once, never per token. Each signer
 * has its header encoded once, with the members fast-jwt wrote, in its order (alg, typ, kid),
 * so tokens keep their exact shape; the payload is signed as given (RFC 7515 §7.1).
 */
export function jwtSigners(key: string, algorithm: SigningAlgorithm | 'HS256', kid?: string): (typ: string) => SignJwt {
  const signature = algorithm === 'HS256' ? hmacSignature(createSecretKey(Buffer.from(key, 'utf8'))) : signatureOnPool(createPrivateKey(key), algorithm)
  return (typ) => {
    const encodedHeader = Buffer.from(JSON.stringify({ alg: algorithm, typ, ...(kid === undefined ? {} : { kid }) })).toString('base64url')
    return async (payload) => {
      const input = `${encodedHeader}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`
      return `${input}.${(await signature(Buffer.from(input))).toString('base64url')}`
    }
  }
}
