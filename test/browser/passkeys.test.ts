import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import * as oauth from 'oauth4webapi'
import type { Browser, CDPSession, Page } from 'playwright-core'
import { ADMIN, adminToken, jwtPayload, postJson, registerUser, signIn, startServer, type ListeningApp } from '../helpers.js'
import { nextCode, userWithTotp } from '../mfa/fixture.js'
import { launchChromium, openPage, screenshots } from './chromium.js'

declare global {
  // The bundle /assets/webauthn.js sets it; the tests call it to register by API from the page.
  interface Window {
    SimpleWebAuthnBrowser: { startRegistration(options: { optionsJSON: unknown }): Promise<unknown> }
  }
}

/** What the tests do with Chromium's virtual authenticator (DevTools protocol, WebAuthn domain). */
interface Authenticator {
  cdp: CDPSession
  id: string
}

/** A platform authenticator as on a laptop: CTAP2, internal, resident keys, user verification that succeeds. */
async function addAuthenticator(page: Page): Promise<Authenticator> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('WebAuthn.enable')
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true }
  })
  return { cdp, id: authenticatorId }
}

/** Passkeys in Debian's Chromium with a virtual authenticator: registration, sign-in alone, in OAuth2, as a second step, and the refusals. */
describe('passkeys in Chromium', () => {
  let server: ListeningApp
  let browser: Browser
  let admin: string

  before(async () => {
    // WebAuthn needs a domain: browsers refuse an IP address as the relying party ID.
    server = await startServer({}, 'localhost')
    browser = await launchChromium()
    admin = await adminToken(server.app)
  })
  after(async () => {
    await browser?.close()
    await server?.close()
  })

  /** Adds a passkey for `user` through the API, from the page (the browser part runs the ceremony with the virtual authenticator). */
  async function addPasskeyByApi(page: Page, user: { id: string; username: string; password: string; authorization?: string }, name = 'Laptop') {
    const accessToken = user.authorization?.slice('Bearer '.length) ?? (await signIn(server.app, user.username, user.password)).accessToken
    await page.goto('/auth/local/login')
    return page.evaluate(
      async ({ token, userId, name }) => {
        const headers = { authorization: `Bearer ${token}` }
        const options = await (await fetch(`/api/v1/users/${userId}/passkeys/options`, { method: 'POST', headers })).json()
        const credential = await window.SimpleWebAuthnBrowser.startRegistration({ optionsJSON: options })
        const response = await fetch(`/api/v1/users/${userId}/passkeys`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ credential, name })
        })
        return { status: response.status, body: await response.json() }
      },
      { token: accessToken, userId: user.id, name }
    )
  }

  async function signInWithPasskey(page: Page) {
    await page.goto('/auth/local/login')
    await page.getByRole('button', { name: 'Use a passkey', exact: true }).click()
  }

  test('a passkey added by API lists with its details and signs in alone from the sign-in page', async (t) => {
    const page = await openPage(browser, server.base, t, { locale: 'en-GB' })
    await addAuthenticator(page)
    const user = await registerUser(server.app)
    const added = await addPasskeyByApi(page, user)
    assert.equal(added.status, 201, JSON.stringify(added.body))
    assert.equal(added.body.name, 'Laptop')
    assert.equal(added.body.backed_up, false)
    assert.deepEqual(added.body.transports, ['internal'])

    const listed = await server.app.inject({ url: `/api/v1/users/${user.id}/passkeys`, headers: { authorization: `Bearer ${admin}` } })
    assert.deepEqual(listed.json().map((passkey: { id: string }) => passkey.id), [added.body.id], 'an admin sees it')

    await signInWithPasskey(page)
    await page.waitForURL('**/auth/details')
    assert.equal(JSON.parse((await page.locator('body').textContent()) ?? '{}').username, user.username)
    const [used] = (await server.app.inject({ url: `/api/v1/users/${user.id}/passkeys`, headers: { authorization: `Bearer ${admin}` } })).json()
    assert.ok(used.last_used_at !== null, 'the use is recorded')
  })

  test('a passkey added from the account console signs in alone after sign-out; renamed and removed there too', async (t) => {
    const page = await openPage(browser, server.base, t, { locale: 'en-GB' })
    await addAuthenticator(page)
    const user = await registerUser(server.app)
    await page.goto('/account')
    await page.getByLabel('Username or email').fill(user.username)
    await page.getByLabel('Password', { exact: true }).fill(user.password)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByRole('heading', { name: 'Passkeys' }).waitFor()
    await page.getByLabel('Name of the new passkey').fill('Work laptop')
    await page.getByRole('button', { name: 'Add a passkey' }).click()
    await page.getByText('The passkey was added.').waitFor()
    assert.deepEqual((await server.app.passkeys.list(user.id)).map((passkey) => passkey.name), ['Work laptop'])
    await page.locator('#passkeys').scrollIntoViewIfNeeded()
    await screenshots(page, 'account-passkeys-en')

    await page.getByLabel('New name for Work laptop').fill('Old laptop')
    await page.getByRole('button', { name: 'Rename' }).click()
    await page.getByText('The passkey was renamed.').waitFor()

    await page.context().clearCookies()
    await signInWithPasskey(page)
    await page.waitForURL('**/auth/details')
    assert.equal(JSON.parse((await page.locator('body').textContent()) ?? '{}').username, user.username)

    await page.goto('/account')
    await page.getByRole('button', { name: 'Remove Old laptop' }).click()
    await page.getByText('The passkey was removed.').waitFor()
    assert.deepEqual(await server.app.passkeys.list(user.id), [])
  })

  test('through an OAuth2 client asking for acr 2: the ID token says hwk, user, mfa and acr 2', async (t) => {
    const page = await openPage(browser, server.base, t, { locale: 'en-GB' })
    await addAuthenticator(page)
    const user = await registerUser(server.app)
    assert.equal((await addPasskeyByApi(page, user)).status, 201)
    // The app's callback stands in as a page of this server that answers 200 to anything: the test reads the code from its URL.
    const redirectUri = `${server.base}/healthz`
    const registered = await postJson(server.app, '/api/v1/clients', { client_name: 'Reports', redirect_uris: [redirectUri], scope: 'openid', first_party: true }, { authorization: `Bearer ${admin}` })
    assert.equal(registered.status, 201)
    const { client_id: clientId, client_secret: secret } = registered.body as { client_id: string; client_secret: string }
    const verifier = oauth.generateRandomCodeVerifier()
    const query = new URLSearchParams({
      client_id: clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid',
      state: 'state-1',
      nonce: 'nonce-1',
      acr_values: '2',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256'
    })
    await page.goto(`/oauth2/authorization?${query}`)
    await page.getByText('Sign in to continue to Reports.').waitFor()
    await screenshots(page, 'passkey-sign-in-en')
    await page.getByRole('button', { name: 'Use a passkey', exact: true }).click()
    await page.waitForURL(`${redirectUri}**`)
    const code = new URL(page.url()).searchParams.get('code')
    assert.ok(code, 'a code for the client')
    const tokens = await server.app.inject({
      method: 'POST',
      url: '/oauth2/token',
      headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }).toString()
    })
    assert.equal(tokens.statusCode, 200, tokens.body)
    const claims = jwtPayload(tokens.json().id_token)
    assert.deepEqual([claims.amr, claims.acr, claims.sub], [['hwk', 'user', 'mfa'], '2', user.id])
  })

  test('an admin signs in to the console with a passkey alone', async (t) => {
    const page = await openPage(browser, server.base, t, { locale: 'en-GB' })
    await addAuthenticator(page)
    const [root] = (await server.app.accounts.list({ offset: 0, limit: 1, search: ADMIN.username })).items
    assert.equal((await addPasskeyByApi(page, { ...ADMIN, id: root!.id })).status, 201)
    await page.goto('/admin')
    await page.getByRole('button', { name: 'Use a passkey', exact: true }).click()
    await page.waitForURL('**/admin')
    await page.getByRole('heading', { name: 'Overview' }).waitFor()
  })

  test('an authenticator that did not verify the user is refused', async (t) => {
    const page = await openPage(browser, server.base, t, { locale: 'en-GB' })
    const authenticator = await addAuthenticator(page)
    const user = await registerUser(server.app)
    assert.equal((await addPasskeyByApi(page, user)).status, 201)
    await authenticator.cdp.send('WebAuthn.setUserVerified', { authenticatorId: authenticator.id, isUserVerified: false })
    // Chromium itself refuses a ceremony that requires verification it cannot give; the server
    // must refuse too when the options are changed on the way to ask for less.
    await page.route('**/auth/passkey/options', async (route) => {
      const options = await (await route.fetch()).json()
      await route.fulfill({ json: { ...options, userVerification: 'discouraged' } })
    })
    await signInWithPasskey(page)
    await page.getByText('That passkey was not accepted.').waitFor()
    assert.equal(new URL(page.url()).pathname, '/auth/passkey')
    assert.equal((await server.app.inject({ url: '/auth/details', headers: { cookie: (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ') } })).statusCode, 401)
  })

  test('a credential whose signature counter went back is refused (a possible clone)', async (t) => {
    const page = await openPage(browser, server.base, t, { locale: 'en-GB' })
    const authenticator = await addAuthenticator(page)
    const user = await registerUser(server.app)
    assert.equal((await addPasskeyByApi(page, user)).status, 201)
    for (let i = 0; i < 2; i += 1) {
      await signInWithPasskey(page)
      await page.waitForURL('**/auth/details')
      await page.context().clearCookies()
    }
    const { credentials } = await authenticator.cdp.send('WebAuthn.getCredentials', { authenticatorId: authenticator.id })
    const [credential] = credentials
    assert.ok(credential && credential.signCount >= 2, `counter ${credential?.signCount}`)
    await authenticator.cdp.send('WebAuthn.removeCredential', { authenticatorId: authenticator.id, credentialId: credential.credentialId })
    await authenticator.cdp.send('WebAuthn.addCredential', { authenticatorId: authenticator.id, credential: { ...credential, signCount: 0 } })
    await signInWithPasskey(page)
    await page.getByText('That passkey was not accepted.').waitFor()
  })

  test('a challenge completes one sign-in: the same answer posted twice at once signs in once, and never again', async (t) => {
    const page = await openPage(browser, server.base, t, { locale: 'en-GB' })
    await addAuthenticator(page)
    const user = await registerUser(server.app)
    assert.equal((await addPasskeyByApi(page, user)).status, 201)
    // The form's post is held back: its body is posted twice at once, then once more.
    const posted = new Promise<string>((resolve) => {
      void page.route('**/auth/passkey', async (route) => {
        resolve(route.request().postData() ?? '')
        await route.fulfill({ status: 200, contentType: 'text/plain', body: 'held back by the test' })
      })
    })
    await page.goto('/auth/local/login')
    await page.getByRole('button', { name: 'Use a passkey', exact: true }).click()
    const body = await posted
    await page.unroute('**/auth/passkey')
    // Posted from here with the browser's cookies of that moment, so that only the challenge can refuse a post.
    const cookie = (await page.context().cookies()).map(({ name, value }) => `${name}=${value}`).join('; ')
    const post = async (times: number) => {
      const once = () => fetch(new URL('/auth/passkey', server.base), { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body, redirect: 'manual' })
      return (await Promise.all(Array.from({ length: times }, once))).map((response) => response.status).sort()
    }
    assert.deepEqual(await post(2), [303, 401], 'one sign-in of two at once')
    assert.deepEqual(await post(1), [401], 'used')
  })

  test('a passkey as the second step after the password, in place of the code', async (t) => {
    const page = await openPage(browser, server.base, t, { locale: 'en-GB', colorScheme: 'dark' })
    await addAuthenticator(page)
    const user = await userWithTotp(server.app)
    assert.equal((await addPasskeyByApi(page, user)).status, 201)
    await page.goto('/auth/local/login?returnTo=%2Fauth%2Fdetails')
    await page.getByLabel('Username or email').fill(user.username)
    await page.getByLabel('Password').fill(user.password)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByRole('heading', { name: 'Two-step verification' }).waitFor()
    assert.ok(await page.getByLabel('Verification code').isVisible(), 'the code stays possible')
    await screenshots(page, 'passkey-second-step-dark')
    await page.getByRole('button', { name: 'Use a passkey instead' }).click()
    await page.waitForURL('**/auth/details')
    assert.equal(JSON.parse((await page.locator('body').textContent()) ?? '{}').username, user.username)
    // The code was not used: the next one still signs in elsewhere.
    assert.equal((await postJson(server.app, '/api/v1/auth/local/authenticate', { username: user.username, password: user.password, otp: nextCode(user.secret) })).status, 200)
  })
})
