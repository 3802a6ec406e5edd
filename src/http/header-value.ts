import { validateHeaderValue } from './node-http.js'
import type { FastifyReply, FastifyRequest } from 'fastify'

/** Node refuses a header value with characters outside its field-value grammar (RFC 9110 §5.5) by throwing. */
export function isValidHeaderValue(name: string, value: unknown): boolean {
  try {
    for (const item of Array.isArray(value) ? value : [value]) validateHeaderValue(name, String(item))
    return true
  } catch {
    return false
  }
}

/**
 * A URL for a `Location` header: every character outside visible ASCII is percent-encoded as
 * UTF-8 (RFC 3986 §2.1; a lone surrogate becomes U+FFFD's bytes), so no input can make the
 * header invalid. Valid URLs pass unchanged.
 */
export function headerSafeUrl(url: string): string {
  return url.replace(/[^\x21-\x7e]/gu, percentEncoded)
}

/** A character as its UTF-8 bytes, each `%XX` (RFC 3986 §2.1); a lone surrogate becomes U+FFFD's bytes. */
function percentEncoded(character: string): string {
  return [...Buffer.from(character, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('')
}

/** What headerSafeText encodes: `%`, whatever is not printable ASCII, and a space at either end (which parsers trim). */
const UNSAFE_IN_TEXT = /%|[^\x20-\x7e]|^ | $/gu

/**
 * A text (a name, an address) as a header value that can always be sent and read back:
 * printable ASCII and inner spaces stay as they are; `%`, every other character and a space at
 * either end are percent-encoded as UTF-8, so `decodeURIComponent` gives the text back.
 */
export function headerSafeText(text: string): string {
  return text.replace(UNSAFE_IN_TEXT, percentEncoded)
}

/**
 * onSend hook of the pages: a header value Node would refuse is dropped and the answer becomes
 * a 500, before @fastify/session's save callback writes the head (where Node's throw would be
 * an uncaught exception). Values are validated where they are set; this is the net under them.
 */
export async function refuseInvalidHeaders(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  const invalid = Object.entries(reply.getHeaders()).filter(([name, value]) => !isValidHeaderValue(name, value))
  if (invalid.length === 0) return payload
  for (const [name] of invalid) reply.removeHeader(name)
  request.log.error({ headers: invalid.map(([name]) => name) }, 'a response header had characters HTTP does not allow')
  reply.code(500).type('application/json; charset=utf-8')
  return JSON.stringify({ statusCode: 500, error: 'Internal Server Error', message: 'Internal Server Error' })
}
