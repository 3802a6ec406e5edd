import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { TooManyAttempts } from '../../src/errors.js'
import { LoginThrottle } from '../../src/services/login-throttle.js'

const locked = (retryAfterSeconds: number) => (error: unknown) => error instanceof TooManyAttempts && error.retryAfterSeconds === retryAfterSeconds

describe('per-account login throttle', () => {
  test('maxFailures attempts pass, the next is refused, and the limit lifts when the window ends', (t) => {
    let now = 1_000_000
    const throttle = new LoginThrottle(3, 60_000, () => now)
    t.after(() => throttle.close())
    for (let i = 0; i < 3; i++) throttle.attempt('alice')
    assert.throws(() => throttle.attempt('alice'), locked(60))
    throttle.attempt('bob')
    now += 30_000
    assert.throws(() => throttle.attempt('alice'), locked(30))
    now += 30_000
    throttle.attempt('alice')
  })

  test('a success forgets the failures, its own attempt included', (t) => {
    const throttle = new LoginThrottle(2, 60_000)
    t.after(() => throttle.close())
    throttle.attempt('alice')
    throttle.attempt('alice')
    throttle.recordSuccess('alice')
    throttle.attempt('alice')
    throttle.attempt('alice')
    assert.throws(() => throttle.attempt('alice'), TooManyAttempts)
  })
})
