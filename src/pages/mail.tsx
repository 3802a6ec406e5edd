import type { ComponentChildren } from 'preact'
import type { Locale, Messages } from './messages/index.js'
import { textOn } from './page-assets.js'
import { renderDocument } from './render.js'
import { Fill } from './text.js'

/**
 * The mails moneypenny sends, each as a subject, a plain-text body and an HTML body made from
 * the same catalogue strings, in the recipient's language and with the pages' brand. The HTML
 * is rendered by preact, which escapes every value; mail clients ignore style sheets, so its
 * few styles are inline, and it loads nothing from anywhere.
 */

export interface MailView {
  brand: { name: string; color: string }
  locale: Locale
  t: Messages
}

export interface RenderedMail {
  to: string
  subject: string
  text: string
  html: string
}

/** The recipient as the mail greets them: their name when they gave one, else their username. */
export interface Recipient {
  email: string
  name: string
}

/** A catalogue message with its `{name}` placeholders filled, as text. */
function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{([a-z]+)\}/g, (_, name: string) => values[name] ?? '')
}

function MailDocument({ view, to, title, children }: { view: MailView; to: Recipient; title: string; children: ComponentChildren }) {
  const t = view.t.mail
  return (
    <html lang={view.locale}>
      <head>
        <meta charset="utf-8" />
        <title>{title}</title>
      </head>
      <body style="margin:0;padding:24px;background:#f4f5f7;color:#1b1f24;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:16px;line-height:1.5">
        <div style="max-width:560px;margin:0 auto;background:#ffffff;border:1px solid #d5dae0;border-radius:8px;padding:24px">
          <p style={`margin:0 0 16px;font-weight:600;color:${view.brand.color}`}>{view.brand.name}</p>
          <p>
            <Fill text={t.greeting} values={{ name: to.name }} />
          </p>
          {children}
        </div>
        <p style="max-width:560px;margin:16px auto 0;color:#58616b;font-size:13px">
          <Fill text={t.footer} values={{ brand: view.brand.name, email: to.email }} />
        </p>
      </body>
    </html>
  )
}

function mailOf(view: MailView, to: Recipient, subject: string, paragraphs: string[], body: ComponentChildren): RenderedMail {
  const t = view.t.mail
  const text = [fill(t.greeting, { name: to.name }), ...paragraphs, '--', fill(t.footer, { brand: view.brand.name, email: to.email })].join('\n\n')
  const html = renderDocument(
    <MailDocument view={view} to={to} title={subject}>
      {body}
    </MailDocument>
  )
  return { to: to.email, subject, text: `${text}\n`, html }
}

/** Mails whose point is a link: a password reset, an address to confirm. */
export type LinkMail = 'passwordReset' | 'verifyEmail' | 'changeEmail'

/** A mail with one link; the token is in it, so it is said once and logged nowhere. */
export function linkMail(view: MailView, to: Recipient, options: { kind: LinkMail; link: string; minutes: number }): RenderedMail {
  const t = view.t.mail[options.kind]
  const brand = view.brand.name
  const minutes = new Intl.NumberFormat(view.locale).format(options.minutes)
  const subject = fill(t.subject, { brand })
  const paragraphs = [fill(t.intro, { brand }), `${t.action}:\n${options.link}`, fill(t.expiry, { minutes }), t.ignore]
  const button = `display:inline-block;padding:10px 18px;border-radius:6px;background:${view.brand.color};color:${textOn(view.brand.color)};text-decoration:none;font-weight:600`
  return mailOf(
    view,
    to,
    subject,
    paragraphs,
    <>
      <p>{paragraphs[0]}</p>
      <p>
        <a href={options.link} style={button}>
          {t.action}
        </a>
      </p>
      <p style="word-break:break-all;font-size:13px;color:#58616b">{options.link}</p>
      <p>{paragraphs[2]}</p>
      <p>{t.ignore}</p>
    </>
  )
}

/** What a security notice is about; each has a subject and a sentence in the catalogue's `mail`. */
export type SecurityNotice =
  | 'passwordChanged'
  | 'mfaAdded'
  | 'mfaRemoved'
  | 'mfaReset'
  | 'passkeyAdded'
  | 'passkeyRemoved'
  | 'passkeyReset'
  | 'emailChangeRequested'
  | 'emailChanged'
  | 'emailChangedByAdmin'
  | 'emailInUse'

/**
 * A security notice: what changed on the account and when (and the address it concerns, for the
 * address notices), and what to do if it was not the recipient; `emailInUse` goes to the owner of
 * an address someone else asked for, who has nothing to do.
 */
export function securityNoticeMail(view: MailView, to: Recipient, options: { notice: SecurityNotice; at: number; email?: string }): RenderedMail {
  const t = view.t.mail
  const brand = view.brand.name
  const time = new Intl.DateTimeFormat(view.locale, { dateStyle: 'long', timeStyle: 'long', timeZone: 'UTC' }).format(options.at)
  const body = fill(t[options.notice].body, { brand, time, email: options.email ?? '' })
  const paragraphs = options.notice === 'emailInUse' ? [body] : [body, t.notYou]
  return mailOf(
    view,
    to,
    fill(t[options.notice].subject, { brand }),
    paragraphs,
    paragraphs.map((paragraph) => <p>{paragraph}</p>)
  )
}
