import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { currentCode } from '../../src/services/mfa/totp.js'
import { APP_CALLBACK, authorizationPath, registerUser, startServer, type ListeningApp } from '../helpers.js'
import { launchChromium, openPage, screenshots, signInToConsole } from './chromium.js'

const APP_LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#2e7d32"/><circle cx="16" cy="16" r="8" fill="#fff"/></svg>'
const PERSON = { username: 'Ada Lovelace', email: 'ada@example.com', password: 'the-analytical-engine', newPassword: 'notes-on-the-engine-1843' }

/**
 * The account console in Chromium, one person's story in order: registered through the page,
 * a refused and an accepted password change, another browser's session ended, two-step
 * verification turned on, an app allowed through OAuth2 and withdrawn again.
 */
describe('the account console in Chromium', () => {
  let server: ListeningApp
  let browser: Browser
  let clientId = ''
  /** The person's own browser, kept from one test to the next, and its checks, run when the file's tests are done. */
  let page: Page
  let closePage = async () => {}

  before(async () => {
    server = await startServer({ DEBUG_ROUTES: 'true' })
    const { client } = await server.app.oauth2.clients.create({
      client_name: 'Photo Album',
      redirect_uris: [APP_CALLBACK],
      scope: 'openid profile email',
      logo_uri: 'https://app.example/logo.svg',
      client_uri: 'https://app.example/'
    })
    clientId = client.id
    browser = await launchChromium()
  })
  after(async () => {
    await closePage()
    await browser?.close()
    await server?.close()
  })

  /** Where the consent sent the browser back to the app; the app itself is played here. */
  let callback = ''

  /**
   * A page whose requests to the app's site are answered here (its logo). The consent's answer,
   * a redirect to the app's callback, is kept and answered with the app's page: Playwright routes
   * only the first URL of a redirect, so the callback itself could not be answered here.
   */
  async function open(t: { after: (fn: () => Promise<void>) => void }, options: BrowserContextOptions = {}): Promise<Page> {
    const opened = await openPage(browser, server.base, t, options)
    await opened.route('https://app.example/**', (route) => route.fulfill({ contentType: 'image/svg+xml', body: APP_LOGO }))
    await opened.route('**/oauth2/authorization/consent', async (route) => {
      callback = (await route.fetch({ maxRedirects: 0 })).headers().location ?? ''
      await route.fulfill({ contentType: 'text/plain', body: 'the app' })
    })
    return opened
  }

  const authorise = (token: string) => server.app.inject({ url: '/authorise', headers: { authorization: `Bearer ${token}` } })

  test('registered through the page, the person opens the console and finds this browser there', async (t) => {
    page = await open({ after: (close) => (closePage = close) }, { locale: 'en-GB' })
    await page.goto('/auth/local/register?returnTo=%2Faccount')
    await page.getByLabel('Username').fill(PERSON.username)
    await page.getByLabel('Email address').fill(PERSON.email)
    await page.getByLabel('Password').fill(PERSON.password)
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.waitForURL('**/account')
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor()
    assert.equal(await page.locator('.facts dd').first().textContent(), PERSON.username)
    assert.match((await page.locator('#sessions .ending').first().textContent()) ?? '', /Chrome on Linux\s*This browser/)
    assert.equal(await page.getByRole('link', { name: 'Your account' }).getAttribute('aria-current'), 'page')
    await screenshots(page, 'account-en')
    t.diagnostic('screenshots account-en-1280.png and -390.png')
  })

  test('a wrong current password is listed at the top, linked to its field; the right one changes the password', async () => {
    await page.getByLabel('Current password').fill('not-my-password')
    await page.getByLabel('New password', { exact: true }).fill(PERSON.newPassword)
    await page.getByLabel('New password again').fill(PERSON.newPassword)
    await page.getByRole('button', { name: 'Change password' }).click()
    const alert = page.getByRole('alert')
    await alert.waitFor()
    assert.match((await alert.textContent()) ?? '', /Nothing was changed:Your current password is not right\./)
    assert.equal(await page.getByLabel('Current password').getAttribute('aria-invalid'), 'true')
    await screenshots(page, 'account-refused-en')
    await alert.getByRole('link').click()
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'currentPassword', 'the summary link leads to the field')

    await page.getByLabel('Current password').fill(PERSON.password)
    await page.getByLabel('New password', { exact: true }).fill(PERSON.newPassword)
    await page.getByLabel('New password again').fill(PERSON.newPassword)
    await page.getByRole('button', { name: 'Change password' }).click()
    await page.waitForURL('**/account?done=password-changed')
    assert.match((await page.getByRole('status').textContent()) ?? '', /Your password was changed/)
  })

  test('a session of another browser is ended from here, and its token is refused by /authorise from then on', async (t) => {
    const other = await open(t, { locale: 'en-GB', userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1' })
    await signInToConsole(other, PERSON.username, PERSON.newPassword)
    const token = JSON.parse((await (await other.request.get('/auth/jwt')).text())).token as string
    assert.equal((await authorise(token)).statusCode, 200)

    await page.goto('/account')
    const iPhone = page.locator('#sessions .ending', { hasText: 'Safari on iPhone' })
    await iPhone.waitFor()
    await screenshots(page, 'account-sessions-en')
    await iPhone.getByRole('button', { name: 'End the session: Safari on iPhone' }).click()
    await page.waitForURL('**/account?done=session-ended')
    assert.equal(await page.locator('#sessions .ending', { hasText: 'Safari on iPhone' }).count(), 0)
    assert.equal((await authorise(token)).statusCode, 401)
    await other.reload()
    await other.getByRole('heading', { name: 'Sign in' }).waitFor()
  })

  test('two-step verification is turned on from the console: QR code, first code, recovery codes once', async () => {
    await page.getByRole('button', { name: 'Set up two-step verification' }).click()
    await page.waitForURL('**/account/two-step')
    await page.getByRole('img', { name: 'QR code with the key for your authenticator app' }).waitFor()
    const secret = ((await page.locator('code.secret').textContent()) ?? '').replaceAll(' ', '')
    await page.getByLabel('Verification code').fill(currentCode(secret))
    await page.getByRole('button', { name: 'Turn on' }).click()
    await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor()
    assert.equal(await page.locator('.recovery-codes li').count(), 10)
    await page.getByRole('link', { name: 'Continue' }).click()
    await page.waitForURL('**/account')
    assert.match((await page.locator('#twoStep').textContent()) ?? '', /On: every sign-in.*Recovery codes left: 10\./)
    await screenshots(page, 'account-two-step-on-en')
  })

  test('an app allowed through an OAuth2 authorization is listed with its scopes in words, and withdrawn', async () => {
    await page.goto(authorizationPath(clientId, { scope: 'openid email' }))
    await page.getByRole('heading', { name: 'Allow access?' }).waitFor()
    await page.getByRole('button', { name: 'Allow' }).click()
    await page.getByText('the app').waitFor()
    assert.ok(callback.startsWith(`${APP_CALLBACK}?code=`), callback)
    await page.goto('/account#apps')
    const app = page.locator('#apps .ending', { hasText: 'Photo Album' })
    assert.match((await app.textContent()) ?? '', /See your email address/)
    await screenshots(page, 'account-apps-en')
    await app.getByRole('button', { name: 'Withdraw the access of Photo Album' }).click()
    await page.waitForURL('**/account?done=app-withdrawn')
    assert.match((await page.locator('#apps').textContent()) ?? '', /You have not allowed any app/)
    const user = await server.app.accounts.list({ offset: 0, limit: 10, search: PERSON.email })
    assert.deepEqual(await server.app.oauth2.consents.list(user.items[0]!.id), [])
  })

  test('the console in French and the dark scheme', async (t) => {
    const person = await registerUser(server.app)
    const french = await open(t, { locale: 'fr-FR', colorScheme: 'dark' })
    await french.goto('/account')
    await french.getByLabel('Nom d’utilisateur ou e-mail').fill(person.username)
    await french.getByLabel('Mot de passe').fill(person.password)
    await french.getByRole('button', { name: 'Se connecter' }).click()
    await french.waitForURL('**/account')
    await french.getByRole('heading', { level: 1, name: 'Votre compte' }).waitFor()
    assert.equal(await french.locator('html').getAttribute('lang'), 'fr')
    await screenshots(french, 'account-fr-dark')
  })
})
