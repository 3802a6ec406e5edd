import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, dirname } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { SCHEMES, contrastRatio } from '../../src/pages/page-assets.js'
import { currentCode } from '../../src/services/mfa/totp.js'
import { APP_CALLBACK, authorizationPath, registerUser, startServer, storedPasskey, type ListeningApp } from '../helpers.js'
import { userWithTotp } from '../mfa/fixture.js'
import { DESKTOP, PHONE, launchChromium, openPage, screenshots, watchProblems } from './chromium.js'

/**
 * Every end-user page, in every state a person can meet it in, audited by axe-core for WCAG 2.2
 * AA in the light and dark scheme, at desktop and phone width, with the default brand colour and
 * with a pale and a dark one (the operator chooses the accent, so its contrast is ours to keep).
 */

const AXE_SOURCE = readFileSync(join(dirname(createRequire(import.meta.url).resolve('axe-core')), 'axe.min.js'), 'utf8')
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']
/** The impacts that fail the test (the bar); moderate and minor ones do not. */
const BLOCKING = ['serious', 'critical']

/** The operator colours audited: the default, a pale yellow (dark text on it) and a near-black navy. */
const BRANDS = [
  { name: 'default', color: undefined },
  { name: 'pale', color: '#ffe66d' },
  { name: 'dark', color: '#14213d' }
] as const
type BrandName = (typeof BRANDS)[number]['name']

/**
 * What the rows reach pages with: per brand colour, a server with a client and a user, and one
 * audit page that every row reuses (a new context or page costs more here than a whole row).
 */
interface Site {
  server: ListeningApp
  clientId: string
  user: { username: string; password: string }
  page: Page
  problems: { take: () => string[] }
}

/** A page, or a state of one: how to get there, what its heading says, and the locale the browser asks for. */
interface PageState {
  name: string
  reach: string | ((page: Page, site: Site) => Promise<void>)
  heading: string
  locale?: string
  /** Screenshots of this state for a person to look at: test-output/pages/a11y-<name>-<brand>-<scheme>-<width>.png. */
  screenshots?: Array<{ brand: BrandName; scheme: 'light' | 'dark' }>
}

