import { randomUUID } from 'node:crypto'
import { AppError, NotFound, Unauthenticated } from '../errors.js'
import type { RefreshTokenRecord, RequestedClaims, RevokedSession, SessionRecord, Store } from '../store/port.js'
import { reuseDetections, revocations } from './metrics.js'
import { securityEvent } from './security-log.js'
import { hashRefreshToken, newRefreshToken, type AccessClaims } from './tokens.js'

/** A sliding session whose idle timeout has passed: the seed answered 403. */
export class SessionExpired extends AppError {
  constructor() {
    super(403, 'Forbidden', 'Session expired, sign in again')
  }
}

export interface SessionOptions {
  /** Lifetime of an access token outside sliding sessions. */
  accessTokenTtlMs: number
  refreshTokenTtlMs: number
  /** How long a just-rotated refresh token still yields a successor (parallel workers of one client); 0: never. */
  refreshReuseGraceMs?: number
  loginIdleTtlMs: number
  loginMaxTtlMs: number
  /** How often sync() runs: idle extensions written back, other replicas' revocations read. */
  syncIntervalMs: number
}

/** Room for a token issued by a request that read its session just before the revocation. */
const REVOCATION_MARGIN_MS = 60_000

/**
 * How long an ended session is kept before the sweep deletes it: room for an idle extension
 * that another replica holds in memory and has not written back yet (sync() writes them every
 * syncIntervalMs, a few seconds), so a session still in use is never swept at its stale idle end.
 */
const SWEEP_MARGIN_MS = 60_000

interface SlidingState {
  idleExpiresAt: number
  dirty: boolean
  /** The last /authorise that extended it, kept in memory and written back with the extension. */
  lastUsedAt?: number
}

/**
 * Sessions (token families) and the two in-memory maps that keep token checks off
 * the store: the revoked session ids, and the idle expiry of sliding sessions.
 */
