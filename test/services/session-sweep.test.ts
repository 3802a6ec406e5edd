import { sessionsOnTempStore, slidingClaimsOf } from './session-fixture.js'
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { Unauthenticated } from '../../src/errors.js'
import { SessionExpired, Sessions, type SessionOptions } from '../../src/services/sessions.js'
import type { SessionRecord } from '../../src/store/port.js'
import { buildTestApp } from '../helpers.js'

const MINUTE = 60_000
const options: SessionOptions = { accessTokenTtlMs: 15 * MINUTE, refreshTokenTtlMs: 24 * 60 * MINUTE, loginIdleTtlMs: MINUTE, loginMaxTtlMs: 60 * MINUTE, syncIntervalMs: 2000 }

const setup = () => sessionsOnTempStore(options)
const slidingClaims = (session: SessionRecord) => slidingClaimsOf(session, options)

describe('the sweep of token sessions (Sessions.deleteExpired)', () => {
  test('a revoked session stays known as revoked, to a replica starting late too, until it ends; then it goes with its refresh tokens', async () => {
    const { store, clock, sessions } = setup()
    const { session, refreshToken } = await sessions.startRefreshSession('u')
    await sessions.revoke(session.id)
    clock.now = session.expiresAt - 1
    await sessions.deleteExpired()
    assert.ok((await store.sessions.findById(session.id))?.revokedAt, 'kept while an access token of it could be unexpired')
    const lateReplica = new Sessions(store, options, () => clock.now)
    await lateReplica.start()
    assert.equal(lateReplica.isRevoked(session.id), true)
    await assert.rejects(sessions.sessionOfRefreshToken(refreshToken), Unauthenticated)

    clock.now = session.expiresAt + MINUTE
    await sessions.deleteExpired()
    assert.equal(await store.sessions.findById(session.id), null)
    assert.equal(await sessions.findRefreshToken(refreshToken), null, 'its refresh token went with it')
    await assert.rejects(sessions.sessionOfRefreshToken(refreshToken), Unauthenticated)
  })

  test('a rotated refresh token of a live family is still caught as reuse after a sweep, and revokes the family', async () => {
    const { clock, sessions } = setup()
    const { refreshToken } = await sessions.startGrant({ userId: 'u', kind: 'oauth2', clientId: 'c', scope: ['openid'], authTime: clock.now }, true)
    const first = (await sessions.findRefreshToken(refreshToken!))!
    const successor = await sessions.rotateRefreshToken(first.token)
    assert.ok(successor)
    clock.now += 12 * 60 * MINUTE
    await sessions.deleteExpired()
    const replayed = await sessions.findRefreshToken(refreshToken!)
    assert.ok(replayed, 'the rotated token is kept as long as its family')
    assert.equal(await sessions.rotateRefreshToken(replayed.token), null)
    assert.equal(sessions.isRevoked(first.session.id), true)
  })

  test('a sliding session kept alive only in another replica\'s memory is not swept at its stale idle end', async () => {
    const { store, clock, sessions } = setup()
    const session = await sessions.startSlidingSession('u')
    const replica = new Sessions(store, options, () => clock.now)
    clock.now += 50_000
    replica.slide(slidingClaims(session)) // extended in the replica's memory, not yet written back
    clock.now = session.idleExpiresAt! + 5_000
    await sessions.deleteExpired()
    assert.ok(await store.sessions.findById(session.id), 'within the margin')
    await replica.sync()
    assert.ok((await store.sessions.findById(session.id))!.idleExpiresAt! > clock.now, 'the extension reached the store')
  })

  test('a sliding session idle past its timeout is swept a margin later, and its token is then answered "expired", not "invalid"', async () => {
    const { store, clock, sessions } = setup()
    const session = await sessions.startSlidingSession('u')
    const live = await sessions.startSlidingSession('v')
    clock.now = session.idleExpiresAt! + MINUTE
    // `live` was used just now (written back by sync), so it stays.
    await store.sessions.extendIdle(live.id, clock.now + MINUTE)
    await sessions.deleteExpired()
    assert.equal(await store.sessions.findById(session.id), null)
    assert.ok(await store.sessions.findById(live.id))
    const otherReplica = new Sessions(store, options, () => clock.now)
    await assert.rejects(async () => otherReplica.slide(slidingClaims(session)), SessionExpired)
    assert.equal(await otherReplica.slide(slidingClaims(live)), clock.now + MINUTE)
  })

  test('a client_credentials session goes once its access token has expired', async () => {
    const { store, clock, sessions } = setup()
    const { session } = await sessions.startGrant({ userId: 'c', kind: 'client', clientId: 'c', scope: [], authTime: null, expiresAt: clock.now + options.accessTokenTtlMs }, false)
    await sessions.deleteExpired()
    assert.ok(await store.sessions.findById(session.id))
    clock.now += options.accessTokenTtlMs + MINUTE
    await sessions.deleteExpired()
    assert.equal(await store.sessions.findById(session.id), null)
  })
})

