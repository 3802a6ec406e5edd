import type { FastifyReply } from 'fastify'
import type { VNode } from 'preact'
import { renderToString } from 'preact-render-to-string'

/**
 * A page component rendered to a whole HTML document. preact escapes every text and attribute
 * value it renders, so a value from a user, a client or the store can never become markup; the
 * code base has no raw-HTML escape hatch (preact's raw-markup prop is never used; a test checks).
 */
export function renderDocument(page: VNode): string {
  return `<!doctype html>${renderToString(page)}`
}

/**
 * Sends a page with the headers every page needs: its own policy, no framing (clickjacking),
 * no referrer (the URL may carry a code or state), no caching.
 */
export function sendHtml(reply: FastifyReply, statusCode: number, html: string, contentSecurityPolicy: string) {
  return reply
    .code(statusCode)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', contentSecurityPolicy)
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-store')
    .send(html)
}
