import assert from 'node:assert/strict'
import { test } from 'node:test'
import { linkMail, securityNoticeMail, type MailView, type SecurityNotice } from '../../src/pages/mail.js'
import { CATALOGUES, LOCALES } from '../../src/pages/messages/index.js'

const view = (locale: (typeof LOCALES)[number]): MailView => ({ brand: { name: 'Acme <Login>', color: '#0b57d0' }, locale, t: CATALOGUES[locale] })
const hostile = { email: 'ada@example.com', name: '<script>alert(1)</script> & "Ada"' }
const link = 'https://login.example/auth/password/reset?token=abc&x=<y>'

test('every mail is text and HTML in each language, with every value escaped in the HTML and no placeholder left', () => {
  for (const locale of LOCALES) {
    const notices: SecurityNotice[] = ['passwordChanged', 'mfaAdded', 'mfaRemoved', 'mfaReset', 'passkeyAdded', 'passkeyRemoved', 'passkeyReset']
    const at = Date.UTC(2026, 0, 2, 3, 4)
    for (const mail of [linkMail(view(locale), hostile, { kind: 'passwordReset', link, minutes: 60 }), linkMail(view(locale), hostile, { kind: 'verifyEmail', link, minutes: 1440 }), ...notices.map((notice) => securityNoticeMail(view(locale), hostile, { notice, at }))]) {
      assert.equal(mail.to, 'ada@example.com')
      assert.ok(mail.subject.includes('Acme <Login>'), 'the subject is text: nothing to escape')
      assert.ok(mail.text.includes(hostile.name), 'the text body says the name as it is')
      assert.ok(!mail.html.includes('<script>') && mail.html.includes('&lt;script>'), `escaped name (${locale})`)
      assert.ok(!mail.html.includes('Acme <Login>'))
      assert.match(mail.html, new RegExp(`^<!doctype html><html lang="${locale}">`))
      for (const body of [mail.text, mail.html, mail.subject]) assert.doesNotMatch(body, /\{[a-z]+\}/, 'no unfilled placeholder')
    }
  }
  const reset = linkMail(view('fr'), hostile, { kind: 'passwordReset', link, minutes: 60 })
  assert.ok(reset.text.includes(link))
  assert.ok(reset.html.includes('href="https://login.example/auth/password/reset?token=abc&amp;x=&lt;y>"'))
  assert.match(reset.text, /valable 60 minutes/)
  assert.match(securityNoticeMail(view('de'), hostile, { notice: 'passwordChanged', at: Date.UTC(2026, 0, 2, 3, 4) }).text, /2\. Januar 2026/)
})
