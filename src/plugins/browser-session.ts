import { createHash, randomBytes } from 'node:crypto'
import cookie from '@fastify/cookie'
import session, { type SessionStore } from '@fastify/session'
import type { FastifyRequest, Session } from 'fastify'
import fp from 'fastify-plugin'
import { requestContext, setActor } from '../services/security-log.js'
import type { AuthenticationMethod } from '../services/mfa/index.js'
import { NotFound } from '../errors.js'
import type { BrowserSessionOwner, BrowserSessionRecord, BrowserSessionRepository, UserRecord } from '../store/port.js'
import csrf from './csrf.js'
import oidcSignOn from './oidc.js'
import pendingAuthorizations from './pending-authorization.js'

declare module 'fastify' {
  interface Session {
    userId?: string
    /** When the password (or IdP) was last checked: OIDC auth_time. */
    authTime?: number
    /** credentialStamp of the user at sign-in: a new password, name, scope, role or organisation ends the session. */
    credentialStamp?: string
    /** Token sessions started from this browser session (/auth/jwt, OAuth2 grants), ended with it. */
    tokenSessions?: RememberedTokenSession[]
    /** How the person signed in (RFC 8176): `pwd`, and `otp` and `mfa` after a second factor. */
    amr?: AuthenticationMethod[]
    /** The upstream OpenID Connect provider the person signed in through, when they did. */
    upstream?: string
    /** A password that was right, waiting for its second factor: nobody is signed in yet. */
    passwordChecked?: { userId: string; credentialStamp: string; at: number }
    /** The browser's User-Agent at sign-in, for the account console's list of sessions. */
    userAgent?: string | null
  }
  interface FastifyInstance {
    /** The user signed in to this browser session, or null (none, expired, or no longer active). */
    sessionUser(request: FastifyRequest): Promise<UserRecord | null>
    /** Signs `user` in: a new session id (no fixation), the user, the time, how (`amr`, RFC 8176) and through which upstream provider. */
    startBrowserSession(request: FastifyRequest, user: UserRecord, amr: AuthenticationMethod[], upstream?: string): Promise<void>
    /** Remembers a right password while the person is asked for the second factor; signs no one in. */
    holdPasswordCheck(request: FastifyRequest, user: UserRecord): void
    /** The user whose password this browser gave in the last few minutes, still unchanged and active; null otherwise. */
    passwordCheckedUser(request: FastifyRequest): Promise<UserRecord | null>
    /** When this browser session ends at the latest (its absolute lifetime); null when no one is signed in. */
    browserSessionEnd(request: FastifyRequest): number | null
    /** Remembers a token session started from this browser session, so that signing out ends it too. */
    rememberTokenSession(request: FastifyRequest, session: RememberedTokenSession): void
    /**
     * Signs out: revokes the token sessions started from this browser session (back-channel
     * logout tells their clients), tells the clients of offline grants without revoking
     * them, then destroys the browser session.
     */
    endBrowserSession(request: FastifyRequest): Promise<void>
    /** The user's signed-in browser sessions, and which of them is this request's; for the account console. */
    browserSessionsOf(request: FastifyRequest, userId: string): Promise<{ sessions: BrowserSessionRecord[]; currentId: string | null }>
    /**
     * Ends another browser session of the user, with its token sessions, as signing out there
     * would; NotFound when it is not theirs (or already ended), so an id from elsewhere ends nothing.
     */
    endBrowserSessionOf(userId: string, id: string): Promise<void>
    /** After the user's password changed here: this browser stays signed in under a new id, the user's other browser sessions end. */
    keepOnlyThisBrowserSession(request: FastifyRequest, user: UserRecord): Promise<void>
  }
}

export interface RememberedTokenSession {
  id: string
  expiresAt: number
  /** An OAuth2 grant: its client hears of the sign-out. */
  clientId?: string
  /** Granted offline_access: outlives the sign-out (Back-Channel Logout §2.7), its client is told all the same. */
  offline?: boolean
}

