import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core'

/** Debian's Chromium (`.ci/run` installs it); never a browser download. */
const CHROMIUM = '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
const SCREENSHOTS = resolve('test-output/pages')
export const DESKTOP = { width: 1280, height: 800 }
export const PHONE = { width: 390, height: 844 }

/** One Chromium for a test file; screenshots go to test-output/pages. */
export function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
}

/**
 * What went wrong on a page so far, from the console and the network: a style sheet or image the
 * CSP refused shows up here. `take()` answers and forgets them.
 */
export function watchProblems(page: Page): { take: () => string[] } {
  let problems: string[] = []
  // A refused form (400, 401, 409, 429) or a closed page (403) is the page's own status, which
  // Chromium also logs; every other console error counts, and so does any style sheet or image
  // that did not load.
  page.on('console', (message) => {
    if (message.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4(00|01|03|09|29)/.test(message.text())) problems.push(message.text())
  })
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'document' && response.status() >= 400) problems.push(`${response.status()} ${response.url()}`)
  })
  page.on('requestfailed', (request) => problems.push(`failed ${request.url()} ${request.failure()?.errorText}`))
  return {
    take: () => {
      const taken = problems
      problems = []
      return taken
    }
  }
}

/** A page in a new context on `baseURL` that fails the test on any problem `watchProblems` sees. */
export async function openPage(
  browser: Browser,
  baseURL: string,
  t: { after: (fn: () => Promise<void>) => void },
  options: BrowserContextOptions = {}
): Promise<Page> {
  const context = await browser.newContext({ viewport: DESKTOP, baseURL, ...options })
  const page = await context.newPage()
  const problems = watchProblems(page)
  t.after(async () => {
    await context.close()
    assert.deepEqual(problems.take(), [], 'console errors (a CSP violation shows here)')
  })
  return page
}

/** Screenshots at desktop and phone width: test-output/pages/<name>-1280.png and -390.png. */
export async function screenshots(page: Page, name: string) {
  await page.setViewportSize(DESKTOP)
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-1280.png`), fullPage: true })
  await page.setViewportSize(PHONE)
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-390.png`), fullPage: true })
}

/** Signs in on the sign-in page the console sends a signed-out browser to, and waits for the console. */
export async function signInToConsole(page: Page, username: string, password: string) {
  await page.goto('/account')
  await page.getByLabel('Username or email').fill(username)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL('**/account')
}
