import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { ADMIN, registerUser, startServer, type ListeningApp } from '../helpers.js'

/** Debian's Chromium (`.ci/run` installs it); never a browser download. */
const CHROMIUM = '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
const SCREENSHOTS = resolve('test-output/console')
const DESKTOP = { width: 1280, height: 900 }
const PHONE = { width: 390, height: 844 }

describe('the admin console in Chromium', () => {
  let server: ListeningApp
  let browser: Browser

  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true })
    server = await startServer()
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  })
  after(async () => {
    await browser?.close()
    await server?.close()
  })

  async function newPage(viewport: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport, baseURL: server.base })
    return { context, page: await context.newPage() }
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true })

  /** The sign-in page the console sends a stranger to, filled in as a person would. */
  async function signIn(page: Page, username: string, password: string, screenshot?: string) {
    await page.goto('/admin')
    assert.match(new URL(page.url()).pathname, /^\/auth\/local\/login$/)
    await page.getByLabel('Username or email').fill(username)
    await page.getByLabel('Password').fill(password)
    if (screenshot) await shot(page, screenshot)
    await page.getByRole('button', { name: 'Sign in' }).click()
  }

  /** Signs in through the JSON API, as a service would: a new token session. */
  async function apiSignIn(username: string, password: string): Promise<{ accessToken: string }> {
    const response = await fetch(`${server.base}/api/v1/auth/local/authenticate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
    assert.equal(response.status, 200)
    return (await response.json()) as { accessToken: string }
  }

  async function authorise(accessToken: string): Promise<number> {
    return (await fetch(`${server.base}/authorise`, { headers: { authorization: `Bearer ${accessToken}` } })).status
  }

  test('an admin manages users, sessions, clients and keys in the browser', async (t) => {
    const { context, page } = await newPage(DESKTOP)
    t.after(() => context.close())
    const newUser = { username: 'ada lovelace', email: 'ada@example.com', password: 'analytical-engine-1' }
    let firstToken = ''

    await t.test('signs in as admin and lands on the overview', async () => {
      await signIn(page, ADMIN.username, ADMIN.password, 'sign-in')
      assert.equal(new URL(page.url()).pathname, '/admin')
      await page.getByRole('heading', { name: 'Overview' }).waitFor()
      await shot(page, 'overview')
    })

    await t.test('creates a user through the form; that user signs in through the JSON API', async () => {
      await page.getByRole('link', { name: 'Users', exact: true }).click()
      await page.getByRole('link', { name: 'New user' }).click()
      await page.getByLabel('Username').fill(newUser.username)
      await page.getByLabel('Email').fill('not an email')
      await page.getByLabel('Password').fill(newUser.password)
      await page.getByLabel('Organisation').fill('Analytical Society')
      await page.getByRole('button', { name: 'Create user' }).click()
      // Refused beside the field, the rest kept.
      await page.locator('#field-email-error').waitFor()
      assert.equal(await page.getByLabel('Organisation').inputValue(), 'Analytical Society')
      await shot(page, 'new-user-error')
      await page.getByLabel('Email').fill(newUser.email)
      await page.getByLabel('Password').fill(newUser.password)
      await page.getByRole('button', { name: 'Create user' }).click()
      await page.getByRole('status').filter({ hasText: 'User created.' }).waitFor()
      firstToken = (await apiSignIn(newUser.username, newUser.password)).accessToken
      assert.equal(await authorise(firstToken), 200)
      await page.reload()
      assert.equal(await page.locator('section[aria-labelledby="sessions-heading"] tbody tr').count(), 1)
      await shot(page, 'user')
    })

    await t.test('changes the scope: the user holds it, and their old token no longer works', async () => {
      await page.getByLabel('admin', { exact: true }).check()
      await page.getByRole('button', { name: 'Save changes' }).click()
      await page.getByRole('status').filter({ hasText: 'Changes saved.' }).waitFor()
      const { items } = await server.app.accounts.list({ limit: 10, offset: 0, search: 'ada' })
      assert.deepEqual(items[0]!.scope.sort(), ['admin', 'user'])
      assert.equal(await authorise(firstToken), 401)
    })

    await t.test("ends one of the user's sessions after confirming", async () => {
      const kept = (await apiSignIn(newUser.username, newUser.password)).accessToken
      const ended = (await apiSignIn(newUser.username, newUser.password)).accessToken
      await page.reload()
      const rows = page.locator('section[aria-labelledby="sessions-heading"] tbody tr')
      assert.equal(await rows.count(), 2)
      await rows.nth(1).getByRole('link', { name: /End the session/ }).click()
      await page.getByRole('heading', { name: 'End session' }).waitFor()
      await shot(page, 'confirm-end-session')
      await page.getByRole('button', { name: 'End session' }).click()
      await page.getByRole('status').filter({ hasText: 'Session ended.' }).waitFor()
      assert.equal(await authorise(ended), 401)
      assert.equal(await authorise(kept), 200)
      assert.equal(await rows.count(), 1)
    })

    await t.test('finds the user by searching for part of the email', async () => {
      await page.getByRole('link', { name: 'Users', exact: true }).click()
      await page.getByLabel('Search by name or email').fill('ADA@')
      await page.getByRole('button', { name: 'Search' }).click()
      assert.equal(await page.locator('tbody tr').count(), 1)
      await page.getByRole('link', { name: newUser.username }).waitFor()
      await shot(page, 'users')
    })

    let clientSecret = ''
    await t.test('creates an OAuth client and reads its secret once', async () => {
      await page.getByRole('link', { name: 'OAuth clients' }).click()
      await page.getByRole('link', { name: 'New client' }).click()
      await page.getByLabel('Name').fill('Reporting <b>app</b>')
      await page.getByLabel('Redirect URIs').fill('https://reports.example/callback\nhttp://127.0.0.1:9000/cb')
      await page.getByLabel('Refresh token').check()
      await shot(page, 'new-client')
      await page.getByRole('button', { name: 'Create client' }).click()
      await page.getByText('Shown this once.').waitFor()
      clientSecret = await page.getByLabel('Client secret').inputValue()
      const clientId = await page.getByLabel('Client id').inputValue()
      assert.match(clientSecret, /^[A-Za-z0-9_-]{43}$/)
      // The secret authenticates the client (introspection needs a confidential client).
      const introspection = await fetch(`${server.base}/oauth2/introspect`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
        body: 'token=unknown'
      })
      assert.equal(introspection.status, 200)
      await page.getByRole('button', { name: 'Copy' }).first().waitFor()
      await shot(page, 'client-secret')
      await page.getByRole('link', { name: 'Done' }).click()
      await page.getByRole('heading', { name: 'Client Reporting <b>app</b>' }).waitFor()
      assert.ok(!(await page.content()).includes(clientSecret), 'the secret is not shown again')
      await shot(page, 'client')
      await page.getByRole('link', { name: 'OAuth clients' }).click()
      assert.ok(!(await page.content()).includes(clientSecret))
      await shot(page, 'clients')
    })

    await t.test('rotates the signing key after confirming; the new key is listed', async () => {
      await page.getByRole('link', { name: 'Signing keys' }).click()
      const before = await page.locator('tbody tr').count()
      await page.getByRole('link', { name: 'Rotate signing key' }).click()
      await shot(page, 'confirm-rotate-key')
      await page.getByRole('button', { name: 'Rotate key' }).click()
      await page.getByRole('status').filter({ hasText: 'New signing key published.' }).waitFor()
      assert.equal(await page.locator('tbody tr').count(), before + 1)
      await page.getByText('published; signs from').waitFor()
      await shot(page, 'keys')
    })
  })

  test('a signed-in user without the admin scope is refused', async (t) => {
    const { context, page } = await newPage(DESKTOP)
    t.after(() => context.close())
    const user = await registerUser(server.app)
    await signIn(page, user.username, user.password)
    await page.getByRole('heading', { name: 'Not an administrator' }).waitFor()
    const response = await page.goto('/admin/users')
    assert.equal(response!.status(), 403)
    await shot(page, 'not-admin')
  })

  test('a user can be created with the keyboard alone, in the order the form reads', async (t) => {
    const { context, page } = await newPage(DESKTOP)
    t.after(() => context.close())
    await page.goto('/admin')
    await page.getByLabel('Username or email').focus()
    await page.keyboard.type(ADMIN.username)
    await page.keyboard.press('Tab')
    await page.keyboard.type(ADMIN.password)
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: 'Overview' }).waitFor()
    await page.goto('/admin/users/new')
    await page.getByLabel('Username').focus()
    const steps: [string, string | null][] = [
      ['field-username', 'grace hopper'],
      ['field-email', 'grace@example.com'],
      ['field-scope-0', null],
      ['field-scope-1', null],
      ['field-role', ''],
      ['field-organisation', 'Navy'],
      ['field-password', 'cobol-compiler-1'],
      ['field-active-0', null]
    ]
    for (const [id, typed] of steps) {
      assert.equal(await page.evaluate(() => document.activeElement?.id), id)
      if (typed) await page.keyboard.type(typed)
      await page.keyboard.press('Tab')
    }
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Create user')
    await page.keyboard.press('Enter')
    await page.getByRole('status').filter({ hasText: 'User created.' }).waitFor()
    const { items } = await server.app.accounts.list({ limit: 10, offset: 0, search: 'grace' })
    assert.equal(items[0]!.organisation, 'Navy')
  })

  test('the console works at phone width', async (t) => {
    const { context, page } = await newPage(PHONE)
    t.after(() => context.close())
    await signIn(page, ADMIN.username, ADMIN.password)
    await page.getByRole('heading', { name: 'Overview' }).waitFor()
    await shot(page, 'phone-overview')
    await page.goto('/admin/users')
    // Nothing wider than the screen but the table, which scrolls in its own box.
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true)
    await shot(page, 'phone-users')
    await page.getByRole('link', { name: ADMIN.username }).click()
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true)
    await shot(page, 'phone-user')
  })
})
