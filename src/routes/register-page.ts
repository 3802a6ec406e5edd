import formbody from '@fastify/formbody'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { Conflict, InvalidInput } from '../errors.js'
import { sendRedirect } from '../pages/html.js'
import { verifyLinkSentPage } from '../pages/verify-email.js'
import { REGISTER_FIELDS, registerPage, registrationClosedPage, type RegisterField, type RegisterProblems } from '../pages/register.js'
import { formCheck } from '../schemas/check.js'
import { RegisterForm, ReturnToQuery } from '../schemas/browser.js'
import { errors } from '../schemas/common.js'
import { safeReturnTo, withReturnTo } from '../services/return-to.js'
import { setRequestLocale } from '../services/security-log.js'
import { afterRightPassword } from './second-factor-page.js'
import { signingInFor } from './signing-in-for.js'

const REGISTER_PATH = '/auth/local/register'
const SIGN_IN_PATH = '/auth/local/login'

/** The field a service refusal names first ("username is already taken"), if it is one of the form's. */
function fieldNamedBy(message: string): RegisterField | undefined {
  return REGISTER_FIELDS.find((field) => message.startsWith(`${field} `))
}

const registerFormCheck = formCheck(RegisterForm)

/** Every field of a form the schema refused; what concerns no one field (an unknown field, returnTo) concerns the form. */
function refusedForm(fields: Record<string, unknown>): RegisterProblems {
  const problems: RegisterProblems = {}
  for (const error of registerFormCheck(fields)) {
    const field = REGISTER_FIELDS.find((name) => name === (error.instancePath.slice(1) || error.params.missingProperty))
    if (field === undefined) problems.form = 'form'
    else problems[field] = field
  }
  return Object.keys(problems).length === 0 ? { form: 'form' } : problems
}

/**
 * The registration page (GET/POST /auth/local/register): the JSON endpoint's rules and answers
 * (400, 409, 403 while REGISTRATION=closed) as a form, after which the person is signed in and
 * sent on to returnTo, which may be the OAuth2 authorization that sent them to sign in.
 */
const registerPageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(formbody)
  const tags = ['browser session']
  const open = app.config.registration === 'open'

  /** The page (the closed one while registration is closed), with what the person entered and what is wrong with it. */
  async function show(
    request: FastifyRequest,
    reply: FastifyReply,
    statusCode: number,
    returnTo: string | null,
    form: { username?: string; email?: string; problems?: RegisterProblems } = {}
  ) {
    const { uiLocales, clientName } = await signingInFor(app, request, returnTo)
    const view = app.pages.view(request, { uiLocales, here: withReturnTo(REGISTER_PATH, returnTo) })
    const signInHref = withReturnTo(SIGN_IN_PATH, returnTo)
    if (!open) return app.pages.send(reply, 403, registrationClosedPage(view, signInHref))
    return app.pages.send(reply, statusCode, registerPage(view, { csrfToken: reply.generateCsrf(), returnTo, signInHref, clientName, ...form }))
  }

  app.get(
    REGISTER_PATH,
    { schema: { tags, summary: 'The registration page (403 while registration is closed)', querystring: ReturnToQuery, produces: ['text/html'] } },
    async (request, reply) => show(request, reply, 200, safeReturnTo(request.query.returnTo))
  )

  app.post(
    REGISTER_PATH,
    {
      ...app.credentialRoute,
      preHandler: app.csrfProtection,
      attachValidation: true,
      // The address limit refuses before the form is read: the page says so, with an empty form.
      errorHandler: (error: FastifyError, request, reply) => {
        if (error.statusCode !== 429) throw error
        return show(request, reply, 429, null, { problems: { form: 'tooManyAttempts' } })
      },
      schema: {
        tags,
        summary: 'Register from the form, then signed in; redirects to returnTo or /auth/details',
        body: RegisterForm,
        response: { 303: { type: 'null' }, ...errors(403, 413) }
      }
    },
    async (request, reply) => {
      const fields = request.body as Record<string, unknown>
      const returnTo = safeReturnTo(typeof fields.returnTo === 'string' ? fields.returnTo : undefined)
      // What the person entered comes back with the refusal; the password never does.
      const entered = { username: typeof fields.username === 'string' ? fields.username : '', email: typeof fields.email === 'string' ? fields.email : '' }
      if (!open) return show(request, reply, 403, returnTo)
      if (request.validationError) return show(request, reply, 400, returnTo, { ...entered, problems: refusedForm(fields) })
      let next: string
      // The verification mail speaks the language this page was shown in.
      const { uiLocales } = await signingInFor(app, request, returnTo)
      setRequestLocale(app.pages.view(request, { uiLocales, here: REGISTER_PATH }).locale)
      try {
        const user = await app.accounts.register({ username: request.body.username, email: request.body.email, password: request.body.password })
        // Not signed in until the mailed link is followed: the page says where to look.
        if (app.config.requireVerifiedEmail) return app.pages.send(reply, 201, verifyLinkSentPage(app.pages.view(request, { here: SIGN_IN_PATH }), user.email))
        // A new user may hold a scope MFA_REQUIRED_SCOPES names: the same rule as after a sign-in.
        next = await afterRightPassword(app, request, user, returnTo)
      } catch (error) {
        // The JSON endpoint's answers: 409 names the taken field, 400 the refused username (checked after NFKC).
        if (error instanceof Conflict) {
          const taken = fieldNamedBy(error.message)
          return show(request, reply, 409, returnTo, { ...entered, problems: taken === 'email' ? { email: 'emailTaken' } : { username: 'usernameTaken' } })
        }
        if (error instanceof InvalidInput) {
          const refused = fieldNamedBy(error.message)
          return show(request, reply, 400, returnTo, { ...entered, problems: refused === undefined ? { form: 'form' } : { [refused]: refused } })
        }
        throw error
      }
      return sendRedirect(reply, next, 303)
    }
  )
}

export default registerPageRoutes
