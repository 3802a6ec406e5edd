import { createHash, randomBytes } from 'node:crypto'

/** The token of a mailed link: 256 random bits, base64url (43 characters). */
export const LINK_TOKEN = /^[A-Za-z0-9_-]{43}$/

export function newLinkToken(): string {
  return randomBytes(32).toString('base64url')
}

/** What the store keeps of a token: its SHA-256, base64url. */
export function linkTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url')
}
