import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import { ADMIN, Browser, buildTestApp, hiddenField, registerUser, tempDir, type TestApp } from '../helpers.js'
import { registerClient, startOAuthServer, type OAuthServer } from '../oauth2/harness.js'
import { TestIdp, writeSamlConfig } from '../saml/idp.js'
import { appRoutes, concretePath } from './routes.js'

type HeaderMap = Record<string, unknown>

function header(headers: HeaderMap, name: string): string {
  const value = headers[name]
  return Array.isArray(value) ? value.join(', ') : value === undefined ? '' : String(value)
}

/** The sources a CSP directive allows; a missing script-src falls back to default-src. */
function directive(policy: string, name: string): string[] | undefined {
  const found = policy.split(';').map((part) => part.trim().split(/\s+/)).find(([directiveName]) => directiveName === name)
  return found?.slice(1)
}

/** What every HTML page must send: no inline script, no framing, no referrer leak, no sniffing. */
function assertPageHeaders(label: string, headers: HeaderMap, https: boolean) {
  const policy = header(headers, 'content-security-policy')
  assert.ok(policy, `${label}: a Content-Security-Policy`)
  const scripts = directive(policy, 'script-src') ?? directive(policy, 'default-src')
  assert.ok(scripts, `${label}: script-src or default-src`)
  assert.ok(!scripts.includes("'unsafe-inline'") && !scripts.includes("'unsafe-eval'"), `${label}: scripts ${scripts.join(' ')}`)
  assert.deepEqual(directive(policy, 'frame-ancestors'), ["'none'"], `${label}: frame-ancestors`)
  // Over plain http, upgrading the page's requests to https would break it.
  if (!https) assert.equal(directive(policy, 'upgrade-insecure-requests'), undefined, `${label}: upgrade-insecure-requests over http`)
  assert.match(header(headers, 'referrer-policy'), /^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/, `${label}: Referrer-Policy`)
  assert.equal(header(headers, 'x-content-type-options'), 'nosniff', `${label}: X-Content-Type-Options`)
}

function assertCookies(label: string, setCookies: string[], https: boolean) {
  for (const line of setCookies) {
    const attributes = line.split(';').slice(1).map((part) => part.trim().toLowerCase())
    assert.ok(attributes.includes('httponly'), `${label}: HttpOnly on ${line.split('=')[0]}`)
    assert.ok(attributes.some((attribute) => /^samesite=(lax|strict)$/.test(attribute)), `${label}: SameSite on ${line.split('=')[0]}`)
    assert.equal(attributes.includes('secure'), https, `${label}: Secure on ${line.split('=')[0]} exactly when PUBLIC_URL is https`)
  }
}

const redirectUri = 'https://app.example.com/callback'

/**
 * Every HTML page and every cookie, over plain http (a local or sidecar setup): the pages
 * of each flow (sign-in, its errors, consent, the OAuth2 error page, SAML refusals,
 * /docs), and a sweep of every GET route the app has.
 */
