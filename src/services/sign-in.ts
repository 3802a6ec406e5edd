import type { SessionRecord, UserRecord } from '../store/port.js'
import type { Accounts } from './accounts.js'
import type { Mfa, SignInPath } from './mfa/index.js'
import { tokensIssued } from './metrics.js'
import type { Sessions } from './sessions.js'
import type { AccessClaims, Tokens } from './tokens.js'

export interface IssuedAccess {
  token: string
  claims: AccessClaims
}

/** What a JSON sign-in sends: each seed's body, with `otp` beside the password. */
export interface PasswordCredentials {
  username: string
  password: string
  otp?: string | undefined
}

/** The sign-in flows the seed endpoints share: password -> session -> tokens. */
export class SignIn {
  constructor(
    private readonly accounts: Accounts,
    private readonly mfa: Mfa,
    private readonly sessions: Sessions,
    private readonly tokens: Tokens,
    private readonly accessTokenTtlMs: number
  ) {}

  /**
   * The password, then the second factor when the account has one (`otp`: a code from the
   * app or a recovery code). A wrong password fails first, so it never tells whether MFA is on.
   */
  async authenticate(credentials: PasswordCredentials, path: SignInPath): Promise<UserRecord> {
    const user = await this.accounts.authenticate(credentials.username, credentials.password)
    await this.mfa.checkSignIn(user, credentials.otp, path)
    return user
  }

  /** Password sign-in that opens a refresh-token session (rdata, lummox). */
  async withRefreshToken(credentials: PasswordCredentials, path: SignInPath) {
    const user = await this.authenticate(credentials, path)
    const { session, refreshToken } = await this.sessions.startRefreshSession(user.id)
    tokensIssued.inc({ kind: 'refresh', grant: 'password' })
    return { user, session, refreshToken, access: await this.accessToken(user, session, 'password') }
  }

  /** Password sign-in that opens a sliding session; its token lives as long as the session (the unnamed service). */
  async withSlidingSession(credentials: PasswordCredentials) {
    const user = await this.authenticate(credentials, 'login')
    const session = await this.sessions.startSlidingSession(user.id)
    const access = await this.tokens.issueAccessToken(user, session.id, session.expiresAt, session.createdAt, { idle: this.sessions.loginIdleSeconds })
    tokensIssued.inc({ kind: 'access', grant: 'password' })
    return { user, session, access }
  }

  /** An access token for a user signed in in a browser, in a session of its own that can be revoked; never past `notAfter`. */
  async accessTokenForBrowser(user: UserRecord, notAfter: number): Promise<{ session: SessionRecord; access: IssuedAccess }> {
    const session = await this.sessions.startBrowserTokenSession(user.id, Math.min(notAfter, Date.now() + this.accessTokenTtlMs))
    return { session, access: await this.accessToken(user, session, 'browser') }
  }

  /** A new access token for a live refresh token of a still active user. The refresh token is not rotated. */
  async accessTokenForRefreshToken(refreshToken: string): Promise<IssuedAccess> {
    const session = await this.sessions.sessionOfRefreshToken(refreshToken)
    const user = await this.accounts.activeUser(session.userId)
    return this.accessToken(user, session, 'refresh_token')
  }

  /** Never outlives its session. */
  private accessToken(user: UserRecord, session: SessionRecord, grant: 'password' | 'refresh_token' | 'browser'): Promise<IssuedAccess> {
    tokensIssued.inc({ kind: 'access', grant })
    const now = Date.now()
    return this.tokens.issueAccessToken(user, session.id, Math.min(session.expiresAt, now + this.accessTokenTtlMs), now)
  }
}
