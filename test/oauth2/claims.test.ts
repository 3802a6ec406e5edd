import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import * as oauth from 'oauth4webapi'
import { ADA_PROFILE, Browser, registerUser } from '../helpers.js'
import { authorize, registerClient, startOAuthServer, type OAuthServer, type RegisteredClient } from './harness.js'

/**
 * Profile claims, the `claims` request parameter (OIDC Core §5.5), userinfo with the token in a
 * form body (RFC 6750 §2.2) and `acr`, driven by oauth4webapi against the listening server.
 */
describe('OIDC claims: profile, the claims parameter, userinfo by form body, acr', () => {
  let server: OAuthServer
  let as: oauth.AuthorizationServer
  const redirectUri = 'http://127.0.0.1:9/callback'
  const http = { [oauth.allowInsecureRequests]: true }
  const PROFILE = ADA_PROFILE
  const PROFILE_CLAIMS = ['name', 'given_name', 'family_name', 'locale', 'zoneinfo', 'picture']
  /** A user with every profile field set, one with none. */
  let ada: Awaited<ReturnType<typeof registerUser>>
  let plain: Awaited<ReturnType<typeof registerUser>>
  let firstParty: RegisteredClient
  let thirdParty: RegisteredClient

  before(async () => {
    server = await startOAuthServer()
    const issuer = new URL(server.base)
    as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...http, algorithm: 'oidc' }))
    ada = await registerUser(server.app)
    const patched = await server.app.inject({ method: 'PATCH', url: `/api/v1/users/${ada.id}`, headers: { authorization: `Bearer ${server.admin}` }, payload: PROFILE })
    assert.equal(patched.statusCode, 200, patched.body)
    plain = await registerUser(server.app)
    const metadata = { redirect_uris: [redirectUri], grant_types: ['authorization_code', 'refresh_token'], scope: 'openid profile email offline_access' }
    firstParty = await registerClient(server, { ...metadata, client_name: 'Own app', first_party: true })
    thirdParty = await registerClient(server, { ...metadata, client_name: 'Elsewhere' })
  })
  after(() => server.close())

  function authorizationUrl(registered: RegisteredClient, params: Record<string, string>): URL {
    const url = new URL(as.authorization_endpoint!)
    url.search = new URLSearchParams({ client_id: registered.client_id, redirect_uri: redirectUri, response_type: 'code', ...params }).toString()
    return url
  }

  async function codeFlow(registered: RegisteredClient, who: { username: string; password: string }, scope: string, extra: Record<string, string> = {}) {
    const client: oauth.Client = { client_id: registered.client_id }
    const auth = oauth.ClientSecretBasic(registered.client_secret!)
    const verifier = oauth.generateRandomCodeVerifier()
    const state = oauth.generateRandomState()
    const nonce = oauth.generateRandomNonce()
    const url = authorizationUrl(registered, { scope, state, nonce, code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...extra })
    const callback = await authorize(new Browser(server.base), url, who)
    const params = oauth.validateAuthResponse(as, client, callback, state)
    const response = await oauth.authorizationCodeGrantRequest(as, client, auth, params, redirectUri, verifier, http)
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: nonce, requireIdToken: true })
    return { client, auth, tokens, idToken: oauth.getValidatedIdTokenClaims(tokens)! }
  }

  async function userinfo(client: oauth.Client, sub: string, accessToken: string) {
    return oauth.processUserInfoResponse(as, client, sub, await oauth.userInfoRequest(as, client, accessToken, http))
  }

  test('discovery advertises the claims parameter, acr values and every profile claim', () => {
    assert.equal(as.claims_parameter_supported, true)
    assert.deepEqual(as.acr_values_supported, ['1', '2'])
    for (const claim of [...PROFILE_CLAIMS, 'preferred_username', 'updated_at', 'email', 'acr']) assert.ok(as.claims_supported?.includes(claim), claim)
  })

  test('profile gives the profile claims the user has, in the ID token and at userinfo, with acr "1"', async () => {
    const { client, idToken, tokens } = await codeFlow(thirdParty, ada, 'openid profile')
    const expected = { name: 'Ada Lovelace', given_name: 'Ada', family_name: 'Lovelace', locale: 'en-GB', zoneinfo: 'Europe/London', picture: 'https://pictures.example.com/ada.png', preferred_username: ada.username }
    const info = await userinfo(client, ada.id, tokens.access_token)
    for (const claims of [idToken, info]) {
      for (const [claim, value] of Object.entries(expected)) assert.equal(claims[claim], value, claim)
      assert.equal(typeof claims.updated_at, 'number')
      assert.equal(claims.email, undefined, 'email needs the email scope')
    }
    assert.equal(idToken.acr, '1')
  })

  test('claims the user has no value for are left out, never null; preferred_username stays', async () => {
    const { client, idToken, tokens } = await codeFlow(thirdParty, plain, 'openid profile email')
    const info = await userinfo(client, plain.id, tokens.access_token)
    for (const claims of [idToken, info]) {
      for (const claim of [...PROFILE_CLAIMS, 'organisation']) assert.ok(!(claim in claims), `${claim} is absent`)
      assert.equal(claims.preferred_username, plain.username)
      assert.equal(claims.email, plain.email)
    }
    assert.equal(idToken.acr, '1', 'acr is always present')
  })

  test('a first-party client gets claims asked for by name without their scope: an essential one in the ID token, another at userinfo, and again on refresh', async () => {
    const claims = JSON.stringify({ id_token: { given_name: { essential: true }, auth_time: { essential: true } }, userinfo: { locale: null, address: null } })
    const { client, auth, idToken, tokens } = await codeFlow(firstParty, ada, 'openid offline_access', { claims })
    assert.equal(idToken.given_name, 'Ada')
    assert.equal(idToken.locale, undefined, 'locale was asked for userinfo only')
    assert.equal(idToken.family_name, undefined, 'what was not asked for and no scope gives stays out')
    const info = await userinfo(client, ada.id, tokens.access_token)
    assert.equal(info.locale, 'en-GB')
    assert.equal(info.given_name, undefined, 'given_name was asked for the ID token only')
    assert.equal(info.address, undefined, 'a claim moneypenny does not know is ignored')

    const refreshed = await oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, http))
    const refreshedClaims = oauth.getValidatedIdTokenClaims(refreshed)!
    assert.equal(refreshedClaims.given_name, 'Ada', 'the request stays with the session')
    assert.equal(refreshedClaims.acr, '1')
    assert.equal((await userinfo(client, ada.id, refreshed.access_token)).locale, 'en-GB')
  })

  test('a third-party client gets by name the claims whose scope the person allowed: the consent page asks for it', async () => {
    const claims = JSON.stringify({ id_token: { email: { essential: true } }, userinfo: { given_name: null } })
    const query = new URLSearchParams({ client_id: thirdParty.client_id, redirect_uri: redirectUri, response_type: 'code', scope: 'openid', claims, state: 's', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' })
    const newcomer = await registerUser(server.app)
    const browser = new Browser(server.base)
    await browser.signIn(newcomer.username, newcomer.password)
    const asked = await browser.request(`/oauth2/authorization?${query}`)
    const consent = await asked.text()
    assert.equal(asked.status, 200, asked.headers.get('location') ?? '')
    assert.match(consent, /<code>profile<\/code>/, 'the consent page asks for the scope of given_name')
    assert.match(consent, /<code>email<\/code>/, 'and of email')
    const { client, idToken, tokens } = await codeFlow(thirdParty, ada, 'openid', { claims })
    assert.equal(idToken.email, ada.email)
    assert.equal((await userinfo(client, ada.id, tokens.access_token)).given_name, 'Ada')
    assert.equal(tokens.scope, 'openid', 'the token keeps the scope asked for')
  })

  test('a malformed or wrongly shaped claims parameter goes back to the client as invalid_request', async () => {
    const malformed = [
      'not json',
      '["given_name"]',
      '"id_token"',
      '{}',
      '{"id_token":["given_name"]}',
      '{"userinfo":null}',
      '{"id_token":{"given_name":true}}',
      '{"id_token":{"given_name":{"essential":"yes"}}}',
      '{"userinfo":{"locale":{"values":"en-GB"}}}',
      JSON.stringify({ id_token: { given_name: { value: 'x'.repeat(2100) } } })
    ]
    for (const claims of malformed) {
      const response = await fetch(authorizationUrl(firstParty, { scope: 'openid', state: 's-1', claims, code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' }), { redirect: 'manual' })
      assert.equal(response.status, 302, claims)
      const location = new URL(response.headers.get('location')!)
      assert.equal(`${location.origin}${location.pathname}`, redirectUri, claims)
      assert.equal(location.searchParams.get('error'), 'invalid_request', claims)
      assert.equal(location.searchParams.get('state'), 's-1')
    }
  })

  describe('userinfo with the access token in a form body (RFC 6750 §2.2)', () => {
    let accessToken: string
    before(async () => {
      accessToken = (await codeFlow(thirdParty, ada, 'openid profile')).tokens.access_token
    })
    const post = (body: string | undefined, headers: Record<string, string> = {}) =>
      fetch(`${server.base}/oauth2/userinfo`, { method: 'POST', headers: { ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }), ...headers }, ...(body === undefined ? {} : { body }) })

    test('POST with access_token in the form body answers the claims', async () => {
      const response = await post(new URLSearchParams({ access_token: accessToken }).toString())
      assert.equal(response.status, 200)
      const body = await response.json()
      assert.equal(body.sub, ada.id)
      assert.equal(body.given_name, 'Ada')
    })

    test('POST with the token in the header and no body still works', async () => {
      const response = await post(undefined, { authorization: `Bearer ${accessToken}` })
      assert.equal(response.status, 200)
    })

    test('a token in both the header and the body is invalid_request (400)', async () => {
      const response = await post(new URLSearchParams({ access_token: accessToken }).toString(), { authorization: `Bearer ${accessToken}` })
      assert.equal(response.status, 400)
      assert.equal((await response.json()).error, 'invalid_request')
    })

    test('a token in the query string is not read (401); a body without a token is 401; a JSON body is refused', async () => {
      const query = await fetch(`${server.base}/oauth2/userinfo?access_token=${encodeURIComponent(accessToken)}`)
      assert.equal(query.status, 401)
      assert.match(query.headers.get('www-authenticate') ?? '', /^Bearer /)
      assert.equal((await post('scope=openid')).status, 401)
      const json = await fetch(`${server.base}/oauth2/userinfo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ access_token: accessToken }) })
      assert.equal(json.status, 415)
    })
  })
})
