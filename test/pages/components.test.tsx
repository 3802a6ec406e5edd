import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, test } from 'node:test'
import { consentPage, errorPage, signInPage } from '../../src/pages/end-user.js'
import { acceptedLanguages, negotiateLocale, uiLocalesOf } from '../../src/pages/locale.js'
import { CATALOGUES, LANGUAGE_NAMES, LOCALES, type Locale } from '../../src/pages/messages/index.js'
import { renderDocument } from '../../src/pages/render.js'
import { Fill } from '../../src/pages/text.js'
import type { PageView } from '../../src/pages/view.js'

const EVIL = '"><script>alert(1)</script><img src=x onerror=alert(2) x="'

function view(locale: Locale = 'en', brandName = 'moneypenny'): PageView {
  return {
    brand: { name: brandName, logoSrc: null, stylesheet: false },
    locale,
    t: CATALOGUES[locale],
    languages: LOCALES.map((each) => ({ locale: each, name: LANGUAGE_NAMES[each], href: `/language?lang=${each}`, current: each === locale }))
  }
}

/**
 * No element or attribute came from the value: '<' is always escaped, so no script or img tag
 * exists; and with every quoted attribute value taken out, no tag carries an event handler.
 */
function assertInert(html: string) {
  // moneypenny's own scripts (the passkey forms') are the only ones a page may load.
  assert.doesNotMatch(html.replace(/<script src="\/assets\/(webauthn|passkeys)\.js" defer><\/script>/g, ''), /<script|<img/i)
  const tags = html.replace(/"[^"]*"/g, '""').match(/<[a-z][a-z0-9]*(\s[^<>]*)?>/gi) ?? []
  assert.ok(tags.length > 10)
  for (const tag of tags) assert.doesNotMatch(tag, /\son[a-z]+=/i, tag)
}

describe('page components escape every value themselves', () => {
  test('a value full of markup renders as text in content and cannot leave an attribute', () => {
    const html = signInPage(view('en', EVIL), { csrfToken: EVIL, returnTo: `/x?${EVIL}`, username: EVIL, error: 'wrongCredentials' })
    assertInert(html)
    assert.match(html, /<title>Sign in · &quot;>&lt;script>alert\(1\)&lt;\/script>/)
    assert.match(html, /<span class="brand-name">&quot;>&lt;script>alert\(1\)&lt;\/script>&lt;img src=x onerror=alert\(2\) x=&quot;<\/span>/)
    // Inside the attribute the quote is &quot;: the value stays one attribute value.
    assert.match(html, /name="username" autocomplete="username" required value="&quot;>&lt;script>/)
  })

  const client = { name: EVIL, clientUri: null, logoUri: null, policyUri: null, tosUri: null }

  test('the consent page shows a client name, user name and scopes as text', () => {
    const html = consentPage(view(), { csrfToken: 't', client, username: EVIL, scopes: [EVIL, 'openid'], authorizationQuery: EVIL })
    assertInert(html)
    assert.match(html, /<strong>&quot;>&lt;script>alert\(1\)&lt;\/script>&lt;img src=x onerror=alert\(2\) x=&quot;<\/strong> asks to act for <strong>/)
    assert.match(html, /<li>Know who you are <code>openid<\/code><\/li>/)
    assert.doesNotMatch(html, /client-links|client-logo/, 'no links or logo the client did not register')
  })

  test("the consent page links the client's registered pages and shows its logo", () => {
    const pages = { clientUri: 'https://app.example/', logoUri: 'https://cdn.app.example/logo.png', policyUri: 'https://app.example/privacy?a=1&b="2"', tosUri: null }
    const html = consentPage(view('fr'), { csrfToken: 't', client: { ...client, ...pages }, username: 'ada', scopes: [], authorizationQuery: 'q' })
    assert.match(html, /<img class="client-logo" src="https:\/\/cdn.app.example\/logo.png" alt(="")? width="64" height="64"\/?>/)
    assert.match(html, /<a href="https:\/\/app.example\/" rel="noopener noreferrer" target="_blank">À propos de l’application<\/a>/)
    assert.match(html, /href="https:\/\/app.example\/privacy\?a=1&amp;b=&quot;2&quot;"/)
    assert.doesNotMatch(html, /Conditions d’utilisation/)
  })

  test('an error page shows the reason as text', () => {
    const html = errorPage(view('de'), 'authorization', EVIL)
    assertInert(html)
    assert.match(html, /<html lang="de">/)
    assert.match(html, /<code>&quot;>&lt;script>/)
  })

  test('Fill puts values in the translation\'s order, escaped', () => {
    const html = renderDocument(<p><Fill text="{user} then {client}" values={{ client: <b>{'<c>'}</b>, user: '<u>' }} /></p>)
    assert.equal(html, '<!doctype html><p>&lt;u> then <b>&lt;c></b></p>')
  })
})

/** Every path to a string in a catalogue ("consent.scopes.email"). */
function keyPaths(catalogue: object, prefix = ''): string[] {
  return Object.entries(catalogue).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keyPaths(value as object, `${prefix}${key}.`)
  )
}

