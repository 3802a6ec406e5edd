import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

/**
 * An authorization request held while its person signs in (and comes back): the request's
 * parameters as a query string, and when it was held. A sign-in at or after `heldAt` was made
 * for this request, which satisfies prompt=login and max_age.
 */
export interface PendingAuthorization {
  id: string
  query: string
  heldAt: number
  expiresAt: number
}

/** How long a held request keeps: long enough to sign in, short enough not to linger. */
export const PENDING_AUTHORIZATION_TTL_MS = 10 * 60_000

/**
 * The longest `name=value` of a cookie we set: browsers keep cookies up to 4096 bytes of name,
 * value and attributes (RFC 6265 §6.1 asks at least that much of them), and drop larger ones whole.
 */
export const MAX_PENDING_COOKIE_LENGTH = 3800

const ID = /^[A-Za-z0-9_-]{22}$/
const IV_BYTES = 12
const TAG_BYTES = 16
const VERSION = 'v1'

/** The path a held request is resumed at, and the `returnTo` of its sign-in page. */
export function resumePath(id: string): string {
  return `/oauth2/authorization?resume=${id}`
}

export function isPendingId(value: unknown): value is string {
  return typeof value === 'string' && ID.test(value)
}

/** The id of the held request a `returnTo` resumes, when it is exactly a resume path; else null. */
export function resumeIdOf(returnTo: string | null | undefined): string | null {
  const prefix = '/oauth2/authorization?resume='
  if (!returnTo?.startsWith(prefix)) return null
  const id = returnTo.slice(prefix.length)
  return isPendingId(id) ? id : null
}

/**
 * Seals held authorization requests for a cookie, so that someone not signed in costs the
 * store nothing: AES-256-GCM under a key derived (HKDF-SHA256) from the browser-session
 * secret. The request's id is authenticated with it (a sealed value moved under another id
 * does not open), and so is its expiry (an old value brought back does not open either).
 */
export class PendingAuthorizationSeal {
  private readonly key: Buffer

  constructor(
    secret: string,
    readonly ttlMs = PENDING_AUTHORIZATION_TTL_MS,
    /** What the sealed values are for: each purpose has a key of its own, so a value sealed for one never opens as another. */
    purpose = 'moneypenny pending authorization request'
  ) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'moneypenny', purpose, 32))
  }

  /** A new random id (128 bits, base64url). */
  static newId(): string {
    return randomBytes(16).toString('base64url')
  }

  seal(id: string, query: string, heldAt: number, now = Date.now()): string {
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv)
    cipher.setAAD(Buffer.from(`${VERSION}\n${id}`))
    const plaintext = JSON.stringify({ q: query, h: heldAt, e: now + this.ttlMs })
    const sealed = Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()])
    return sealed.toString('base64url')
  }

  /** The request sealed under `id`; null when the value is not one we sealed for that id, or has expired. */
  open(id: string, sealed: string, now = Date.now()): PendingAuthorization | null {
    if (!isPendingId(id) || !/^[A-Za-z0-9_-]+$/.test(sealed) || sealed.length > MAX_PENDING_COOKIE_LENGTH) return null
    const bytes = Buffer.from(sealed, 'base64url')
    if (bytes.length <= IV_BYTES + TAG_BYTES) return null
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES })
      decipher.setAAD(Buffer.from(`${VERSION}\n${id}`))
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES))
      const plaintext = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8')
      const { q, h, e } = JSON.parse(plaintext) as { q?: unknown; h?: unknown; e?: unknown }
      if (typeof q !== 'string' || typeof h !== 'number' || typeof e !== 'number' || e <= now) return null
      return { id, query: q, heldAt: h, expiresAt: e }
    } catch {
      // A wrong tag (tampered, another key, another id) throws in final().
      return null
    }
  }
}
