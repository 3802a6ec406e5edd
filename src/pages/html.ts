import type { FastifyReply } from 'fastify'
import { headerSafeUrl } from '../http/header-value.js'

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Escapes text for HTML content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!)
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}
h1{font-size:1.4rem}label{display:block;margin-top:1rem}input{width:100%;padding:.5rem;box-sizing:border-box;font:inherit}
button{margin-top:1.25rem;padding:.55rem 1.1rem;font:inherit;cursor:pointer}.error{color:#a40000;font-weight:600}
ul{padding-left:1.2rem}.row{display:flex;gap:.75rem}`

/** A whole page; `body` must already be escaped. */
export function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · moneypenny</title><style>${STYLE}</style></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`
}

/**
 * Sends a page with the headers every sign-in page needs: no framing (clickjacking),
 * no referrer (the URL may carry a code or state), no caching, no script at all.
 * form-action is left open on purpose: the consent form redirects to the client.
 */
export function sendPage(reply: FastifyReply, statusCode: number, html: string) {
  return reply
    .code(statusCode)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-store')
    .send(html)
}

export function errorPage(title: string, message: string): string {
  return layout(title, `<p class="error" role="alert">${escapeHtml(message)}</p>`)
}

export function signInPage(options: { csrfToken: string; returnTo: string | null; username?: string; error?: string }): string {
  const error = options.error ? `<p class="error" role="alert" id="sign-in-error">${escapeHtml(options.error)}</p>` : ''
  const returnTo = options.returnTo ? `<input type="hidden" name="returnTo" value="${escapeHtml(options.returnTo)}">` : ''
  return layout(
    'Sign in',
    `${error}<form method="post" action="/auth/local/login">
<input type="hidden" name="_csrf" value="${escapeHtml(options.csrfToken)}">${returnTo}
<label for="username">Username or email</label><input id="username" name="username" autocomplete="username" required value="${escapeHtml(options.username ?? '')}"${error ? ' aria-describedby="sign-in-error"' : ''}>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form>`
  )
}

export function consentPage(options: { csrfToken: string; clientName: string; username: string; scopes: string[]; authorizationQuery: string }): string {
  const scopes = options.scopes.length ? `<ul>${options.scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>` : '<p>No permissions beyond knowing who you are.</p>'
  return layout(
    'Allow access?',
    `<p><strong>${escapeHtml(options.clientName)}</strong> asks to act for <strong>${escapeHtml(options.username)}</strong> with:</p>${scopes}
<form method="post" action="/oauth2/authorization/consent">
<input type="hidden" name="_csrf" value="${escapeHtml(options.csrfToken)}">
<input type="hidden" name="authorization" value="${escapeHtml(options.authorizationQuery)}">
<div class="row"><button type="submit" name="decision" value="allow">Allow</button><button type="submit" name="decision" value="deny">Deny</button></div></form>`
  )
}

/** RP-Initiated Logout §4: asked when the request cannot be trusted to come from the person. */
export function signOutPage(options: { csrfToken: string; clientName: string | null; fields: Record<string, string> }): string {
  const asker = options.clientName ? `<p><strong>${escapeHtml(options.clientName)}</strong> asks to sign you out.</p>` : ''
  const hidden = Object.entries(options.fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('')
  return layout(
    'Sign out?',
    `${asker}<p>You will be signed out of moneypenny and of the apps you signed in to with it.</p>
<form method="post" action="/oauth2/logout/confirm">
<input type="hidden" name="_csrf" value="${escapeHtml(options.csrfToken)}">${hidden}
<div class="row"><button type="submit" name="decision" value="sign-out">Sign out</button><button type="submit" name="decision" value="stay">Stay signed in</button></div></form>`
  )
}

export function signedOutPage(signedOut: boolean): string {
  return layout(signedOut ? 'You are signed out' : 'You are still signed in', signedOut ? '<p>You can close this window.</p>' : '<p>Nothing was changed.</p>')
}

/** A redirect that leaks nothing through Referer and is never cached (it may carry a code); its Location is always a valid header. */
export function sendRedirect(reply: FastifyReply, location: string, statusCode: 302 | 303 = 302) {
  return reply.header('referrer-policy', 'no-referrer').header('cache-control', 'no-store').redirect(headerSafeUrl(location), statusCode)
}
