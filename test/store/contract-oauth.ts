import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { AuthorizationCodeRecord, OAuthClientRecord, SessionRecord, Store } from '../../src/store/port.js'

type WithStore = (run: (store: Store) => Promise<void>) => () => Promise<void>

const T = Date.UTC(2025, 0, 1)
const MINUTE = 60_000

function makeClient(id: string, overrides: Partial<OAuthClientRecord> = {}): OAuthClientRecord {
  return {
    id,
    name: `Client ${id}`,
    redirectUris: ['https://app.example.com/cb', 'com.example.app:/cb'],
    grantTypes: ['authorization_code', 'refresh_token'],
    responseTypes: ['code'],
    tokenEndpointAuthMethod: 'client_secret_basic',
    scope: ['openid', 'reports.read'],
    secretHash: 'c2VjcmV0LWhhc2g',
    firstParty: false,
    resourceServer: null,
    postLogoutRedirectUris: [],
    backchannelLogoutUri: null,
    clientUri: null,
    logoUri: 'https://x.example/logo.png',
    policyUri: null,
    tosUri: null,
    defaultAcrValues: ['2'],
    createdAt: T,
    updatedAt: T,
    ...overrides
  }
}

function makeCode(hash: string, overrides: Partial<AuthorizationCodeRecord> = {}): AuthorizationCodeRecord {
  return {
    hash,
    clientId: 'client-1',
    userId: 'user-1',
    redirectUri: 'https://app.example.com/cb',
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    scope: ['openid', 'offline_access'],
    nonce: 'n-0S6_WzA2Mj',
    authTime: T - MINUTE,
    claims: null,
    amr: ['pwd', 'otp', 'mfa'],
    idp: null,
    sessionId: `session-of-${hash}`,
    createdAt: T,
    expiresAt: T + MINUTE,
    redeemedAt: null,
    ...overrides
  }
}

function grantSession(id: string, overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id,
    userId: 'user-1',
    kind: 'oauth2',
    createdAt: T,
    expiresAt: T + 60 * MINUTE,
    idleExpiresAt: null,
    revokedAt: null,
    clientId: 'client-1',
    scope: ['openid'],
    authTime: T - MINUTE,
    claims: null,
    amr: ['pwd'],
    idp: null,
    ...overrides
  }
}

