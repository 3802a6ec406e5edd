import { sessionsOnTempStore, slidingClaimsOf } from './session-fixture.js'
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { Unauthenticated } from '../../src/errors.js'
import { SessionExpired, Sessions, type SessionOptions } from '../../src/services/sessions.js'

const options: SessionOptions = { accessTokenTtlMs: 900_000, refreshTokenTtlMs: 86_400_000, loginIdleTtlMs: 60_000, loginMaxTtlMs: 3_600_000, syncIntervalMs: 60_000 }

const setup = () => sessionsOnTempStore(options)
const claimsOf = (session: { id: string; createdAt: number; expiresAt: number }) => slidingClaimsOf(session, options)

describe('sliding sessions', () => {
  test('each use pushes the idle expiry forward, written back to the store on flush', async () => {
    const { store, clock, sessions } = setup()
    const session = await sessions.startSlidingSession('u')
    clock.now += 50_000
    assert.equal(sessions.slide(claimsOf(session)), clock.now + 60_000)
    await sessions.stop()
    assert.equal((await store.sessions.findById(session.id))!.idleExpiresAt, clock.now + 60_000)
  })

  test('a session idle past its timeout is expired (403), even if used again later', async () => {
    const { clock, sessions } = setup()
    const session = await sessions.startSlidingSession('u')
    clock.now += 60_001
    assert.throws(() => sessions.slide(claimsOf(session)), SessionExpired)
  })

  test('another replica reads the extended expiry from the store once, then answers from memory', async () => {
    const { store, clock, sessions } = setup()
    const session = await sessions.startSlidingSession('u')
    clock.now += 50_000
    sessions.slide(claimsOf(session))
    await sessions.stop()

    const replica = new Sessions(store, options, () => clock.now)
    clock.now += 30_000 // past the first idle window, inside the extended one
    let reads = 0
    const findById = store.sessions.findById.bind(store.sessions)
    store.sessions.findById = async (id) => {
      reads += 1
      return findById(id)
    }
    assert.equal(await replica.slide(claimsOf(session)), clock.now + 60_000)
    assert.equal(await replica.slide(claimsOf(session)), clock.now + 60_000)
    assert.equal(reads, 1)
    await replica.stop()
  })

  test('the idle expiry never passes the absolute end', async () => {
    const { clock, sessions } = setup()
    const session = await sessions.startSlidingSession('u')
    const claims = claimsOf(session)
    for (let i = 0; i < 70; i++) {
      clock.now += 55_000
      if (clock.now >= session.expiresAt) break
      assert.ok((sessions.slide(claims) as number) <= claims.exp * 1000)
    }
  })
})

describe('revocation', () => {
  test('a revoked session is known to this replica at once and to another after its start', async () => {
    const { store, clock, sessions } = setup()
    await sessions.start()
    const { session } = await sessions.startRefreshSession('u')
    await sessions.revoke(session.id)
    assert.equal(sessions.isRevoked(session.id), true)
    const replica = new Sessions(store, options, () => clock.now)
    assert.equal(replica.isRevoked(session.id), false)
    await replica.start()
    assert.equal(replica.isRevoked(session.id), true)
    await replica.stop()
  })

  test('revoking a user revokes all their live sessions and refuses their refresh tokens', async () => {
    const { sessions } = setup()
    const first = await sessions.startRefreshSession('u')
    const second = await sessions.startSlidingSession('u')
    const other = await sessions.startRefreshSession('v')
    await sessions.revokeUser('u')
    assert.equal(sessions.isRevoked(first.session.id), true)
    assert.equal(sessions.isRevoked(second.id), true)
    assert.equal(sessions.isRevoked(other.session.id), false)
    await assert.rejects(sessions.sessionOfRefreshToken(first.refreshToken), Unauthenticated)
    assert.equal((await sessions.sessionOfRefreshToken(other.refreshToken)).id, other.session.id)
  })

  test('a revoked session is kept in memory only while its tokens could pass without the store, and stays refused after', async () => {
    const { clock, sessions } = setup()
    const { session } = await sessions.startRefreshSession('u')
    const sliding = await sessions.startSlidingSession('u')
    await sessions.revoke(session.id)
    await sessions.revoke(sliding.id)
    // The periodic sync, until long before the refresh session's own end (a day here, 30 days by default).
    for (let waited = 0; waited <= options.accessTokenTtlMs + 3 * options.syncIntervalMs; waited += options.syncIntervalMs) {
      await sessions.sync()
      clock.now += options.syncIntervalMs
    }
    assert.equal(sessions.isRevoked(session.id), false, 'no access token of it can still be valid')
    assert.equal(sessions.isRevoked(sliding.id), false)
    await assert.rejects(async () => sessions.slide(claimsOf(sliding)), Unauthenticated, 'a sliding token is checked against the store')
  })

  test('an expired refresh token is refused', async () => {
    const { clock, sessions } = setup()
    const { refreshToken } = await sessions.startRefreshSession('u')
    clock.now += options.refreshTokenTtlMs
    await assert.rejects(sessions.sessionOfRefreshToken(refreshToken), Unauthenticated)
  })
})

describe('refresh token rotation with a reuse grace (RFC 9700 §4.14.2)', () => {
  const graceOptions: SessionOptions = { ...options, refreshReuseGraceMs: 5000 }

  test('within the grace a rotated token yields another successor; past it, reuse revokes the family', async () => {
    const { clock, sessions } = sessionsOnTempStore(graceOptions)
    const { session, refreshToken } = await sessions.startRefreshSession('u')
    const token = async (presented: string) => (await sessions.findRefreshToken(presented))!.token
    const first = await sessions.rotateRefreshToken(await token(refreshToken))
    clock.now += 4000
    const second = await sessions.rotateRefreshToken(await token(refreshToken))
    assert.ok(first && second && first !== second, 'a parallel worker gets a successor of its own')
    assert.equal(sessions.isRevoked(session.id), false)
    clock.now += 2000
    assert.equal(await sessions.rotateRefreshToken(await token(refreshToken)), null, 'six seconds on, the old token is theft')
    assert.equal(sessions.isRevoked(session.id), true)
    assert.notEqual((await sessions.findRefreshToken(second))!.session.revokedAt, null, 'and the family is gone')
  })

  test('without a grace the first reuse revokes', async () => {
    const { sessions } = sessionsOnTempStore(options)
    const { session, refreshToken } = await sessions.startRefreshSession('u')
    assert.ok(await sessions.rotateRefreshToken((await sessions.findRefreshToken(refreshToken))!.token))
    assert.equal(await sessions.rotateRefreshToken((await sessions.findRefreshToken(refreshToken))!.token), null)
    assert.equal(sessions.isRevoked(session.id), true)
  })
})
