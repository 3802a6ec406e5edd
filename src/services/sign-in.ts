import type { SessionRecord, UserRecord } from '../store/port.js'
import type { Accounts } from './accounts.js'
import { tokensIssued } from './metrics.js'
import type { Sessions } from './sessions.js'
import type { AccessClaims, Tokens } from './tokens.js'

export interface IssuedAccess {
  token: string
  claims: AccessClaims
}

/** The sign-in flows the seed endpoints share: password -> session -> tokens. */
export class SignIn {
  constructor(
    private readonly accounts: Accounts,
    private readonly sessions: Sessions,
    private readonly tokens: Tokens,
    private readonly accessTokenTtlMs: number
  ) {}

  /** Password sign-in that opens a refresh-token session (rdata, lummox). */
  async withRefreshToken(login: string, password: string) {
    const user = await this.accounts.authenticate(login, password)
    const { session, refreshToken } = await this.sessions.startRefreshSession(user.id)
    tokensIssued.inc({ kind: 'refresh', grant: 'password' })
    return { user, session, refreshToken, access: this.accessToken(user, session, 'password') }
  }

  /** Password sign-in that opens a sliding session; its token lives as long as the session (the unnamed service). */
  async withSlidingSession(login: string, password: string) {
    const user = await this.accounts.authenticate(login, password)
    const session = await this.sessions.startSlidingSession(user.id)
    const access = this.tokens.issueAccessToken(user, session.id, session.expiresAt, session.createdAt, { idle: this.sessions.loginIdleSeconds })
    tokensIssued.inc({ kind: 'access', grant: 'password' })
    return { user, session, access }
  }

  /** An access token for a user signed in in a browser, in a session of its own that can be revoked; never past `notAfter`. */
  async accessTokenForBrowser(user: UserRecord, notAfter: number): Promise<{ session: SessionRecord; access: IssuedAccess }> {
    const session = await this.sessions.startBrowserTokenSession(user.id, Math.min(notAfter, Date.now() + this.accessTokenTtlMs))
    return { session, access: this.accessToken(user, session, 'browser') }
  }

  /** A new access token for a live refresh token of a still active user. The refresh token is not rotated. */
  async accessTokenForRefreshToken(refreshToken: string): Promise<IssuedAccess> {
    const session = await this.sessions.sessionOfRefreshToken(refreshToken)
    const user = await this.accounts.activeUser(session.userId)
    return this.accessToken(user, session, 'refresh_token')
  }

  /** Never outlives its session. */
  private accessToken(user: UserRecord, session: SessionRecord, grant: 'password' | 'refresh_token' | 'browser'): IssuedAccess {
    tokensIssued.inc({ kind: 'access', grant })
    const now = Date.now()
    return this.tokens.issueAccessToken(user, session.id, Math.min(session.expiresAt, now + this.accessTokenTtlMs), now)
  }
}
