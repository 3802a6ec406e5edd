import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { ConfigError } from '../../src/config.js'
import { buildTestApp, hiddenField, tempDir, testConfig, type TestApp } from '../helpers.js'

const LOGO_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#c2185b"/></svg>'

describe('end-user pages: brand, language and assets', () => {
  let plain: TestApp
  let branded: TestApp
  const files = tempDir()
  const logo = join(files.dir, 'logo.svg')
  const css = join(files.dir, 'brand.css')

  before(async () => {
    writeFileSync(logo, LOGO_SVG)
    writeFileSync(css, '.brand-name{letter-spacing:.1em}')
    plain = await buildTestApp()
    branded = await buildTestApp({ BRAND_NAME: 'Acme <ID>', BRAND_COLOR: '#C2185B', BRAND_LOGO: logo, BRAND_CSS: css, DEFAULT_LOCALE: 'fr' })
  })
  after(async () => {
    await plain.close()
    await branded.close()
    files.remove()
  })

  test('the sign-in page speaks the language Accept-Language asks for, and says so in <html lang>', async () => {
    const german = await plain.app.inject({ url: '/auth/local/login', headers: { 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' } })
    assert.equal(german.statusCode, 200)
    assert.match(german.body, /<html lang="de">/)
    assert.match(german.body, /<label for="username">Benutzername oder E-Mail<\/label>/)
    const english = await plain.app.inject({ url: '/auth/local/login', headers: { 'accept-language': 'ja, es;q=0.5' } })
    assert.match(english.body, /<html lang="en">/)
  })

  test('without a supported language the page speaks DEFAULT_LOCALE', async () => {
    const response = await branded.app.inject({ url: '/auth/local/login', headers: { 'accept-language': 'ja' } })
    assert.match(response.body, /<html lang="fr">/)
    assert.match(response.body, /Se connecter/)
  })

  test('the sign-in form\'s refusals are in the page\'s language', async () => {
    const headers = { 'accept-language': 'fr' }
    const page = await plain.app.inject({ url: '/auth/local/login', headers })
    const cookie = page.cookies.map((each) => `${each.name}=${each.value}`).join('; ')
    const post = (fields: Record<string, string>) =>
      plain.app.inject({
        method: 'POST',
        url: '/auth/local/login',
        headers: { ...headers, cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: hiddenField(page.body, '_csrf'), ...fields }).toString()
      })
    const wrong = await post({ username: 'nobody', password: 'not-the-password' })
    assert.equal(wrong.statusCode, 401)
    assert.match(wrong.body, /role="alert" id="sign-in-error">Nom d’utilisateur ou mot de passe incorrect\.</)
    const incomplete = await post({ username: 'nobody' })
    assert.equal(incomplete.statusCode, 400)
    assert.match(incomplete.body, /role="alert" id="sign-in-error">Saisissez votre nom d’utilisateur/)
  })

  test('the ui_locales of the authorization request the sign-in page returns to wins over Accept-Language', async () => {
    const returnTo = `/oauth2/authorization?${new URLSearchParams({ client_id: 'x', ui_locales: 'ja fr' })}`
    const response = await plain.app.inject({ url: `/auth/local/login?returnTo=${encodeURIComponent(returnTo)}`, headers: { 'accept-language': 'de' } })
    assert.match(response.body, /<html lang="fr">/)
  })

  test('GET /language remembers the choice in mp_lang and goes back to the page; the choice then beats Accept-Language', async () => {
    const returnTo = '/auth/local/login?returnTo=%2Fadmin'
    const response = await plain.app.inject({ url: `/language?lang=de&returnTo=${encodeURIComponent(returnTo)}` })
    assert.equal(response.statusCode, 303)
    assert.equal(response.headers.location, returnTo)
    const cookie = response.cookies.find((each) => each.name === 'mp_lang')
    assert.equal(cookie?.value, 'de')
    assert.equal(cookie?.httpOnly, true)
    assert.equal(cookie?.sameSite, 'Lax')
    const page = await plain.app.inject({ url: returnTo, headers: { cookie: 'mp_lang=de', 'accept-language': 'fr' } })
    assert.match(page.body, /<html lang="de">/)
    // A cookie naming no supported language is ignored.
    const forged = await plain.app.inject({ url: returnTo, headers: { cookie: 'mp_lang=xx', 'accept-language': 'fr' } })
    assert.match(forged.body, /<html lang="fr">/)
  })

  test('GET /language refuses an unsupported language and follows no returnTo off this service', async () => {
    assert.equal((await plain.app.inject({ url: '/language?lang=xx' })).statusCode, 400)
    const away = await plain.app.inject({ url: `/language?lang=fr&returnTo=${encodeURIComponent('//evil.example/')}` })
    assert.equal(away.statusCode, 303)
    assert.equal(away.headers.location, '/auth/local/login')
  })

  test('the language switch links come back to the page as it was', async () => {
    const response = await plain.app.inject({ url: '/auth/local/login?returnTo=%2Fadmin' })
    const links = [...response.body.matchAll(/<a href="(\/language\?[^"]*)"/g)].map((match) => new URL(match[1]!.replace(/&amp;/g, '&'), 'http://x'))
    assert.deepEqual(links.map((link) => link.searchParams.get('lang')), ['en', 'de', 'fr'])
    for (const link of links) assert.equal(link.searchParams.get('returnTo'), '/auth/local/login?returnTo=%2Fadmin')
  })

  test('the page shows the brand, escaped, and loads only moneypenny\'s style sheets under a strict policy', async () => {
    const response = await branded.app.inject({ url: '/auth/local/login' })
    assert.match(response.body, /<span class="brand-name">Acme &lt;ID><\/span>/)
    assert.match(response.body, /<img class="brand-logo" src="\/assets\/logo" alt\/>/)
    assert.match(response.body, /<link rel="stylesheet" href="\/assets\/brand.css"\/>/)
    // The passkey form's scripts, from this service only: no inline script or style.
    assert.deepEqual([...response.body.matchAll(/<script[^>]*>/g)].map(([tag]) => tag), ['<script src="/assets/webauthn.js" defer>', '<script src="/assets/passkeys.js" defer>'])
    assert.doesNotMatch(response.body, /<script>|<style| style=/)
    const policy = String(response.headers['content-security-policy'])
    assert.equal(policy, "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'")
    const registration = await branded.app.inject({ url: '/auth/local/register' })
    assert.equal(String(registration.headers['content-security-policy']), "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'", 'no script where no passkey form is')
  })

  test('the style sheet carries the brand colour; logo, operator CSS and favicon are served', async () => {
    const sheet = await branded.app.inject({ url: '/assets/pages.css' })
    assert.equal(sheet.statusCode, 200)
    assert.match(String(sheet.headers['content-type']), /^text\/css/)
    assert.match(sheet.body, /--accent:#c2185b/)
    assert.match(sheet.body, /prefers-color-scheme:dark/)
    const logoResponse = await branded.app.inject({ url: '/assets/logo' })
    assert.equal(logoResponse.headers['content-type'], 'image/svg+xml')
    assert.equal(logoResponse.body, LOGO_SVG)
    // An SVG opened on its own runs no script: the answer's policy allows nothing.
    assert.match(String(logoResponse.headers['content-security-policy']), /default-src 'none'/)
    assert.equal((await branded.app.inject({ url: '/assets/brand.css' })).body, '.brand-name{letter-spacing:.1em}')
    const favicon = await branded.app.inject({ url: '/favicon.ico' })
    assert.equal(favicon.statusCode, 200)
    assert.equal(favicon.body, LOGO_SVG)
  })

  test('without a logo /favicon.ico is a built-in SVG in the brand colour, and no logo or brand CSS route exists', async () => {
    const favicon = await plain.app.inject({ url: '/favicon.ico' })
    assert.equal(favicon.statusCode, 200)
    assert.equal(favicon.headers['content-type'], 'image/svg+xml')
    assert.match(favicon.body, /^<svg [^>]*>.*fill="#0b57d0"/)
    assert.equal((await plain.app.inject({ url: '/assets/logo' })).statusCode, 404)
    assert.equal((await plain.app.inject({ url: '/assets/brand.css' })).statusCode, 404)
  })

  test('discovery lists the languages of the pages', async () => {
    const metadata = (await plain.app.inject({ url: '/.well-known/openid-configuration' })).json()
    assert.deepEqual(metadata.ui_locales_supported, ['en', 'de', 'fr'])
  })
})

describe('brand settings are checked at start', () => {
  const bad: [Record<string, string>, RegExp][] = [
    [{ BRAND_COLOR: 'red' }, /BRAND_COLOR="red" must be a hex colour/],
    [{ BRAND_COLOR: '#12345' }, /BRAND_COLOR/],
    [{ BRAND_NAME: '   ' }, /BRAND_NAME/],
    [{ BRAND_LOGO: 'http://cdn.example/logo.png' }, /BRAND_LOGO: must be an https URL or a file path/],
    [{ BRAND_LOGO: 'javascript:alert(1)' }, /BRAND_LOGO/],
    [{ BRAND_LOGO: '/no/such/logo.png' }, /BRAND_LOGO: cannot read \/no\/such\/logo.png/],
    [{ BRAND_LOGO: '/etc/passwd' }, /BRAND_LOGO: the file must end in one of/],
    [{ BRAND_CSS: '/no/such/brand.css' }, /BRAND_CSS: cannot read/],
    [{ BRAND_CSS: '/etc/hostname' }, /BRAND_CSS: the file must end in .css/],
    [{ DEFAULT_LOCALE: 'es' }, /DEFAULT_LOCALE="es" must be one of en, de, fr/]
  ]
  for (const [env, message] of bad) {
    test(`${JSON.stringify(env)} stops the start`, () => {
      assert.throws(() => testConfig(env), (error: unknown) => error instanceof ConfigError && message.test(error.message))
    })
  }

  test('good values are read: a short colour is widened, an https logo kept as a URL', () => {
    const config = testConfig({ BRAND_NAME: ' Acme ', BRAND_COLOR: '#AbC', BRAND_LOGO: 'https://cdn.example/logo.png', DEFAULT_LOCALE: 'de' })
    assert.deepEqual(config.brand, { name: 'Acme', color: '#aabbcc', logo: { kind: 'url', url: 'https://cdn.example/logo.png' }, cssPath: null })
    assert.equal(config.defaultLocale, 'de')
  })

  test('a logo at an https URL is shown from there, and the policy names its origin and nothing more', async () => {
    const app = await buildTestApp({ BRAND_LOGO: 'https://cdn.example/brand/logo.png' })
    try {
      const response = await app.app.inject({ url: '/auth/local/login' })
      assert.match(response.body, /<img class="brand-logo" src="https:\/\/cdn.example\/brand\/logo.png" alt\/>/)
      assert.match(String(response.headers['content-security-policy']), /img-src 'self' https:\/\/cdn.example;/)
    } finally {
      await app.close()
    }
  })
})