async function signIn(page: Page, username: string, password: string) {
  await page.getByLabel('Username or email').fill(username)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

/** An account that MFA_REQUIRED_SCOPES=admin makes enrol, new for each row so no row depends on another. */
async function enrollingAdmin(page: Page, site: Site) {
  const admin = await registerUser(site.server.app)
  await site.server.app.accounts.update(admin.id, { scope: ['admin'] }, { isAdmin: true })
  await page.goto('/auth/local/login')
  await signIn(page, admin.username, admin.password)
  await page.getByRole('heading', { name: 'Set up two-step verification' }).waitFor()
}

const PAGES: PageState[] = [
  { name: 'sign-in', reach: '/auth/local/login', heading: 'Sign in' },
  {
    name: 'sign-in-for-app',
    reach: async (page, site) => void (await page.goto(authorizationPath(site.clientId))),
    heading: 'Sign in',
    screenshots: [
      { brand: 'pale', scheme: 'light' },
      { brand: 'dark', scheme: 'dark' }
    ]
  },
  {
    name: 'sign-in-refused',
    reach: async (page, site) => {
      await page.goto('/auth/local/login')
      await signIn(page, site.user.username, 'not-the-password')
      await page.getByRole('alert').waitFor()
    },
    heading: 'Sign in'
  },
  {
    name: 'sign-in-de-refused',
    locale: 'de-DE',
    reach: async (page, site) => {
      await page.goto('/auth/local/login')
      await page.getByLabel('Benutzername oder E-Mail').fill(site.user.username)
      await page.getByLabel('Passwort').fill('not-the-password')
      await page.getByRole('button', { name: 'Anmelden' }).click()
      await page.getByRole('alert').waitFor()
    },
    heading: 'Anmelden',
    screenshots: [{ brand: 'default', scheme: 'light' }]
  },
  { name: 'sign-in-fr-ui-locales', reach: async (page, site) => void (await page.goto(authorizationPath(site.clientId, { ui_locales: 'fr' }))), heading: 'Se connecter' },
  { name: 'register', reach: '/auth/local/register', heading: 'Create an account' },
  {
    name: 'register-refused',
    reach: async (page, site) => {
      await page.goto('/auth/local/register')
      await page.getByLabel('Username').fill(site.user.username)
      await page.getByLabel('Email address').fill('someone.else@example.com')
      await page.getByLabel('Password').fill('another-long-password')
      await page.getByRole('button', { name: 'Create account' }).click()
      await page.getByRole('alert').waitFor()
    },
    heading: 'Create an account',
    screenshots: [{ brand: 'default', scheme: 'dark' }]
  },
  {
    name: 'consent',
    reach: async (page, site) => {
      await page.goto(authorizationPath(site.clientId, { scope: 'openid profile email' }))
      await signIn(page, site.user.username, site.user.password)
    },
    heading: 'Allow access?',
    screenshots: [{ brand: 'default', scheme: 'light' }]
  },
  {
    name: 'account',
    reach: async (page, site) => {
      const person = await registerUser(site.server.app)
      await page.goto('/account')
      await signIn(page, person.username, person.password)
    },
    heading: 'Your account'
  },
  {
    name: 'account-refused',
    reach: async (page, site) => {
      // A person of their own: the wrong password counts against their account's sign-in budget.
      const person = await registerUser(site.server.app)
      await page.goto('/account')
      await signIn(page, person.username, person.password)
      await page.getByLabel('Current password').fill('not-the-password')
      await page.getByLabel('New password', { exact: true }).fill('a-new-password-1')
      await page.getByLabel('New password again').fill('a-new-password-1')
      await page.getByRole('button', { name: 'Change password' }).click()
      await page.getByRole('alert').first().waitFor()
    },
    heading: 'Your account'
  },
  {
    name: 'second-factor',
    reach: async (page, site) => {
      const user = await userWithTotp(site.server.app)
      await page.goto('/auth/local/login')
      await signIn(page, user.username, user.password)
    },
    heading: 'Two-step verification'
  },
  {
    name: 'second-factor-refused',
    reach: async (page, site) => {
      const user = await userWithTotp(site.server.app)
      await page.goto('/auth/local/login')
      await signIn(page, user.username, user.password)
      await page.getByLabel('Verification code').fill('000000')
      await page.getByRole('button', { name: 'Verify' }).click()
      await page.getByRole('alert').waitFor()
    },
    heading: 'Two-step verification',
    screenshots: [{ brand: 'default', scheme: 'dark' }]
  },
  {
    name: 'second-factor-with-passkey',
    reach: async (page, site) => {
      const user = await userWithTotp(site.server.app)
      // A stored passkey is enough for the page to offer one; no authenticator is needed to audit it.
      await site.server.app.store.passkeys.add(storedPasskey(user.id, `cred-${user.id}`))
      await page.goto('/auth/local/login')
      await signIn(page, user.username, user.password)
      await page.getByRole('button', { name: 'Use a passkey instead' }).waitFor()
    },
    heading: 'Two-step verification'
  },
  { name: 'totp-enrolment', reach: enrollingAdmin, heading: 'Set up two-step verification', screenshots: [{ brand: 'default', scheme: 'light' }] },
  {
    name: 'totp-enrolment-refused',
    reach: async (page, site) => {
      await enrollingAdmin(page, site)
      await page.getByLabel('Verification code').fill('000000')
      await page.getByRole('button', { name: 'Turn on' }).click()
      await page.getByRole('alert').waitFor()
    },
    heading: 'Set up two-step verification'
  },
  {
    name: 'recovery-codes',
    reach: async (page, site) => {
      await enrollingAdmin(page, site)
      const secret = ((await page.locator('code.secret').textContent()) ?? '').replaceAll(' ', '')
      await page.getByLabel('Verification code').fill(currentCode(secret))
      await page.getByRole('button', { name: 'Turn on' }).click()
    },
    heading: 'Save your recovery codes'
  },
  {
    name: 'authorization-error',
    reach: async (page, site) => void (await page.goto(authorizationPath(site.clientId, { redirect_uri: 'https://evil.example/cb' }))),
    heading: 'This sign-in request cannot continue'
  },
  { name: 'expired-request-error', reach: '/oauth2/authorization?resume=gone', heading: 'This sign-in request has expired' },
  {
    name: 'sign-out-confirm',
    reach: async (page, site) => {
      await page.goto('/auth/local/login')
      await signIn(page, site.user.username, site.user.password)
      await page.waitForURL('**/auth/details')
      await page.goto(`/oauth2/logout?client_id=${site.clientId}`)
    },
    heading: 'Sign out?'
  },
  {
    name: 'stayed-signed-in',
    reach: async (page, site) => {
      await page.goto('/auth/local/login')
      await signIn(page, site.user.username, site.user.password)
      await page.waitForURL('**/auth/details')
      await page.goto('/oauth2/logout')
      await page.getByRole('button', { name: 'Stay signed in' }).click()
    },
    heading: 'You are still signed in'
  },
  { name: 'signed-out', reach: '/oauth2/logout', heading: 'You are signed out' },
  { name: 'logout-error', reach: '/oauth2/logout?client_id=not-registered', heading: 'This sign-out request cannot continue' }
]

/** `rgb(r, g, b)` as computed by the browser, as #rrggbb. */
function hex(rgb: string): string {
  return `#${rgb.match(/[0-9]+/g)!.slice(0, 3).map((value) => Number(value).toString(16).padStart(2, '0')).join('')}`
}

/** axe-core's serious and critical violations on the page as it is now, one readable line each. */
async function blockingViolations(page: Page, runOnly: { type: string; values: string[] }): Promise<string[]> {
  const violations = await page.evaluate(async (runOnly) => {
    const { violations } = await (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }> }> } }).axe.run(document, { runOnly })
    return violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.map(({ target, failureSummary }) => ({ target: JSON.stringify(target), summary: failureSummary ?? '' })) }))
  }, runOnly)
  return violations
    .filter((violation) => BLOCKING.includes(violation.impact ?? ''))
    .flatMap((violation) => violation.nodes.map((node) => `${violation.impact} ${violation.id} (${violation.help}) at ${node.target}: ${node.summary.replace(/\s+/g, ' ')}`))
}

