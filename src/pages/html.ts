import type { FastifyReply } from 'fastify'
import { headerSafeUrl } from '../http/header-value.js'

/** A redirect that leaks nothing through Referer and is never cached (it may carry a code); its Location is always a valid header. */
export function sendRedirect(reply: FastifyReply, location: string, statusCode: 302 | 303 = 302) {
  return reply.header('referrer-policy', 'no-referrer').header('cache-control', 'no-store').redirect(headerSafeUrl(location), statusCode)
}
