import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { freePort, registerUser, startServer, tempDir, type ListeningApp } from '../helpers.js'
import { startUpstream, writeProvidersFile, type Upstream } from '../oidc-upstream/upstream.js'
import { launchChromium, openPage, screenshots, signInOnPage } from './chromium.js'

/**
 * The account console's "Sign-in providers" in Chromium, against node-oidc-provider in this
 * process: a person with a password links their account at Acme ID, signs in through it, and
 * removes the link; a person whose only way in is their link cannot remove it.
 */
describe('sign-in providers in the account console, in Chromium', () => {
  let server: ListeningApp
  let upstream: Upstream
  let browser: Browser
  let removeDir: () => void

  before(async () => {
    const upstreamPort = await freePort()
    const { dir, remove } = tempDir()
    removeDir = remove
    const issuer = `http://127.0.0.1:${upstreamPort}`
    server = await startServer({ OIDC_PROVIDERS: writeProvidersFile(dir, issuer, `http://127.0.0.1:${await freePort()}`) })
    upstream = await startUpstream(`${server.base}/auth/oidc/callback`, upstreamPort)
    browser = await launchChromium()
  })
  after(async () => {
    await browser?.close()
    await server?.close()
    await upstream?.close()
    removeDir?.()
  })

  const section = (page: Page) => page.locator('#providers')

  test('a person with a password links Acme ID from the console, signs in through it, and removes the link', async (t) => {
    const lena = await registerUser(server.app, { username: 'lena', email: 'lena@example.com' })
    upstream.accounts.set('lena-at-acme', { email: 'lena.other@acme.example', email_verified: false, preferred_username: 'lena-acme' })
    const page = await openPage(browser, server.base, t, { locale: 'en-GB' })
    await signInOnPage(page, lena.username, lena.password)
    await section(page).getByRole('heading', { name: 'Sign-in providers' }).waitFor()
    assert.match((await section(page).textContent()) ?? '', /No provider is linked to your account/)
    assert.equal(await section(page).getByRole('button', { name: 'Link Acme ID' }).count(), 1)
    await screenshots(page, 'account-providers-none-en')

    upstream.signInAs = 'lena-at-acme'
    await section(page).getByRole('button', { name: 'Link Acme ID' }).click()
    await page.waitForURL('**/account?done=provider-linked')
    assert.equal(await page.getByRole('status').textContent(), 'The provider was linked: you can sign in through it now.')
    assert.match((await section(page).locator('.ending').textContent()) ?? '', /Acme ID\s*Linked /)
    assert.equal(await section(page).getByRole('button', { name: 'Link Acme ID' }).count(), 0, 'a linked provider has no Link button')
    assert.equal(await section(page).getByRole('button', { name: 'Link Keyed ID' }).count(), 1)
    const links = await server.store.identityLinks.listByUser(lena.id)
    assert.deepEqual(links.map((link) => [link.provider, link.subject]), [['acme', 'lena-at-acme']], 'linked to the user who asked, though the emails differ and are unverified')
    await screenshots(page, 'account-providers-linked-en')

    // Another browser signs in through the link: it is lena.
    const elsewhere = await openPage(browser, server.base, t, { locale: 'en-GB' })
    await elsewhere.goto('/auth/local/login?returnTo=%2Faccount')
    await elsewhere.getByRole('link', { name: 'Sign in with Acme ID' }).click()
    await elsewhere.waitForURL('**/account')
    assert.equal(await elsewhere.locator('.facts dd').first().textContent(), 'lena')

    await section(page).getByRole('button', { name: 'Remove the link to Acme ID' }).click()
    await page.waitForURL('**/account?done=provider-unlinked')
    assert.match((await section(page).textContent()) ?? '', /No provider is linked to your account/)
    assert.deepEqual(await server.store.identityLinks.listByUser(lena.id), [])
  })

  test("the only way to sign in cannot be removed: the refusal is shown at the link, and nothing changes", async (t) => {
    upstream.accounts.set('mona-sub', { email: 'mona@acme.example', email_verified: true, preferred_username: 'mona' })
    upstream.signInAs = 'mona-sub'
    const page = await openPage(browser, server.base, t, { locale: 'en-GB' })
    await page.goto('/auth/local/login?returnTo=%2Faccount')
    await page.getByRole('link', { name: 'Sign in with Acme ID' }).click()
    await page.waitForURL('**/account')
    assert.equal(await page.locator('#password').count(), 0, 'made by the provider: no password')
    await section(page).getByRole('button', { name: 'Remove the link to Acme ID' }).click()
    const problem = section(page).locator('#link-acme')
    await problem.waitFor()
    assert.equal(await problem.textContent(), 'This provider is your only way to sign in: set a password, add a passkey or link another provider before you remove it.')
    assert.equal(await page.locator('#account-problems a').getAttribute('href'), '#link-acme', 'the summary points at the link')
    const mona = (await server.store.users.findByUsernameKey('mona'))!
    assert.equal((await server.store.identityLinks.listByUser(mona.id)).length, 1, 'the link stays')
    await screenshots(page, 'account-providers-last-way-en')
  })

  test('the console in German names the section and its buttons from the catalogue', async (t) => {
    const nina = await registerUser(server.app, { username: 'nina', email: 'nina@example.com' })
    const page = await openPage(browser, server.base, t, { locale: 'de-DE' })
    await page.goto('/account')
    await page.getByLabel('Benutzername oder E-Mail').fill(nina.username)
    await page.getByLabel('Passwort', { exact: true }).fill(nina.password)
    await page.getByRole('button', { name: 'Anmelden' }).click()
    await page.waitForURL('**/account')
    await section(page).getByRole('heading', { name: 'Anmeldeanbieter' }).waitFor()
    assert.equal(await section(page).getByRole('button', { name: 'Mit Acme ID verknüpfen' }).count(), 1)
    await screenshots(page, 'account-providers-de')
  })
})