/** The OAuth2 and browser-session parts of the storage port's contract; run inside storeContract. */
export function oauthStoreContract(withStore: WithStore): void {
  describe('oauth clients', () => {
    test('insert, find, list in creation order, with every field', withStore(async (store) => {
      const later = makeClient('client-b', { createdAt: T + 1, tokenEndpointAuthMethod: 'none', secretHash: null, firstParty: true })
      const first = makeClient('client-a')
      await store.oauthClients.insert(later)
      await store.oauthClients.insert(first)
      assert.deepEqual(await store.oauthClients.findById('client-a'), first)
      assert.deepEqual(await store.oauthClients.list(), [first, later])
      assert.equal(await store.oauthClients.findById('nobody'), null)
    }))

    test('update changes only the given fields; unknown id is null; delete says whether it deleted', withStore(async (store) => {
      const client = makeClient('client-a')
      await store.oauthClients.insert(client)
      const updated = await store.oauthClients.update('client-a', { redirectUris: ['https://x.example/cb'], firstParty: true, resourceServer: 'audience', updatedAt: T + 5 })
      assert.deepEqual(updated, { ...client, redirectUris: ['https://x.example/cb'], firstParty: true, resourceServer: 'audience', updatedAt: T + 5 })
      assert.equal((await store.oauthClients.update('client-a', { resourceServer: null, updatedAt: T + 6 }))?.resourceServer, null)
      const logout = { postLogoutRedirectUris: ['https://x.example/bye'], backchannelLogoutUri: 'https://x.example/logout' }
      assert.deepEqual(await store.oauthClients.update('client-a', { ...logout, updatedAt: T + 7 }), { ...updated, ...logout, resourceServer: null, updatedAt: T + 7 })
      assert.deepEqual((await store.oauthClients.findById('client-a'))?.postLogoutRedirectUris, ['https://x.example/bye'])
      const pages = { clientUri: 'https://x.example/', logoUri: null, policyUri: 'https://x.example/privacy', tosUri: 'https://x.example/terms' }
      assert.deepEqual(await store.oauthClients.update('client-a', { ...pages, updatedAt: T + 8 }), { ...updated, ...logout, ...pages, resourceServer: null, updatedAt: T + 8 })
      assert.equal(await store.oauthClients.update('nobody', { updatedAt: T }), null)
      assert.equal(await store.oauthClients.delete('client-a'), true)
      assert.equal(await store.oauthClients.delete('client-a'), false)
      assert.equal(await store.oauthClients.findById('client-a'), null)
    }))
  })

  describe('authorization codes', () => {
    test('the first redeem wins with the whole record; later ones see it already redeemed', withStore(async (store) => {
      const code = makeCode('code-1')
      await store.authorizationCodes.insert(code)
      assert.deepEqual(await store.authorizationCodes.redeem('code-1', T + 5), { code: { ...code, redeemedAt: T + 5 }, first: true })
      assert.deepEqual(await store.authorizationCodes.redeem('code-1', T + 6), { code: { ...code, redeemedAt: T + 5 }, first: false })
      assert.equal(await store.authorizationCodes.redeem('unknown', T), null)
    }))

    test('the claims asked for by name travel with the code; a code without them reads back null', withStore(async (store) => {
      const claims = { idToken: ['given_name', 'email'], userinfo: ['locale'] }
      const asked = makeCode('code-asked', { claims })
      const plain = makeCode('code-plain')
      await store.authorizationCodes.insert(asked)
      await store.authorizationCodes.insert(plain)
      assert.deepEqual((await store.authorizationCodes.redeem('code-asked', T + 5))?.code, { ...asked, redeemedAt: T + 5 })
      assert.deepEqual((await store.authorizationCodes.redeem('code-asked', T + 6))?.code.claims, claims)
      assert.equal((await store.authorizationCodes.redeem('code-plain', T + 5))?.code.claims, null)
      assert.deepEqual((await store.exportAll()).authorizationCodes.find((code) => code.hash === 'code-asked')?.claims, claims)
    }))

    test('the upstream provider (idp) travels with the code and its session, and is copied by exportAll', withStore(async (store) => {
      const upstream = makeCode('code-upstream', { idp: 'acme', amr: [] })
      await store.authorizationCodes.insert(upstream)
      assert.deepEqual((await store.authorizationCodes.redeem('code-upstream', T + 5))?.code, { ...upstream, redeemedAt: T + 5 })
      const session = grantSession('s-upstream', { idp: 'acme' })
      await store.sessions.insert(session)
      await store.sessions.insert(grantSession('s-local'))
      assert.deepEqual(await store.sessions.findById('s-upstream'), session)
      assert.equal((await store.sessions.findById('s-local'))?.idp, null)
      const exported = await store.exportAll()
      assert.equal(exported.authorizationCodes.find((code) => code.hash === 'code-upstream')?.idp, 'acme')
      assert.equal(exported.sessions.find((row) => row.id === 's-upstream')?.idp, 'acme')
    }))

    test('parallel redeems of one code: exactly one is first', withStore(async (store) => {
      await store.authorizationCodes.insert(makeCode('code-1', { codeChallenge: null, nonce: null }))
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.authorizationCodes.redeem('code-1', T + i)))
      assert.equal(results.filter((r) => r?.first).length, 1)
    }))

    test('deleteExpired drops the codes expired at now, redeemed or not, and keeps the live ones', withStore(async (store) => {
      await store.authorizationCodes.insert(makeCode('old', { expiresAt: T }))
      await store.authorizationCodes.insert(makeCode('at-now', { expiresAt: T + 1 }))
      await store.authorizationCodes.insert(makeCode('redeemed', { expiresAt: T + 1, redeemedAt: T }))
      await store.authorizationCodes.insert(makeCode('live', { expiresAt: T + MINUTE }))
      await store.authorizationCodes.deleteExpired(T + 1)
      for (const hash of ['old', 'at-now', 'redeemed']) assert.equal(await store.authorizationCodes.redeem(hash, T + 2), null, hash)
      assert.equal((await store.authorizationCodes.redeem('live', T + 2))?.first, true)
    }))
  })

  describe('consents', () => {
    test('save inserts then replaces; find, list by user, delete', withStore(async (store) => {
      await store.consents.save({ userId: 'u1', clientId: 'c1', scope: ['openid'], grantedAt: T })
      await store.consents.save({ userId: 'u1', clientId: 'c1', scope: ['openid', 'email'], grantedAt: T + 1 })
      await store.consents.save({ userId: 'u1', clientId: 'c2', scope: [], grantedAt: T + 2 })
      await store.consents.save({ userId: 'u2', clientId: 'c1', scope: ['openid'], grantedAt: T })
      assert.deepEqual(await store.consents.find('u1', 'c1'), { userId: 'u1', clientId: 'c1', scope: ['openid', 'email'], grantedAt: T + 1 })
      assert.deepEqual((await store.consents.listByUser('u1')).map((c) => c.clientId), ['c1', 'c2'])
      assert.equal(await store.consents.delete('u1', 'c1'), true)
      assert.equal(await store.consents.delete('u1', 'c1'), false)
      assert.equal(await store.consents.find('u1', 'c1'), null)
      assert.ok(await store.consents.find('u2', 'c1'))
    }))
  })

  describe('sessions granted to clients', () => {
    test('OAuth2 fields round-trip', withStore(async (store) => {
      const session = grantSession('s1')
      await store.sessions.insert(session)
      assert.deepEqual(await store.sessions.findById('s1'), session)
    }))

    test('the claims a client asked for by name stay with its session; a session without them reads back null', withStore(async (store) => {
      const asked = grantSession('s-asked', { claims: { idToken: [], userinfo: ['given_name', 'picture'] } })
      const plain = grantSession('s-plain')
      await store.sessions.insert(asked)
      await store.sessions.insert(plain)
      assert.deepEqual(await store.sessions.findById('s-asked'), asked)
      assert.equal((await store.sessions.findById('s-plain'))?.claims, null)
      assert.deepEqual(await store.sessions.listByUser('user-1'), [asked, plain].sort((a, b) => (a.id < b.id ? -1 : 1)))
      assert.deepEqual((await store.exportAll()).sessions.find((session) => session.id === 's-asked'), asked)
    }))

    test('revokeByClient ends the live sessions of a client, or of a client for one user', withStore(async (store) => {
      await store.sessions.insert(grantSession('a', { userId: 'u1' }))
      await store.sessions.insert(grantSession('b', { userId: 'u2' }))
      await store.sessions.insert(grantSession('c', { clientId: 'client-2' }))
      await store.sessions.insert(grantSession('expired', { expiresAt: T + 1 }))
      assert.deepEqual(await store.sessions.revokeByClient('client-1', T + 10, 'u1'), [{ id: 'a', expiresAt: T + 60 * MINUTE }])
      const rest = await store.sessions.revokeByClient('client-1', T + 20)
      assert.deepEqual(rest.map((s) => s.id), ['b'])
      assert.equal((await store.sessions.findById('c'))!.revokedAt, null)
      assert.equal((await store.sessions.findById('expired'))!.revokedAt, null)
    }))
  })

  describe('browser sessions and settings', () => {
    test('set, get until expiry, replace, destroy, sweep', withStore(async (store) => {
      await store.browserSessions.set('b1', '{"a":1}', T + MINUTE)
      assert.equal(await store.browserSessions.get('b1', T), '{"a":1}')
      assert.equal(await store.browserSessions.get('b1', T + MINUTE), null, 'expired at its expiry')
      await store.browserSessions.set('b1', '{"a":2}', T + 2 * MINUTE)
      assert.equal(await store.browserSessions.get('b1', T + MINUTE), '{"a":2}')
      await store.browserSessions.set('b2', '{}', T)
      await store.browserSessions.set('b3', '{"live":true}', T + 2)
      await store.browserSessions.deleteExpired(T + 1)
      assert.equal(await store.browserSessions.get('b2', T - 1), null, 'gone, not merely expired')
      assert.equal(await store.browserSessions.get('b3', T + 1), '{"live":true}')
      await store.browserSessions.destroy('b1')
      assert.equal(await store.browserSessions.get('b1', T), null)
    }))

    test('a signed-in session is listed by its owner, most recently used first, until it expires', withStore(async (store) => {
      const owner = { userId: 'u1', userAgent: 'Firefox', signedInAt: T - MINUTE, lastUsedAt: T }
      await store.browserSessions.set('older', '{}', T + MINUTE, { ...owner, lastUsedAt: T - 1 })
      await store.browserSessions.set('newer', '{}', T + 2 * MINUTE, { ...owner, userAgent: null })
      await store.browserSessions.set('other-user', '{}', T + MINUTE, { ...owner, userId: 'u2' })
      await store.browserSessions.set('nobody-yet', '{}', T + MINUTE)
      assert.deepEqual(await store.browserSessions.listByUser('u1', T), [
        { id: 'newer', userId: 'u1', userAgent: null, signedInAt: T - MINUTE, lastUsedAt: T, expiresAt: T + 2 * MINUTE },
        { id: 'older', userId: 'u1', userAgent: 'Firefox', signedInAt: T - MINUTE, lastUsedAt: T - 1, expiresAt: T + MINUTE }
      ])
      assert.deepEqual((await store.browserSessions.listByUser('u1', T + MINUTE)).map((session) => session.id), ['newer'], 'an expired one is not listed')
      await store.browserSessions.set('newer', '{}', T + 2 * MINUTE)
      assert.deepEqual((await store.browserSessions.listByUser('u1', T)).map((session) => session.id), ['older'], 'a session signed out of has no owner')
    }))

    test("destroyByUser ends every session of the user but the one kept, and no one else's", withStore(async (store) => {
      const owner = { userId: 'u1', userAgent: null, signedInAt: T, lastUsedAt: T }
      for (const id of ['kept', 'a', 'b']) await store.browserSessions.set(id, '{}', T + MINUTE, owner)
      await store.browserSessions.set('theirs', '{}', T + MINUTE, { ...owner, userId: 'u2' })
      await store.browserSessions.destroyByUser('u1', 'kept')
      assert.deepEqual((await store.browserSessions.listByUser('u1', T)).map((session) => session.id), ['kept'])
      assert.equal(await store.browserSessions.get('a', T), null)
      assert.equal(await store.browserSessions.get('theirs', T), '{}')
      await store.browserSessions.destroyByUser('u1', null)
      assert.equal(await store.browserSessions.get('kept', T), null)
      assert.equal(await store.browserSessions.get('theirs', T), '{}')
    }))

    test('getOrInsert keeps the first value', withStore(async (store) => {
      assert.equal(await store.settings.getOrInsert('session_secret', 'first'), 'first')
      assert.equal(await store.settings.getOrInsert('session_secret', 'second'), 'first')
    }))
  })
}
