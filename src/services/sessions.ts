import { randomUUID } from 'node:crypto'
import { AppError, Unauthenticated } from '../errors.js'
import type { SessionRecord, Store } from '../store/port.js'
import { hashRefreshToken, newRefreshToken, type AccessClaims } from './tokens.js'

/** A sliding session whose idle timeout has passed: the seed answered 403. */
export class SessionExpired extends AppError {
  constructor() {
    super(403, 'Forbidden', 'Session expired, sign in again')
  }
}

export interface SessionOptions {
  refreshTokenTtlMs: number
  loginIdleTtlMs: number
  loginMaxTtlMs: number
  /** How often sync() runs: idle extensions written back, other replicas' revocations read. */
  syncIntervalMs: number
}

interface SlidingState {
  idleExpiresAt: number
  dirty: boolean
}

/**
 * Sessions (token families) and the two in-memory maps that keep token checks off
 * the store: the revoked session ids, and the idle expiry of sliding sessions.
 */
export class Sessions {
  private readonly revoked = new Map<string, number>()
  private readonly sliding = new Map<string, SlidingState>()
  private lastRevocationSync = 0

  constructor(
    private readonly store: Store,
    private readonly options: SessionOptions,
    private readonly now: () => number = Date.now
  ) {}

  /** Loads the revoked set; call once at start, then sync() every syncIntervalMs. */
  async start(): Promise<void> {
    await this.syncRevocations()
  }

  /** Writes back what is still in memory; call at shutdown. */
  async stop(): Promise<void> {
    await this.flushIdle()
  }

  /** A session that hands out a refresh token (rdata, lummox); the token is returned once. */
  async startRefreshSession(userId: string): Promise<{ session: SessionRecord; refreshToken: string }> {
    const now = this.now()
    const session = await this.insert(userId, 'token', now + this.options.refreshTokenTtlMs, null)
    const refreshToken = newRefreshToken()
    await this.store.refreshTokens.insert({
      hash: hashRefreshToken(refreshToken),
      sessionId: session.id,
      createdAt: now,
      expiresAt: session.expiresAt,
      rotatedAt: null
    })
    return { session, refreshToken }
  }

  /** The seed /login session: an idle timeout that each /authorise pushes forward, and an absolute end. */
  async startSlidingSession(userId: string): Promise<SessionRecord> {
    const now = this.now()
    const session = await this.insert(userId, 'login', now + this.options.loginMaxTtlMs, now + this.options.loginIdleTtlMs)
    this.sliding.set(session.id, { idleExpiresAt: session.idleExpiresAt!, dirty: false })
    return session
  }

  get loginIdleSeconds(): number {
    return Math.floor(this.options.loginIdleTtlMs / 1000)
  }

  /** The live session a refresh token belongs to; Unauthenticated for anything else. */
  async sessionOfRefreshToken(refreshToken: string): Promise<SessionRecord> {
    const record = await this.store.refreshTokens.findByHash(hashRefreshToken(refreshToken))
    const now = this.now()
    if (!record || record.expiresAt <= now || record.rotatedAt !== null) throw new Unauthenticated('Invalid refresh token')
    const session = await this.store.sessions.findById(record.sessionId)
    if (!session || session.revokedAt !== null || session.expiresAt <= now) throw new Unauthenticated('Invalid refresh token')
    return session
  }

  async revoke(sessionId: string): Promise<void> {
    const session = await this.store.sessions.findById(sessionId)
    await this.store.sessions.revoke(sessionId, this.now())
    if (session) this.markRevoked(session.id, session.expiresAt)
  }

  /** Ends every session of a user (disabled, deleted, new password, username, scope, role or organisation). */
  async revokeUser(userId: string): Promise<void> {
    for (const session of await this.store.sessions.revokeByUser(userId, this.now())) {
      this.markRevoked(session.id, session.expiresAt)
    }
  }

  /** The hot-path check: a map lookup, no store read. */
  isRevoked(sessionId: string): boolean {
    return this.revoked.has(sessionId)
  }

  /**
   * For a sliding-session token: throws SessionExpired once the idle time has passed,
   * otherwise pushes the idle expiry forward and returns it (capped at the token's exp).
   * Reads the store only for a session this replica has not seen and that may have
   * been extended elsewhere; extensions are written back in batches.
   */
  slide(claims: AccessClaims): number | Promise<number> {
    const now = this.now()
    const idleMs = (claims.idle ?? 0) * 1000
    const state = this.sliding.get(claims.sid)
    if (state) return this.extend(state, now, idleMs, claims.exp * 1000)
    if (claims.iat * 1000 + idleMs > now) {
      // Still inside its first idle window: alive whatever other replicas did.
      const fresh = { idleExpiresAt: claims.iat * 1000 + idleMs, dirty: false }
      this.sliding.set(claims.sid, fresh)
      return this.extend(fresh, now, idleMs, claims.exp * 1000)
    }
    return this.store.sessions.findById(claims.sid).then((session) => {
      if (!session || session.revokedAt !== null) throw new Unauthenticated('Invalid token')
      const loaded = { idleExpiresAt: session.idleExpiresAt ?? session.expiresAt, dirty: false }
      this.sliding.set(claims.sid, loaded)
      return this.extend(loaded, now, idleMs, claims.exp * 1000)
    })
  }

  private extend(state: SlidingState, now: number, idleMs: number, expiresAt: number): number {
    if (state.idleExpiresAt <= now) throw new SessionExpired()
    const next = Math.min(now + idleMs, expiresAt)
    if (next > state.idleExpiresAt) {
      state.idleExpiresAt = next
      state.dirty = true
    }
    return state.idleExpiresAt
  }

  private async insert(userId: string, kind: string, expiresAt: number, idleExpiresAt: number | null) {
    const session: SessionRecord = {
      id: randomUUID(),
      userId,
      kind,
      createdAt: this.now(),
      expiresAt,
      idleExpiresAt,
      revokedAt: null
    }
    await this.store.sessions.insert(session)
    return session
  }

  private markRevoked(sessionId: string, expiresAt: number): void {
    this.revoked.set(sessionId, expiresAt)
    this.sliding.delete(sessionId)
  }

  /** Writes idle extensions back, reads revocations made elsewhere, forgets what has expired. */
  async sync(): Promise<void> {
    await this.flushIdle()
    await this.syncRevocations()
    const now = this.now()
    for (const [id, expiresAt] of this.revoked) if (expiresAt <= now) this.revoked.delete(id)
    for (const [id, state] of this.sliding) if (state.idleExpiresAt <= now && !state.dirty) this.sliding.delete(id)
  }

  /** Picks up revocations made by other replicas (and, at start, all that still matter). */
  private async syncRevocations(): Promise<void> {
    const now = this.now()
    // Overlap the window a little so a revocation committed during the last read is not missed.
    const since = Math.max(0, this.lastRevocationSync - this.options.syncIntervalMs)
    for (const session of await this.store.sessions.listRevoked(since, now)) this.markRevoked(session.id, session.expiresAt)
    this.lastRevocationSync = now
  }

  private async flushIdle(): Promise<void> {
    for (const [id, state] of this.sliding) {
      if (!state.dirty) continue
      state.dirty = false
      await this.store.sessions.extendIdle(id, state.idleExpiresAt)
    }
  }
}
