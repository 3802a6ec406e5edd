import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { Browser, adminToken, hiddenField, registerUser, signIn, startServer, storedPasskey, type ListeningApp } from '../helpers.js'

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url')

/** An answer shaped like a browser's, signed by nobody: what a forger can post. */
function forgedAssertion(challenge: string, credentialId = 'cred-a', origin = 'http://127.0.0.1') {
  return {
    id: credentialId,
    rawId: credentialId,
    type: 'public-key',
    clientExtensionResults: {},
    response: {
      clientDataJSON: b64(JSON.stringify({ type: 'webauthn.get', challenge, origin })),
      authenticatorData: b64(Buffer.alloc(37)),
      signature: b64(Buffer.alloc(64))
    }
  }
}

/** Passkey routes without a browser: who may do what, and every malformed or forged answer a 4xx that changes nothing. */
describe('passkey endpoints', () => {
  let server: ListeningApp
  let admin: string

  before(async () => {
    server = await startServer()
    admin = await adminToken(server.app)
  })
  after(() => server.close())

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, token: string, payload?: unknown) =>
    server.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) })

  test('only the user asks for registration options and adds; the user or an admin lists; another user neither', async () => {
    const [ada, bob] = [await registerUser(server.app), await registerUser(server.app)]
    const adaToken = (await signIn(server.app, ada.username, ada.password)).accessToken
    const bobToken = (await signIn(server.app, bob.username, bob.password)).accessToken
    const options = await call('POST', `/api/v1/users/${ada.id}/passkeys/options`, adaToken)
    assert.equal(options.statusCode, 200)
    const body = options.json()
    assert.deepEqual([body.rp.id, body.attestation, body.authenticatorSelection.residentKey, body.authenticatorSelection.userVerification], ['127.0.0.1', 'none', 'required', 'required'])
    assert.equal(Buffer.from(body.user.id, 'base64url').toString(), ada.id, 'the user handle is the opaque id')
    assert.ok(Buffer.from(body.challenge, 'base64url').length >= 32)
    assert.equal((await call('POST', `/api/v1/users/${ada.id}/passkeys/options`, admin)).statusCode, 403)
    assert.equal((await call('POST', `/api/v1/users/${ada.id}/passkeys/options`, bobToken)).statusCode, 403)
    assert.equal((await call('GET', `/api/v1/users/${ada.id}/passkeys`, bobToken)).statusCode, 403)
    assert.deepEqual((await call('GET', `/api/v1/users/${ada.id}/passkeys`, adaToken)).json(), [])
    assert.deepEqual((await call('GET', `/api/v1/users/${ada.id}/passkeys`, admin)).json(), [])
    assert.equal((await call('GET', '/api/v1/users/nobody/passkeys', admin)).statusCode, 404)
  })

  test('a registration answer that is malformed, unsigned or for no challenge of this user is refused and stores nothing', async () => {
    const ada = await registerUser(server.app)
    const token = (await signIn(server.app, ada.username, ada.password)).accessToken
    const { challenge } = (await call('POST', `/api/v1/users/${ada.id}/passkeys/options`, token)).json()
    const credential = {
      id: 'cred-x',
      rawId: 'cred-x',
      type: 'public-key',
      clientExtensionResults: {},
      response: { clientDataJSON: b64(JSON.stringify({ type: 'webauthn.create', challenge, origin: server.base })), attestationObject: b64('not cbor') }
    }
    assert.equal((await call('POST', `/api/v1/users/${ada.id}/passkeys`, token, { credential: { ...credential, type: 'password' }, name: 'x' })).statusCode, 400)
    assert.equal((await call('POST', `/api/v1/users/${ada.id}/passkeys`, token, { credential, name: '   ' })).statusCode, 400)
    assert.equal((await call('POST', `/api/v1/users/${ada.id}/passkeys`, token, { credential, name: 'x'.repeat(65) })).statusCode, 400)
    assert.equal((await call('POST', `/api/v1/users/${ada.id}/passkeys`, token, { credential, name: 'Laptop' })).statusCode, 401, 'not CBOR: refused')
    assert.equal((await call('POST', `/api/v1/users/${ada.id}/passkeys`, token, { credential, name: 'Laptop' })).statusCode, 401, 'and its challenge is used up')
    const bad = { ...credential, response: { ...credential.response, clientDataJSON: b64('{not json') } }
    assert.equal((await call('POST', `/api/v1/users/${ada.id}/passkeys`, token, { credential: bad, name: 'Laptop' })).statusCode, 400)
    assert.deepEqual((await call('GET', `/api/v1/users/${ada.id}/passkeys`, token)).json(), [])
  })

  test('a registration challenge cannot complete a sign-in', async () => {
    const ada = await registerUser(server.app)
    await server.app.store.passkeys.add(storedPasskey(ada.id, 'cred-ada'))
    const token = (await signIn(server.app, ada.username, ada.password)).accessToken
    const { challenge } = (await call('POST', `/api/v1/users/${ada.id}/passkeys/options`, token)).json()
    const browser = new Browser(server.base)
    const page = await (await browser.request('/auth/local/login')).text()
    const posted = await browser.request('/auth/passkey', { form: { _csrf: hiddenField(page, '_csrf'), credential: JSON.stringify(forgedAssertion(challenge, 'cred-ada')) } })
    assert.equal(posted.status, 401)
    assert.match(await posted.text(), /That passkey was not accepted/)
    assert.equal((await browser.request('/auth/details')).status, 401)
    assert.equal((await server.app.store.passkeys.takeChallenge(challenge, 'registration', Date.now()))?.userId, ada.id, 'still only a registration challenge')
  })

  test('the passkey forms refuse malformed answers with a 4xx page; the second step needs a right password first', async () => {
    const browser = new Browser(server.base)
    const page = await (await browser.request('/auth/local/login')).text()
    const csrf = hiddenField(page, '_csrf')
    for (const credential of ['', 'not json', '[]', '{"id":1}', JSON.stringify({ ...forgedAssertion('c'), type: 'x' }), 'x'.repeat(9000)]) {
      const response = await browser.request('/auth/passkey', { form: { _csrf: csrf, credential } })
      assert.ok([400, 413].includes(response.status), `${credential.slice(0, 20)}: ${response.status}`)
    }
    assert.equal((await browser.request('/auth/passkey', { form: { _csrf: 'forged', credential: '{}' } })).status, 403, 'CSRF')
    assert.equal((await browser.request('/auth/passkey/options', { json: { _csrf: 'forged' } })).status, 403, 'CSRF')
    assert.equal((await browser.request('/auth/passkey/options', { json: { _csrf: csrf } })).status, 200)
    assert.equal((await browser.request('/auth/local/login/passkey/options', { json: { _csrf: csrf } })).status, 401, 'no password waits for a second step')
    const second = await browser.request('/auth/local/login/passkey', { form: { _csrf: csrf, credential: JSON.stringify(forgedAssertion('c')) } })
    assert.equal(second.status, 303)
    assert.equal(second.headers.get('location'), '/auth/local/login')
  })

  test('a user whom a policy asks for a second factor and who has a passkey but no TOTP is asked for the passkey; a code signs nobody in', async () => {
    const strict = await startServer({ MFA_REQUIRED_SCOPES: 'admin' })
    try {
      const ada = await registerUser(strict.app)
      await strict.app.accounts.update(ada.id, { scope: ['admin'] }, { isAdmin: true })
      await strict.app.store.passkeys.add(storedPasskey(ada.id, 'cred-ada'))
      const browser = new Browser(strict.base)
      const signedIn = await browser.signIn(ada.username, ada.password)
      assert.equal(signedIn.headers.get('location'), '/auth/local/login/code', 'the second step, not the TOTP enrolment')
      const page = await (await browser.request('/auth/local/login/code')).text()
      assert.match(page, /data-passkey="authenticate" data-options="\/auth\/local\/login\/passkey\/options"/)
      assert.doesNotMatch(page, /name="code"/)
      const posted = await browser.request('/auth/local/login/code', { form: { _csrf: hiddenField(page, '_csrf'), code: '123456' } })
      assert.equal(posted.status, 401)
      assert.equal((await browser.details()).status, 401)
    } finally {
      await strict.close()
    }
  })

  test('rename and delete: the owner renames; the last way in of a passwordless user is kept from them, not from an admin', async () => {
    const ada = await registerUser(server.app)
    const token = (await signIn(server.app, ada.username, ada.password)).accessToken
    await server.app.store.passkeys.add(storedPasskey(ada.id, 'cred-1'))
    assert.equal((await call('PATCH', `/api/v1/users/${ada.id}/passkeys/cred-1`, token, { name: 'Work laptop' })).statusCode, 204)
    assert.equal((await call('PATCH', `/api/v1/users/${ada.id}/passkeys/cred-2`, token, { name: 'x' })).statusCode, 404)
    assert.equal((await call('PATCH', `/api/v1/users/${ada.id}/passkeys/cred-1`, token, { name: '' })).statusCode, 400)
    assert.equal((await call('PATCH', `/api/v1/users/${ada.id}/passkeys/cred-1`, admin, { name: 'Mine now' })).statusCode, 403)
    assert.equal((await call('GET', `/api/v1/users/${ada.id}/passkeys`, token)).json()[0].name, 'Work laptop')

    // A user who has only passkeys (an account made without a password).
    await server.app.store.users.update(ada.id, { passwordHash: '', passwordScheme: 'none', updatedAt: Date.now() })
    assert.equal((await call('DELETE', `/api/v1/users/${ada.id}/passkeys/cred-1`, token)).statusCode, 409)
    assert.equal((await call('DELETE', `/api/v1/users/${ada.id}/passkeys/cred-1`, admin)).statusCode, 204, 'an admin removes a lost device')
    assert.equal((await call('DELETE', `/api/v1/users/${ada.id}/passkeys/cred-1`, admin)).statusCode, 404)
  })
})