export class Sessions {
  private readonly revoked = new Map<string, number>()
  private readonly sliding = new Map<string, SlidingState>()
  private lastRevocationSync = 0
  private publish: ((revoked: RevokedSession[]) => Promise<void>) | null = null
  private readonly endedListeners: ((ended: RevokedSession[]) => void)[] = []

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
    const session = await this.insert({ userId, kind: 'token', expiresAt: now + this.options.refreshTokenTtlMs })
    return { session, refreshToken: await this.addRefreshToken(session) }
  }

  /**
   * A session granted to an OAuth2 client (`oauth2` for a user, `client` for
   * client_credentials); a refresh token only when asked for.
   */
  async startGrant(
    grant: Pick<SessionRecord, 'userId' | 'clientId' | 'scope' | 'authTime'> & { id?: string; kind: 'oauth2' | 'client'; claims?: RequestedClaims | null; amr?: string[] | null; idp?: string | null; expiresAt?: number },
    withRefreshToken: boolean
  ): Promise<{ session: SessionRecord; refreshToken: string | null }> {
    const session = await this.insert({ ...grant, expiresAt: grant.expiresAt ?? this.now() + this.options.refreshTokenTtlMs })
    return { session, refreshToken: withRefreshToken ? await this.addRefreshToken(session) : null }
  }

  /** A refresh token's record and its session, in whatever state they are; null when unknown. */
  async findRefreshToken(refreshToken: string): Promise<{ token: RefreshTokenRecord; session: SessionRecord } | null> {
    const token = await this.store.refreshTokens.findByHash(hashRefreshToken(refreshToken))
    const session = token && (await this.store.sessions.findById(token.sessionId))
    return token && session ? { token, session } : null
  }

  /**
   * Exchanges a refresh token for its successor in the same family. A token already
   * exchanged (before, or by a parallel request) yields another successor while it is
   * within the reuse grace; past it, it revokes the family: null then.
   */
  async rotateRefreshToken(token: RefreshTokenRecord): Promise<string | null> {
    if (token.rotatedAt !== null) return this.reusedRefreshToken(token)
    const now = this.now()
    const next = newRefreshToken()
    const result = await this.store.refreshTokens.rotate(
      token.hash,
      { hash: hashRefreshToken(next), sessionId: token.sessionId, createdAt: now, expiresAt: token.expiresAt, rotatedAt: null },
      now
    )
    if (result === 'rotated') {
      await this.store.sessions.recordUse(token.sessionId, now)
      return next
    }
    if (result === 'reused') return this.reusedRefreshToken((await this.store.refreshTokens.findByHash(token.hash)) ?? token)
    return null
  }

  /**
   * RFC 9700 §4.14.2 asks that reuse revoke the family. A client whose workers refresh
   * the same token at once would lose its session that way, so for a few seconds after
   * a rotation the old token yields one more successor (Auth0's reuse interval, Okta's
   * grace period); after that, reuse is theft and ends the session.
   */
  isWithinReuseGrace(token: RefreshTokenRecord): boolean {
    return token.rotatedAt !== null && this.now() - token.rotatedAt < (this.options.refreshReuseGraceMs ?? 0)
  }

  /** A refresh token presented again past the grace: theft is assumed, and the family ends. */
  async revokeReusedFamily(token: RefreshTokenRecord, clientId: string | null = null): Promise<void> {
    securityEvent('warn', 'token_reuse_detected', { kind: 'refresh_token', sessionId: token.sessionId, ...(clientId ? { clientId } : {}) })
    reuseDetections.inc({ kind: 'refresh_token' })
    await this.revoke(token.sessionId)
  }

  private async reusedRefreshToken(token: RefreshTokenRecord): Promise<string | null> {
    if (!this.isWithinReuseGrace(token)) {
      await this.revokeReusedFamily(token)
      return null
    }
    const next = newRefreshToken()
    await this.store.refreshTokens.insert({ hash: hashRefreshToken(next), sessionId: token.sessionId, createdAt: this.now(), expiresAt: token.expiresAt, rotatedAt: null })
    return next
  }

  /** Ends the sessions granted to a client (deleted client), or to it by one user (consent withdrawn). */
  async revokeClient(clientId: string, userId?: string): Promise<void> {
    await this.announceRevoked(await this.store.sessions.revokeByClient(clientId, this.now(), userId))
  }

  private async addRefreshToken(session: SessionRecord): Promise<string> {
    const refreshToken = newRefreshToken()
    await this.store.refreshTokens.insert({
      hash: hashRefreshToken(refreshToken),
      sessionId: session.id,
      createdAt: session.createdAt,
      expiresAt: session.expiresAt,
      rotatedAt: null
    })
    return refreshToken
  }

  /** The session of an access token handed to a signed-in browser (/auth/jwt): no refresh token, ended when the browser signs out. */
  startBrowserTokenSession(userId: string, expiresAt: number): Promise<SessionRecord> {
    return this.insert({ userId, kind: 'browser', expiresAt })
  }

  /** The seed /login session: an idle timeout that each /authorise pushes forward, and an absolute end. */
  async startSlidingSession(userId: string): Promise<SessionRecord> {
    const now = this.now()
    const session = await this.insert({
      userId,
      kind: 'login',
      expiresAt: now + this.options.loginMaxTtlMs,
      idleExpiresAt: now + this.options.loginIdleTtlMs
    })
    this.sliding.set(session.id, { idleExpiresAt: session.idleExpiresAt!, dirty: false })
    return session
  }

  get loginIdleSeconds(): number {
    return Math.floor(this.options.loginIdleTtlMs / 1000)
  }

  /**
   * The live seed-endpoint session a refresh token belongs to; Unauthenticated for anything
   * else. An OAuth2 client's refresh token is refused here: at the seed endpoints it would
   * escape rotation and its client's narrower scope.
   */
  async sessionOfRefreshToken(refreshToken: string): Promise<SessionRecord> {
    const record = await this.store.refreshTokens.findByHash(hashRefreshToken(refreshToken))
    const now = this.now()
    if (!record || record.expiresAt <= now || record.rotatedAt !== null) throw new Unauthenticated('Invalid refresh token')
    const session = await this.store.sessions.findById(record.sessionId)
    if (!session || session.clientId !== null || session.revokedAt !== null || session.expiresAt <= now) throw new Unauthenticated('Invalid refresh token')
    await this.store.sessions.recordUse(session.id, now)
    return session
  }

  async revoke(sessionId: string): Promise<void> {
    const session = await this.store.sessions.findById(sessionId)
    const ended = await this.store.sessions.revoke(sessionId, this.now())
    if (session) await this.announceRevoked([{ id: session.id, expiresAt: session.expiresAt }], ended)
  }

  /** A user's sessions that are still live (not revoked, expired or idle past their timeout), oldest first. */
  async liveSessionsOf(userId: string): Promise<SessionRecord[]> {
    const now = this.now()
    return (await this.store.sessions.listByUser(userId)).filter(
      (session) => session.revokedAt === null && session.expiresAt > now && (session.idleExpiresAt === null || session.idleExpiresAt > now)
    )
  }

  /** When each of a user's sessions was last used (a refresh, a sliding session's extension), where it was since it began. */
  async lastUsesOf(userId: string): Promise<Map<string, number>> {
    return new Map((await this.store.sessions.lastUses(userId)).map((use) => [use.id, use.lastUsedAt]))
  }

  /** Ends one session of a user; NotFound when the session is not theirs, so an id from elsewhere ends nothing. */
  async revokeSessionOf(userId: string, sessionId: string): Promise<void> {
    const session = await this.store.sessions.findById(sessionId)
    if (!session || session.userId !== userId) throw new NotFound('No such session')
    await this.revoke(sessionId)
  }

  /** How many sessions are live now, over every user and client. */
  countLive(): Promise<number> {
    return this.store.sessions.countLive(this.now())
  }

  /** Ends every session of a user (disabled, deleted, new password, username, scope, role or organisation). */
  async revokeUser(userId: string): Promise<void> {
    await this.announceRevoked(await this.store.sessions.revokeByUser(userId, this.now()))
  }

  /**
   * Tells other replicas at once of every revocation made here (Redis pub/sub); the
   * publisher must not throw: the store already holds the revocation and polling is the fallback.
   */
  onRevoke(publish: (revoked: RevokedSession[]) => Promise<void>): void {
    this.publish = publish
  }

  /**
   * `listener` hears of the sessions a revocation made here ended (not those another
   * replica ended, which it reports itself): back-channel logout listens. It must not throw.
   */
  onEnded(listener: (ended: RevokedSession[]) => void): void {
    this.endedListeners.push(listener)
  }

  /** Revocations another replica announced. */
  applyRevoked(revoked: RevokedSession[]): void {
    for (const session of revoked) this.markRevoked(session.id, session.expiresAt)
  }

  /** `ended`: this call ended them (false when they were revoked already, and are announced again only). */
  private async announceRevoked(sessions: RevokedSession[], ended = true): Promise<void> {
    if (sessions.length === 0) return
    revocations.inc(sessions.length)
    securityEvent('info', 'sessions_revoked', { sessionIds: sessions.map((session) => session.id) })
    this.applyRevoked(sessions)
    if (ended) for (const listener of this.endedListeners) listener(sessions)
    await this.publish?.(sessions)
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
      // Gone: swept after its idle end (deleteExpired); the token itself is ours and unexpired.
      if (!session) throw new SessionExpired()
      if (session.revokedAt !== null) throw new Unauthenticated('Invalid token')
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
      state.lastUsedAt = now
      state.dirty = true
    }
    return state.idleExpiresAt
  }

  private async insert(fields: Pick<SessionRecord, 'userId' | 'kind' | 'expiresAt'> & Partial<SessionRecord>) {
    const { id = randomUUID(), ...rest } = fields
    const session: SessionRecord = {
      id,
      createdAt: this.now(),
      idleExpiresAt: null,
      revokedAt: null,
      clientId: null,
      scope: null,
      authTime: null,
      claims: null,
      amr: null,
      idp: null,
      ...rest
    }
    await this.store.sessions.insert(session)
    return session
  }

  /**
   * Remembers a revoked session only while one of its tokens could still pass without
   * the store: an access token (at most accessTokenTtlMs), or a sliding-session token
   * inside its first idle window (past it, slide() reads the store, which holds the
   * revocation, or no longer the session: refused either way). Not until the session's
   * own end, which for a refresh session is weeks away.
   */
  private markRevoked(sessionId: string, expiresAt: number): void {
    const needed = Math.max(this.options.accessTokenTtlMs, this.options.loginIdleTtlMs) + REVOCATION_MARGIN_MS
    this.revoked.set(sessionId, Math.min(expiresAt, this.now() + needed))
    this.sliding.delete(sessionId)
  }

  /**
   * Deletes the sessions nothing can use any more, with their refresh tokens (the periodic
   * sweep). A session goes once it has ended, revoked or not: every access token of it
   * expires by the session's expiresAt (their exp is capped there), so the revoked set
   * loses nothing, and a rotated refresh token is kept, for reuse detection, as long as its
   * family. A sliding session goes after its idle end too; both SWEEP_MARGIN_MS late.
   */
  async deleteExpired(): Promise<void> {
    const now = this.now()
    await this.store.sessions.deleteExpired(now - SWEEP_MARGIN_MS)
    await this.store.refreshTokens.deleteExpired(now)
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
      if (state.lastUsedAt !== undefined) await this.store.sessions.recordUse(id, state.lastUsedAt)
    }
  }
}
