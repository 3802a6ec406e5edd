import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { Browser, BrowserContextOptions } from 'playwright-core'
import { registerUser, startServer, tempDir, type ListeningApp } from '../helpers.js'
import { launchChromium, openPage, screenshots as shots } from './chromium.js'

const BRAND = { name: 'Acme Identity', color: '#c2185b', rgb: 'rgb(194, 24, 91)' }
const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 32"><rect width="64" height="32" rx="6" fill="${BRAND.color}"/><text x="32" y="22" font-size="16" text-anchor="middle" fill="#fff" font-family="sans-serif">ACME</text></svg>`

describe('the end-user pages in Chromium', () => {
  let server: ListeningApp
  let browser: Browser
  let user: { username: string; password: string }
  let clientId = ''
  const files = tempDir()

  before(async () => {
    const logo = join(files.dir, 'logo.svg')
    writeFileSync(logo, LOGO_SVG)
    server = await startServer({ BRAND_NAME: BRAND.name, BRAND_COLOR: BRAND.color, BRAND_LOGO: logo })
    user = await registerUser(server.app)
    clientId = (await server.app.oauth2.clients.create({ client_name: 'Photo Album', redirect_uris: ['https://app.example/cb'], scope: 'openid profile email' })).client.id
    browser = await launchChromium()
  })
  after(async () => {
    await browser?.close()
    await server?.close()
    files.remove()
  })

  const open = (t: { after: (fn: () => Promise<void>) => void }, options: BrowserContextOptions = {}) => openPage(browser, server.base, t, options)

  function authorizationUrl(extra: Record<string, string> = {}): string {
    const challenge = createHash('sha256').update('a-code-verifier-long-enough-for-pkce-0123456789').digest('base64url')
    return `/oauth2/authorization?${new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: 'https://app.example/cb',
      scope: 'openid profile email',
      state: 'state-1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...extra
    })}`
  }

  test('the sign-in page shows the brand: name, logo, accent colour, favicon', async (t) => {
    const page = await open(t, { locale: 'en-GB' })
    await page.goto('/auth/local/login')
    assert.equal(await page.title(), `Sign in · ${BRAND.name}`)
    assert.equal(await page.locator('.brand-name').textContent(), BRAND.name)
    const logoWidth = await page.locator('img.brand-logo').evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth)
    assert.ok(logoWidth, 'the logo loaded')
    assert.equal(await page.getByRole('button', { name: 'Sign in' }).evaluate((button) => getComputedStyle(button).backgroundColor), BRAND.rgb)
    const favicon = await page.request.get('/favicon.ico')
    assert.equal(favicon.status(), 200)
    assert.match(favicon.headers()['content-type'] ?? '', /^image\//)
    await shots(page, 'sign-in-en')
  })

  test('a browser asking for German gets the sign-in page in German, <html lang="de">', async (t) => {
    const page = await open(t, { locale: 'de-DE' })
    await page.goto('/auth/local/login')
    assert.equal(await page.locator('html').getAttribute('lang'), 'de')
    await page.getByRole('heading', { name: 'Anmelden' }).waitFor()
    await page.getByLabel('Benutzername oder E-Mail').fill(user.username)
    await page.getByLabel('Passwort').fill('not-the-password')
    await page.getByRole('button', { name: 'Anmelden' }).click()
    assert.equal(await page.getByRole('alert').textContent(), 'Benutzername oder Passwort ist falsch.')
    await shots(page, 'sign-in-de-refused')
  })

  test('ui_locales=fr during an OAuth2 authorization gives French sign-in and consent pages', async (t) => {
    const page = await open(t, { locale: 'de-DE' })
    await page.goto(authorizationUrl({ ui_locales: 'fr-CA fr' }))
    assert.equal(new URL(page.url()).pathname, '/auth/local/login')
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr')
    await page.getByLabel('Nom d’utilisateur ou e-mail').fill(user.username)
    await page.getByLabel('Mot de passe').fill(user.password)
    await page.getByRole('button', { name: 'Se connecter' }).click()
    await page.getByRole('heading', { name: 'Autoriser l’accès\u00a0?' }).waitFor()
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr')
    assert.match((await page.locator('main').textContent()) ?? '', /Photo Album demande à agir au nom de/)
    await shots(page, 'consent-fr')
  })

  test('the language switch works without script and remembers the choice', async (t) => {
    const page = await open(t, { javaScriptEnabled: false, locale: 'en-US' })
    await page.goto('/auth/local/login?returnTo=%2Fauth%2Fdetails')
    await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Deutsch' }).click()
    await page.getByRole('heading', { name: 'Anmelden' }).waitFor()
    assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, '/auth/local/login?returnTo=%2Fauth%2Fdetails')
    assert.equal(await page.locator('html').getAttribute('lang'), 'de')
    assert.equal(await page.locator('a[aria-current="true"]').textContent(), 'Deutsch')
    await page.goto('/auth/local/login')
    assert.equal(await page.locator('html').getAttribute('lang'), 'de')
  })

  test('the dark scheme renders light text on a dark background', async (t) => {
    const page = await open(t, { colorScheme: 'dark', locale: 'en-US' })
    await page.goto('/auth/local/login')
    const [background, text] = await page.locator('body').evaluate((body) => [getComputedStyle(body).backgroundColor, getComputedStyle(body).color])
    const brightness = (rgb: string) => {
      const [r, g, b] = rgb.match(/[0-9]+/g)!.map(Number)
      return (r! + g! + b!) / 3
    }
    assert.ok(brightness(background!) < 60, `dark background, got ${background}`)
    assert.ok(brightness(text!) > 180, `light text, got ${text}`)
    await shots(page, 'sign-in-dark')
  })

  test('an authorization request that cannot go on shows a translated error page', async (t) => {
    const page = await open(t, { locale: 'fr-FR' })
    const response = await page.goto(authorizationUrl({ redirect_uri: 'https://evil.example/cb' }))
    assert.equal(response?.status(), 400)
    await page.getByRole('heading', { name: 'Cette demande de connexion ne peut pas aboutir' }).waitFor()
    await shots(page, 'error-fr')
  })
})
