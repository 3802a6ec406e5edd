import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { MIN_TEXT_CONTRAST, SCHEMES, accentInk, contrastRatio, mix, pagesCss, textOn, type Scheme } from '../../src/pages/page-assets.js'

/** Operator colours from pale to dark, saturated and grey, including the default. */
const BRAND_COLOURS = ['#0b57d0', '#ffe66d', '#14213d', '#ffffff', '#000000', '#ff0000', '#00ff00', '#777777', '#c2185b', '#7fdbff', '#2ecc40', '#f012be']
const SCHEME_NAMES = Object.keys(SCHEMES) as Scheme[]

describe('the pages\' colours hold WCAG AA contrast whatever the brand colour', () => {
  test('contrast ratios of known pairs', () => {
    assert.equal(contrastRatio('#000000', '#ffffff'), 21)
    assert.equal(contrastRatio('#ffffff', '#000000'), 21)
    assert.equal(contrastRatio('#777777', '#777777'), 1)
    // WebAIM's checker: #767676 on white is the lightest grey at 4.54:1, #595959 gives 7:1.
    assert.equal(contrastRatio('#767676', '#ffffff').toFixed(2), '4.54')
    assert.equal(contrastRatio('#595959', '#ffffff').toFixed(2), '7.00')
  })

  test('mix moves a colour toward another by the share asked', () => {
    assert.equal(mix('#ffe66d', '#000000', 0), '#ffe66d')
    assert.equal(mix('#ffe66d', '#000000', 1), '#000000')
    assert.equal(mix('#000000', '#ffffff', 0.5), '#808080')
  })

  test('text on the accent is black or white, whichever contrasts more, never below 4.5:1', () => {
    assert.equal(textOn('#ffe66d'), '#000000')
    assert.equal(textOn('#14213d'), '#ffffff')
    for (const accent of BRAND_COLOURS) {
      const other = textOn(accent) === '#000000' ? '#ffffff' : '#000000'
      assert.ok(contrastRatio(textOn(accent), accent) >= contrastRatio(other, accent), accent)
      assert.ok(contrastRatio(textOn(accent), accent) >= MIN_TEXT_CONTRAST, accent)
    }
  })

  test('links and focus rings hold 4.5:1 on the page and the panel, in both schemes', () => {
    for (const accent of BRAND_COLOURS) {
      for (const scheme of SCHEME_NAMES) {
        const ink = accentInk(accent, scheme)
        for (const surface of [SCHEMES[scheme].bg, SCHEMES[scheme].panel]) {
          assert.ok(contrastRatio(ink, surface) >= MIN_TEXT_CONTRAST, `${accent} in the ${scheme} scheme: ${ink} on ${surface} is ${contrastRatio(ink, surface).toFixed(2)}:1`)
        }
      }
    }
  })

  test('an accent that already holds is kept as it is', () => {
    assert.equal(accentInk('#0b57d0', 'light'), '#0b57d0')
    assert.notEqual(accentInk('#ffe66d', 'light'), '#ffe66d')
    assert.notEqual(accentInk('#14213d', 'dark'), '#14213d')
  })

  test('the text colours of each scheme hold 4.5:1 on its surfaces', () => {
    for (const scheme of SCHEME_NAMES) {
      const { bg, panel, text, muted, error, errorBg } = SCHEMES[scheme]
      for (const [foreground, background] of [[text, bg], [text, panel], [muted, bg], [muted, panel], [error, errorBg], [error, panel]] as const) {
        assert.ok(contrastRatio(foreground, background) >= MIN_TEXT_CONTRAST, `${scheme}: ${foreground} on ${background}`)
      }
    }
  })

  test('the style sheet carries the derived colours', () => {
    const css = pagesCss('#ffe66d')
    assert.match(css, /--accent:#ffe66d;--on-accent:#000000;/)
    assert.match(css, new RegExp(`--link:${accentInk('#ffe66d', 'light')}`))
    assert.match(css, new RegExp(`prefers-color-scheme:dark\\)\\{:root\\{[^}]*--link:${accentInk('#ffe66d', 'dark')}`))
  })
})
