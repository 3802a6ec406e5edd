import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { registerUser } from '../helpers.js'
import { linkIn } from '../mail/smtp.js'
import { openPage, screenshots } from './chromium.js'
import { mailingAppInChromium } from './mailing.js'

describe('the password reset pages in Chromium', () => {
  const running = mailingAppInChromium()

  test('"Forgot your password?" on the sign-in page, the mailed link, a new password, then sign-in with it', async (t) => {
    const { server, smtp, browser } = running
    const verification = smtp.next()
    const ada = await registerUser(server.app, { username: 'Ada Lovelace', email: 'ada@example.com' })
    await verification
    const page = await openPage(browser, server.base, t, { locale: 'en-GB' })
    await page.goto('/auth/local/login')
    await page.getByRole('link', { name: 'Forgot your password?' }).click()
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor()
    await screenshots(page, 'password-reset-forgot-en')
    await page.getByLabel('Email address').fill(ada.email)
    const arrived = smtp.next()
    await page.getByRole('button', { name: 'Send the link' }).click()
    await page.getByRole('heading', { name: 'Check your email' }).waitFor()
    assert.match((await page.getByRole('status').textContent()) ?? '', /ada@example\.com.*60 minutes/)
    await screenshots(page, 'password-reset-sent-en')

    const mail = await arrived
    assert.equal(mail.subject, 'Reset your Acme Login password')
    await page.goto(linkIn(mail, `${server.base}/auth/password/reset?token=`))
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor()
    await page.getByLabel('New password').fill('short')
    // The browser's own check would stop a too-short password; the server's answer is what is tested.
    await page.locator('form').evaluate((form) => form.setAttribute('novalidate', ''))
    await page.getByRole('button', { name: 'Set the new password' }).click()
    const alert = page.getByRole('alert')
    await alert.waitFor()
    assert.match((await alert.textContent()) ?? '', /The password was not changed:Choose a password of 8 to 1,024 characters\./)
    assert.equal(await page.getByLabel('New password').getAttribute('aria-invalid'), 'true')
    await screenshots(page, 'password-reset-refused-en')
    const notice = smtp.next()
    await page.getByLabel('New password').fill('an-analytical-engine')
    await page.getByRole('button', { name: 'Set the new password' }).click()
    await page.getByRole('heading', { name: 'Your password was changed' }).waitFor()
    await screenshots(page, 'password-reset-done-en')
    assert.equal((await notice).subject, 'Your Acme Login password was changed')

    await page.getByRole('link', { name: 'Sign in' }).click()
    await page.getByLabel('Username or email').fill(ada.email)
    await page.getByLabel('Password').fill('an-analytical-engine')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL('**/auth/details')
    assert.equal(JSON.parse((await page.locator('body').textContent()) ?? '{}').username, 'Ada Lovelace')
  })

  test('a used link says so in the person\'s language and offers a new one', async (t) => {
    const { server, browser } = running
    const page = await openPage(browser, server.base, t, { locale: 'fr-FR' })
    await page.goto(`/auth/password/reset?token=${'A'.repeat(43)}`)
    await page.getByRole('heading', { name: 'Ce lien ne fonctionne pas' }).waitFor()
    await screenshots(page, 'password-reset-invalid-fr')
    await page.getByRole('link', { name: 'Demander un nouveau lien' }).click()
    await page.getByRole('heading', { name: 'Réinitialiser votre mot de passe' }).waitFor()
  })
})
