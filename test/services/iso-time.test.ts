import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isoTime } from '../../src/schemas/views.js'

test('isoTime writes what Date#toISOString writes, whatever instant came before', () => {
  const now = Date.UTC(2026, 11, 6, 17, 59, 59, 998)
  const instants = [
    now,
    now + 1,
    now + 2, // the next second: the cached date and time must move on
    now + 3,
    now - 998, // back to the start of an earlier second
    now + 5,
    0,
    -1, // 1969-12-31T23:59:59.999Z
    -1000,
    Date.UTC(2000, 1, 29, 0, 0, 0, 7),
    Date.UTC(2000, 1, 29, 0, 0, 0, 70),
    253402300799999, // 9999-12-31T23:59:59.999Z
    253402300800000, // +010000-01-01: six digits and a sign
    -62198755200000, // -000001
    now + 0.5 // a fraction of a millisecond is cut, as Date does
  ]
  for (const epochMs of instants) assert.equal(isoTime(epochMs), new Date(epochMs).toISOString(), String(epochMs))
  // Every millisecond of two seconds, in order and backwards.
  for (let ms = now - 1000; ms <= now + 1000; ms++) assert.equal(isoTime(ms), new Date(ms).toISOString())
  for (let ms = now + 1000; ms >= now - 1000; ms -= 7) assert.equal(isoTime(ms), new Date(ms).toISOString())
  assert.throws(() => isoTime(Number.NaN), RangeError)
})
