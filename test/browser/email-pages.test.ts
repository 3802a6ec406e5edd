import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { registerUser } from '../helpers.js'
import { linkIn } from '../mail/smtp.js'
import { openPage, screenshots, signInOnPage } from './chromium.js'
import { mailingAppInChromium } from './mailing.js'

/** The address verification and address change pages in Chromium, each step from a link read off the SMTP server. */
describe('the email pages in Chromium', () => {
  const running = mailingAppInChromium()

  test('registered on the page switched to German: the link arrives in German and confirms the address', async (t) => {
    const { server, smtp, browser } = running
    // The browser asks for English; the person picks German on the page.
    const page = await openPage(browser, server.base, t, { locale: 'en-GB' })
    await page.goto('/auth/local/register')
    await page.getByRole('link', { name: 'Deutsch' }).click()
    await page.getByRole('heading', { name: 'Konto erstellen' }).waitFor()
    await page.getByLabel('Benutzername').fill('Grace Hopper')
    await page.getByLabel('E-Mail-Adresse').fill('grace@example.com')
    await page.getByLabel('Passwort').fill('compiling-cobol-1959')
    const since = smtp.received.length
    await page.getByRole('button', { name: 'Konto erstellen' }).click()
    await page.waitForURL('**/auth/details')

    const mail = await smtp.to('grace@example.com', since)
    assert.equal(mail.subject, 'Bestätigen Sie Ihre E-Mail-Adresse für Acme Login', "the page's language, not the browser's")
    await page.goto(linkIn(mail, `${server.base}/auth/email/verify?token=`))
    await page.getByRole('heading', { name: 'Ihre E-Mail-Adresse ist bestätigt' }).waitFor()
    assert.match((await page.getByRole('status').textContent()) ?? '', /grace@example\.com/)
    await screenshots(page, 'verify-email-confirmed-de')
    const user = (await server.store.users.findByEmailKey('grace@example.com'))!
    assert.equal(user.emailVerified, true)

    await page.goto(linkIn(mail, `${server.base}/auth/email/verify?token=`))
    await page.getByRole('heading', { name: 'Dieser Link funktioniert nicht' }).waitFor()
    await screenshots(page, 'verify-email-invalid-de')
  })

  test('the console asks for a new address; the link mailed to it confirms it; a cancelled one dies', async (t) => {
    const { server, smtp, browser } = running
    const ada = await registerUser(server.app, { username: 'Ada Byron', email: 'ada.byron@example.com', password: 'notes-on-the-engine' })
    const page = await openPage(browser, server.base, t, { locale: 'en-GB' })
    await signInOnPage(page, ada.email, ada.password)
    const section = page.locator('#email')
    assert.match((await section.textContent()) ?? '', /Your address: ada\.byron@example\.com \(not confirmed yet\)/)

    // A wrong password: refused at the field, nothing pending, nothing mailed.
    const before = smtp.received.length
    await section.getByLabel('New email address').fill('ada@lovelace.example')
    await section.getByLabel('Current password').fill('not-my-password')
    await section.getByRole('button', { name: 'Send the link' }).click()
    const alert = page.getByRole('alert')
    await alert.waitFor()
    assert.match((await alert.textContent()) ?? '', /Your current password is not right\./)
    assert.equal(await section.getByLabel('Current password').getAttribute('aria-invalid'), 'true')
    await screenshots(page, 'account-email-refused-en')
    await new Promise((resolve) => setTimeout(resolve, 300))
    assert.equal(smtp.received.length, before, 'nothing was mailed')

    await section.getByLabel('New email address').fill('ada@lovelace.example')
    await section.getByLabel('Current password').fill(ada.password)
    await section.getByRole('button', { name: 'Send the link' }).click()
    await page.waitForURL('**/account?done=email-change-requested')
    assert.match((await page.locator('p.done').textContent()) ?? '', /A link is on its way to the new address/)
    assert.match((await section.getByRole('status').textContent()) ?? '', /Waiting for confirmation: ada@lovelace\.example/)
    await screenshots(page, 'account-email-pending-en')
    const [link, notice] = await Promise.all([smtp.to('ada@lovelace.example', before), smtp.to(ada.email, before)])
    assert.equal(notice.subject, 'A new email address was asked for your Acme Login account')

    await page.goto(linkIn(link, `${server.base}/auth/email/change?token=`))
    await page.getByRole('heading', { name: 'Change your email address?' }).waitFor()
    await screenshots(page, 'email-change-confirm-en')
    await page.getByRole('button', { name: 'Use this address' }).click()
    await page.getByRole('heading', { name: 'Your email address was changed' }).waitFor()
    await screenshots(page, 'email-change-done-en')
    await page.getByRole('link', { name: 'Go to your account' }).click()
    assert.match((await page.locator('#email').textContent()) ?? '', /Your address: ada@lovelace\.example \(confirmed\)/)

    // A second request, cancelled: its link no longer works.
    const second = smtp.received.length
    await section.getByLabel('New email address').fill('countess@lovelace.example')
    await section.getByLabel('Current password').fill(ada.password)
    await section.getByRole('button', { name: 'Send the link' }).click()
    await page.waitForURL('**/account?done=email-change-requested')
    const cancelled = await smtp.to('countess@lovelace.example', second)
    await section.getByRole('button', { name: 'Cancel the change' }).click()
    await page.waitForURL('**/account?done=email-change-cancelled')
    assert.equal(await section.getByRole('status').count(), 0, 'nothing is pending any more')
    await page.goto(linkIn(cancelled, `${server.base}/auth/email/change?token=`))
    await page.getByRole('heading', { name: 'This link does not work' }).waitFor()
    await screenshots(page, 'email-change-invalid-en')
    assert.equal((await server.store.users.findById(ada.id))?.email, 'ada@lovelace.example')
  })
})
