import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser } from 'playwright-core'
import { currentCode } from '../../src/services/mfa/totp.js'
import { ADMIN, startServer, type ListeningApp } from '../helpers.js'
import { nextCode, userWithTotp } from '../mfa/fixture.js'
import { launchChromium, openPage, screenshots } from './chromium.js'

/** The second factor's pages in Chromium: the enrolment a policy requires (QR code), the recovery codes, the code step. */
describe('the second-factor pages in Chromium', () => {
  let server: ListeningApp
  let browser: Browser

  before(async () => {
    server = await startServer({ MFA_REQUIRED_SCOPES: 'admin' })
    browser = await launchChromium()
  })
  after(async () => {
    await browser?.close()
    await server?.close()
  })

  test('an admin enrols from the QR page on the way to the console, keeps the recovery codes, and reaches the console', async (t) => {
    const page = await openPage(browser, server.base, t, { locale: 'en-GB' })
    await page.goto('/admin')
    await page.getByLabel('Username or email').fill(ADMIN.username)
    await page.getByLabel('Password').fill(ADMIN.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Set up two-step verification' }).waitFor()
    const qr = page.getByRole('img', { name: 'QR code with the key for your authenticator app' })
    const box = (await qr.boundingBox())!
    assert.ok(box.width >= 150 && Math.abs(box.width - box.height) < 1, `a square QR code big enough to scan, ${box.width}x${box.height}`)
    await screenshots(page, 'mfa-enrol-en')
    const secret = ((await page.locator('code.secret').textContent()) ?? '').replaceAll(' ', '')
    assert.match(secret, /^[A-Z2-7]{32}$/)

    await page.getByLabel('Verification code').fill('000000')
    await page.getByRole('button', { name: 'Turn on' }).click()
    await page.getByRole('alert').waitFor()
    assert.equal(await page.getByLabel('Verification code').getAttribute('aria-invalid'), 'true')
    assert.equal(((await page.locator('code.secret').textContent()) ?? '').replaceAll(' ', ''), secret, 'the same key after a wrong code')

    await page.getByLabel('Verification code').fill(currentCode(secret))
    await page.getByRole('button', { name: 'Turn on' }).click()
    await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor()
    assert.equal(await page.locator('.recovery-codes li').count(), 10)
    await screenshots(page, 'mfa-recovery-codes-en')
    await page.getByRole('link', { name: 'Continue' }).click()
    await page.waitForURL('**/admin')
    assert.equal(new URL(page.url()).pathname, '/admin')
  })

  test('a user with a factor gives the code on its own step, in German, with the keyboard', async (t) => {
    const user = await userWithTotp(server.app)
    const page = await openPage(browser, server.base, t, { locale: 'de-DE', colorScheme: 'dark' })
    await page.goto('/auth/local/login')
    await page.getByLabel('Benutzername oder E-Mail').fill(user.username)
    await page.getByLabel('Passwort').fill(user.password)
    await page.getByRole('button', { name: 'Anmelden' }).click()
    await page.getByRole('heading', { name: 'Bestätigung in zwei Schritten' }).waitFor()
    // The field has the focus: the code is typed and Enter sends it.
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'code')
    await page.keyboard.type('123456')
    await page.keyboard.press('Enter')
    await page.getByRole('alert').waitFor()
    assert.match((await page.getByRole('alert').textContent()) ?? '', /Dieser Code ist falsch/)
    await screenshots(page, 'mfa-code-de-refused-dark')
    await page.getByLabel('Bestätigungscode').fill(nextCode(user.secret))
    await page.getByRole('button', { name: 'Bestätigen' }).click()
    await page.waitForURL('**/auth/details')
    assert.equal(JSON.parse((await page.locator('body').textContent()) ?? '{}').username, user.username)
  })
})
