import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { APP_CALLBACK, authorizationPath, Browser, buildTestApp, hiddenField, postJson, registerUser, startServer, type ListeningApp, type TestApp } from '../helpers.js'

let counter = 0
/** Fields no other registration has used. */
function fresh() {
  counter += 1
  return { username: `new person ${counter}`, email: `new.person.${counter}@example.com`, password: `a-good-password-${counter}` }
}

/** The registration page as a browser gets it (CSRF cookie and token, returnTo), then the form posted with `fields`. */
async function register(browser: Browser, fields: Record<string, string>, returnTo?: string): Promise<Response> {
  const page = await browser.request(`/auth/local/register${returnTo === undefined ? '' : `?${new URLSearchParams({ returnTo })}`}`)
  assert.equal(page.status, 200)
  const html = await page.text()
  const form: Record<string, string> = { _csrf: hiddenField(html, '_csrf'), ...fields }
  if (html.includes('name="returnTo"')) form.returnTo = hiddenField(html, 'returnTo')
  return browser.request('/auth/local/register', { form })
}

async function userCount(app: FastifyInstance): Promise<number> {
  return (await app.accounts.list({ offset: 0, limit: 1 })).total
}

/** The messages listed at the top of a refused form. */
function listedProblems(html: string): string[] {
  const summary = /<div class="error" role="alert" id="register-problems">(.*?)<\/div>/.exec(html)
  assert.ok(summary, 'the problems are listed at the top')
  return [...summary[1]!.matchAll(/<li>(?:<a href="#(\w+)">)?([^<]*)/g)].map((match) => `${match[1] ?? 'form'}: ${match[2]}`)
}

