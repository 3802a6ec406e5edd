import type { Redis } from 'ioredis'
import { TooManyAttempts } from '../errors.js'
import type { FailureCounter } from './login-throttle.js'

/**
 * The per-account failure limit of LoginThrottle, counted in Redis so that every
 * replica sees the same count: a fixed window that starts at the first failure and
 * always lifts by itself.
 */
export class SharedLoginThrottle implements FailureCounter {
  constructor(
    private readonly redis: Redis,
    private readonly maxFailures: number,
    private readonly windowMs: number,
    /** What is counted, in the key: wrong passwords and wrong second-factor codes have counters apart. */
    private readonly counted = 'login-failures'
  ) {}

  private key(account: string): string {
    return `moneypenny:${this.counted}:${account}`
  }

  /** INCR first and compare after, in one transaction: parallel attempts each see their own count. */
  async attempt(account: string): Promise<void> {
    const key = this.key(account)
    const [[, failures], , [, ttl]] = (await this.redis.multi().incr(key).pexpire(key, this.windowMs, 'NX').pttl(key).exec()) as [
      [unknown, number],
      unknown,
      [unknown, number]
    ]
    if (failures > this.maxFailures) throw new TooManyAttempts(Math.max(1, Math.ceil(ttl / 1000)))
  }

  async recordSuccess(account: string): Promise<void> {
    await this.redis.del(this.key(account))
  }

  close(): void {}
}
