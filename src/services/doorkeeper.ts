/** How many characters of the end of a text make its fingerprint: part of a JWT's signature. */
const FINGERPRINT_CHARS = 24

/**
 * FNV-1a (32 bits) over the last FINGERPRINT_CHARS characters, cut to 30 bits so that V8 keeps it
 * as a small integer inside the set, not as a heap number per entry.
 */
function fingerprint(text: string): number {
  let hash = 0x811c9dc5
  for (let i = Math.max(0, text.length - FINGERPRINT_CHARS); i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193)
  return hash & 0x3fffffff
}

/**
 * TinyLFU's doorkeeper (Einziger, Friedman and Manes, 2017, §3.4.2): a cache admits a text on its
 * second offer, not its first, so a stream of texts each seen once does not churn the cache. It keeps
 * fingerprints, not the texts; a collision only admits a text one offer early. Forgets everything
 * when `limit` fingerprints are held, as TinyLFU's reset does.
 */
export class Doorkeeper {
  private readonly seen = new Set<number>()

  constructor(private readonly limit: number) {}

  /** Whether `text` was offered since the last reset; if not, it is recorded. */
  admits(text: string): boolean {
    const print = fingerprint(text)
    if (this.seen.delete(print)) return true
    if (this.seen.size >= this.limit) this.seen.clear()
    this.seen.add(print)
    return false
  }
}
