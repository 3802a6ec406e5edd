import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import * as oauth from 'oauth4webapi'
import { currentCode } from '../../src/services/mfa/totp.js'
import { Browser, postJson, registerUser, signIn } from '../helpers.js'
import { authorize, registerClient, startOAuthServer, type OAuthServer } from '../oauth2/harness.js'
import { nextCode, STEP_MS, userWithTotp } from './fixture.js'

describe('OpenID Connect with a second factor: amr, acr and acr_values', () => {
  let server: OAuthServer
  let as: oauth.AuthorizationServer
  let client: oauth.Client
  let auth: oauth.ClientAuth
  const redirectUri = 'http://127.0.0.1:9/callback'
  const http = { [oauth.allowInsecureRequests]: true }

  before(async () => {
    server = await startOAuthServer()
    const issuer = new URL(server.base)
    as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...http, algorithm: 'oidc' }))
    const registered = await registerClient(server, { client_name: 'Reports', redirect_uris: [redirectUri], scope: 'openid profile', first_party: true })
    client = { client_id: registered.client_id }
    auth = oauth.ClientSecretBasic(registered.client_secret!)
  })
  after(() => server.close())

  function authorizationUrl(extra: Record<string, string>, state: string, nonce: string, challenge: string): URL {
    const url = new URL(as.authorization_endpoint!)
    url.search = new URLSearchParams({ client_id: client.client_id, redirect_uri: redirectUri, response_type: 'code', scope: 'openid', state, nonce, code_challenge: challenge, code_challenge_method: 'S256', ...extra }).toString()
    return url
  }

  /** A code flow in `browser`; answers the ID token's claims, or the error the client was sent. */
  async function codeFlow(browser: Browser, user: { username: string; password: string; code?: () => string }, extra: Record<string, string> = {}) {
    const [verifier, state, nonce] = [oauth.generateRandomCodeVerifier(), oauth.generateRandomState(), oauth.generateRandomNonce()]
    const callback = await authorize(browser, authorizationUrl(extra, state, nonce, await oauth.calculatePKCECodeChallenge(verifier)), user)
    if (callback.searchParams.has('error')) return { error: callback.searchParams.get('error') }
    const params = oauth.validateAuthResponse(as, client, callback, state)
    const response = await oauth.authorizationCodeGrantRequest(as, client, auth, params, redirectUri, verifier, http)
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: nonce, requireIdToken: true })
    const { payload } = await jwtVerify(tokens.id_token!, createRemoteJWKSet(new URL(as.jwks_uri!)), { issuer: server.base, audience: client.client_id })
    return { claims: payload }
  }

  test('discovery lists both acr values', () => {
    assert.deepEqual(as.acr_values_supported, ['1', '2'])
  })

  test('a password sign-in: amr pwd, acr 1; with the second factor: amr pwd otp mfa, acr 2', async () => {
    const plain = await registerUser(server.app)
    const { claims: single } = await codeFlow(new Browser(server.base), plain)
    assert.deepEqual([single!.amr, single!.acr], [['pwd'], '1'])
    const user = await userWithTotp(server.app)
    const { claims: multi } = await codeFlow(new Browser(server.base), { ...user, code: () => nextCode(user.secret) })
    assert.deepEqual([multi!.amr, multi!.acr], [['pwd', 'otp', 'mfa'], '2'])
  })

  test('no code is issued before the second step: the flow stops at the code page', async () => {
    const user = await userWithTotp(server.app)
    const browser = new Browser(server.base)
    await assert.rejects(codeFlow(browser, user), /the second factor was asked for/)
  })

  test('acr_values=2 asks a signed-in user for the code even inside a remembered session', async () => {
    const user = await registerUser(server.app)
    const browser = new Browser(server.base)
    const { claims: before } = await codeFlow(browser, user)
    assert.equal(before!.acr, '1')
    // Enrolled since: the remembered session was made with the password alone.
    const authorization = `Bearer ${(await signIn(server.app, user.username, user.password)).accessToken}`
    const { secret } = (await server.app.inject({ method: 'POST', url: `/api/v1/users/${user.id}/mfa/totp`, headers: { authorization } })).json()
    assert.equal((await postJson(server.app, `/api/v1/users/${user.id}/mfa/totp/confirm`, { code: currentCode(secret) }, { authorization })).status, 200)
    const { claims } = await codeFlow(browser, { ...user, code: () => currentCode(secret, Date.now() + STEP_MS) }, { acr_values: '2' })
    assert.deepEqual([claims!.acr, claims!.amr], ['2', ['pwd', 'otp', 'mfa']])
    // Now the session has the factor: acr_values=2 passes without asking again.
    const { claims: again } = await codeFlow(browser, { ...user, code: () => assert.fail('asked again') }, { acr_values: '2' })
    assert.equal(again!.acr, '2')
  })

  test('acr_values=2 for a user without a second factor: unmet_authentication_requirements, no code', async () => {
    const user = await registerUser(server.app)
    assert.deepEqual(await codeFlow(new Browser(server.base), user, { acr_values: '2' }), { error: 'unmet_authentication_requirements' })
  })

  test('acr_values "1 2" is met by a password; prompt=none with a missing factor is interaction_required', async () => {
    const user = await registerUser(server.app)
    const browser = new Browser(server.base)
    const { claims } = await codeFlow(browser, user, { acr_values: '1 2' })
    assert.equal(claims!.acr, '1')
    const withFactor = await userWithTotp(server.app)
    const other = new Browser(server.base)
    await codeFlow(other, { ...withFactor, code: () => nextCode(withFactor.secret) })
    // A session with the factor meets acr_values=2 under prompt=none.
    const { claims: silent } = await codeFlow(other, withFactor, { acr_values: '2', prompt: 'none' })
    assert.equal(silent!.acr, '2')
    // The password-only session of the first user, who enrols now, cannot be stepped up silently.
    const authorization = `Bearer ${(await signIn(server.app, user.username, user.password)).accessToken}`
    const { secret } = (await server.app.inject({ method: 'POST', url: `/api/v1/users/${user.id}/mfa/totp`, headers: { authorization } })).json()
    await postJson(server.app, `/api/v1/users/${user.id}/mfa/totp/confirm`, { code: currentCode(secret) }, { authorization })
    assert.deepEqual(await codeFlow(browser, user, { acr_values: '2', prompt: 'none' }), { error: 'interaction_required' })
  })

  test('acr asked for as an essential claim with value "2" asks for the code; with only unknown values, unmet_authentication_requirements', async () => {
    const essential = (values: string[]) => ({ claims: JSON.stringify({ id_token: { acr: { essential: true, values } } }) })
    const user = await userWithTotp(server.app)
    const browser = new Browser(server.base)
    await codeFlow(browser, { ...user, code: () => nextCode(user.secret) })
    const plain = await registerUser(server.app)
    const plainBrowser = new Browser(server.base)
    assert.equal((await codeFlow(plainBrowser, plain)).claims!.acr, '1')
    assert.deepEqual(await codeFlow(plainBrowser, plain, essential(['2'])), { error: 'unmet_authentication_requirements' })
    assert.deepEqual(await codeFlow(plainBrowser, plain, essential(['urn:example:gold'])), { error: 'unmet_authentication_requirements' })
    assert.equal((await codeFlow(plainBrowser, plain, essential(['1']))).claims!.acr, '1')
    // Not essential: a wish, met as well as it can be.
    assert.equal((await codeFlow(plainBrowser, plain, { claims: JSON.stringify({ id_token: { acr: { values: ['2'] } } }) })).claims!.acr, '1')
    assert.equal((await codeFlow(browser, user, essential(['2']))).claims!.acr, '2')
    assert.deepEqual(await codeFlow(browser, user, { claims: JSON.stringify({ id_token: { acr: { essential: true, values: [2] } } }) }), { error: 'invalid_request' })
  })

  test('a client registered with default_acr_values ["2"] always asks, even when the request says acr_values=1', async () => {
    const strict = await registerClient(server, { client_name: 'Payroll', redirect_uris: [redirectUri], scope: 'openid', first_party: true, default_acr_values: ['2'] })
    assert.deepEqual(strict.default_acr_values, ['2'])
    const rejected = await postJson(server.app, '/api/v1/clients', { client_name: 'Odd', redirect_uris: [redirectUri], default_acr_values: ['urn:unknown'] }, { authorization: `Bearer ${server.admin}` })
    assert.equal(rejected.status, 400)
    const saved = { client, auth }
    client = { client_id: strict.client_id }
    auth = oauth.ClientSecretBasic(strict.client_secret!)
    try {
      const plain = await registerUser(server.app)
      assert.deepEqual(await codeFlow(new Browser(server.base), plain, { acr_values: '1' }), { error: 'unmet_authentication_requirements' })
      const user = await userWithTotp(server.app)
      let asked = 0
      const { claims } = await codeFlow(new Browser(server.base), { ...user, code: () => (asked++, nextCode(user.secret)) }, { acr_values: '1' })
      assert.deepEqual([asked, claims!.acr], [1, '2'])
    } finally {
      ;({ client, auth } = saved)
    }
  })

  test('max_age=0 and prompt=login ask for the second factor again', async () => {
    const user = await userWithTotp(server.app)
    const browser = new Browser(server.base)
    let asked = 0
    const codes = [nextCode(user.secret), user.recoveryCodes[0]!, user.recoveryCodes[1]!]
    const person = { ...user, code: () => codes[asked++]! }
    await codeFlow(browser, person)
    await codeFlow(browser, person, { max_age: '0' })
    const { claims } = await codeFlow(browser, person, { prompt: 'login' })
    assert.equal(asked, 3)
    assert.equal(claims!.acr, '2')
  })
})
