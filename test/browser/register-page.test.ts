import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser, BrowserContextOptions } from 'playwright-core'
import { APP_CALLBACK, authorizationPath, registerUser, startServer, type ListeningApp } from '../helpers.js'
import { launchChromium, openPage, screenshots } from './chromium.js'

describe('the registration page in Chromium', () => {
  let server: ListeningApp
  let browser: Browser
  let clientId = ''

  before(async () => {
    server = await startServer()
    clientId = (await server.app.oauth2.clients.create({ client_name: 'Photo Album', redirect_uris: [APP_CALLBACK], scope: 'openid profile' })).client.id
    browser = await launchChromium()
  })
  after(async () => {
    await browser?.close()
    await server?.close()
  })

  const open = (t: { after: (fn: () => Promise<void>) => void }, options: BrowserContextOptions = {}) => openPage(browser, server.base, t, options)

  test('from the sign-in page\'s link, a person fills the form and lands signed in', async (t) => {
    const page = await open(t, { locale: 'en-GB' })
    await page.goto('/auth/local/login')
    await page.getByRole('link', { name: 'Create an account' }).click()
    await page.getByRole('heading', { name: 'Create an account' }).waitFor()
    assert.equal(new URL(page.url()).pathname, '/auth/local/register')
    await screenshots(page, 'register-en')
    await page.getByLabel('Username').fill('Grace Hopper')
    await page.getByLabel('Email address').fill('grace@example.com')
    await page.getByLabel('Password').fill('a-compiler-in-1952')
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.waitForURL('**/auth/details')
    const details = JSON.parse((await page.locator('body').textContent()) ?? '{}')
    assert.equal(details.username, 'Grace Hopper')
    assert.equal(details.email, 'grace@example.com')
  })

  test('a taken username is said at the top and at the field; what was typed stays, the password does not', async (t) => {
    const taken = await registerUser(server.app)
    const page = await open(t, { locale: 'en-US' })
    await page.goto('/auth/local/register')
    await page.getByLabel('Username').fill(taken.username)
    await page.getByLabel('Email address').fill('someone.else@example.com')
    await page.getByLabel('Password').fill('another-long-password')
    await page.getByRole('button', { name: 'Create account' }).click()
    const alert = page.getByRole('alert')
    await alert.waitFor()
    assert.match((await alert.textContent()) ?? '', /The account was not created:This username is already taken\. Choose another one\./)
    const username = page.getByLabel('Username')
    assert.equal(await username.getAttribute('aria-invalid'), 'true')
    assert.equal(await username.inputValue(), taken.username)
    assert.equal(await page.getByLabel('Email address').inputValue(), 'someone.else@example.com')
    assert.equal(await page.getByLabel('Password').inputValue(), '')
    // The field's own words are its accessible description.
    assert.match((await username.evaluate((input) => input.getAttribute('aria-describedby'))) ?? '', /^username-problem /)
    assert.equal(await page.locator('#username-problem').textContent(), 'This username is already taken. Choose another one.')
    // The summary's link leads to the field.
    await alert.getByRole('link').click()
    assert.equal(new URL(page.url()).hash, '#username')
    await screenshots(page, 'register-en-refused')
  })

  test('in German (Accept-Language) during an OAuth2 authorization: the page names the app, and registering goes on to consent', async (t) => {
    const page = await open(t, { locale: 'de-DE' })
    await page.goto(authorizationPath(clientId, { scope: 'openid profile' }))
    assert.equal(new URL(page.url()).pathname, '/auth/local/login')
    await page.getByRole('link', { name: 'Konto erstellen' }).click()
    await page.getByRole('heading', { name: 'Konto erstellen' }).waitFor()
    assert.equal(await page.locator('html').getAttribute('lang'), 'de')
    assert.equal(await page.locator('.asked-by').textContent(), 'Erstellen Sie ein Konto, um mit Photo Album fortzufahren.')
    await page.getByLabel('Benutzername').fill('Lise Meitner')
    await page.getByLabel('E-Mail-Adresse').fill('lise@example.com')
    await page.getByLabel('Passwort').fill('kernspaltung-1938')
    await screenshots(page, 'register-de')
    await page.getByRole('button', { name: 'Konto erstellen' }).click()
    await page.getByRole('heading', { name: 'Zugriff erlauben?' }).waitFor()
    assert.match((await page.locator('main').textContent()) ?? '', /Photo Album möchte im Namen von Lise Meitner handeln/)
  })

  test('in the dark scheme a refused form keeps its words readable', async (t) => {
    const page = await open(t, { colorScheme: 'dark', locale: 'fr-FR' })
    await page.goto('/auth/local/register')
    await page.getByLabel('Nom d’utilisateur').fill('Marie Curie')
    await page.getByLabel('Adresse e-mail').fill('marie@example.com')
    // Past the browser's own checks (minlength), as a form posted without them would be.
    await page.locator('form').evaluate((form) => form.setAttribute('novalidate', ''))
    await page.getByLabel('Mot de passe').fill('court')
    await page.getByRole('button', { name: 'Créer le compte' }).click()
    await page.getByRole('alert').waitFor()
    assert.equal(await page.locator('#password-problem').textContent(), 'Choisissez un mot de passe de 8 à 1\u202f024 caractères.')
    await screenshots(page, 'register-fr-refused-dark')
  })
})
