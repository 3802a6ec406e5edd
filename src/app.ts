import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { Config } from './config.js'
import { AccessLog, lazyChildLogger, loggerOptions } from './logger.js'
import configPlugin from './plugins/config.js'
import docs from './plugins/docs.js'
import errors from './plugins/errors.js'
import browserSession from './plugins/browser-session.js'
import identity from './plugins/identity.js'
import mail from './plugins/mail.js'
import metrics from './plugins/metrics.js'
import oauth2 from './plugins/oauth2.js'
import pageFrame from './plugins/pages.js'
import redis from './plugins/redis.js'
import requestContext, { requestId } from './plugins/request-context.js'
import revocationBroadcast from './plugins/revocation-broadcast.js'
import samlPlugin from './plugins/saml.js'
import security from './plugins/security.js'
import storePlugin from './plugins/store.js'
import sweep from './plugins/sweep.js'
import accountPage from './routes/account-page.js'
import admin from './routes/admin.js'
import authorise from './routes/authorise.js'
import browser from './routes/browser.js'
import clients from './routes/clients.js'
import mfa from './routes/mfa.js'
import passkeys from './routes/passkeys.js'
import secondFactorPages from './routes/second-factor-page.js'
import passkeySignIn from './routes/passkey-sign-in.js'
import consents from './routes/consents.js'
import keys from './routes/keys.js'
import language from './routes/language.js'
import oauth2Authorization from './routes/oauth2/authorization.js'
import oauth2Discovery from './routes/oauth2/discovery.js'
import oauth2Token from './routes/oauth2/token.js'
import oauth2Logout from './routes/oauth2/logout.js'
import oauth2Userinfo from './routes/oauth2/userinfo.js'
import local from './routes/local.js'
import ops from './routes/ops.js'
import passwordReset from './routes/password-reset.js'
import emailChange, { emailChangePages } from './routes/email-change.js'
import emailVerification, { emailVerificationPages } from './routes/email-verification.js'
import passwordResetPages from './routes/password-reset-page.js'
import pageAssets from './routes/page-assets.js'
import registerPage from './routes/register-page.js'
import identityLinks from './routes/identity-links.js'
import oidc from './routes/oidc.js'
import saml from './routes/saml.js'
import tokens from './routes/tokens.js'
import users from './routes/users.js'
import { refuseInvalidHeaders } from './http/header-value.js'
import { schemasCompiledOnFirstUse } from './plugins/validation.js'
import { ErrorResponse } from './schemas/common.js'
import { OAuthErrorResponse } from './schemas/oauth2.js'
import type { MailWorkerOptions } from './services/mail/outbox.js'
import type { Store } from './store/port.js'

export interface BuildOptions {
  /** An open store to use instead of the configured one (tests). */
  store?: Store
  /** Overrides the logger built from config (tests pass false). */
  logger?: FastifyServerOptions['logger']
  /** The mail outbox worker's timing (tests make retries quick). */
  mailWorker?: Partial<MailWorkerOptions>
}

/** Builds the application; never listens (server.ts does, tests use inject or listen themselves). */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const schemas = schemasCompiledOnFirstUse()
  const app = Fastify({
    logger: options.logger ?? loggerOptions(config),
    // A number (trusted hops) is valid at run time; Fastify's types omit it.
    trustProxy: config.trustProxy as boolean | string,
    return503OnClosing: true,
    // Fastify's default is 1 MiB, read and parsed before any route checks who sent it.
    // Routes that take no body refuse one unread (plugins/security.ts).
    bodyLimit: config.bodyLimit,
    logController: new AccessLog(),
    childLoggerFactory: lazyChildLogger,
    requestIdHeader: false,
    genReqId: requestId,
    schemaController: { compilersFactory: schemas.compilersFactory }
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorate('compileEverySchema', schemas.compileAll)
  app.addSchema(ErrorResponse)
  app.addSchema(OAuthErrorResponse)
  await app.register(configPlugin, { config })
  await app.register(errors)
  await app.register(metrics)
  await app.register(requestContext)
  await app.register(redis)
  await app.register(security)
  await app.register(docs)
  await app.register(storePlugin, options.store ? { store: options.store } : {})
  await app.register(identity)
  await app.register(sweep)
  await app.register(mail, options.mailWorker ? { worker: options.mailWorker } : {})
  await app.register(revocationBroadcast)
  await app.register(oauth2)
  await app.register(samlPlugin)
  await app.register(pageFrame)

  await app.register(ops)
  await app.register(pageAssets)
  await app.register(local)
  await app.register(tokens)
  await app.register(users)
  await app.register(authorise)
  await app.register(clients)
  await app.register(consents)
  await app.register(mfa)
  await app.register(passkeys)
  await app.register(passwordReset)
  await app.register(emailVerification)
  await app.register(emailChange)
  await app.register(identityLinks)
  await app.register(keys)
  // The browser's pages: helmet's whole set of headers, cookies, browser sessions and CSRF
  // tokens. Token checks and the JSON APIs never parse a cookie or wait on the session store.
  await app.register(async (pages) => {
    pages.addHook('onRequest', app.pageSecurityHeaders)
    // Registered before the session plugin, so it runs before the session is saved and the head written.
    pages.addHook('onSend', refuseInvalidHeaders)
    await pages.register(browserSession)
    await pages.register(browser)
    await pages.register(secondFactorPages)
    await pages.register(passkeySignIn)
    await pages.register(registerPage)
    await pages.register(accountPage)
    await pages.register(passwordResetPages)
    await pages.register(emailVerificationPages)
    await pages.register(emailChangePages)
    await pages.register(language)
    await pages.register(saml)
    await pages.register(oidc)
    await pages.register(admin, { prefix: '/admin' })
    await pages.register(oauth2Authorization)
    await pages.register(oauth2Logout)
  })
  await app.register(oauth2Token)
  await app.register(oauth2Userinfo)
  await app.register(oauth2Discovery)
  return app
}