/** How much of a User-Agent header is kept: enough for any real browser's. */
const USER_AGENT_MAX_LENGTH = 512

/** How long a right password waits for its second factor: time to open the app and type a code. */
const PASSWORD_CHECK_TTL_MS = 5 * 60_000

/** Session ids are stored hashed, so a copy of the store holds no usable cookie. */
function storedId(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('base64url')
}

/**
 * A digest of what a sign-in vouched for. The same changes that end a user's token sessions
 * (accounts.update) end their browser sessions, without a list of sessions per user to revoke.
 */
function credentialStamp(user: UserRecord): string {
  return createHash('sha256')
    .update(JSON.stringify([user.passwordHash, user.username, user.scope, user.role, user.organisation]))
    .digest('base64url')
}

/**
 * Hands a store result to @fastify/session's callback. The callback goes on to answer the
 * request; were it to throw inside `then`, the rejection would have no handler and end the
 * process. Such a throw is a defect of the answer, not of the store: it is logged, never rethrown.
 */
function settle<T>(result: Promise<T>, done: (value: T) => void, failed: (error: unknown) => void): void {
  result.then(done, failed).catch((error: unknown) => {
    requestContext.getStore()?.log.error({ err: error }, 'answering after a session store call failed')
  })
}

/** @fastify/session's store interface over the storage port (`session_users`). */
class PortSessionStore implements SessionStore {
  constructor(
    private readonly repository: BrowserSessionRepository,
    private readonly idleTtlMs: number
  ) {}

  set(sessionId: string, data: Session, callback: (error?: unknown) => void) {
    const now = Date.now()
    const expiresAt = data.cookie.expires ? new Date(data.cookie.expires).getTime() : now + this.idleTtlMs
    // Every request of a signed-in browser writes its session (the idle timeout slides): that write records the last use.
    const owner: BrowserSessionOwner | undefined =
      data.userId === undefined || data.authTime === undefined ? undefined : { userId: data.userId, userAgent: data.userAgent ?? null, signedInAt: data.authTime, lastUsedAt: now }
    settle(this.repository.set(storedId(sessionId), JSON.stringify(data), expiresAt, owner), () => callback(), callback)
  }

  get(sessionId: string, callback: (error: unknown, data?: Session | null) => void) {
    settle(this.repository.get(storedId(sessionId), Date.now()), (data) => callback(null, data === null ? null : (JSON.parse(data) as Session)), callback)
  }

  destroy(sessionId: string, callback: (error?: unknown) => void) {
    settle(this.repository.destroy(storedId(sessionId)), () => callback(), callback)
  }
}

/**
 * Browser sessions: a signed cookie naming a session kept in the store, an idle timeout
 * renewed by use, an absolute lifetime, and CSRF tokens for the forms.
 */
