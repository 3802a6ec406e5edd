import { randomUUID } from 'node:crypto'
import type { RenderedMail } from '../../pages/mail.js'
import type { OutboxMessage, OutboxRepository } from '../../store/port.js'
import { mails } from '../metrics.js'

/** Hands one message to the SMTP server; rejects when it was not accepted. */
export type MailTransport = (message: Pick<OutboxMessage, 'to' | 'subject' | 'text' | 'html'>) => Promise<void>

export interface MailWorkerOptions {
  /** How often the worker looks for due mail when nothing woke it (mail queued by other replicas, retries). */
  pollIntervalMs: number
  /** How long a claimed message is this worker's: longer than one SMTP attempt may take (its timeouts). */
  leaseMs: number
  /** Attempts before a message is given up. */
  maxAttempts: number
  /** The wait after the first failure; it doubles with each further failure, up to maxDelayMs. */
  firstRetryDelayMs: number
  maxRetryDelayMs: number
}

export const DEFAULT_WORKER_OPTIONS: MailWorkerOptions = {
  pollIntervalMs: 2000,
  leaseMs: 60_000,
  maxAttempts: 10,
  firstRetryDelayMs: 5000,
  maxRetryDelayMs: 30 * 60_000
}

/** Messages claimed per round: a few, so one slow server does not hold many leases. */
const CLAIM_BATCH = 5

/** The wait before attempt `attempts + 1` (attempts already failed): doubled each time, capped, with ±20 % jitter so replicas spread out. */
export function retryDelay(attempts: number, options: Pick<MailWorkerOptions, 'firstRetryDelayMs' | 'maxRetryDelayMs'>, random = Math.random): number {
  const base = Math.min(options.firstRetryDelayMs * 2 ** Math.max(0, attempts - 1), options.maxRetryDelayMs)
  return Math.round(base * (0.8 + 0.4 * random()))
}

/** What an SMTP failure says, short and on one line, for the outbox and the log (never the message itself). */
function failureReason(error: unknown): string {
  const text = error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error)
  return text.replace(/\s+/g, ' ').slice(0, 300)
}

interface WorkerLog {
  info(fields: object, message: string): void
  warn(fields: object, message: string): void
}

/**
 * The outbox: requests queue rendered mail in the store and return at once; a worker in every
 * replica sends it. A message is claimed with a lease in one atomic store operation, so with
 * several replicas each message goes to one worker at a time; a worker that dies leaves its
 * lease to run out and the message to the next. Failed attempts are retried with exponential
 * backoff until maxAttempts. A crash between the SMTP server's acceptance and markSent would
 * send that one message again after the lease: at least once, never silently lost.
 */
export class Outbox {
  private readonly workerId = randomUUID()
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private again = false
  private stopped = true

  constructor(
    private readonly store: OutboxRepository,
    private readonly transport: MailTransport,
    private readonly log: WorkerLog,
    private readonly options: MailWorkerOptions = DEFAULT_WORKER_OPTIONS,
    private readonly now: () => number = Date.now
  ) {}

  /** Queues a message and wakes this replica's worker; resolves once the store holds it. */
  async enqueue(mail: RenderedMail): Promise<string> {
    const id = randomUUID()
    const at = this.now()
    await this.store.enqueue({ id, ...mail, status: 'queued', attempts: 0, nextAttemptAt: at, claimedBy: null, leaseUntil: null, lastError: null, createdAt: at, finishedAt: null })
    mails.inc({ outcome: 'queued' })
    this.wake()
    return id
  }

  start(): void {
    this.stopped = false
    this.wake()
  }

  /** Stops polling and waits for the round in progress; messages it did not reach stay queued for the next start. */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    await this.running
  }

  /** Runs a round now, or right after the one in progress. */
  wake(): void {
    if (this.stopped) return
    if (this.running) {
      this.again = true
      return
    }
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.running = this.drain()
      .catch((error: unknown) => this.log.warn({ err: error }, 'mail outbox: the store is out of reach; retrying'))
      .finally(() => {
        this.running = null
        if (this.stopped) return
        if (this.again) {
          this.again = false
          this.wake()
          return
        }
        this.timer = setTimeout(() => this.wake(), this.options.pollIntervalMs)
        this.timer.unref()
      })
  }

  /** Claims and sends due mail until none is left. */
  private async drain(): Promise<void> {
    while (!this.stopped) {
      const now = this.now()
      const batch = await this.store.claim(this.workerId, now, now + this.options.leaseMs, CLAIM_BATCH)
      if (batch.length === 0) return
      for (const message of batch) await this.attempt(message)
    }
  }

  private async attempt(message: OutboxMessage): Promise<void> {
    try {
      await this.transport(message)
    } catch (error) {
      const attempts = message.attempts + 1
      const finalAttempt = attempts >= this.options.maxAttempts
      const retryAt = finalAttempt ? null : this.now() + retryDelay(attempts, this.options)
      const reason = failureReason(error)
      await this.store.markFailed(message.id, this.workerId, this.now(), reason, retryAt)
      mails.inc({ outcome: finalAttempt ? 'failed' : 'retried' })
      this.log.warn({ mailId: message.id, attempts, reason, retryAt }, finalAttempt ? 'mail given up' : 'mail attempt failed; will retry')
      return
    }
    await this.store.markSent(message.id, this.workerId, this.now())
    mails.inc({ outcome: 'sent' })
    this.log.info({ mailId: message.id, attempts: message.attempts + 1 }, 'mail sent')
  }
}
