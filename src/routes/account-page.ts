import formbody from '@fastify/formbody'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Conflict, Forbidden, InvalidInput, NotFound, TooManyAttempts, Unauthenticated } from '../errors.js'
import { ACCOUNT_FORM_PATHS, accountPage, type AccountData, type AccountDone, type AccountField, type AccountProblem, type AccountRefusal } from '../pages/account.js'
import { ACCOUNT_PATH } from '../pages/frame.js'
import { sendRedirect } from '../pages/html.js'
import { recoveryCodesPage, totpEnrolmentPage } from '../pages/second-factor.js'
import { formCheck, matches } from '../schemas/check.js'
import { AccountQuery, AppWithdrawalForm, ConsoleCodeForm, EmptyForm, LinkRemovalForm, NewPasskeyForm, PasskeyRemovalForm, PasskeyRenameForm, PasswordChangeForm, SessionEndForm, TwoStepRemovalForm } from '../schemas/account.js'
import { CsrfBody } from '../schemas/browser.js'
import { EmailChangeForm } from '../schemas/email-change.js'
import { CeremonyOptions, RegistrationCredential } from '../schemas/passkeys.js'
import { PASSKEY_NAME_MAX } from '../services/passkeys.js'
import type { RegistrationResponseJSON } from '@simplewebauthn/server'
import { errors } from '../schemas/common.js'
import { withReturnTo } from '../services/return-to.js'
import { mailChangeAfterAnswer } from './email-change.js'
import type { UserRecord } from '../store/port.js'

const SIGN_IN_PATH = '/auth/local/login'

/**
 * Which field a schema error names, among those a form shows, with the problem to say there;
 * an error about anything else (an unknown field, the CSRF token) concerns the whole form.
 */
function refusalsOf(check: (form: unknown) => { instancePath: string; params: Record<string, unknown> }[], form: unknown, problems: Partial<Record<AccountField, AccountProblem>>): AccountRefusal[] {
  const refusals = check(form).map((error): AccountRefusal => {
    const field = (error.instancePath.slice(1) || error.params.missingProperty) as AccountField
    const problem = problems[field]
    return problem === undefined ? { problem: 'form' } : { problem, field }
  })
  // One line per field, and one for the form at most.
  return refusals.filter((refusal, index) => refusals.findIndex((other) => other.field === refusal.field) === index)
}

/** The browser's registration answer from the form's `credential` field, in WebAuthn's JSON shape; null otherwise. */
function postedRegistration(text: string): RegistrationResponseJSON | null {
  try {
    const parsed: unknown = JSON.parse(text)
    return matches(RegistrationCredential, parsed) ? (parsed as RegistrationResponseJSON) : null
  } catch {
    return null
  }
}

const passwordFormCheck = formCheck(PasswordChangeForm)
const codeFormCheck = formCheck(ConsoleCodeForm)
const removalFormCheck = formCheck(TwoStepRemovalForm)
const emailFormCheck = formCheck(EmailChangeForm)

/**
 * The account console (GET /account) and its forms: the password, the second factor, the
 * user's browser and token sessions, the apps they allowed. Each form posts with a CSRF
 * token and comes back to the console: 303 with `done`, or the page with what was refused.
 */
const accountPageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(formbody)
  const tags = ['account console']
  const toSignIn = (reply: FastifyReply) => sendRedirect(reply, withReturnTo(SIGN_IN_PATH, ACCOUNT_PATH), 303)
  const back = (reply: FastifyReply, done?: AccountDone) => sendRedirect(reply, done === undefined ? ACCOUNT_PATH : `${ACCOUNT_PATH}?${new URLSearchParams({ done })}`, 303)

  /** The user's links to upstream providers (by display name while the provider is configured), and the configured providers they have not linked. */
  async function providersOf(userId: string): Promise<AccountData['providers']> {
    const configured = app.oidc.service.list()
    const links = await app.identityLinks.list(userId)
    const linked = links.map((link) => ({ provider: link.provider, displayName: configured.find((each) => each.name === link.provider)?.displayName ?? link.provider, createdAt: link.createdAt }))
    return { linked, linkable: configured.filter((provider) => !links.some((link) => link.provider === provider.name)) }
  }

  async function accountData(request: FastifyRequest, reply: FastifyReply, user: UserRecord): Promise<{ data: AccountData; imageOrigins: string[] }> {
    const [twoStep, passkeys, browsers, tokenSessions, lastUses, consents] = await Promise.all([
      app.mfa.status(user.id),
      app.passkeys.list(user.id),
      app.browserSessionsOf(request, user.id),
      app.sessions.liveSessionsOf(user.id),
      app.sessions.lastUsesOf(user.id),
      app.oauth2.consents.list(user.id)
    ])
    const clientIds = new Set([...tokenSessions.flatMap((session) => (session.clientId === null ? [] : [session.clientId])), ...consents.map((consent) => consent.clientId)])
    const clients = new Map((await Promise.all([...clientIds].map((id) => app.oauth2.clients.find(id)))).flatMap((client) => (client === null ? [] : [[client.id, client] as const])))
    const apps = consents.map((consent) => {
      const client = clients.get(consent.clientId)
      return { clientId: consent.clientId, name: client?.name ?? consent.clientId, logoUri: client?.logoUri ?? null, clientUri: client?.clientUri ?? null, scope: consent.scope, grantedAt: consent.grantedAt }
    })
    const data: AccountData = {
      csrfToken: reply.generateCsrf(),
      user: { username: user.username, email: user.email, emailVerified: user.emailVerified, hasPassword: user.passwordScheme !== 'none' },
      emailChange: app.mail !== null && user.passwordScheme !== 'none' ? { pending: await app.mail.emailChange.pending(user) } : null,
      twoStep,
      // This browser first, then the others by their last use.
      browserSessions: browsers.sessions.map((session) => ({ ...session, current: session.id === browsers.currentId })).sort((a, b) => Number(b.current) - Number(a.current)),
      tokenSessions: tokenSessions.map((session) => ({ id: session.id, clientName: session.clientId === null ? null : (clients.get(session.clientId)?.name ?? session.clientId), createdAt: session.createdAt, lastUsedAt: lastUses.get(session.id) ?? null })),
      apps,
      passkeys: passkeys.map((passkey) => ({ id: passkey.credentialId, name: passkey.name, backedUp: passkey.backedUp, createdAt: passkey.createdAt, lastUsedAt: passkey.lastUsedAt })),
      providers: await providersOf(user.id),
      timeZone: user.zoneinfo ?? 'UTC'
    }
    return { data, imageOrigins: [...new Set(apps.flatMap((each) => (each.logoUri === null ? [] : [new URL(each.logoUri).origin])))] }
  }

  async function show(request: FastifyRequest, reply: FastifyReply, user: UserRecord, statusCode: number, answer: { done?: AccountDone | undefined; refusals?: AccountRefusal[] } = {}) {
    const { data, imageOrigins } = await accountData(request, reply, user)
    const view = app.pages.view(request, { here: ACCOUNT_PATH })
    // The passkey section runs the registration ceremony in a script of moneypenny's own.
    return app.pages.send(reply, statusCode, accountPage(view, data, answer), { imageOrigins, script: true })
  }

  /** The page again after a check of a code or a password failed: `wrong` says which; the errors nobody refused go on. */
  function refused(request: FastifyRequest, reply: FastifyReply, user: UserRecord, error: unknown, wrong: AccountRefusal) {
    if (error instanceof TooManyAttempts) {
      reply.header('retry-after', String(error.retryAfterSeconds))
      return show(request, reply, user, 429, { refusals: [{ problem: 'tooManyAttempts' }] })
    }
    if (error instanceof Unauthenticated || error instanceof Forbidden) return show(request, reply, user, 401, { refusals: [wrong] })
    if (error instanceof NotFound) return show(request, reply, user, 404, { refusals: [{ problem: 'notFound' }] })
    throw error
  }

  const page = { tags, produces: ['text/html'] }
  /** Every form: CSRF first, a refused body shown on the page. Those that check a password or a code count against the address limit too. */
  const form = { preHandler: app.csrfProtection, attachValidation: true }
  const credentialForm = { ...app.credentialRoute, ...form }
  const answers = { response: { 303: { type: 'null' }, ...errors(403, 413, 429) } } as const

  app.get(ACCOUNT_PATH, { attachValidation: true, schema: { ...page, summary: 'The account console of the signed-in user (else to the sign-in page)', querystring: AccountQuery } }, async (request, reply) => {
    const user = await app.sessionUser(request)
    if (user === null) return toSignIn(reply)
    // An unknown `done` is shown as no message at all.
    return show(request, reply, user, 200, { done: request.validationError ? undefined : request.query.done })
  })

  app.post(
    ACCOUNT_FORM_PATHS.password,
    { ...credentialForm, schema: { ...page, summary: 'Change the password (the current one required); ends every other session', body: PasswordChangeForm, ...answers } },
    async (request, reply) => {
      const user = await app.sessionUser(request)
      if (user === null) return toSignIn(reply)
      const fields = request.body as Record<string, unknown>
      const refusals = request.validationError ? refusalsOf(passwordFormCheck, fields, { currentPassword: 'currentPassword', newPassword: 'newPassword', repeatPassword: 'repeatPassword' }) : []
      if (fields.newPassword !== fields.repeatPassword && !refusals.some((refusal) => refusal.field === 'repeatPassword')) refusals.push({ problem: 'repeatPassword', field: 'repeatPassword' })
      if (refusals.length > 0) return show(request, reply, user, 400, { refusals })
      let changed: UserRecord
      try {
        changed = await app.accounts.update(user.id, { password: request.body.newPassword, currentPassword: request.body.currentPassword }, { isAdmin: false })
      } catch (error) {
        return refused(request, reply, user, error, { problem: 'currentPassword', field: 'currentPassword' })
      }
      // accounts.update ended every token session of the user; this browser stays signed in, the others end.
      await app.keepOnlyThisBrowserSession(request, changed)
      return back(reply, 'password-changed')
    }
  )

  app.post(
    ACCOUNT_FORM_PATHS.twoStep,
    { ...form, schema: { ...page, summary: 'Start a TOTP enrolment, shown at GET /account/two-step', body: EmptyForm, ...answers } },
    async (request, reply) => {
      const user = await app.sessionUser(request)
      if (user === null) return toSignIn(reply)
      if (request.validationError) return show(request, reply, user, 400, { refusals: [{ problem: 'form' }] })
      try {
        await app.mfa.beginTotp(user)
      } catch (error) {
        // Already on: the console says so.
        if (error instanceof Conflict) return back(reply)
        throw error
      }
      return sendRedirect(reply, ACCOUNT_FORM_PATHS.twoStep, 303)
    }
  )

  /** The enrolment waiting for its first code: the QR code and the key, and the field for the code. */
  async function enrolmentPage(request: FastifyRequest, reply: FastifyReply, user: UserRecord, statusCode: number, error?: 'wrongCode') {
    const pending = await app.mfa.pendingTotp(user)
    if (pending === null) return back(reply)
    const view = app.pages.view(request, { here: ACCOUNT_FORM_PATHS.twoStep })
    reply.header('cache-control', 'no-store')
    return app.pages.send(reply, statusCode, totpEnrolmentPage(view, { csrfToken: reply.generateCsrf(), action: ACCOUNT_FORM_PATHS.twoStepConfirm, fields: {}, ...pending, required: false, error }))
  }

  app.get(ACCOUNT_FORM_PATHS.twoStep, { schema: { ...page, summary: 'The TOTP enrolment started from the console (else back to it)' } }, async (request, reply) => {
    const user = await app.sessionUser(request)
    if (user === null) return toSignIn(reply)
    return enrolmentPage(request, reply, user, 200)
  })

  /** The recovery codes, once, then back to the console. */
  function recoveryCodes(request: FastifyRequest, reply: FastifyReply, codes: string[]) {
    const view = app.pages.view(request, { here: ACCOUNT_PATH })
    reply.header('cache-control', 'no-store')
    return app.pages.send(reply, 200, recoveryCodesPage(view, { codes, continueTo: ACCOUNT_PATH }))
  }

  app.post(
    ACCOUNT_FORM_PATHS.twoStepConfirm,
    { ...credentialForm, schema: { ...page, summary: 'Confirm the enrolment with a first code; shows the recovery codes once', body: ConsoleCodeForm, ...answers } },
    async (request, reply) => {
      const user = await app.sessionUser(request)
      if (user === null) return toSignIn(reply)
      if (request.validationError) return enrolmentPage(request, reply, user, 400, 'wrongCode')
      let codes: string[]
      try {
        codes = await app.mfa.confirmTotp(user, request.body.code)
      } catch (error) {
        if (error instanceof InvalidInput) return enrolmentPage(request, reply, user, 400, 'wrongCode')
        if (error instanceof Conflict) return back(reply)
        throw error
      }
      return recoveryCodes(request, reply, codes)
    }
  )

  app.post(
    ACCOUNT_FORM_PATHS.recoveryCodes,
    { ...credentialForm, schema: { ...page, summary: 'New recovery codes for a current code; shows them once', body: ConsoleCodeForm, ...answers } },
    async (request, reply) => {
      const user = await app.sessionUser(request)
      if (user === null) return toSignIn(reply)
      if (request.validationError) return show(request, reply, user, 400, { refusals: refusalsOf(codeFormCheck, request.body, { code: 'code' }) })
      let codes: string[]
      try {
        codes = await app.mfa.regenerateRecoveryCodes(user, request.body.code)
      } catch (error) {
        return refused(request, reply, user, error, { problem: 'code', field: 'code' })
      }
      return recoveryCodes(request, reply, codes)
    }
  )

  app.post(
    ACCOUNT_FORM_PATHS.twoStepRemove,
    { ...credentialForm, schema: { ...page, summary: 'Turn the second factor off with a current code, a recovery code or the password', body: TwoStepRemovalForm, ...answers } },
    async (request, reply) => {
      const user = await app.sessionUser(request)
      if (user === null) return toSignIn(reply)
      if (request.validationError) return show(request, reply, user, 400, { refusals: refusalsOf(removalFormCheck, request.body, {}) })
      // An empty field is one not filled in: the code if there is one, else the password.
      const code = request.body.removalCode || undefined
      const password = code === undefined ? request.body.removalPassword || undefined : undefined
      const field: AccountField = code === undefined ? 'removalPassword' : 'removalCode'
      if (code === undefined && password === undefined) return show(request, reply, user, 400, { refusals: [{ problem: 'proof', field: 'removalCode' }] })
      try {
        await app.mfa.removeTotp(user, { code, password })
      } catch (error) {
        return refused(request, reply, user, error, { problem: 'proof', field })
      }
      return back(reply, 'two-step-off')
    }
  )

  /**
   * The forms that end something of the user's (a session, a consent): `end` does it and says
   * what was done, 303 back then; 404 when it is not theirs. Ending this browser's own session signs out.
   */
  async function ending(request: FastifyRequest, reply: FastifyReply, end: (user: UserRecord) => Promise<AccountDone | 'signed-out'>) {
    const user = await app.sessionUser(request)
    if (user === null) return toSignIn(reply)
    if (request.validationError) return show(request, reply, user, 400, { refusals: [{ problem: 'form' }] })
    let done: AccountDone | 'signed-out'
    try {
      done = await end(user)
    } catch (error) {
      return refused(request, reply, user, error, { problem: 'notFound' })
    }
    return done === 'signed-out' ? toSignIn(reply) : back(reply, done)
  }

  app.post(
    ACCOUNT_FORM_PATHS.endBrowserSession,
    { ...form, schema: { ...page, summary: "End one of the user's browser sessions (this one signs out); 404 for one not theirs", body: SessionEndForm, ...answers } },
    async (request, reply) =>
      ending(request, reply, async (user) => {
        const { currentId } = await app.browserSessionsOf(request, user.id)
        if (request.body.id !== currentId) {
          await app.endBrowserSessionOf(user.id, request.body.id)
          return 'session-ended'
        }
        await app.endBrowserSession(request)
        return 'signed-out'
      })
  )

  app.post(
    ACCOUNT_FORM_PATHS.endTokenSession,
    { ...form, schema: { ...page, summary: "End one of the user's token sessions: its tokens are refused at once; 404 for one not theirs", body: SessionEndForm, ...answers } },
    async (request, reply) => ending(request, reply, (user) => app.sessions.revokeSessionOf(user.id, request.body.id).then(() => 'session-ended' as const))
  )

  app.post(
    ACCOUNT_FORM_PATHS.passkeyOptions,
    { preHandler: app.csrfProtection, schema: { tags, summary: 'Registration options for a new passkey of the signed-in user (the page\'s script)', body: CsrfBody, response: { 200: CeremonyOptions, ...errors(401, 403, 413) } } },
    async (request, reply) => {
      const user = await app.sessionUser(request)
      if (user === null) throw new Unauthenticated('Not signed in')
      return reply.header('cache-control', 'no-store').send(await app.passkeys.registrationOptions(user))
    }
  )

  app.post(
    ACCOUNT_FORM_PATHS.passkeys,
    // An attestation with an RSA key is larger than a sign-in's body (AUTH_BODY_LIMIT).
    { ...form, bodyLimit: 16_384, schema: { ...page, summary: 'Keep the passkey the browser just made (its answer in `credential`), under a name', body: NewPasskeyForm, ...answers } },
    async (request, reply) => {
      const user = await app.sessionUser(request)
      if (user === null) return toSignIn(reply)
      const body = request.body as Partial<typeof request.body>
      const name = typeof body.passkeyName === 'string' ? body.passkeyName.trim() : ''
      if (name === '' || name.length > PASSKEY_NAME_MAX) return show(request, reply, user, 400, { refusals: [{ problem: 'passkeyName', field: 'passkeyName' }] })
      const credential = request.validationError ? null : postedRegistration(request.body.credential)
      if (credential === null) return show(request, reply, user, 400, { refusals: [{ problem: 'passkeyRefused' }] })
      try {
        await app.passkeys.register(user, credential, name)
      } catch (error) {
        if (error instanceof Unauthenticated || error instanceof Conflict || error instanceof InvalidInput) return show(request, reply, user, error.statusCode, { refusals: [{ problem: 'passkeyRefused' }] })
        throw error
      }
      return back(reply, 'passkey-added')
    }
  )

  app.post(
    ACCOUNT_FORM_PATHS.renamePasskey,
    { ...form, schema: { ...page, summary: 'Rename one of the user\'s passkeys; 404 for one not theirs', body: PasskeyRenameForm, ...answers } },
    async (request, reply) => {
      const user = await app.sessionUser(request)
      if (user === null) return toSignIn(reply)
      if (request.validationError) return show(request, reply, user, 400, { refusals: [{ problem: 'passkeyName' }] })
      try {
        await app.passkeys.rename(user.id, request.body.id, request.body.name.trim())
      } catch (error) {
        return refused(request, reply, user, error, { problem: 'notFound' })
      }
      return back(reply, 'passkey-renamed')
    }
  )

  /**
   * The forms that remove a way to sign in (a passkey, a link to a provider): `remove` does it and
   * throws Conflict when it is the user's last way in, shown as `lastWay`; 404 for one not theirs.
   */
  async function removingWayIn(request: FastifyRequest, reply: FastifyReply, remove: (user: UserRecord) => Promise<void>, lastWay: AccountRefusal, done: AccountDone) {
    const user = await app.sessionUser(request)
    if (user === null) return toSignIn(reply)
    if (request.validationError) return show(request, reply, user, 400, { refusals: [{ problem: 'form' }] })
    try {
      await remove(user)
    } catch (error) {
      if (error instanceof Conflict) return show(request, reply, user, 409, { refusals: [lastWay] })
      return refused(request, reply, user, error, { problem: 'notFound' })
    }
    return back(reply, done)
  }

  app.post(
    ACCOUNT_FORM_PATHS.removePasskey,
    { ...form, schema: { ...page, summary: 'Remove one of the user\'s passkeys, unless it is their last way to sign in; 404 for one not theirs', body: PasskeyRemovalForm, ...answers } },
    async (request, reply) => removingWayIn(request, reply, (user) => app.passkeys.delete(user, request.body.id, 'user'), { problem: 'passkeyLastWay' }, 'passkey-removed')
  )

  // Sign-in providers (docs/oidc-providers.md): linking starts at POST /auth/oidc/login (routes/oidc.ts); removal is here, under the links API's rule.
  app.post(
    ACCOUNT_FORM_PATHS.removeLink,
    { ...form, schema: { ...page, summary: "Remove one of the user's links to an upstream provider, unless it is their last way to sign in; 404 for one they do not have", body: LinkRemovalForm, ...answers } },
    async (request, reply) =>
      removingWayIn(request, reply, (user) => app.identityLinks.unlink(user, request.body.provider, 'user'), { problem: 'linkLastWay', field: `link-${request.body.provider}` }, 'provider-unlinked')
  )

  app.post(
    ACCOUNT_FORM_PATHS.withdrawApp,
    { ...form, schema: { ...page, summary: "Withdraw the consent given to an app and end that app's sessions for the user", body: AppWithdrawalForm, ...answers } },
    async (request, reply) => ending(request, reply, (user) => app.oauth2.consents.withdraw(user.id, request.body.clientId).then(() => 'app-withdrawn' as const))
  )

  // The user's own address change (only with SMTP_URL): the new address waits for the link mailed to it.
  const mail = app.mail
  if (mail === null) return
  app.post(
    ACCOUNT_FORM_PATHS.email,
    { ...credentialForm, schema: { ...page, summary: 'Ask for a new address (the current password required): a link goes to it, a notice to the current one', body: EmailChangeForm, ...answers } },
    async (request, reply) => {
      const user = await app.sessionUser(request)
      if (user === null) return toSignIn(reply)
      if (request.validationError) return show(request, reply, user, 400, { refusals: refusalsOf(emailFormCheck, request.body, { newEmail: 'newEmail', emailPassword: 'currentPassword' }) })
      let requested: Awaited<ReturnType<typeof mail.emailChange.request>>
      try {
        requested = await mail.emailChange.request(user.id, request.body.newEmail, request.body.emailPassword)
      } catch (error) {
        if (error instanceof InvalidInput) return show(request, reply, user, 400, { refusals: [{ problem: 'sameEmail', field: 'newEmail' }] })
        return refused(request, reply, user, error, { problem: 'currentPassword', field: 'emailPassword' })
      }
      mailChangeAfterAnswer(mail, requested, request.body.newEmail, app.pages.view(request, { here: ACCOUNT_PATH }).locale, request.log)
      return back(reply, 'email-change-requested')
    }
  )

  app.post(
    ACCOUNT_FORM_PATHS.cancelEmail,
    { ...form, schema: { ...page, summary: 'Cancel the pending address change: its link stops working', body: EmptyForm, ...answers } },
    async (request, reply) => ending(request, reply, (user) => mail.emailChange.cancel(user.id).then(() => 'email-change-cancelled' as const))
  )
}

export default accountPageRoutes