describe('app.sweepExpired', () => {
  test('deletes every expired record of every repository and keeps every live one', async () => {
    const t = await buildTestApp()
    after(() => t.close())
    const { store } = t
    const past = Date.now() - 2 * 60 * MINUTE
    const future = Date.now() + 60 * MINUTE
    const session = (id: string, expiresAt: number, idleExpiresAt: number | null = null): SessionRecord => ({
      id, userId: 'u', kind: idleExpiresAt === null ? 'token' : 'login', clientId: null, scope: null, authTime: null, claims: null, amr: null, idp: null, createdAt: past - MINUTE, expiresAt, idleExpiresAt, revokedAt: null
    })
    const code = (hash: string, expiresAt: number) => ({
      hash, clientId: 'c', userId: 'u', redirectUri: 'https://a.example/cb', codeChallenge: null, scope: [], nonce: null, authTime: past, claims: null, amr: null, idp: null, sessionId: `s-${hash}`, createdAt: past, expiresAt, redeemedAt: null
    })
    const key = (kid: string, verifyUntil: number) => ({ kid, alg: 'ES256', privateKey: 'p', publicKey: 'q', createdAt: past - MINUTE, retiredAt: past - MINUTE, verifyUntil })
    for (const [suffix, at] of [['old', past], ['new', future]] as const) {
      await store.sessions.insert(session(`token-${suffix}`, at))
      await store.sessions.insert(session(`idle-${suffix}`, future, at))
      await store.refreshTokens.insert({ hash: `refresh-${suffix}`, sessionId: `token-${suffix}`, createdAt: past - MINUTE, expiresAt: at, rotatedAt: null })
      await store.browserSessions.set(`browser-${suffix}`, '{}', at)
      await store.authorizationCodes.insert(code(`code-${suffix}`, at))
      await store.samlRequests.insert({ id: `request-${suffix}`, idp: 'acme', createdAt: past - MINUTE, expiresAt: at })
      await store.samlAssertions.markUsed('acme', `assertion-${suffix}`, at, past - MINUTE)
      await store.signingKeys.insert(key(`kid-${suffix}`, at))
    }

    await t.app.sweepExpired()

    const now = Date.now()
    const exported = await store.exportAll()
    assert.deepEqual(exported.sessions.map((s) => s.id).sort(), ['idle-new', 'token-new'])
    assert.deepEqual(exported.refreshTokens.map((r) => r.hash), ['refresh-new'])
    assert.deepEqual(exported.authorizationCodes.map((c) => c.hash), ['code-new'])
    assert.ok(exported.signingKeys.some((k) => k.kid === 'kid-new'))
    assert.ok(!exported.signingKeys.some((k) => k.kid === 'kid-old'))
    assert.equal(await store.browserSessions.get('browser-old', past - MINUTE), null)
    assert.equal(await store.browserSessions.get('browser-new', now), '{}')
    assert.equal(await store.samlRequests.find('request-old', 'acme', past - MINUTE), null)
    assert.ok(await store.samlRequests.find('request-new', 'acme', now))
    // Gone, so the old assertion id can be recorded again even as of a time it was live.
    assert.equal(await store.samlAssertions.markUsed('acme', 'assertion-old', future, past - 2 * MINUTE), true)
    assert.equal(await store.samlAssertions.markUsed('acme', 'assertion-new', future, now), false)
  })
})