describe('the registration page', () => {
  let server: ListeningApp

  before(async () => {
    server = await startServer()
  })
  after(() => server.close())

  test('GET shows the form with its CSRF token, the limits of the JSON endpoint, and a link back to sign-in keeping returnTo', async () => {
    const response = await server.app.inject({ url: '/auth/local/register?returnTo=%2Fdocs' })
    assert.equal(response.statusCode, 200)
    assert.match(String(response.headers['content-type']), /^text\/html/)
    assert.match(String(response.headers['content-security-policy']), /^default-src 'none'/)
    assert.ok(hiddenField(response.body, '_csrf').length > 20)
    assert.equal(hiddenField(response.body, 'returnTo'), '/docs')
    assert.match(response.body, /<h1>Create an account<\/h1>/)
    assert.match(response.body, /<label for="username">Username<\/label>/)
    assert.match(response.body, /<input id="password" name="password" aria-describedby="password-hint" type="password" autocomplete="new-password" required minlength="8" maxlength="1024"\/>/)
    assert.match(response.body, /Already have an account\? <a href="\/auth\/local\/login\?returnTo=%2Fdocs">Sign in<\/a>/)
    assert.doesNotMatch(response.body, /role="alert"/)
  })

  test('the sign-in page links to it, keeping returnTo', async () => {
    const response = await server.app.inject({ url: '/auth/local/login?returnTo=%2Fdocs' })
    assert.match(response.body, /New here\? <a href="\/auth\/local\/register\?returnTo=%2Fdocs">Create an account<\/a>/)
  })

  test('a new account is signed in at once: 303 to /auth/details with a session cookie that /auth/details accepts', async () => {
    const browser = new Browser(server.base)
    const person = fresh()
    const response = await register(browser, person)
    assert.equal(response.status, 303)
    assert.equal(response.headers.get('location'), '/auth/details')
    assert.match(response.headers.getSetCookie().join('\n'), /^moneypenny=.*HttpOnly/im)
    const details = await browser.details()
    assert.equal(details.status, 200)
    assert.equal(details.body.username, person.username)
    assert.equal(details.body.email, person.email)
    assert.deepEqual(details.body.scope, ['user'])
    // The password works from then on, on the sign-in page as on the JSON endpoint.
    assert.equal((await new Browser(server.base).signIn(person.email, person.password)).status, 303)
  })

  test('returnTo is followed after registering, when it is a path on this service', async () => {
    const response = await register(new Browser(server.base), fresh(), '/docs?x=1')
    assert.equal(response.status, 303)
    assert.equal(response.headers.get('location'), '/docs?x=1')
    const away = await register(new Browser(server.base), fresh(), '//evil.example/x')
    assert.equal(away.headers.get('location'), '/auth/details')
  })

  test('bad input: 400, every refused field listed and marked, username and email kept, never the password, nothing created', async () => {
    const before = await userCount(server.app)
    const entered = { username: ' starts with a space', email: 'name@nowhere', password: 'short' }
    // The JSON endpoint refuses the same input.
    assert.equal((await postJson(server.app, '/api/v1/auth/local/register', entered)).status, 400)
    const response = await register(new Browser(server.base), entered)
    assert.equal(response.status, 400)
    const html = await response.text()
    assert.deepEqual(listedProblems(html), [
      'username: This username cannot be used. Use up to 64 letters, digits, spaces, “_”, “.” and “-”, with no space at the start or end.',
      'email: Enter an email address such as name@example.com.',
      'password: Choose a password of 8 to 1,024 characters.'
    ])
    for (const field of ['username', 'email', 'password']) {
      assert.match(html, new RegExp(`<p class="field-problem" id="${field}-problem">`))
      assert.match(html, new RegExp(`<input id="${field}" name="${field}" aria-invalid="true" aria-describedby="${field}-problem`))
    }
    assert.match(html, /value=" starts with a space"/)
    assert.match(html, /value="name@nowhere"/)
    assert.doesNotMatch(html, /value="short"/)
    assert.equal(await userCount(server.app), before)
  })

  test('only the refused field is marked; a missing field and an unknown one are refused too', async () => {
    const oneBad = await register(new Browser(server.base), { ...fresh(), email: 'not an email' })
    assert.equal(oneBad.status, 400)
    const html = await oneBad.text()
    assert.deepEqual(listedProblems(html), ['email: Enter an email address such as name@example.com.'])
    assert.doesNotMatch(html, /<input id="username"[^>]*aria-invalid/)
    const { password: _missing, ...noPassword } = fresh()
    assert.deepEqual(listedProblems(await (await register(new Browser(server.base), noPassword)).text()), ['password: Choose a password of 8 to 1,024 characters.'])
    const unknown = await register(new Browser(server.base), { ...fresh(), scope: 'admin' })
    assert.equal(unknown.status, 400)
    assert.deepEqual(listedProblems(await unknown.text()), ['form: The form could not be read. Reload the page and try again.'])
  })

  test('a username the schema lets through but NFKC turns into signs it refuses gets the JSON endpoint\'s 400', async () => {
    // "¼" is a digit (\p{N}); NFKC makes it "1⁄4", and the fraction slash is not allowed.
    const entered = { ...fresh(), username: 'quarter ¼' }
    assert.equal((await postJson(server.app, '/api/v1/auth/local/register', { ...fresh(), username: entered.username })).status, 400)
    const response = await register(new Browser(server.base), entered)
    assert.equal(response.status, 400)
    assert.deepEqual(listedProblems(await response.text()).map((line) => line.split(':')[0]), ['username'])
  })

  test('a taken username or email: 409 as from the JSON endpoint, said in words on the field, nothing created', async () => {
    const existing = await registerUser(server.app)
    const before = await userCount(server.app)
    const sameName = { ...fresh(), username: existing.username.toUpperCase() }
    assert.equal((await postJson(server.app, '/api/v1/auth/local/register', sameName)).status, 409)
    const nameTaken = await register(new Browser(server.base), sameName)
    assert.equal(nameTaken.status, 409)
    const nameHtml = await nameTaken.text()
    assert.deepEqual(listedProblems(nameHtml), ['username: This username is already taken. Choose another one.'])
    assert.match(nameHtml, /<input id="username" name="username" aria-invalid="true"/)
    assert.match(nameHtml, new RegExp(`value="${sameName.email}"`))

    const sameEmail = { ...fresh(), email: existing.email.toUpperCase() }
    assert.equal((await postJson(server.app, '/api/v1/auth/local/register', sameEmail)).status, 409)
    const emailTaken = await register(new Browser(server.base), sameEmail)
    assert.equal(emailTaken.status, 409)
    assert.deepEqual(listedProblems(await emailTaken.text()), [
      'email: This email address already belongs to an account. Sign in instead, or use another address.'
    ])
    assert.equal(await userCount(server.app), before)
  })

  test('a form without the CSRF token is refused (403) and creates and signs in nobody', async () => {
    const before = await userCount(server.app)
    const browser = new Browser(server.base)
    await browser.request('/auth/local/register')
    const response = await browser.request('/auth/local/register', { form: fresh() })
    assert.equal(response.status, 403)
    assert.equal(await userCount(server.app), before)
    assert.equal((await browser.details()).status, 401)
  })

  test('the refusals speak the page\'s language', async () => {
    const browser = new Browser(server.base)
    const page = await browser.request('/auth/local/register', { headers: { 'accept-language': 'de' } })
    const html = await page.text()
    assert.match(html, /<html lang="de">/)
    assert.match(html, /<h1>Konto erstellen<\/h1>/)
    const response = await browser.request('/auth/local/register', {
      form: { _csrf: hiddenField(html, '_csrf'), ...fresh(), password: 'kurz' },
      headers: { 'accept-language': 'de' }
    })
    assert.equal(response.status, 400)
    // Numbers are written the language's way.
    assert.deepEqual(listedProblems(await response.text()), ['password: Wählen Sie ein Passwort mit 8 bis 1.024 Zeichen.'])
  })

  test('during an OAuth2 authorization: the page names the app, and after registering the authorization goes on', async () => {
    const { client } = await server.app.oauth2.clients.create({ client_name: 'Photo Album', redirect_uris: [APP_CALLBACK], scope: 'openid', first_party: true })
    const browser = new Browser(server.base)
    const toSignIn = await browser.request(authorizationPath(client.id))
    assert.equal(toSignIn.status, 303)
    const signInUrl = new URL(toSignIn.headers.get('location')!, server.base)
    const returnTo = signInUrl.searchParams.get('returnTo')!
    assert.match(returnTo, /^\/oauth2\/authorization\?resume=/)
    // The sign-in page's link leads to the registration page for the same authorization.
    const signInPage = await (await browser.request(signInUrl.pathname + signInUrl.search)).text()
    const link = /<a href="(\/auth\/local\/register\?[^"]*)">Create an account<\/a>/.exec(signInPage)
    assert.ok(link)
    const registerPath = link[1]!.replace(/&amp;/g, '&')
    assert.equal(new URL(registerPath, server.base).searchParams.get('returnTo'), returnTo)
    const html = await (await browser.request(registerPath)).text()
    assert.match(html, /<p class="asked-by">Create an account to continue to <strong>Photo Album<\/strong>\.<\/p>/)
    const person = fresh()
    const registered = await browser.request('/auth/local/register', { form: { _csrf: hiddenField(html, '_csrf'), returnTo: hiddenField(html, 'returnTo'), ...person } })
    assert.equal(registered.status, 303)
    assert.equal(registered.headers.get('location'), returnTo)
    const resumed = await browser.request(returnTo)
    assert.equal(resumed.status, 302)
    const answer = new URL(resumed.headers.get('location')!)
    assert.equal(answer.origin + answer.pathname, APP_CALLBACK)
    assert.equal(answer.searchParams.get('state'), 'state-1')
    assert.ok(answer.searchParams.get('code'))
  })
})

