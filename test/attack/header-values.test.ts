import assert from 'node:assert/strict'
import { validateHeaderValue } from 'node:http'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { headerSafeUrl } from '../../src/http/header-value.js'
import { safeReturnTo } from '../../src/services/return-to.js'
import { ADMIN, Browser, hiddenField, tempDir } from '../helpers.js'
import { start, type Running } from '../e2e/server-process.js'
import { TestIdp, writeSamlConfig } from '../saml/idp.js'

/**
 * Values a request controls that reach a response header: returnTo (sign-in form and page,
 * SAML login), RelayState (SAML callback) and state (OAuth2 redirect). Node throws on a header
 * with a character HTTP does not allow, and before the fix that throw ended the process.
 * Each property sends real requests to a server in a process of its own, so that a crash shows
 * as a server that no longer answers, then checks that it still does.
 */

/** A server process on a store of its own, with no rate limits and its admin configured; PUBLIC_URL is where it listens. */
async function startServer(env: Record<string, string> = {}): Promise<Running & { remove: () => void }> {
  const { dir, remove } = tempDir()
  const running = await start(
    { SQLITE_PATH: join(dir, 'moneypenny.db'), RATE_LIMIT: 'off', ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, ADMIN_EMAIL: ADMIN.email, ...env },
    { issuerIsBase: true }
  )
  return { ...running, remove }
}

async function stop(server: Running & { remove: () => void }) {
  await server.stop()
  server.remove()
}

async function postJson(base: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
  assert.ok(response.ok, `${path}: ${response.status}`)
  return (await response.json()) as Record<string, unknown>
}

const user = { username: 'fuzzed', email: 'fuzzed@example.com', password: 'fuzzed-password-1' }

/** Any Unicode: every plane, lone surrogates, controls, and the characters that broke it. */
const unicode = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom('ā', '\u0100', '\ud800', '\r\nset-cookie: a=b', '\u0000', 'é', '\u00ff', ' ', '%zz', '\u2028')
)

const runs = { numRuns: 40 }

/** A Location that Node would send: a valid header value. */
function assertValidLocation(response: Response): string {
  const location = response.headers.get('location')
  assert.ok(location !== null, `no Location on a ${response.status}`)
  assert.doesNotThrow(() => validateHeaderValue('location', location))
  return location
}

async function assertStillServing(server: Running) {
  assert.equal((await fetch(`${server.base}/healthz`)).status, 200)
}

