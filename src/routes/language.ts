import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { sendRedirect } from '../pages/html.js'
import { LANGUAGE_COOKIE } from '../plugins/pages.js'
import { LanguageQuery } from '../schemas/pages.js'
import { safeReturnTo } from '../services/return-to.js'

const YEAR_SECONDS = 365 * 24 * 3600

/**
 * The language switch of the end-user pages: a plain link, so it works without script. It
 * remembers the choice in a cookie and goes back to the page (a path on this service only),
 * which keeps the page's own URL, an authorization request's above all, exactly as it was.
 */
const language: FastifyPluginAsyncTypebox = async (app) => {
  const https = app.config.publicUrl.startsWith('https:')
  app.get(
    '/language',
    {
      schema: {
        tags: ['pages'],
        summary: 'Pick the language of the pages; back to returnTo',
        querystring: LanguageQuery,
        response: { 303: { type: 'null', description: 'Back to the page' } }
      }
    },
    async (request, reply) => {
      reply.setCookie(LANGUAGE_COOKIE, request.query.lang, { path: '/', httpOnly: true, sameSite: 'lax', secure: https, maxAge: YEAR_SECONDS })
      return sendRedirect(reply, safeReturnTo(request.query.returnTo) ?? '/auth/local/login', 303)
    }
  )
}

export default language
