import { once } from 'node:events'
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { freePort } from '../helpers.js'

export const SMTP_USER = 'mailer'
export const SMTP_PASSWORD = 'mailer-password'

/**
 * An SMTP server in the test process (smtp-server), which parses what arrives (mailparser) and
 * hands each message to whoever waits for it. It asks for credentials, like a real relay; it
 * offers no STARTTLS (no certificate here), so it allows AUTH in the clear.
 */
export class TestSmtpServer {
  readonly received: ParsedMail[] = []
  /** Usernames that authenticated, one per session. */
  readonly logins: string[] = []
  private waiters: ((mail: ParsedMail) => void)[] = []
  private taken = 0
  private server: SMTPServer | null = null

  private constructor(readonly port: number) {}

  /** Starts on a free port, or on `port` (to come back where the app expects it). */
  static async start(port?: number): Promise<TestSmtpServer> {
    const smtp = new TestSmtpServer(port ?? (await freePort()))
    await smtp.listen()
    return smtp
  }

  /** A port nothing listens on yet: the server is "down" until `start(port)`. */
  static async downPort(): Promise<number> {
    return freePort()
  }

  static url(port: number): string {
    return `smtp://${SMTP_USER}:${SMTP_PASSWORD}@127.0.0.1:${port}`
  }

  get url(): string {
    return TestSmtpServer.url(this.port)
  }

  /** The next message not yet taken by an earlier call, as soon as it has arrived. */
  next(): Promise<ParsedMail> {
    const index = this.taken++
    const arrived = this.received[index]
    if (arrived) return Promise.resolve(arrived)
    return new Promise((resolve) => {
      const wait = (mail: ParsedMail) => {
        if (this.received.indexOf(mail) !== index) return
        this.waiters = this.waiters.filter((each) => each !== wait)
        resolve(mail)
      }
      this.waiters.push(wait)
    })
  }

  /**
   * The first message to `address` among those that arrived after the first `since` (what
   * `received.length` was before the step that sends it), as soon as it is there; for steps that
   * mail several addresses at once, in no set order.
   */
  async to(address: string, since: number, timeoutMs = 5_000): Promise<ParsedMail> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = this.received.slice(since).find((mail) => recipientsOf(mail).includes(address.toLowerCase()))
      if (found) return found
      if (Date.now() > deadline) throw new Error(`no mail to ${address} within ${timeoutMs} ms`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  async stop(): Promise<void> {
    const server = this.server
    this.server = null
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  private async listen(): Promise<void> {
    this.server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth: (auth, _session, callback) => {
        if (auth.username !== SMTP_USER || auth.password !== SMTP_PASSWORD) return callback(new Error('wrong credentials'))
        this.logins.push(auth.username)
        callback(null, { user: auth.username })
      },
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((mail) => {
            this.received.push(mail)
            for (const waiter of [...this.waiters]) waiter(mail)
            callback()
          })
          .catch(callback)
      }
    })
    this.server.listen(this.port, '127.0.0.1')
    await once(this.server.server, 'listening')
  }
}

/** The addresses a parsed mail went to, in lower case. */
export function recipientsOf(mail: ParsedMail): string[] {
  const to = mail.to === undefined ? [] : Array.isArray(mail.to) ? mail.to : [mail.to]
  return to.flatMap((each) => each.value.map((address) => (address.address ?? '').toLowerCase()))
}

/** The first link in a mail's text that starts with `prefix`. */
export function linkIn(mail: ParsedMail, prefix: string): string {
  const found = (mail.text ?? '').split(/\s+/).find((word) => word.startsWith(prefix))
  if (!found) throw new Error(`no link to ${prefix} in the mail`)
  return found
}
