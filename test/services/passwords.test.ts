import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import bcrypt from 'bcrypt'
import { CURRENT_SCHEME, Passwords } from '../../src/services/passwords.js'

const passwords = new Passwords(4)

describe('passwords', () => {
  test('a hash verifies its password and not another', async () => {
    const hash = await passwords.hash('correct horse battery')
    assert.match(hash, /^\$2b\$04\$/)
    assert.equal(await passwords.verify('correct horse battery', hash, CURRENT_SCHEME), true)
    assert.equal(await passwords.verify('correct horse batterY', hash, CURRENT_SCHEME), false)
  })

  test('passwords longer than 72 bytes that share a prefix do not collide', async () => {
    const prefix = 'x'.repeat(100)
    const hash = await passwords.hash(`${prefix}-one`)
    assert.equal(await passwords.verify(`${prefix}-one`, hash, CURRENT_SCHEME), true)
    assert.equal(await passwords.verify(`${prefix}-two`, hash, CURRENT_SCHEME), false)
  })

  test('an imported plain bcrypt hash verifies as legacy and asks to be rehashed', async () => {
    const legacy = await bcrypt.hash('imported-password', 4)
    assert.equal(await passwords.verify('imported-password', legacy, 'bcrypt'), true)
    assert.equal(await passwords.verify('imported-password', legacy, CURRENT_SCHEME), false)
    assert.equal(passwords.needsRehash(legacy, 'bcrypt'), true)
  })

  test('a hash made at another cost asks to be rehashed', async () => {
    const hash = await new Passwords(5).hash('some password')
    assert.equal(passwords.needsRehash(hash, CURRENT_SCHEME), true)
    assert.equal(passwords.needsRehash(await passwords.hash('some password'), CURRENT_SCHEME), false)
  })

  test('a user without a password (scheme none) never verifies, whatever is given', async () => {
    for (const [password, hash] of [['', ''], ['anything', ''], ['anything', await passwords.hash('anything')]] as const) {
      assert.equal(await passwords.verify(password, hash, 'none'), false)
    }
  })

  test('checking against no user always fails', async () => {
    assert.equal(await passwords.verifyAgainstNothing('anything at all'), false)
  })
})
