import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  isPendingId,
  PENDING_AUTHORIZATION_TTL_MS,
  PendingAuthorizationSeal,
  resumeIdOf,
  resumePath
} from '../../src/services/oauth2/pending-authorization.js'

const secret = 'a-session-secret-of-some-length-0123456789'
const query = 'client_id=app&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&response_type=code&scope=openid&nonce=n-0S6_WzA2Mj&login_hint=ann%40example.com'

/** The sealed value with one bit of byte `index` (negative: from the end) flipped. */
function flipped(sealed: string, index: number): string {
  const bytes = Buffer.from(sealed, 'base64url')
  const at = index < 0 ? bytes.length + index : index
  bytes[at] = bytes[at]! ^ 0x01
  return bytes.toString('base64url')
}

describe('sealed pending authorization requests', () => {
  const seal = new PendingAuthorizationSeal(secret)
  const now = 1_800_000_000_000

  test('a sealed request opens under its id with its query and the time it was held; the value hides the query', () => {
    const id = PendingAuthorizationSeal.newId()
    assert.ok(isPendingId(id))
    const sealed = seal.seal(id, query, now - 5, now)
    assert.deepEqual(seal.open(id, sealed, now + 1000), { id, query, heldAt: now - 5, expiresAt: now + PENDING_AUTHORIZATION_TTL_MS })
    assert.match(sealed, /^[\w-]+$/, 'fit for a cookie as it is')
    for (const visible of ['client_id', 'nonce', 'login_hint', 'ann', 'openid']) assert.ok(!sealed.includes(visible), visible)
    assert.notEqual(seal.seal(id, query, now, now), seal.seal(id, query, now, now), 'a fresh IV each time')
  })

  test('a tampered value does not open: IV, ciphertext, tag, truncated, extended', () => {
    const id = PendingAuthorizationSeal.newId()
    const sealed = seal.seal(id, query, now, now)
    const bytes = Buffer.from(sealed, 'base64url')
    for (const [label, value] of [
      ['IV', flipped(sealed, 0)],
      ['ciphertext', flipped(sealed, 20)],
      ['tag', flipped(sealed, -1)],
      ['truncated', bytes.subarray(0, bytes.length - 1).toString('base64url')],
      ['extended', Buffer.concat([bytes, Buffer.from([0])]).toString('base64url')],
      ['empty', ''],
      ['too short', 'AAAA'],
      ['not base64url', `${sealed.slice(0, -2)}+/`],
      ['too long', 'A'.repeat(5000)]
    ] as const) {
      assert.equal(seal.open(id, value, now), null, label)
    }
  })

  test('a value moved under another id does not open', () => {
    const id = PendingAuthorizationSeal.newId()
    const sealed = seal.seal(id, query, now, now)
    assert.equal(seal.open(PendingAuthorizationSeal.newId(), sealed, now), null)
    assert.equal(seal.open('not an id', sealed, now), null)
  })

  test('it expires: open until its lifetime ends, not a millisecond after', () => {
    const short = new PendingAuthorizationSeal(secret, 60_000)
    const id = PendingAuthorizationSeal.newId()
    const sealed = short.seal(id, query, now, now)
    assert.ok(short.open(id, sealed, now + 59_999))
    assert.equal(short.open(id, sealed, now + 60_000), null)
    assert.equal(short.open(id, sealed, now + 3_600_000), null)
  })

  test('another secret (another server, or the secret changed) does not open it', () => {
    const id = PendingAuthorizationSeal.newId()
    const sealed = seal.seal(id, query, now, now)
    assert.equal(new PendingAuthorizationSeal(`${secret}x`).open(id, sealed, now), null)
    assert.ok(new PendingAuthorizationSeal(secret).open(id, sealed, now), 'the same secret does: every replica opens it')
  })

  test('resume paths: only /oauth2/authorization?resume=<id> names a held request', () => {
    const id = PendingAuthorizationSeal.newId()
    assert.equal(resumeIdOf(resumePath(id)), id)
    for (const other of [
      null,
      undefined,
      '/auth/details',
      `/oauth2/authorization?resume=${id}&x=1`,
      `/oauth2/authorization?client_id=a&resume=${id}`,
      '/oauth2/authorization?resume=short',
      `//evil.example/oauth2/authorization?resume=${id}`
    ]) {
      assert.equal(resumeIdOf(other), null, String(other))
    }
  })
})
