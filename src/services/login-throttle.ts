import { TooManyAttempts } from '../errors.js'

/** Failed password checks per account; in memory (one replica) or in Redis (shared). */
export interface FailureCounter {
  /**
   * Counts an attempt as a failure before its password is checked, in one step, so that
   * parallel guesses cannot all pass a check made before any of them was counted.
   * Throws TooManyAttempts when the account has used up its failures.
   */
  attempt(account: string): void | Promise<void>
  /** The password was right: the account's failures, this attempt's included, are forgotten. */
  recordSuccess(account: string): void | Promise<void>
  close(): void
}

interface Window {
  failures: number
  resetAt: number
}

/**
 * Counts failed password checks per account (the normalised login name, whether or
 * not such a user exists, so the limit itself reveals nothing). Past the limit the
 * account answers 429 until its window ends: a lock that always lifts by itself, so
 * an attacker can delay a user for at most one window at a time but never lock them out
 * for good. Per-address limits are @fastify/rate-limit's job.
 */
export class LoginThrottle implements FailureCounter {
  private readonly windows = new Map<string, Window>()
  private readonly sweeper: NodeJS.Timeout

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now
  ) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(windowMs, 60_000))
    this.sweeper.unref()
  }

  attempt(account: string): void {
    const window = this.current(account)
    if (!window) {
      this.windows.set(account, { failures: 1, resetAt: this.now() + this.windowMs })
      return
    }
    if (window.failures >= this.maxFailures) {
      throw new TooManyAttempts(Math.max(1, Math.ceil((window.resetAt - this.now()) / 1000)))
    }
    window.failures += 1
  }

  recordSuccess(account: string): void {
    this.windows.delete(account)
  }

  close(): void {
    clearInterval(this.sweeper)
  }

  private current(account: string): Window | undefined {
    const window = this.windows.get(account)
    if (window && window.resetAt <= this.now()) {
      this.windows.delete(account)
      return undefined
    }
    return window
  }

  private sweep(): void {
    const now = this.now()
    for (const [account, window] of this.windows) if (window.resetAt <= now) this.windows.delete(account)
  }
}
