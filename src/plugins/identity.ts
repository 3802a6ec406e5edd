import { randomBytes } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { Forbidden, Unauthenticated } from '../errors.js'
import { AccessCheck, requiredCredential } from '../services/access-check.js'
import { Accounts } from '../services/accounts.js'
import { Mfa } from '../services/mfa/index.js'
import { SecretBox } from '../services/mfa/secret-box.js'
import { LoginThrottle } from '../services/login-throttle.js'
import { SharedLoginThrottle } from '../services/shared-login-throttle.js'
import { IdentityLinks } from '../services/identity-links.js'
import { Passkeys } from '../services/passkeys.js'
import { Passwords } from '../services/passwords.js'
import { Sessions } from '../services/sessions.js'
import { setActor } from '../services/security-log.js'
import { SignIn } from '../services/sign-in.js'
import { hasScope, Tokens, type AccessClaims } from '../services/tokens.js'

declare module 'fastify' {
  interface FastifyInstance {
    accounts: Accounts
    sessions: Sessions
    tokens: Tokens
    accessCheck: AccessCheck
    mfa: Mfa
    passkeys: Passkeys
    identityLinks: IdentityLinks
    signIn: SignIn
    /** preHandler: a valid access token in Authorization, else 401. Sets request.principal. */
    requireAccessToken: (request: FastifyRequest) => Promise<void>
    /** preHandler: requireAccessToken, then the `admin` scope, else 403. */
    requireAdmin: (request: FastifyRequest) => Promise<void>
  }
  interface FastifyRequest {
    principal: AccessClaims | null
  }
}

/**
 * How often each replica reads what others changed (revocations, signing keys) and
 * writes back sliding-session extensions.
 */
export const SYNC_INTERVAL_MS = 2000

/**
 * The key second-factor secrets are sealed with: SECRETS_KEY, or else one made once and kept in
 * the store, which every replica shares but which a dump of the store then also holds.
 */
async function secretsKey(app: FastifyInstance): Promise<string> {
  if (app.config.mfa.secretsKey !== null) return app.config.mfa.secretsKey
  if (app.config.production) app.log.warn('SECRETS_KEY is not set: second-factor secrets are sealed with a key kept in the store itself')
  return app.store.settings.getOrInsert('secrets_key', randomBytes(32).toString('base64url'))
}

/** Accounts, passwords, second factors, sessions and tokens: the domain services, built once at start. */
export default fp(
  async (app) => {
    const { config, store } = app
    const tokens = await Tokens.create(
      {
        issuer: config.publicUrl,
        audience: config.jwt.audience,
        secret: config.jwt.secret,
        algorithm: config.jwt.algorithm,
        longestTokenLifetimeMs: Math.max(config.jwt.accessTokenTtlMs, config.loginSession.maxTtlMs),
        keyPropagationMs: 5 * SYNC_INTERVAL_MS
      },
      store.signingKeys
    )
    const sessions = new Sessions(store, {
      accessTokenTtlMs: config.jwt.accessTokenTtlMs,
      refreshTokenTtlMs: config.jwt.refreshTokenTtlMs,
      refreshReuseGraceMs: config.jwt.refreshReuseGraceMs,
      loginIdleTtlMs: config.loginSession.idleTtlMs,
      loginMaxTtlMs: config.loginSession.maxTtlMs,
      syncIntervalMs: SYNC_INTERVAL_MS
    })
    await sessions.start()
    const syncTimer = setInterval(() => {
      Promise.all([sessions.sync(), tokens.reloadKeys()]).catch((error: unknown) => {
        // The next tick retries; a store that stays down shows on /readyz.
        app.log.warn({ err: error }, 'sync with the store failed')
      })
    }, SYNC_INTERVAL_MS)
    syncTimer.unref()
    const { accountFailures, accountWindowMs } = config.rateLimit
    const throttle = !config.rateLimit.enabled
      ? null
      : app.redis
        ? new SharedLoginThrottle(app.redis, accountFailures, accountWindowMs)
        : new LoginThrottle(accountFailures, accountWindowMs)
    const accounts = new Accounts(store.users, new Passwords(config.bcryptCost), sessions, throttle, {
      allowedScopes: config.allowedScopes,
      requireVerifiedEmail: config.requireVerifiedEmail
    })
    if (config.admin) {
      const { username, password, email } = config.admin
      // bcrypt hashes on the thread pool while the rest of the app is built; the app is ready
      // (and listens) only once the admin exists. The catch marks a failure as handled until onReady reports it.
      const adminCreated = accounts.ensureAdmin(username, password, email)
      adminCreated.catch(() => {})
      app.addHook('onReady', async () => {
        if (await adminCreated) app.log.info({ username }, 'created the configured admin user')
      })
    }
    const accessCheck = new AccessCheck(tokens, sessions)
    const codeFailures = !config.rateLimit.enabled
      ? null
      : app.redis
        ? new SharedLoginThrottle(app.redis, config.mfa.maxFailures, config.mfa.failureWindowMs, 'mfa-failures')
        : new LoginThrottle(config.mfa.maxFailures, config.mfa.failureWindowMs)
    const secrets = await secretsKey(app)
    const mfa = new Mfa(
      store.mfa,
      new SecretBox(secrets),
      (userId, password) => accounts.confirmPassword(userId, password),
      codeFailures,
      { issuer: config.brand.name, requiredScopes: config.mfa.requiredScopes }
    )

    app.decorate('accounts', accounts)
    app.decorate('sessions', sessions)
    app.decorate('tokens', tokens)
    app.decorate('accessCheck', accessCheck)
    app.decorate('mfa', mfa)
    app.decorate('passkeys', new Passkeys(store.passkeys, (userId) => store.users.findById(userId), { ...config.passkeys, rpName: config.brand.name }))
    app.decorate('identityLinks', new IdentityLinks(store.identityLinks, store.passkeys, new SecretBox(secrets, 'moneypenny upstream OpenID Connect tokens')))
    app.decorate('signIn', new SignIn(accounts, mfa, sessions, tokens, config.jwt.accessTokenTtlMs))
    app.decorateRequest('principal', null)

    async function requireAccessToken(request: FastifyRequest) {
      const { claims } = await accessCheck.check(requiredCredential(request.headers.authorization))
      if (!tokens.isForOwnApis(claims)) throw new Unauthenticated('This token was issued for another audience')
      request.principal = claims
      setActor(claims.sub)
    }
    app.decorate('requireAccessToken', requireAccessToken)
    app.decorate('requireAdmin', async (request: FastifyRequest) => {
      await requireAccessToken(request)
      if (!hasScope(request.principal!, 'admin')) throw new Forbidden('the admin scope is required')
    })

    app.addHook('onClose', async () => {
      clearInterval(syncTimer)
      throttle?.close()
      codeFailures?.close()
      await sessions.stop()
    })
  },
  { name: 'identity', dependencies: ['config', 'store', 'redis'] }
)
