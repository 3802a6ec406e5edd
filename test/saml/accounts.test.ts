import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { Conflict, Unauthenticated } from '../../src/errors.js'
import { Accounts } from '../../src/services/accounts.js'
import { Passwords } from '../../src/services/passwords.js'
import { buildTestApp, registerUser, signIn, type TestApp } from '../helpers.js'

describe('users of an identity provider', () => {
  let t: TestApp
  before(async () => {
    t = await buildTestApp()
  })
  after(() => t.close())

  let sequence = 0
  function person() {
    sequence += 1
    return { identity: { idp: 'acme', nameId: `person-${sequence}` }, claims: { username: `person ${sequence}`, email: `person${sequence}@acme.example` } }
  }

  test('a first sign-in creates a user without a password, with the user scope and no organisation', async () => {
    const { identity, claims } = person()
    const user = await t.app.accounts.findOrCreateSamlUser(identity, claims)
    assert.deepEqual([user.username, user.email, user.scope, user.organisation, user.active], [claims.username, claims.email, ['user'], null, true])
    assert.deepEqual([user.passwordHash, user.passwordScheme, user.samlIdentity], ['', 'none', identity])
  })

  test('a later sign-in finds the same user by IdP and NameID, whatever username or email the IdP now claims', async () => {
    const { identity, claims } = person()
    const first = await t.app.accounts.findOrCreateSamlUser(identity, claims)
    const again = await t.app.accounts.findOrCreateSamlUser(identity, { username: 'someone else', email: 'else@acme.example' })
    assert.equal(again.id, first.id)
    assert.equal(again.username, claims.username)
  })

  test('the same NameID at another IdP is another user', async () => {
    const { identity, claims } = person()
    const acme = await t.app.accounts.findOrCreateSamlUser(identity, claims)
    const globex = await t.app.accounts.findOrCreateSamlUser({ ...identity, idp: 'globex' }, { username: `${claims.username} g`, email: `g.${claims.email}` })
    assert.notEqual(globex.id, acme.id)
  })

  test('an IdP that claims the username or email of a local account gets a Conflict and never that account', async () => {
    const local = await registerUser(t.app)
    const { identity } = person()
    await assert.rejects(t.app.accounts.findOrCreateSamlUser(identity, { username: local.username, email: 'fresh@acme.example' }), Conflict)
    await assert.rejects(t.app.accounts.findOrCreateSamlUser(identity, { username: 'fresh name', email: local.email.toUpperCase() }), Conflict)
    assert.equal(await t.store.users.findBySamlIdentity(identity), null)
    assert.equal((await t.store.users.findById(local.id))?.samlIdentity, null)
  })

  test('scope and organisation the IdP sends are kept up to date; unknown scopes are ignored; a change ends the sessions', async () => {
    const { identity, claims } = person()
    const created = await t.app.accounts.findOrCreateSamlUser(identity, { ...claims, scope: ['user', 'wizard'], organisation: 'Acme' })
    assert.deepEqual([created.scope, created.organisation], [['user'], 'Acme'])
    const { session } = await t.app.sessions.startRefreshSession(created.id)
    const same = await t.app.accounts.findOrCreateSamlUser(identity, { ...claims, scope: ['user', 'user'], organisation: 'Acme' })
    assert.equal(same.updatedAt, created.updatedAt, 'nothing changed, nothing written')
    assert.equal(t.app.sessions.isRevoked(session.id), false)
    const promoted = await t.app.accounts.findOrCreateSamlUser(identity, { ...claims, scope: ['admin', 'user'] })
    assert.deepEqual([promoted.scope, promoted.organisation], [['admin', 'user'], 'Acme'])
    assert.equal(t.app.sessions.isRevoked(session.id), true)
  })

  test('password sign-in as a user of an identity provider fails like a wrong password, after the same bcrypt work', async () => {
    class CountingPasswords extends Passwords {
      comparesAgainstNothing = 0
      override verifyAgainstNothing(password: string) {
        this.comparesAgainstNothing += 1
        return super.verifyAgainstNothing(password)
      }
    }
    const passwords = new CountingPasswords(4)
    const accounts = new Accounts(t.store.users, passwords, t.app.sessions, null, { allowedScopes: t.config.allowedScopes })
    const { identity, claims } = person()
    await accounts.findOrCreateSamlUser(identity, claims)
    const local = await registerUser(t.app)
    const wrongPassword = await accounts.authenticate(local.username, 'not the password').catch((error: unknown) => error)
    assert.ok(wrongPassword instanceof Unauthenticated)
    for (const password of ['', 'anything at all']) {
      const refused = await accounts.authenticate(claims.username, password).catch((error: unknown) => error)
      assert.deepEqual(refused, wrongPassword)
    }
    assert.equal(passwords.comparesAgainstNothing, 2)
    await assert.rejects(signIn(t.app, claims.username, 'anything at all'), /authenticate failed: 401/)
  })
})