describe('header values from requests (property-based)', () => {
  test('safeReturnTo keeps only a same-origin path of visible ASCII, and headerSafeUrl makes any string a valid Location', () => {
    fc.assert(
      fc.property(unicode, (text) => {
        const path = `/${text}`
        const kept = safeReturnTo(path)
        if (kept !== null) {
          assert.match(kept, /^\/(?![/\\])[\x21-\x7e]*$/)
          assert.doesNotThrow(() => validateHeaderValue('location', kept))
        }
        assert.doesNotThrow(() => validateHeaderValue('location', headerSafeUrl(path)))
        assert.equal(headerSafeUrl('/plain/path?a=b'), '/plain/path?a=b')
      }),
      { numRuns: 2000 }
    )
  })

  describe('returnTo of the sign-in form', () => {
    let server: Running & { remove: () => void }
    before(async () => {
      server = await startServer()
      await postJson(server.base, '/api/v1/auth/local/register', user)
    })
    after(() => stop(server))

    test('a posted returnTo of any characters ends in a valid redirect, and the server goes on', async () => {
      await fc.assert(
        fc.asyncProperty(unicode, async (text) => {
          const returnTo = `/${text}`
          const browser = new Browser(server.base)
          const page = await browser.request('/auth/local/login')
          assert.equal(page.status, 200)
          const csrf = hiddenField(await page.text(), '_csrf')
          const response = await browser.request('/auth/local/login', { form: { _csrf: csrf, username: user.username, password: user.password, returnTo } })
          assert.equal(response.status, 303, await response.text())
          const location = assertValidLocation(response)
          assert.equal(location, safeReturnTo(returnTo) ?? '/auth/details')
        }),
        runs
      )
      await assertStillServing(server)
    })

    test('a returnTo of any characters in the link to the sign-in page ends in a valid redirect, as the seed link /auth/local/login?returnTo=%2F%C4%81 did not', async () => {
      await fc.assert(
        fc.asyncProperty(unicode, async (text) => {
          const browser = new Browser(server.base)
          const page = await browser.request(`/auth/local/login?${new URLSearchParams({ returnTo: `/${text}` })}`)
          assert.equal(page.status, 200)
          const html = await page.text()
          const form: Record<string, string> = { _csrf: hiddenField(html, '_csrf'), username: user.username, password: user.password }
          if (html.includes('name="returnTo"')) form.returnTo = hiddenField(html, 'returnTo')
          const response = await browser.request('/auth/local/login', { form })
          assert.equal(response.status, 303, await response.text())
          assertValidLocation(response)
        }),
        runs
      )
      await assertStillServing(server)
    })
  })

  describe('state of an authorization request', () => {
    let server: Running & { remove: () => void }
    let clientId: string
    let browser: Browser
    const redirectUri = 'https://app.example/callback'
    const afterLogout = 'https://app.example/signed-out'
    before(async () => {
      server = await startServer()
      await postJson(server.base, '/api/v1/auth/local/register', user)
      const admin = await postJson(server.base, '/api/v1/auth/local/authenticate', { username: ADMIN.username, password: ADMIN.password })
      const client = await postJson(
        server.base,
        '/api/v1/clients',
        { client_name: 'App', redirect_uris: [redirectUri], post_logout_redirect_uris: [afterLogout], first_party: true, token_endpoint_auth_method: 'none' },
        { authorization: `Bearer ${admin.accessToken as string}` }
      )
      clientId = client.client_id as string
      browser = new Browser(server.base)
      assert.equal((await browser.signIn(user.username, user.password)).status, 303)
    })
    after(() => stop(server))

    test('any state comes back to the client in a valid Location, exactly as sent', async () => {
      await fc.assert(
        fc.asyncProperty(unicode, async (state) => {
          const query = new URLSearchParams({
            response_type: 'code',
            client_id: clientId,
            redirect_uri: redirectUri,
            scope: 'openid',
            state,
            code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
            code_challenge_method: 'S256'
          })
          const response = await browser.request(`/oauth2/authorization?${query}`)
          assert.equal(response.status, 302, await response.text())
          const location = new URL(assertValidLocation(response))
          assert.equal(location.origin + location.pathname, redirectUri)
          // URLSearchParams turns a lone surrogate into U+FFFD, on the way in as on the way out.
          assert.equal(location.searchParams.get('state'), new URLSearchParams({ state }).get('state'))
        }),
        runs
      )
      await assertStillServing(server)
    })

    test('any state of a logout request comes back to the client in a valid Location, exactly as sent', async () => {
      await fc.assert(
        fc.asyncProperty(unicode, async (state) => {
          const stranger = new Browser(server.base)
          const response = await stranger.request(`/oauth2/logout?${new URLSearchParams({ client_id: clientId, post_logout_redirect_uri: afterLogout, state })}`)
          assert.equal(response.status, 303, await response.text())
          const location = new URL(assertValidLocation(response))
          assert.equal(location.origin + location.pathname, afterLogout)
          assert.equal(location.searchParams.get('state'), new URLSearchParams({ state }).get('state'))
        }),
        runs
      )
      await assertStillServing(server)
    })
  })

  describe('RelayState of a SAML answer', () => {
    let server: Running & { remove: () => void }
    let idp: TestIdp
    let removeDir: () => void
    before(async () => {
      idp = new TestIdp('acme')
      const { dir, remove } = tempDir()
      removeDir = remove
      server = await startServer({ SAML_CONFIG: writeSamlConfig(dir, [idp.configEntry({ wantAuthnResponseSigned: false })]) })
      idp.trust(await (await fetch(`${server.base}/auth/saml/metadata?idp=acme`)).text(), { signWholeResponse: false })
    })
    after(async () => {
      await stop(server)
      removeDir()
    })

    let sequence = 0
    test('a returnTo of any characters, carried in RelayState, ends in a valid redirect', async () => {
      await fc.assert(
        fc.asyncProperty(unicode, async (text) => {
          sequence += 1
          const browser = new Browser(server.base)
          const login = await browser.request(`/auth/saml/login?${new URLSearchParams({ idp: 'acme', returnTo: `/${text}` })}`)
          assert.equal(login.status, 302)
          const request = await idp.receive(login.headers.get('location')!)
          const who = { nameId: `fuzz-${sequence}@acme.example`, mail: `fuzz-${sequence}@acme.example`, uid: `fuzz ${sequence}`, org: 'Acme', groups: 'user' }
          const answer = await idp.answer(request, who)
          // The RelayState as the browser may bring it back: with the returnTo put in raw.
          const relayState = `idp=acme&returnTo=/${text}`
          const response = await browser.request('/auth/saml/login/callback', { form: { ...answer, RelayState: relayState } })
          assert.equal(response.status, 303, await response.text())
          assertValidLocation(response)
        }),
        { numRuns: 20 }
      )
      await assertStillServing(server)
    })
  })
})