export default fp(
  async (app) => {
    const { config, store } = app
    const https = config.publicUrl.startsWith('https:')
    const secret = config.browserSession.secret ?? (await store.settings.getOrInsert('session_secret', randomBytes(32).toString('base64url')))
    await app.register(cookie)
    await app.register(session, {
      secret,
      // __Host- binds the cookie to this exact origin (Secure, Path=/, no Domain).
      cookieName: https ? '__Host-moneypenny' : 'moneypenny',
      cookie: { httpOnly: true, sameSite: 'lax', secure: https, path: '/', maxAge: config.browserSession.idleTtlMs },
      store: new PortSessionStore(store.browserSessions, config.browserSession.idleTtlMs),
      saveUninitialized: false,
      rolling: true
    })
    // Stateless tokens: a form shown to someone not signed in (the sign-in page) stores nothing.
    await app.register(csrf, { secret, https, maxAgeMs: config.browserSession.idleTtlMs })
    // Authorization requests held across sign-in: sealed cookies, so they store nothing either.
    await app.register(pendingAuthorizations, { secret, https })
    // Sign-ins started at upstream OpenID Connect providers: a sealed cookie each, under the same secret.
    await app.register(oidcSignOn, { secret, https })

    function browserSessionEnd(request: FastifyRequest): number | null {
      const { userId, authTime } = request.session
      return userId === undefined || authTime === undefined ? null : authTime + config.browserSession.maxTtlMs
    }
    app.decorate('browserSessionEnd', browserSessionEnd)

    app.decorate('sessionUser', async (request: FastifyRequest) => {
      const end = browserSessionEnd(request)
      if (end === null) return null
      if (end <= Date.now()) {
        await request.session.destroy()
        return null
      }
      const user = await store.users.findById(request.session.userId!)
      if (user?.active && request.session.credentialStamp === credentialStamp(user)) {
        setActor(user.id)
        return user
      }
      await request.session.destroy()
      return null
    })

    app.decorate('startBrowserSession', async (request: FastifyRequest, user: UserRecord, amr: AuthenticationMethod[], upstream?: string) => {
      // A pending authorization request is not in the session (it has a cookie of its own): nothing is carried over.
      await request.session.regenerate()
      request.session.userId = user.id
      request.session.authTime = Date.now()
      request.session.credentialStamp = credentialStamp(user)
      request.session.amr = amr
      request.session.userAgent = request.headers['user-agent']?.slice(0, USER_AGENT_MAX_LENGTH) ?? null
      if (upstream !== undefined) request.session.upstream = upstream
    })

    app.decorate('holdPasswordCheck', (request: FastifyRequest, user: UserRecord) => {
      request.session.passwordChecked = { userId: user.id, credentialStamp: credentialStamp(user), at: Date.now() }
    })

    app.decorate('passwordCheckedUser', async (request: FastifyRequest) => {
      const held = request.session.passwordChecked
      if (held === undefined || held.at + PASSWORD_CHECK_TTL_MS <= Date.now()) return null
      const user = await store.users.findById(held.userId)
      return user?.active && credentialStamp(user) === held.credentialStamp ? user : null
    })

    app.decorate('rememberTokenSession', (request: FastifyRequest, session: RememberedTokenSession) => {
      const now = Date.now()
      const live = (request.session.tokenSessions ?? []).filter((remembered) => remembered.expiresAt > now)
      request.session.tokenSessions = [...live, session]
    })

    /** What signing out of a browser session does to the token sessions started from it. */
    async function endTokenSessionsOf(session: Pick<Session, 'userId' | 'tokenSessions'>): Promise<void> {
      const { userId, tokenSessions = [] } = session
      for (const remembered of tokenSessions) {
        if (!remembered.offline) await app.sessions.revoke(remembered.id)
        else if (userId !== undefined && remembered.clientId !== undefined) {
          const notice = await app.oauth2.backchannelLogout.noticeFor(remembered.clientId, userId, remembered.id)
          if (notice) app.oauth2.backchannelLogout.notify(notice)
        }
      }
    }

    app.decorate('endBrowserSession', async (request: FastifyRequest) => {
      await endTokenSessionsOf(request.session)
      await request.session.destroy()
    })

    app.decorate('browserSessionsOf', async (request: FastifyRequest, userId: string) => {
      const sessions = await store.browserSessions.listByUser(userId, Date.now())
      return { sessions, currentId: request.session.userId === userId ? storedId(request.session.sessionId) : null }
    })

    app.decorate('endBrowserSessionOf', async (userId: string, id: string) => {
      const data = await store.browserSessions.get(id, Date.now())
      const session = data === null ? null : (JSON.parse(data) as Session)
      if (session?.userId !== userId) throw new NotFound('No such session')
      await endTokenSessionsOf(session)
      await store.browserSessions.destroy(id)
    })

    app.decorate('keepOnlyThisBrowserSession', async (request: FastifyRequest, user: UserRecord) => {
      const { amr = ['pwd'], upstream } = request.session
      await store.browserSessions.destroyByUser(user.id, storedId(request.session.sessionId))
      // A new id and the new password's stamp; the old id's row goes with the regeneration.
      await app.startBrowserSession(request, user, amr, upstream)
    })
  },
  { name: 'browser-session', dependencies: ['config', 'store', 'identity', 'oauth2'] }
)