function messageAt(catalogue: object, path: string): string {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], catalogue) as string
}

const placeholdersOf = (text: string) => [...text.matchAll(/\{([a-z]+)\}/g)].map((match) => match[1]).sort()

describe('the message catalogues', () => {
  const english = keyPaths(CATALOGUES.en)

  test('the English catalogue is not empty and every message has text', () => {
    assert.ok(english.length > 10)
    for (const locale of LOCALES) for (const path of keyPaths(CATALOGUES[locale])) assert.notEqual(messageAt(CATALOGUES[locale], path).trim(), '', `${locale}: ${path}`)
  })

  for (const locale of LOCALES) {
    test(`${locale} has exactly the keys of every other language, with the same placeholders`, () => {
      for (const other of LOCALES) assert.deepEqual(keyPaths(CATALOGUES[locale]).sort(), keyPaths(CATALOGUES[other]).sort(), `${locale} against ${other}`)
      for (const path of english) assert.deepEqual(placeholdersOf(messageAt(CATALOGUES[locale], path)), placeholdersOf(messageAt(CATALOGUES.en, path)), `${locale}: ${path}`)
    })
  }

  test('the key comparison notices a missing key', () => {
    const { scopes: _dropped, ...consent } = CATALOGUES.de.consent
    assert.notDeepEqual(keyPaths({ ...CATALOGUES.de, consent }).sort(), english.sort())
  })

  test('German and French are translations, not copies of the English', () => {
    for (const locale of ['de', 'fr'] as const) {
      const same = english.filter((path) => messageAt(CATALOGUES[locale], path) === messageAt(CATALOGUES.en, path))
      assert.deepEqual(same, [], `${locale} keeps English text`)
    }
  })
})

describe('the language of a page', () => {
  test('ui_locales beats Accept-Language, which beats the default', () => {
    assert.equal(negotiateLocale({ uiLocales: 'fr', acceptLanguage: 'de', defaultLocale: 'en' }), 'fr')
    assert.equal(negotiateLocale({ acceptLanguage: 'de', defaultLocale: 'fr' }), 'de')
    assert.equal(negotiateLocale({ defaultLocale: 'fr' }), 'fr')
  })

  test('unsupported languages fall through to the next wish, then to the default', () => {
    assert.equal(negotiateLocale({ uiLocales: 'ja tlh fr-CA', acceptLanguage: 'de', defaultLocale: 'en' }), 'fr')
    assert.equal(negotiateLocale({ uiLocales: 'ja', acceptLanguage: 'de-AT,en;q=0.5', defaultLocale: 'en' }), 'de')
    assert.equal(negotiateLocale({ uiLocales: 'ja', acceptLanguage: 'es, *;q=0.1', defaultLocale: 'de' }), 'de')
    assert.equal(negotiateLocale({ uiLocales: '', acceptLanguage: '', defaultLocale: 'en' }), 'en')
  })

  test('Accept-Language is read by its q-values, not its order', () => {
    assert.equal(negotiateLocale({ acceptLanguage: 'en;q=0.3, fr;q=0.9, de;q=0.8', defaultLocale: 'en' }), 'fr')
    assert.equal(negotiateLocale({ acceptLanguage: 'de;q=0, fr;q=0.1', defaultLocale: 'en' }), 'fr')
    assert.deepEqual(acceptedLanguages('en-GB;q=0.8, de, fr;q=0.8, it;q=0, x;q=2, bad tag, ;q=1'), ['de', 'en-GB', 'fr'])
  })

  test('an authorization request names its ui_locales; other paths name none', () => {
    assert.equal(uiLocalesOf(`/oauth2/authorization?${new URLSearchParams({ client_id: 'c', ui_locales: 'fr de' })}`), 'fr de')
    assert.equal(uiLocalesOf('/admin?ui_locales=fr'), undefined)
    assert.equal(uiLocalesOf(null), undefined)
  })
})

describe('raw HTML', () => {
  test('no source file hands preact raw markup (dangerouslySetInnerHTML) or writes a page as a string', () => {
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? sources(join(dir, entry.name)) : /\.tsx?$/.test(entry.name) ? [join(dir, entry.name)] : []))
    const files = sources(resolve('src'))
    assert.ok(files.some((file) => file.endsWith('end-user.tsx')), 'reads the sources')
    for (const file of files) {
      const source = readFileSync(file, 'utf8')
      assert.doesNotMatch(source, /dangerouslySetInnerHTML/, file)
      // The doctype, which preact cannot render, is the one piece of markup written by hand.
      if (!file.endsWith('render.ts')) assert.doesNotMatch(source, /<!doctype/i, file)
    }
  })
})
