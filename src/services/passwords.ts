import { createHmac, randomBytes } from 'node:crypto'
import { availableParallelism } from 'node:os'
import bcrypt from 'bcrypt'
import { InvalidInput } from '../errors.js'
import { ConcurrencyLimit } from './concurrency-limit.js'
import type { PasswordScheme } from '../store/port.js'

/**
 * bcrypt reads only the first 72 bytes of its input, so two long passwords that share
 * a 72-byte prefix would collide. Every password is first reduced to HMAC-SHA-256
 * (a fixed, public key: domain separation, not a pepper), base64: 44 bytes, no NUL.
 */
const PREHASH_KEY = 'moneypenny/password-prehash/v1'
export const CURRENT_SCHEME: PasswordScheme = 'bcrypt-hmac-sha256'

function prehash(password: string): string {
  return createHmac('sha256', PREHASH_KEY).update(password.normalize('NFKC'), 'utf8').digest('base64')
}

/**
 * bcrypt runs on libuv's thread pool, which is first come first served: a burst of logins
 * would queue every token signature (also on the pool) behind seconds of bcrypt. One bcrypt
 * per core is its full speed, so no more run at once in this process; the pool has more
 * threads than that (server.ts), and those stay free for signatures.
 */
const bcryptAtOnce = new ConcurrencyLimit(availableParallelism())

/** A bcrypt hash in the modular crypt format that lummox and rdata stored. */
export const BCRYPT_HASH_PATTERN = '^\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}$'

const bcryptHash = new RegExp(BCRYPT_HASH_PATTERN)

/**
 * Checks an imported hash (the API's schema does too; imports from other paths need it
 * here). `$2y$` (PHP's name) is the same algorithm as `$2b$`, which is the one node's bcrypt reads.
 */
export function normaliseImportedHash(hash: string): string {
  if (!bcryptHash.test(hash)) throw new InvalidInput('passwordHash must be a bcrypt hash ($2a$, $2b$ or $2y$)')
  return hash.startsWith('$2y$') ? `$2b$${hash.slice(4)}` : hash
}

export function bcryptCost(hash: string): number {
  return Number(hash.slice(4, 6))
}

export class Passwords {
  /** Compared against when the user does not exist, so both cases cost one bcrypt compare. */
  private readonly dummyHash: Promise<string>

  constructor(private readonly cost: number) {
    this.dummyHash = bcryptAtOnce.run(() => bcrypt.hash(prehash(randomBytes(16).toString('hex')), cost))
  }

  hash(password: string): Promise<string> {
    return bcryptAtOnce.run(() => bcrypt.hash(prehash(password), this.cost))
  }

  /**
   * Legacy hashes (scheme `bcrypt`) were made from the raw password. A user without a
   * password (scheme `none`) costs the same compare as anyone else and never verifies.
   */
  verify(password: string, hash: string, scheme: PasswordScheme): Promise<boolean> {
    if (scheme === 'none') return this.verifyAgainstNothing(password)
    return bcryptAtOnce.run(() => bcrypt.compare(scheme === CURRENT_SCHEME ? prehash(password) : password, hash))
  }

  /** Spends the time of a real compare and always fails. */
  async verifyAgainstNothing(password: string): Promise<false> {
    const dummyHash = await this.dummyHash
    await bcryptAtOnce.run(() => bcrypt.compare(prehash(password), dummyHash))
    return false
  }

  /** True when a verified hash should be replaced: an old scheme or another cost. */
  needsRehash(hash: string, scheme: PasswordScheme): boolean {
    return scheme !== CURRENT_SCHEME || bcryptCost(hash) !== this.cost
  }
}