describe('security headers on every HTML page, and cookie attributes (http)', () => {
  let server: OAuthServer
  let idp: TestIdp
  let removeDir: () => void
  const pages: string[] = []
  const cookies: string[] = []

  /** A browser request whose page headers and cookies are checked. */
  async function visit(browser: Browser, url: string, init: Parameters<Browser['request']>[1] = {}): Promise<Response> {
    const response = await browser.request(url, init)
    const headers: HeaderMap = {}
    response.headers.forEach((value, name) => {
      headers[name] = value
    })
    cookies.push(...response.headers.getSetCookie())
    assertCookies(url, response.headers.getSetCookie(), false)
    if (header(headers, 'content-type').startsWith('text/html')) {
      pages.push(`${init.method ?? (init.form ? 'POST' : 'GET')} ${url} ${response.status}`)
      assertPageHeaders(url, headers, false)
    }
    return response
  }

  before(async () => {
    idp = new TestIdp('acme')
    const { dir, remove } = tempDir()
    removeDir = remove
    server = await startOAuthServer({ SAML_CONFIG: writeSamlConfig(dir, [idp.configEntry()]), RATE_LIMIT: 'on', RATE_LIMIT_ACCOUNT_FAILURES: '2' })
  })
  after(async () => {
    await server.close()
    removeDir()
  })

  test('the sign-in page and its answers: wrong password, bad form, locked account', async () => {
    const browser = new Browser(server.base)
    const signIn = async (username: string, password: string) => {
      const page = await visit(browser, '/auth/local/login?returnTo=/auth/details')
      const form = { _csrf: hiddenField(await page.text(), '_csrf'), username, password }
      return (await visit(browser, '/auth/local/login', { form })).status
    }
    assert.equal(await signIn('someone', 'wrong guess'), 401)
    assert.equal(await signIn('someone', 'wrong guess'), 401)
    assert.equal(await signIn('someone', 'wrong guess'), 429)
    const page = await visit(browser, '/auth/local/login')
    assert.equal((await visit(browser, '/auth/local/login', { form: { _csrf: hiddenField(await page.text(), '_csrf'), username: '' } })).status, 400)
    assert.equal(await signIn(ADMIN.username, ADMIN.password), 303)
  })

  test('the consent page and the OAuth2 error page', async () => {
    const client = await registerClient(server, { redirect_uris: [redirectUri], client_name: 'Third party' })
    const user = await registerUser(server.app)
    const browser = new Browser(server.base)
    const query = new URLSearchParams({
      client_id: client.client_id,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid',
      code_challenge: createHash('sha256').update('v'.repeat(43)).digest('base64url'),
      code_challenge_method: 'S256'
    })
    assert.equal((await browser.signIn(user.username, user.password)).status, 303)
    const consent = await visit(browser, `/oauth2/authorization?${query}`)
    assert.match(await consent.text(), /Allow access\?/)
    const error = await visit(browser, `/oauth2/authorization?${new URLSearchParams({ client_id: 'nobody', redirect_uri: redirectUri })}`)
    assert.equal(error.status, 400)
  })

  test('SAML refusal pages', async () => {
    const browser = new Browser(server.base)
    const refused = await visit(browser, '/auth/saml/login/callback', { form: { SAMLResponse: Buffer.from('<not-saml/>').toString('base64'), RelayState: 'acme' } })
    assert.equal(refused.status, 401)
    assert.equal((await visit(browser, '/auth/saml/login/callback', { form: { SAMLResponse: '%%%' } })).status, 401)
  })

  test('every GET route, swept: whatever answers with HTML has the headers', async () => {
    const browser = new Browser(server.base)
    for (const route of appRoutes(server.app).filter(({ method }) => method === 'GET')) {
      await visit(browser, concretePath(route.path))
      await visit(browser, `${concretePath(route.path)}/`)
    }
  })

  test('the pages above were really checked, and cookies were set', () => {
    for (const expected of [
      /^GET \/auth\/local\/login\S* 200$/,
      /^POST \/auth\/local\/login 401$/,
      /^POST \/auth\/local\/login 400$/,
      /^POST \/auth\/local\/login 429$/,
      /^GET \/oauth2\/authorization\?client_id=\S+ 200$/,
      /^GET \/oauth2\/authorization\?client_id=nobody\S* 400$/,
      /^POST \/auth\/saml\/login\/callback 401$/,
      /^GET \/docs\/? 200$/
    ]) {
      assert.ok(pages.some((page) => expected.test(page)), `no page matched ${expected}: ${pages.join('; ')}`)
    }
    assert.ok(cookies.length > 0)
  })
})

describe('cookies under https (PUBLIC_URL https, behind a TLS-terminating proxy)', () => {
  let t: TestApp
  before(async () => {
    t = await buildTestApp({ PUBLIC_URL: 'https://auth.example', TRUST_PROXY: 'true' })
  })
  after(() => t.close())

  test('the CSRF and session cookies are Secure, HttpOnly, SameSite and __Host-; the pages keep their headers', async () => {
    const proxied = { 'x-forwarded-proto': 'https' }
    const page = await t.app.inject({ url: '/auth/local/login', headers: proxied })
    assertPageHeaders('sign-in page', page.headers, true)
    // The sign-in page stores nothing: its only cookie is the CSRF one, no session yet.
    const csrfCookie = page.headers['set-cookie'] as string
    assert.match(csrfCookie, /^__Host-moneypenny-csrf=/)
    assertCookies('sign-in page', [csrfCookie], true)
    const signedIn = await t.app.inject({
      method: 'POST',
      url: '/auth/local/login',
      headers: { ...proxied, cookie: csrfCookie.split(';')[0]!, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: hiddenField(page.body, '_csrf'), username: ADMIN.username, password: ADMIN.password }).toString()
    })
    assert.equal(signedIn.statusCode, 303)
    const sessionCookie = signedIn.headers['set-cookie'] as string
    assert.match(sessionCookie, /^__Host-moneypenny=/)
    assertCookies('sign-in', [sessionCookie], true)
    assertPageHeaders('/docs', (await t.app.inject({ url: '/docs/', headers: proxied })).headers, true)
  })
})
