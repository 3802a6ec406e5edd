import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { TooManyAttempts } from '../../src/errors.js'
import { LoginThrottle } from '../../src/services/login-throttle.js'

describe('per-account login throttle', () => {
  test('the limit is reached after maxFailures failures and lifts when the window ends', (t) => {
    let now = 1_000_000
    const throttle = new LoginThrottle(3, 60_000, () => now)
    t.after(() => throttle.close())
    for (let i = 0; i < 3; i++) {
      throttle.check('alice')
      throttle.recordFailure('alice')
    }
    assert.throws(() => throttle.check('alice'), (error: unknown) => error instanceof TooManyAttempts && error.retryAfterSeconds === 60)
    throttle.check('bob')
    now += 30_000
    assert.throws(() => throttle.check('alice'), (error: unknown) => error instanceof TooManyAttempts && error.retryAfterSeconds === 30)
    now += 30_000
    throttle.check('alice')
  })

  test('a success clears the failures', (t) => {
    const throttle = new LoginThrottle(2, 60_000)
    t.after(() => throttle.close())
    throttle.recordFailure('alice')
    throttle.recordSuccess('alice')
    throttle.recordFailure('alice')
    throttle.check('alice')
  })
})