describe('axe-core finds no serious or critical WCAG 2.2 AA violation on any end-user page', () => {
  let browser: Browser
  const sites = new Map<string, Site>()

  before(async () => {
    browser = await launchChromium()
    for (const brand of BRANDS) {
      const server = await startServer({ MFA_REQUIRED_SCOPES: 'admin', ...(brand.color === undefined ? {} : { BRAND_COLOR: brand.color }) })
      const { client } = await server.app.oauth2.clients.create({
        client_name: 'Photo Album',
        redirect_uris: [APP_CALLBACK],
        scope: 'openid profile email',
        client_uri: 'https://app.example/',
        policy_uri: 'https://app.example/privacy',
        tos_uri: 'https://app.example/terms'
      })
      // axe runs as a script, which the pages' CSP (no script at all) refuses: only this audit
      // context bypasses the CSP; the other browser tests keep checking it. The init script puts
      // axe into every document the page loads.
      const context = await browser.newContext({ viewport: DESKTOP, baseURL: server.base, bypassCSP: true })
      await context.addInitScript({ content: AXE_SOURCE })
      const page = await context.newPage()
      sites.set(brand.name, { server, clientId: client.id, user: await registerUser(server.app), page, problems: watchProblems(page) })
    }
  })
  after(async () => {
    await browser?.close()
    await Promise.all([...sites.values()].map((site) => site.server.close()))
  })

  for (const brand of BRANDS) {
    for (const state of PAGES) {
      test(`${state.name}, brand colour ${brand.name}`, async () => {
        const site = sites.get(brand.name)!
        const { page } = site
        // Each row starts signed out, in the light scheme, at desktop width, in its language (the
        // context has no locale of its own, which would win over this header).
        await page.context().clearCookies()
        await page.emulateMedia({ colorScheme: 'light' })
        await page.setViewportSize(DESKTOP)
        await page.setExtraHTTPHeaders({ 'accept-language': state.locale ?? 'en-GB' })
        if (typeof state.reach === 'string') await page.goto(state.reach)
        else await state.reach(page, site)
        await page.getByRole('heading', { level: 1, name: state.heading }).waitFor()
        // The brand colour changes the style sheet's colours and nothing else: the other brands
        // are audited for contrast only, at one width, which keeps the file fast.
        const audit = brand.name === 'default' ? { viewports: [DESKTOP, PHONE], runOnly: { type: 'tag', values: WCAG_TAGS } } : { viewports: [DESKTOP], runOnly: { type: 'rule', values: ['color-contrast'] } }
        const found: string[] = []
        for (const colorScheme of ['light', 'dark'] as const) {
          await page.emulateMedia({ colorScheme })
          if (state.screenshots?.some((shot) => shot.brand === brand.name && shot.scheme === colorScheme)) await screenshots(page, `a11y-${state.name}-${brand.name}-${colorScheme}`)
          for (const viewport of audit.viewports) {
            await page.setViewportSize(viewport)
            found.push(...(await blockingViolations(page, audit.runOnly)).map((line) => `${colorScheme} ${viewport.width}px: ${line}`))
          }
        }
        assert.deepEqual(site.problems.take(), [], 'console errors')
        assert.deepEqual(found, [], `axe-core on ${state.name} (brand colour ${brand.name}):\n${found.join('\n')}`)
      })
    }
  }

  for (const [brand, colorScheme] of [['pale', 'light'], ['dark', 'dark']] as const) {
    test(`by keyboard, every control of the sign-in page shows a focus ring of 3:1 or more (brand colour ${brand}, ${colorScheme} scheme)`, async (t) => {
      const site = sites.get(brand)!
      const page = await openPage(browser, site.server.base, t, { locale: 'en-GB', colorScheme })
      await page.goto('/auth/local/login')
      const reached: string[] = []
      for (let press = 0; press < 20; press++) {
        await page.keyboard.press('Tab')
        const focused = await page.evaluate(() => {
          const element = document.activeElement
          if (element === null || element === document.body) return null
          const style = getComputedStyle(element)
          return { name: `${element.tagName.toLowerCase()} ${element.id || element.textContent?.trim()}`, outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth), outlineColor: style.outlineColor }
        })
        if (focused === null || reached.includes(focused.name)) break
        reached.push(focused.name)
        assert.notEqual(focused.outlineStyle, 'none', `${focused.name} has no focus outline`)
        assert.ok(focused.outlineWidth >= 2, `${focused.name}: outline ${focused.outlineWidth}px`)
        const ring = hex(focused.outlineColor)
        for (const surface of [SCHEMES[colorScheme].bg, SCHEMES[colorScheme].panel]) {
          assert.ok(contrastRatio(ring, surface) >= 3, `${focused.name}: focus ring ${ring} on ${surface} is ${contrastRatio(ring, surface).toFixed(2)}:1`)
        }
      }
      assert.deepEqual(reached, ['a Skip to content', 'input username', 'input password', 'button Sign in', 'button Use a passkey', 'a Create an account', 'a English', 'a Deutsch', 'a Français'])
    })
  }
})
