import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import * as oauth from 'oauth4webapi'
import { Browser, registerUser } from '../helpers.js'
import { authorize, registerClient, startOAuthServer, type OAuthServer, type RegisteredClient } from './harness.js'

/**
 * Every flow driven by oauth4webapi, a standards-strict client library, against the
 * listening server; access and ID tokens verified with jose against the published JWKS.
 */
describe('OAuth2 and OpenID Connect with a strict client library', () => {
  let server: OAuthServer
  let as: oauth.AuthorizationServer
  let user: { username: string; password: string; id: string; email: string }
  const redirectUri = 'http://127.0.0.1:9/callback'
  const http = { [oauth.allowInsecureRequests]: true }

  before(async () => {
    // Without the reuse grace, so that presenting a rotated refresh token again is theft at once.
    server = await startOAuthServer({ REFRESH_TOKEN_REUSE_GRACE: '0' })
    const issuer = new URL(server.base)
    as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...http, algorithm: 'oidc' }))
    user = await registerUser(server.app)
  })
  after(() => server.close())

  async function codeFlow(registered: RegisteredClient, auth: oauth.ClientAuth, scope = 'openid profile email offline_access') {
    const client: oauth.Client = { client_id: registered.client_id }
    const verifier = oauth.generateRandomCodeVerifier()
    const state = oauth.generateRandomState()
    const nonce = oauth.generateRandomNonce()
    const url = new URL(as.authorization_endpoint!)
    url.search = new URLSearchParams({
      client_id: client.client_id,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope,
      state,
      nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256'
    }).toString()
    const callback = await authorize(new Browser(server.base), url, user)
    const params = oauth.validateAuthResponse(as, client, callback, state)
    const response = await oauth.authorizationCodeGrantRequest(as, client, auth, params, redirectUri, verifier, http)
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: nonce, requireIdToken: scope.includes('openid') })
    return { client, tokens }
  }

  test('discovery lists every endpoint and the values a client checks', () => {
    assert.equal(as.issuer, server.base)
    for (const endpoint of ['authorization_endpoint', 'token_endpoint', 'introspection_endpoint', 'revocation_endpoint', 'userinfo_endpoint', 'jwks_uri'] as const) {
      assert.ok(as[endpoint]?.startsWith(server.base), endpoint)
    }
    assert.deepEqual(as.code_challenge_methods_supported, ['S256'])
    assert.equal(as.authorization_response_iss_parameter_supported, true)
    assert.ok(as.grant_types_supported?.includes('client_credentials'))
  })

  test('the OAuth 2.0 metadata document is the same as the OIDC one', async () => {
    const issuer = new URL(server.base)
    const rfc8414 = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...http, algorithm: 'oauth2' }))
    assert.deepEqual(rfc8414, as)
  })

  test('a confidential client completes code + PKCE with client_secret_basic; tokens verify against the JWKS', async () => {
    const registered = await registerClient(server, {
      client_name: 'Reports',
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      scope: 'openid profile email offline_access'
    })
    const { client, tokens } = await codeFlow(registered, oauth.ClientSecretBasic(registered.client_secret!))
    assert.equal(tokens.token_type, 'bearer')
    assert.ok(tokens.refresh_token, 'offline_access gives a refresh token')
    const claims = oauth.getValidatedIdTokenClaims(tokens)!
    assert.equal(claims.sub, user.id)
    assert.equal(claims.aud, client.client_id)

    const jwks = createRemoteJWKSet(new URL(as.jwks_uri!))
    // A third-party client's token names the client as its audience, not moneypenny (RFC 9068 §3).
    const access = await jwtVerify(tokens.access_token, jwks, { issuer: server.base, audience: client.client_id, typ: 'at+jwt' })
    assert.equal(access.payload.client_id, client.client_id)
    assert.equal(access.payload.sub, user.id)
    assert.equal(access.payload.scope, 'openid profile email offline_access')
    assert.ok(access.payload.sid && access.payload.jti)
    const idToken = await jwtVerify(tokens.id_token!, jwks, { issuer: server.base, audience: client.client_id })
    assert.equal(idToken.protectedHeader.typ, 'JWT')
    assert.ok(typeof idToken.payload.at_hash === 'string' && typeof idToken.payload.auth_time === 'number')

    // RFC 9068 validation as a resource server would do it.
    const request = new Request(`${server.base}/api`, { headers: { authorization: `Bearer ${tokens.access_token}` } })
    const validated = await oauth.validateJwtAccessToken(as, request, client.client_id, http)
    assert.equal(validated.client_id, client.client_id)

    const info = await oauth.processUserInfoResponse(as, client, user.id, await oauth.userInfoRequest(as, client, tokens.access_token, http))
    assert.equal(info.preferred_username, user.username)
    assert.equal(info.email, user.email)
  })

  test("a third-party client's token does not act for the user at moneypenny's APIs; /authorise and userinfo still take it", async () => {
    const registered = await registerClient(server, { client_name: 'Third party', redirect_uris: [redirectUri], scope: 'openid profile email' })
    const { tokens } = await codeFlow(registered, oauth.ClientSecretBasic(registered.client_secret!), 'openid profile email')
    const bearer = { authorization: `Bearer ${tokens.access_token}` }
    const before = await server.store.users.findById(user.id)
    const refusals = [
      await server.app.inject({ url: `/api/v1/users/${user.id}`, headers: bearer }),
      await server.app.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}`, headers: bearer, payload: { email: 'taken-over@example.com' } }),
      await server.app.inject({ url: `/api/v1/users/${user.id}/consents`, headers: bearer }),
      await server.app.inject({ method: 'DELETE', url: `/api/v1/users/${user.id}/consents/${registered.client_id}`, headers: bearer }),
      await server.app.inject({ url: '/auth/details', headers: bearer })
    ]
    assert.deepEqual(refusals.map((response) => response.statusCode), [401, 401, 401, 401, 401])
    assert.deepEqual(await server.store.users.findById(user.id), before, 'nothing changed')
    assert.equal((await fetch(`${server.base}/authorise`, { headers: bearer })).status, 200)
    assert.equal((await fetch(`${server.base}/oauth2/userinfo`, { headers: bearer })).status, 200)

    // A first-party client's token is moneypenny's own: the user API takes it.
    const own = await registerClient(server, { client_name: 'Own app', redirect_uris: [redirectUri], scope: 'openid profile', first_party: true })
    const first = await codeFlow(own, oauth.ClientSecretBasic(own.client_secret!), 'openid profile')
    const read = await server.app.inject({ url: `/api/v1/users/${user.id}`, headers: { authorization: `Bearer ${first.tokens.access_token}` } })
    assert.equal(read.statusCode, 200, read.body)
  })

  test('a public client completes code + PKCE with no secret', async () => {
    const registered = await registerClient(server, {
      client_name: 'SPA',
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'none',
      scope: 'openid profile'
    })
    assert.equal(registered.client_secret, undefined)
    const { tokens } = await codeFlow(registered, oauth.None(), 'openid profile')
    assert.equal(tokens.refresh_token, undefined)
    assert.ok(tokens.id_token)
  })

  test('refresh tokens rotate; using a rotated one revokes the whole family', async () => {
    const registered = await registerClient(server, {
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'client_secret_post',
      first_party: true
    })
    const auth = oauth.ClientSecretPost(registered.client_secret!)
    const { client, tokens } = await codeFlow(registered, auth)
    const first = tokens.refresh_token!
    const rotated = await oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, auth, first, http))
    assert.ok(rotated.refresh_token && rotated.refresh_token !== first)

    const narrowed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, auth, rotated.refresh_token, { ...http, additionalParameters: { scope: 'openid' } })
    )
    assert.equal(narrowed.scope, 'openid')

    const reuse = await oauth.refreshTokenGrantRequest(as, client, auth, first, http)
    await assert.rejects(oauth.processRefreshTokenResponse(as, client, reuse), (error: oauth.ResponseBodyError) => error.error === 'invalid_grant')
    const afterReuse = await oauth.refreshTokenGrantRequest(as, client, auth, narrowed.refresh_token!, http)
    await assert.rejects(oauth.processRefreshTokenResponse(as, client, afterReuse), (error: oauth.ResponseBodyError) => error.error === 'invalid_grant')
    const authorise = await fetch(`${server.base}/authorise`, { headers: { authorization: `Bearer ${narrowed.access_token}` } })
    assert.equal(authorise.status, 401, 'access tokens of a revoked family are refused')
  })

  test('client credentials, introspection and revocation', async () => {
    const service = await registerClient(server, { client_name: 'Batch', grant_types: ['client_credentials'], scope: 'reports.read reports.write' })
    const auth = oauth.ClientSecretBasic(service.client_secret!)
    const client: oauth.Client = { client_id: service.client_id }
    const issued = await oauth.processClientCredentialsResponse(
      as,
      client,
      await oauth.clientCredentialsGrantRequest(as, client, auth, { scope: 'reports.read' }, http)
    )
    assert.equal(issued.scope, 'reports.read')
    assert.equal(issued.refresh_token, undefined)

    const active = await oauth.processIntrospectionResponse(as, client, await oauth.introspectionRequest(as, client, auth, issued.access_token, http))
    assert.equal(active.active, true)
    assert.equal(active.client_id, service.client_id)
    assert.equal(active.sub, service.client_id)

    // /authorise tells a service from a person: the seed's username is the client id, and subject_type says no user is involved.
    const checked = await fetch(`${server.base}/authorise`, { headers: { authorization: `Bearer ${issued.access_token}` } })
    assert.equal(checked.status, 200)
    const { data } = (await checked.json()) as { data: Record<string, unknown> }
    assert.deepEqual(
      [data.username, data.subject_type, data.sub, data.client_id, data.scope, data.organisation],
      [service.client_id, 'client', service.client_id, service.client_id, 'reports.read', null]
    )

    await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, auth, issued.access_token, http))
    const revoked = await oauth.processIntrospectionResponse(as, client, await oauth.introspectionRequest(as, client, auth, issued.access_token, http))
    assert.deepEqual(revoked, { active: false })
    await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, auth, 'not-a-token-we-issued', http))
  })

  test("revoking a refresh token ends its access tokens at /authorise and introspection", async () => {
    const registered = await registerClient(server, {
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      first_party: true
    })
    const auth = oauth.ClientSecretBasic(registered.client_secret!)
    const { client, tokens } = await codeFlow(registered, auth)
    const live = await fetch(`${server.base}/authorise`, { headers: { authorization: `Bearer ${tokens.access_token}` } })
    assert.equal(live.status, 200)
    const access = await oauth.processIntrospectionResponse(as, client, await oauth.introspectionRequest(as, client, auth, tokens.access_token!, http))
    assert.equal(access.active, true)
    assert.equal('organisation' in access, false, 'a user without an organisation: the member is left out, not null')
    const introspected = await oauth.processIntrospectionResponse(as, client, await oauth.introspectionRequest(as, client, auth, tokens.refresh_token!, http))
    assert.equal(introspected.token_type, 'refresh_token')
    await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, auth, tokens.refresh_token!, http))
    const refused = await fetch(`${server.base}/authorise`, { headers: { authorization: `Bearer ${tokens.access_token}` } })
    assert.equal(refused.status, 401)
    const inactive = await oauth.processIntrospectionResponse(as, client, await oauth.introspectionRequest(as, client, auth, tokens.access_token, http))
    assert.deepEqual(inactive, { active: false })
  })
})
