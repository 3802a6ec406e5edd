import { AsyncLocalStorage } from 'node:async_hooks'
import type { Locale } from '../pages/messages/index.js'

/** The logger of the request being served, and the client's address (set by plugins/request-context.ts). */
export interface RequestContext {
  log: { info(fields: object, message: string): void; warn(fields: object, message: string): void; error(fields: object, message: string): void }
  ip: string
  /** Who made the request, once a token or a browser session said so: the actor of admin changes. */
  actorId?: string
  /** The language of the page the request came from, for mail it causes (a new account's verification). */
  locale?: Locale
  /** Told of every security event of the request besides the log (the app's mail notices: plugins/mail.ts). */
  listeners?: readonly SecurityEventListener[]
}

export type SecurityEventListener = (event: string, fields: Record<string, unknown>) => void

export const requestContext = new AsyncLocalStorage<RequestContext>()

/** Records who the request acts for, so the security events it causes name them. */
export function setActor(userId: string): void {
  const context = requestContext.getStore()
  if (context) context.actorId = userId
}

/** Records the language of the page the request came from (see RequestContext.locale). */
export function setRequestLocale(locale: Locale): void {
  const context = requestContext.getStore()
  if (context) context.locale = locale
}

/** The language setRequestLocale recorded for the request under way; undefined outside one or when none was. */
export function requestLocale(): Locale | undefined {
  return requestContext.getStore()?.locale
}

/**
 * Security events (sign-ins, lockouts, token reuse, revocations, admin changes), logged
 * with the request's id and client address. Callers pass ids, never secrets. Outside a
 * request (the CLI) they go nowhere: the CLI prints its own results.
 */
export function securityEvent(level: 'info' | 'warn', event: string, fields: Record<string, unknown> = {}): void {
  const context = requestContext.getStore()
  if (!context) return
  const actor = context.actorId === undefined ? {} : { actorId: context.actorId }
  context.log[level]({ event, ...fields, ...actor, clientAddress: context.ip }, `security: ${event}`)
  for (const listener of context.listeners ?? []) listener(event, { ...fields, ...actor })
}
