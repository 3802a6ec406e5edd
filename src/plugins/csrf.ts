import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import fp from 'fastify-plugin'
import { Forbidden } from '../errors.js'

declare module 'fastify' {
  interface FastifyReply {
    /** The CSRF token for the forms of this page; (re)sends the browser's CSRF cookie. */
    generateCsrf(): string
  }
  interface FastifyInstance {
    /** preHandler of every form POST: 403 (CsrfRefused), before anything is done, unless `_csrf` matches. */
    csrfProtection(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void
  }
}

/** A form post without a valid CSRF token. `code` is the one the console's error page looks for. */
export class CsrfRefused extends Forbidden {
  readonly code = 'FST_CSRF_INVALID_TOKEN'

  constructor() {
    super('Invalid csrf token')
  }
}

export interface CsrfOptions {
  /** The browser-session secret; the token key is derived from it. */
  secret: string
  /** PUBLIC_URL is https: the cookie is Secure and __Host- prefixed. */
  https: boolean
  /** Lifetime of the cookie, renewed by every page with a form (the browser session's idle timeout). */
  maxAgeMs: number
}

/**
 * CSRF tokens that need no storage, so that showing a form (the sign-in page above all)
 * writes nothing: a signed double submit. The browser holds a random value in an HttpOnly,
 * SameSite=Lax cookie; the form carries an HMAC of that value, keyed by the server's secret,
 * and of the browser session the form was shown in (none for someone not signed in). A post
 * is let through only when its `_csrf` is that HMAC for the cookie it came with and the
 * session it is made in, compared in constant time. Another site can neither read the token
 * nor compute one; a token shown to one browser, or before a sign-in or sign-out, fails in
 * another or after it.
 */
export default fp<CsrfOptions>(
  async (app, { secret, https, maxAgeMs }) => {
    const cookieName = https ? '__Host-moneypenny-csrf' : 'moneypenny-csrf'
    const cookieOptions = { httpOnly: true, sameSite: 'lax', secure: https, path: '/', maxAge: Math.floor(maxAgeMs / 1000) } as const
    const key = createHmac('sha256', secret).update('moneypenny csrf token key').digest()
    /** The cookie value made for a browser that came without one, so each form of its page gets the same. */
    const issued = new WeakMap<FastifyRequest, string>()

    /** The browser's cookie value when it has the shape we make (32 random bytes, base64url); else undefined. */
    function cookieOf(request: FastifyRequest): string | undefined {
      const value = request.cookies[cookieName]
      return value !== undefined && /^[\w-]{43}$/.test(value) ? value : undefined
    }

    /** The signed-in browser session a form belongs to; '' outside one, where no session is stored. */
    function sessionOf(request: FastifyRequest): string {
      const session = request.session as { userId?: string; sessionId?: string } | null | undefined
      return session?.userId === undefined ? '' : (session.sessionId ?? '')
    }

    function tokenFor(value: string, request: FastifyRequest): string {
      return createHmac('sha256', key).update(`${value}\n${sessionOf(request)}`).digest('base64url')
    }

    app.decorateReply('generateCsrf', function (this: FastifyReply) {
      const { request } = this
      let value = issued.get(request) ?? cookieOf(request)
      if (!value) {
        value = randomBytes(32).toString('base64url')
        issued.set(request, value)
      }
      this.setCookie(cookieName, value, cookieOptions)
      return tokenFor(value, request)
    })

    app.decorate('csrfProtection', (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
      const value = cookieOf(request)
      const token = (request.body as { _csrf?: unknown } | null | undefined)?._csrf
      if (!value || typeof token !== 'string') return done(new CsrfRefused())
      const expected = Buffer.from(tokenFor(value, request))
      const given = Buffer.from(token)
      done(given.length === expected.length && timingSafeEqual(given, expected) ? undefined : new CsrfRefused())
    })
  },
  { name: 'csrf', dependencies: ['@fastify/cookie'] }
)
