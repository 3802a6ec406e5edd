import type { RevokedSession, SessionRepository } from '../../store/port.js'
import { backchannelLogouts } from '../metrics.js'
import { securityEvent } from '../security-log.js'
import type { Tokens } from '../tokens.js'
import type { OAuthClients } from './clients.js'

/** A logout the client has to hear of: who, which of its sessions, and where. */
export interface LogoutNotice {
  clientId: string
  uri: string
  sub: string
  sid: string
}

export interface BackchannelOptions {
  /** Waits before each retry; the first attempt goes at once. */
  retryDelaysMs: readonly number[]
  /** How long one delivery may take before it counts as failed. */
  timeoutMs: number
}

export const BACKCHANNEL_DEFAULTS: BackchannelOptions = { retryDelaysMs: [2_000, 10_000, 60_000, 300_000], timeoutMs: 5_000 }

/**
 * OIDC Back-Channel Logout 1.0: when a session granted to a client that registered a
 * `backchannel_logout_uri` ends (sign-out, an admin, a new password, reuse detected), a
 * logout token is posted to it. Delivery runs beside the request that ended the session,
 * never in its way, and is retried with growing waits; undelivered notices are lost on
 * restart (the client's tokens are revoked all the same, which is what protects it).
 */
export class BackchannelLogout {
  private readonly pending = new Set<Promise<void>>()
  private readonly timers = new Set<NodeJS.Timeout>()
  private closed = false

  constructor(
    private readonly sessions: SessionRepository,
    private readonly clients: OAuthClients,
    private readonly tokens: Tokens,
    private readonly options: BackchannelOptions = BACKCHANNEL_DEFAULTS
  ) {}

  /** Sessions ended: each granted to a client with a back-channel URI is told so. Never throws. */
  sessionsEnded(ended: RevokedSession[]): void {
    this.track(this.noticesFor(ended).then((notices) => notices.forEach((notice) => this.deliver(notice, 0))))
  }

  /** Tells a client of a logout without ending its session (an offline_access grant, §2.7). */
  notify(notice: LogoutNotice): void {
    this.deliver(notice, 0)
  }

  /** Waits for deliveries under way (tests, shutdown); retries not yet due are dropped. */
  async close(): Promise<void> {
    this.closed = true
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    while (this.pending.size) await Promise.all(this.pending)
  }

  async noticeFor(clientId: string, sub: string, sid: string): Promise<LogoutNotice | null> {
    const client = await this.clients.find(clientId)
    return client?.backchannelLogoutUri ? { clientId, uri: client.backchannelLogoutUri, sub, sid } : null
  }

  private async noticesFor(ended: RevokedSession[]): Promise<LogoutNotice[]> {
    const notices: LogoutNotice[] = []
    for (const { id } of ended) {
      const session = await this.sessions.findById(id)
      if (session?.kind !== 'oauth2' || session.clientId === null) continue
      const notice = await this.noticeFor(session.clientId, session.userId, session.id)
      if (notice) notices.push(notice)
    }
    return notices
  }

  private deliver(notice: LogoutNotice, attempt: number): void {
    if (this.closed) return
    this.track(
      this.post(notice).then((delivered) => {
        if (delivered) return backchannelLogouts.inc({ outcome: 'delivered' })
        const wait = this.options.retryDelaysMs[attempt]
        if (wait === undefined || this.closed) {
          backchannelLogouts.inc({ outcome: 'failed' })
          securityEvent('warn', 'backchannel_logout_failed', { clientId: notice.clientId, sessionId: notice.sid, attempts: attempt + 1 })
          return
        }
        backchannelLogouts.inc({ outcome: 'retried' })
        const timer = setTimeout(() => {
          this.timers.delete(timer)
          this.deliver(notice, attempt + 1)
        }, wait)
        timer.unref()
        this.timers.add(timer)
      })
    )
  }

  /** §2.5: a form post of `logout_token`; 200 (or any 2xx) means done; §2.8: anything else may be retried. */
  private async post(notice: LogoutNotice): Promise<boolean> {
    try {
      const response = await fetch(notice.uri, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ logout_token: await this.tokens.issueLogoutToken(notice.clientId, notice.sub, notice.sid, Date.now()) }),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs)
      })
      await response.body?.cancel()
      return response.ok
    } catch {
      return false
    }
  }

  private track(work: Promise<unknown>): void {
    const settled: Promise<void> = work.then(
      () => undefined,
      () => undefined
    )
    this.pending.add(settled)
    void settled.then(() => this.pending.delete(settled))
  }
}
