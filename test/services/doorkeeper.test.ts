import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { Doorkeeper } from '../../src/services/doorkeeper.js'

describe('Doorkeeper: admits a text on its second offer', () => {
  test('the first offer is refused, the second admitted, and a third starts again', () => {
    const doorkeeper = new Doorkeeper(16)
    assert.equal(doorkeeper.admits('eyJhbGciOi.payload.signature-one'), false)
    assert.equal(doorkeeper.admits('eyJhbGciOi.payload.signature-one'), true)
    assert.equal(doorkeeper.admits('eyJhbGciOi.payload.signature-one'), false)
  })

  test('texts that differ in their last characters are told apart', () => {
    const doorkeeper = new Doorkeeper(1000)
    const texts = Array.from({ length: 500 }, (_, i) => `header.payload.${i.toString(36).padStart(24, 'x')}`)
    for (const text of texts) assert.equal(doorkeeper.admits(text), false, text)
    for (const text of texts) assert.equal(doorkeeper.admits(text), true, text)
  })

  test('short texts and the empty text work too', () => {
    const doorkeeper = new Doorkeeper(4)
    assert.equal(doorkeeper.admits(''), false)
    assert.equal(doorkeeper.admits(''), true)
    assert.equal(doorkeeper.admits('a'), false)
    assert.equal(doorkeeper.admits('a'), true)
  })

  test('at its limit it forgets everything it held', () => {
    const doorkeeper = new Doorkeeper(3)
    for (const text of ['t1', 't2', 't3']) doorkeeper.admits(text)
    // Full: the fourth offer clears the three before recording itself.
    assert.equal(doorkeeper.admits('t4'), false)
    assert.equal(doorkeeper.admits('t1'), false, 't1 was forgotten')
    assert.equal(doorkeeper.admits('t4'), true, 't4 was recorded after the reset')
  })
})
