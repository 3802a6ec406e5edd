import fp from 'fastify-plugin'
import type { RevokedSession } from '../store/port.js'

const CHANNEL = 'moneypenny:revoked-sessions'

/**
 * With Redis, a revocation on any replica reaches every other one within a second:
 * published on revoke, applied to each replica's in-memory revoked set, with no store
 * read per request. After a lost connection a replica catches up from the store at
 * once; the two-second store polling stays on as the fallback.
 */
export default fp(
  async (app) => {
    const { redis, sessions } = app
    if (redis === null) return
    // A subscribed connection can run no other command, so it is a second one; it queues its SUBSCRIBE until connected.
    const subscriber = redis.duplicate({ enableOfflineQueue: true })
    subscriber.on('error', (error: Error) => app.log.warn({ err: error }, 'redis subscriber error'))
    subscriber.on('message', (_channel: string, message: string) => {
      try {
        sessions.applyRevoked(JSON.parse(message) as RevokedSession[])
      } catch (error) {
        app.log.warn({ err: error }, 'ignored a malformed revocation message')
      }
    })
    let connectedBefore = false
    subscriber.on('ready', () => {
      if (connectedBefore) sessions.sync().catch((error: unknown) => app.log.warn({ err: error }, 'catching up on revocations failed'))
      connectedBefore = true
    })
    await subscriber.connect().catch((error: unknown) => app.log.warn({ err: error }, 'redis subscriber not connected yet'))
    void subscriber.subscribe(CHANNEL).catch((error: unknown) => app.log.warn({ err: error }, 'redis subscribe failed'))

    sessions.onRevoke(async (revoked) => {
      try {
        await redis.publish(CHANNEL, JSON.stringify(revoked))
      } catch (error) {
        app.log.warn({ err: error }, 'revocation not broadcast; other replicas will read it from the store')
      }
    })
    app.addHook('onClose', async () => {
      subscriber.disconnect()
    })
  },
  { name: 'revocation-broadcast', dependencies: ['redis', 'identity'] }
)
