import type { Transporter } from 'nodemailer'
import type { MailTransport } from './outbox.js'

/** Short SMTP timeouts: an attempt against a server that hangs ends well within the outbox lease. */
const SMTP_TIMEOUT_MS = 15_000

/**
 * The SMTP transport of SMTP_URL: `smtps://` speaks TLS from the start; `smtp://` upgrades with
 * STARTTLS when the server offers it (`?requireTLS=true` makes that a must). Credentials come
 * from the URL. One connection per message: the outbox sends a trickle, not bulk. nodemailer is
 * loaded with the first message, not at start: a sidecar that mails nothing keeps its 3 MB of heap.
 */
export function smtpTransport(smtpUrl: string, from: string): { send: MailTransport; close(): void } {
  let transporter: Promise<Transporter> | null = null
  const open = async () => {
    const { default: nodemailer } = await import('nodemailer')
    return nodemailer.createTransport({ url: smtpUrl, connectionTimeout: SMTP_TIMEOUT_MS, greetingTimeout: SMTP_TIMEOUT_MS, socketTimeout: SMTP_TIMEOUT_MS })
  }
  return {
    async send(message) {
      transporter ??= open()
      await (await transporter).sendMail({ from, to: message.to, subject: message.subject, text: message.text, html: message.html })
    },
    close: () => void transporter?.then((opened) => opened.close(), () => undefined)
  }
}
