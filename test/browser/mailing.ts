import { after, before } from 'node:test'
import type { Browser } from 'playwright-core'
import { startServer, type ListeningApp } from '../helpers.js'
import { TestSmtpServer } from '../mail/smtp.js'
import { launchChromium } from './chromium.js'

/**
 * For a describe block about the pages a mailed link opens: an app branded "Acme Login" that mails
 * through an SMTP server in the test process, and Chromium; started before its tests, stopped after.
 */
export function mailingAppInChromium(): { server: ListeningApp; smtp: TestSmtpServer; browser: Browser } {
  const context = {} as { server: ListeningApp; smtp: TestSmtpServer; browser: Browser }
  before(async () => {
    context.smtp = await TestSmtpServer.start()
    context.server = await startServer({ SMTP_URL: context.smtp.url, MAIL_FROM: 'Acme Login <login@example.com>', BRAND_NAME: 'Acme Login' })
    context.browser = await launchChromium()
  })
  after(async () => {
    await context.browser?.close()
    await context.server?.close()
    await context.smtp?.stop()
  })
  return context
}
