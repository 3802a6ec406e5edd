import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { ADMIN, buildTestApp, hiddenField, registerUser, storedPasskey, type TestApp } from '../helpers.js'

/** A browser over app.inject: a cookie jar, form posts, redirects seen one hop at a time. */
class InjectBrowser {
  private readonly cookies = new Map<string, string>()

  constructor(private readonly app: FastifyInstance) {}

  async request(url: string, form?: Record<string, string | string[]>) {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
    const body = form === undefined ? undefined : new URLSearchParams(Object.entries(form).flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((item) => [name, item]))).toString()
    const response = await this.app.inject({
      method: form === undefined ? 'GET' : 'POST',
      url,
      headers: { ...(cookie ? { cookie } : {}), ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }) },
      ...(body === undefined ? {} : { payload: body })
    })
    for (const set of response.cookies) this.cookies.set(set.name, set.value)
    return response
  }

  /** The CSRF token of the page at `url` (any console page's forms carry one). */
  async csrf(url = '/admin'): Promise<string> {
    return hiddenField((await this.request(url)).body, '_csrf')
  }

  async signIn(username: string, password: string) {
    const page = await this.request('/auth/local/login?returnTo=/admin')
    const response = await this.request('/auth/local/login', { _csrf: hiddenField(page.body, '_csrf'), username, password, returnTo: '/admin' })
    assert.equal(response.statusCode, 303)
    assert.equal(response.headers.location, '/admin')
  }
}

/** The error shown beside field `name`, or null. */
function fieldError(html: string, name: string): string | null {
  return new RegExp(`id="field-${name}-error">([^<]*)<`).exec(html)?.[1] ?? null
}