describe('the registration page while registration is closed', () => {
  let closed: TestApp

  before(async () => {
    closed = await buildTestApp({ REGISTRATION: 'closed' })
  })
  after(() => closed.close())

  test('GET answers 403 with a page that says so, in the page\'s language, and no form', async () => {
    const response = await closed.app.inject({ url: '/auth/local/register?returnTo=%2Fdocs' })
    assert.equal(response.statusCode, 403)
    assert.match(String(response.headers['content-type']), /^text\/html/)
    assert.match(response.body, /<h1>Registration is closed<\/h1>/)
    assert.match(response.body, /<a href="\/auth\/local\/login\?returnTo=%2Fdocs">Sign in<\/a>/)
    assert.doesNotMatch(response.body, /<form/)
    const french = await closed.app.inject({ url: '/auth/local/register', headers: { 'accept-language': 'fr' } })
    assert.match(french.body, /<h1>Les inscriptions sont fermées<\/h1>/)
  })

  test('POST answers 403 and creates nobody, as the JSON endpoint does', async () => {
    const before = await userCount(closed.app)
    assert.equal((await postJson(closed.app, '/api/v1/auth/local/register', fresh())).status, 403)
    const page = await closed.app.inject({ url: '/auth/local/login' })
    const response = await closed.app.inject({
      method: 'POST',
      url: '/auth/local/register',
      headers: { cookie: page.cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: hiddenField(page.body, '_csrf'), ...fresh() }).toString()
    })
    assert.equal(response.statusCode, 403)
    assert.match(response.body, /<h1>Registration is closed<\/h1>/)
    assert.equal(response.cookies.find((cookie) => cookie.name === 'moneypenny'), undefined)
    assert.equal(await userCount(closed.app), before)
  })

  test('the sign-in page shows no link to it', async () => {
    const response = await closed.app.inject({ url: '/auth/local/login' })
    assert.equal(response.statusCode, 200)
    assert.doesNotMatch(response.body, /register/)
  })
})

describe('the registration page past the address rate limit', () => {
  let limited: TestApp

  before(async () => {
    limited = await buildTestApp({ RATE_LIMIT_ADDRESS_MAX: '1' })
  })
  after(() => limited.close())

  test('429 with Retry-After and the form again, the limit said in words', async () => {
    const page = await limited.app.inject({ url: '/auth/local/register' })
    const post = () =>
      limited.app.inject({
        method: 'POST',
        url: '/auth/local/register',
        headers: { cookie: page.cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: hiddenField(page.body, '_csrf'), ...fresh() }).toString()
      })
    assert.equal((await post()).statusCode, 303)
    const before = await userCount(limited.app)
    const refused = await post()
    assert.equal(refused.statusCode, 429)
    assert.ok(Number(refused.headers['retry-after']) > 0)
    assert.match(String(refused.headers['content-type']), /^text\/html/)
    assert.deepEqual(listedProblems(refused.body), ['form: Too many attempts from your network. Wait a few minutes and try again.'])
    assert.match(refused.body, /<form method="post" action="\/auth\/local\/register">/)
    assert.equal(await userCount(limited.app), before)
  })
})
