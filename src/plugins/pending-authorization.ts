import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import {
  isPendingId,
  MAX_PENDING_COOKIE_LENGTH,
  PendingAuthorizationSeal,
  resumeIdOf,
  type PendingAuthorization
} from '../services/oauth2/pending-authorization.js'

export interface PendingAuthorizations {
  /**
   * Holds an authorization request (its parameters as a query string) in a sealed cookie of
   * this browser while its person signs in; returns its id, or null when it is too large to
   * carry in a cookie. Writes nothing to the store.
   */
  hold(request: FastifyRequest, reply: FastifyReply, query: string, heldAt?: number): string | null
  /** The request held under `id` in this browser; null when unknown, expired or not ours. */
  find(request: FastifyRequest, id: string): PendingAuthorization | null
  /** Forgets the request held under `id` (it has been answered). */
  release(reply: FastifyReply, id: string): void
  /**
   * The request a sign-in page's `returnTo` resumes (`/oauth2/authorization?resume=<id>`), or
   * null: read only, for the sign-in page (login_hint, the client's name).
   */
  forReturnTo(request: FastifyRequest, returnTo: string | null | undefined): PendingAuthorization | null
}

declare module 'fastify' {
  interface FastifyInstance {
    pendingAuthorizations: PendingAuthorizations
  }
}

export interface PendingAuthorizationOptions {
  /** The browser-session secret; the sealing key is derived from it. */
  secret: string
  /** PUBLIC_URL is https: the cookies are Secure and __Host- prefixed. */
  https: boolean
}

/**
 * How many held requests a browser keeps: one per tab that is signing in, within reason.
 * Each cookie may be near 4 KB and all of them come with every request, so the oldest go.
 */
const MAX_HELD_PER_BROWSER = 3

/**
 * Authorization requests held across sign-in in sealed cookies (one per request, named by
 * its id), not in the browser session: someone not signed in costs the store nothing, and
 * the request's parameters never become a URL (the sign-in page's `returnTo` names only the id).
 */
export default fp<PendingAuthorizationOptions>(
  async (app, { secret, https }) => {
    const seal = new PendingAuthorizationSeal(secret)
    const prefix = https ? '__Host-moneypenny-authz-' : 'moneypenny-authz-'
    const cookieOptions = { httpOnly: true, sameSite: 'lax', secure: https, path: '/' } as const

    function held(request: FastifyRequest): { id: string; value: string }[] {
      return Object.entries(request.cookies)
        .filter((entry): entry is [string, string] => entry[0].startsWith(prefix) && typeof entry[1] === 'string')
        .map(([name, value]) => ({ id: name.slice(prefix.length), value }))
        // Only names we could have made: anything else is left alone (and never echoed back).
        .filter(({ id }) => isPendingId(id))
    }

    function find(request: FastifyRequest, id: string): PendingAuthorization | null {
      const value = isPendingId(id) ? request.cookies[prefix + id] : undefined
      return value === undefined ? null : seal.open(id, value)
    }

    function release(reply: FastifyReply, id: string): void {
      reply.clearCookie(prefix + id, cookieOptions)
    }

    app.decorate('pendingAuthorizations', {
      hold(request, reply, query, heldAt = Date.now()) {
        const id = PendingAuthorizationSeal.newId()
        const value = seal.seal(id, query, heldAt)
        if (prefix.length + id.length + 1 + value.length > MAX_PENDING_COOKIE_LENGTH) return null
        // The newest others stay; those that no longer open, and the oldest beyond the limit, go.
        const others = held(request)
          .map(({ id: other, value: sealed }) => ({ id: other, pending: seal.open(other, sealed) }))
          .sort((a, b) => (b.pending?.heldAt ?? -1) - (a.pending?.heldAt ?? -1))
        others.forEach(({ id: other, pending }, index) => {
          if (pending === null || index >= MAX_HELD_PER_BROWSER - 1) release(reply, other)
        })
        reply.setCookie(prefix + id, value, { ...cookieOptions, maxAge: Math.floor(seal.ttlMs / 1000) })
        return id
      },
      find,
      release,
      forReturnTo(request, returnTo) {
        const id = resumeIdOf(returnTo)
        return id === null ? null : find(request, id)
      }
    } satisfies PendingAuthorizations)
  },
  { name: 'pending-authorizations', dependencies: ['@fastify/cookie'] }
)