describe('admin console forms', () => {
  let t: TestApp
  let admin: InjectBrowser

  before(async () => {
    t = await buildTestApp({ RATE_LIMIT: 'off' })
    admin = new InjectBrowser(t.app)
    await admin.signIn(ADMIN.username, ADMIN.password)
  })
  after(() => t.close())

  test('someone not signed in is sent to the sign-in page and back to the page asked for', async () => {
    const response = await new InjectBrowser(t.app).request('/admin/users?q=x')
    assert.equal(response.statusCode, 303)
    assert.equal(response.headers.location, `/auth/local/login?returnTo=${encodeURIComponent('/admin/users?q=x')}`)
  })

  test('a signed-in user without the admin scope gets a 403 page on every console page and can change nothing', async () => {
    const user = await registerUser(t.app)
    const browser = new InjectBrowser(t.app)
    await browser.signIn(user.username, user.password)
    for (const url of ['/admin', '/admin/users', `/admin/users/${user.id}`, '/admin/clients', '/admin/keys']) {
      const response = await browser.request(url)
      assert.equal(response.statusCode, 403, url)
      assert.match(response.body, /does not hold the admin scope/)
    }
    const csrf = hiddenField((await browser.request('/admin')).body, '_csrf')
    const attempt = await browser.request('/admin/users', { _csrf: csrf, username: 'sneaky', email: 'sneaky@example.com', password: 'long-enough-1', scope: 'admin', active: 'yes' })
    assert.equal(attempt.statusCode, 403)
    assert.equal((await t.app.accounts.list({ limit: 10, offset: 0, search: 'sneaky' })).total, 0)
  })

  test('a change without the CSRF token is refused and changes nothing', async () => {
    const response = await admin.request('/admin/users', { username: 'no-csrf', email: 'no-csrf@example.com', password: 'long-enough-1', active: 'yes' })
    assert.equal(response.statusCode, 403)
    assert.match(response.body, /Nothing was changed/)
    const wrong = await admin.request('/admin/users', { _csrf: 'forged', username: 'no-csrf', email: 'no-csrf@example.com', password: 'long-enough-1', active: 'yes' })
    assert.equal(wrong.statusCode, 403)
    assert.equal((await t.app.accounts.list({ limit: 10, offset: 0, search: 'no-csrf' })).total, 0)
  })

  test('validation errors are shown beside their fields and the form keeps what was typed, but not the password', async () => {
    const response = await admin.request('/admin/users', { _csrf: await admin.csrf(), username: ' bad name ', email: 'not-an-email', password: 'short', organisation: 'Kept Org', active: 'yes' })
    assert.equal(response.statusCode, 400)
    assert.ok(fieldError(response.body, 'username'))
    assert.match(fieldError(response.body, 'email')!, /email address/)
    assert.match(fieldError(response.body, 'password')!, /8/)
    assert.match(response.body, /aria-invalid="true"/)
    assert.match(response.body, /value="Kept Org"/)
    assert.doesNotMatch(response.body, /value="short"/)
  })

  test("the service's refusals are shown beside their field too: a taken username, a scope outside the list", async () => {
    const taken = await admin.request('/admin/users', { _csrf: await admin.csrf(), username: ADMIN.username, email: 'other@example.com', password: 'long-enough-1' })
    assert.equal(taken.statusCode, 409)
    assert.match(fieldError(taken.body, 'username')!, /already taken/)
    const scope = await admin.request('/admin/users', { _csrf: await admin.csrf(), username: 'scoped', email: 'scoped@example.com', password: 'long-enough-1', scope: 'root' })
    assert.equal(scope.statusCode, 400)
    assert.match(fieldError(scope.body, 'scope')!, /scope may hold only/)
    const client = await admin.request('/admin/clients', { _csrf: await admin.csrf(), client_name: 'x', redirect_uris: 'http://evil.example/cb', grant_types: 'authorization_code', scope: 'openid', token_endpoint_auth_method: 'client_secret_basic' })
    assert.equal(client.statusCode, 400)
    assert.match(fieldError(client.body, 'redirect_uris')!, /https/)
  })

  test('deleting a user takes the confirmation step: without it nothing is deleted', async () => {
    const user = await registerUser(t.app)
    const confirmation = await admin.request(`/admin/users/${user.id}/delete`)
    assert.equal(confirmation.statusCode, 200)
    assert.match(confirmation.body, /cannot be undone/)
    const unconfirmed = await admin.request(`/admin/users/${user.id}/delete`, { _csrf: await admin.csrf() })
    assert.equal(unconfirmed.statusCode, 400)
    assert.equal((await t.app.accounts.get(user.id)).id, user.id)
    const done = await admin.request(`/admin/users/${user.id}/delete`, { _csrf: hiddenField(confirmation.body, '_csrf'), confirm: 'yes' })
    assert.equal(done.statusCode, 303)
    assert.equal(done.headers.location, '/admin/users?done=user-deleted')
    await assert.rejects(t.app.accounts.get(user.id), /No such user/)
  })

  test("ending a session names the user it belongs to: another user's session id ends nothing", async () => {
    const owner = await registerUser(t.app)
    const other = await registerUser(t.app)
    const { session } = await t.app.sessions.startRefreshSession(owner.id)
    const confirmation = await admin.request(`/admin/users/${other.id}/sessions/${session.id}/end`)
    const response = await admin.request(`/admin/users/${other.id}/sessions/${session.id}/end`, { _csrf: hiddenField(confirmation.body, '_csrf'), confirm: 'yes' })
    assert.equal(response.statusCode, 404)
    assert.equal(t.app.sessions.isRevoked(session.id), false)
    assert.deepEqual((await t.app.sessions.liveSessionsOf(owner.id)).map((live) => live.id), [session.id])
  })

  test("a user's passkeys are listed on their page; deleting one takes the confirmation step and names its owner", async () => {
    const [owner, other] = [await registerUser(t.app), await registerUser(t.app)]
    await t.app.store.passkeys.add(storedPasskey(owner.id, 'cred-stolen-laptop', { counter: 3, name: '<b>Stolen</b> laptop' }))
    const userPage = await admin.request(`/admin/users/${owner.id}`)
    assert.match(userPage.body, /&lt;b>Stolen&lt;\/b> laptop<\/strong> · one device/)
    assert.match(userPage.body, /href="\/admin\/users\/[^"]+\/passkeys\/cred-stolen-laptop\/delete"/)
    assert.equal((await admin.request(`/admin/users/${other.id}/passkeys/cred-stolen-laptop/delete`)).statusCode, 404, "not the other user's")
    assert.equal((await admin.request(`/admin/users/${owner.id}/passkeys/not%20an%20id/delete`)).statusCode, 400)
    const confirmation = await admin.request(`/admin/users/${owner.id}/passkeys/cred-stolen-laptop/delete`)
    assert.match(confirmation.body, /Delete the passkey “&lt;b>Stolen&lt;\/b> laptop” of /)
    const unconfirmed = await admin.request(`/admin/users/${owner.id}/passkeys/cred-stolen-laptop/delete`, { _csrf: hiddenField(confirmation.body, '_csrf') })
    assert.equal(unconfirmed.statusCode, 400)
    assert.equal((await t.app.passkeys.list(owner.id)).length, 1)
    const done = await admin.request(`/admin/users/${owner.id}/passkeys/cred-stolen-laptop/delete`, { _csrf: hiddenField(confirmation.body, '_csrf'), confirm: 'yes' })
    assert.equal(done.headers.location, `/admin/users/${owner.id}?done=passkey-deleted`)
    assert.deepEqual(await t.app.passkeys.list(owner.id), [])
  })

  test("a user's links to upstream providers are listed on their page; removing one takes the confirmation step", async () => {
    const [owner, other] = [await registerUser(t.app), await registerUser(t.app)]
    await t.app.store.identityLinks.add({ provider: 'acme', subject: '<i>sub</i>', userId: owner.id, createdAt: Date.now(), lastUsedAt: null })
    const userPage = await admin.request(`/admin/users/${owner.id}`)
    assert.match(userPage.body, /<strong>acme<\/strong> · <code>&lt;i>sub&lt;\/i><\/code>/)
    assert.match(userPage.body, /href="\/admin\/users\/[^"]+\/links\/acme\/delete"/)
    assert.equal((await admin.request(`/admin/users/${other.id}/links/acme/delete`)).statusCode, 404, "not the other user's")
    assert.equal((await admin.request(`/admin/users/${owner.id}/links/Not%20A%20Name/delete`)).statusCode, 400)
    const confirmation = await admin.request(`/admin/users/${owner.id}/links/acme/delete`)
    assert.match(confirmation.body, /Remove the link of .* to acme\?/)
    const unconfirmed = await admin.request(`/admin/users/${owner.id}/links/acme/delete`, { _csrf: hiddenField(confirmation.body, '_csrf') })
    assert.equal(unconfirmed.statusCode, 400)
    assert.equal((await t.app.identityLinks.list(owner.id)).length, 1)
    const done = await admin.request(`/admin/users/${owner.id}/links/acme/delete`, { _csrf: hiddenField(confirmation.body, '_csrf'), confirm: 'yes' })
    assert.equal(done.headers.location, `/admin/users/${owner.id}?done=link-removed`)
    assert.deepEqual(await t.app.identityLinks.list(owner.id), [])
  })

  test('signing out of the console ends the browser session; a non-admin can sign out too', async () => {
    const user = await registerUser(t.app)
    const browser = new InjectBrowser(t.app)
    await browser.signIn(user.username, user.password)
    const signOut = await browser.request('/admin/sign-out', { _csrf: await browser.csrf() })
    assert.equal(signOut.statusCode, 303)
    assert.equal(signOut.headers.location, '/auth/local/login?returnTo=/admin')
    assert.equal((await browser.request('/auth/details')).statusCode, 401)
  })

  test('a client is registered as a resource server through the form; list and detail show the setting; a bad value is refused beside the field', async () => {
    const form = { client_name: 'inventory api', redirect_uris: 'https://inventory.example/cb', grant_types: 'client_credentials', scope: 'openid' }
    const newForm = await admin.request('/admin/clients/new')
    assert.match(newForm.body, /<select id="field-resource_server" name="resource_server" aria-describedby="field-resource_server-hint"><option value(="")? selected>None/)
    const created = await admin.request('/admin/clients', { _csrf: hiddenField(newForm.body, '_csrf'), ...form, token_endpoint_auth_method: 'client_secret_basic', resource_server: 'audience' })
    assert.equal(created.statusCode, 201)
    const id = /<input type="text" id="client-id" readonly value="([^"]+)"/.exec(created.body)![1]!
    assert.equal((await t.app.oauth2.clients.get(id)).resourceServer, 'audience')
    const detail = await admin.request(`/admin/clients/${id}`)
    assert.match(detail.body, /<option value="audience" selected>/)
    assert.match(detail.body, /resource server: audience/)
    const list = await admin.request('/admin/clients')
    assert.match(list.body, new RegExp(`<code>${id}</code></td><td>client_credentials</td><td>confidential</td><td>audience</td>`))
    const refused = await admin.request(`/admin/clients/${id}`, { _csrf: hiddenField(detail.body, '_csrf'), ...form, resource_server: 'everything' })
    assert.equal(refused.statusCode, 400)
    assert.match(fieldError(refused.body, 'resource_server')!, /none, audience or all/)
    assert.equal((await t.app.oauth2.clients.get(id)).resourceServer, 'audience')
  })

  test('user and client names are escaped wherever they appear', async () => {
    const evil = '<script>alert(1)</script>'
    const user = await t.app.accounts.create({ username: 'x-script', email: 'xss@example.com', password: 'long-enough-1', organisation: evil })
    const client = await t.app.oauth2.clients.create({ client_name: evil, redirect_uris: ['https://app.example/cb'] })
    for (const url of [`/admin/users/${user.id}`, '/admin/users?q=xss', `/admin/users?q=${encodeURIComponent(evil)}`, '/admin/clients', `/admin/clients/${client.client.id}`, `/admin/clients/${client.client.id}/delete`]) {
      const response = await admin.request(url)
      assert.equal(response.statusCode, 200, url)
      assert.doesNotMatch(response.body, /<script>alert/, url)
      // In text and in quoted attributes alike a '<' is escaped; a '>' inside a quoted attribute opens nothing.
      assert.match(response.body, /&lt;script(&gt;|>)alert\(1\)&lt;\/script(&gt;|>)/, url)
    }
  })

  test('every console page sends the strict policy: no inline script, no framing, no referrer, no caching', async () => {
    const user = await registerUser(t.app)
    const { client } = await t.app.oauth2.clients.create({ client_name: 'headers', redirect_uris: ['https://app.example/cb'] })
    const pages = ['/admin', '/admin/users', '/admin/users/new', `/admin/users/${user.id}`, `/admin/users/${user.id}/disable`, '/admin/clients', '/admin/clients/new', `/admin/clients/${client.id}`, '/admin/keys', '/admin/keys/rotate', '/admin/no-such-page']
    for (const url of pages) {
      const response = await admin.request(url)
      const csp = String(response.headers['content-security-policy'])
      assert.match(csp, /script-src 'self'/, url)
      assert.doesNotMatch(csp, /unsafe-inline/, url)
      assert.match(csp, /frame-ancestors 'none'/, url)
      assert.equal(response.headers['x-frame-options'], 'DENY', url)
      assert.equal(response.headers['referrer-policy'], 'no-referrer', url)
      assert.equal(response.headers['cache-control'], 'no-store', url)
      assert.doesNotMatch(response.body, /<script>|<style>| style=| on\w+="/, url)
    }
  })

  test('bad input of any shape is a 4xx page, never a crash', async () => {
    const csrf = await admin.csrf()
    const cases: [string, Record<string, string | string[]> | undefined][] = [
      ['/admin/users?page=0', undefined],
      ['/admin/users?page=abc', undefined],
      ['/admin/users/no-such-user', undefined],
      ['/admin/clients/no-such-client', undefined],
      ['/admin/users/no-such-user', { _csrf: csrf, username: 'a', email: 'a@example.com' }],
      ['/admin/users', { _csrf: csrf, username: ['a', 'b'], email: 'a@example.com', password: 'long-enough-1', unexpected: 'x' }],
      ['/admin/clients', { _csrf: csrf, client_name: 'n', redirect_uris: 'https://a.example/cb', grant_types: 'password', scope: 'openid', token_endpoint_auth_method: 'client_secret_basic' }]
    ]
    for (const [url, form] of cases) {
      const response = await admin.request(url, form)
      assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${url}: ${response.statusCode}`)
      assert.match(String(response.headers['content-type']), /text\/html/)
    }
  })
})
