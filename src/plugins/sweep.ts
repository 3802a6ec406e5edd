import fp from 'fastify-plugin'
import { FINISHED_MAIL_KEPT_MS } from '../store/port.js'

/** How often expired records are swept from the store. */
export const SWEEP_INTERVAL_MS = 60_000

declare module 'fastify' {
  interface FastifyInstance {
    /** Deletes every record of the store that has expired; the timer below runs it every SWEEP_INTERVAL_MS. */
    sweepExpired(): Promise<void>
  }
}

/**
 * The one sweep of the store, so it stops growing with every sign-in and grant: token
 * sessions and their refresh tokens by the rules of services/sessions.ts (a revoked
 * session is kept until its tokens have expired), everything else at its own expiry
 * (nothing refers to an expired browser session, code, SAML id or retired key). On
 * MongoDB the TTL indexes delete most of it first; the sweep also ends idle sliding
 * sessions, which no TTL index sees. Every replica sweeps; deleting twice is harmless.
 */
export default fp(
  async (app) => {
    const { store, sessions } = app
    const expiring = [store.browserSessions, store.authorizationCodes, store.samlRequests, store.samlAssertions, store.signingKeys, store.mailLinks]

    async function sweepExpired(): Promise<void> {
      const now = Date.now()
      await Promise.all([
        sessions.deleteExpired(),
        store.passkeys.deleteExpiredChallenges(now),
        ...expiring.map((repository) => repository.deleteExpired(now)),
        store.outbox.deleteFinished(now - FINISHED_MAIL_KEPT_MS)
      ])
      await store.reclaimFreeSpace()
    }
    app.decorate('sweepExpired', sweepExpired)

    // A sweep of a large backlog may outlast the interval: the next tick then skips.
    let running: Promise<void> | null = null
    const timer = setInterval(() => {
      if (running) return
      running = sweepExpired()
        .catch((error: unknown) => app.log.warn({ err: error }, 'sweeping expired records failed'))
        .finally(() => {
          running = null
        })
    }, SWEEP_INTERVAL_MS)
    timer.unref()
    app.addHook('onClose', async () => {
      clearInterval(timer)
      await running
    })
  },
  { name: 'sweep', dependencies: ['store', 'identity'] }
)
