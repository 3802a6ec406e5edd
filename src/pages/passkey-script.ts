import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/**
 * @simplewebauthn/browser's bundle (global SimpleWebAuthnBrowser), served by moneypenny itself
 * (no CDN). Its package exports only its entry point, so the bundle is found beside it.
 */
export function webauthnBrowserBundle(): Buffer {
  const entry = createRequire(import.meta.url).resolve('@simplewebauthn/browser')
  return readFileSync(join(dirname(entry), '..', 'dist', 'bundle', 'index.umd.min.js'))
}

/**
 * The passkey forms' script. A form with `data-passkey` ("register" or "authenticate") stays
 * hidden where the browser has no WebAuthn; on submit it fetches options from `data-options`
 * (a JSON POST with the form's CSRF token), runs the ceremony, puts the browser's answer in the
 * form's `credential` field and submits the form as usual: the server answers it like any form.
 * A ceremony the person cancelled, or one that failed in the browser, shows the form's
 * `data-passkey-failed` message (from the page's catalogue).
 */
export const PASSKEY_SCRIPT = `(function () {
  'use strict'
  var lib = window.SimpleWebAuthnBrowser
  if (!lib || !lib.browserSupportsWebAuthn()) return
  Array.prototype.forEach.call(document.querySelectorAll('form[data-passkey]'), function (form) {
    var credential = form.elements.namedItem('credential')
    var failed = form.querySelector('[data-passkey-failed]')
    form.hidden = false
    form.addEventListener('submit', function (event) {
      event.preventDefault()
      failed.hidden = true
      fetch(form.getAttribute('data-options'), {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ _csrf: form.elements.namedItem('_csrf').value })
      })
        .then(function (response) {
          if (!response.ok) throw new Error('options: ' + response.status)
          return response.json()
        })
        .then(function (options) {
          return form.getAttribute('data-passkey') === 'register' ? lib.startRegistration({ optionsJSON: options }) : lib.startAuthentication({ optionsJSON: options })
        })
        .then(function (answer) {
          credential.value = JSON.stringify(answer)
          form.submit()
        })
        .catch(function () {
          failed.hidden = false
        })
    })
  })
})()
`
