import { AsyncLocalStorage } from 'node:async_hooks'

/** The logger of the request being served, and the client's address (set by plugins/request-context.ts). */
export interface RequestContext {
  log: { info(fields: object, message: string): void; warn(fields: object, message: string): void }
  ip: string
}

export const requestContext = new AsyncLocalStorage<RequestContext>()

/**
 * Security events (sign-ins, lockouts, token reuse, revocations, admin changes), logged
 * with the request's id and client address. Callers pass ids, never secrets. Outside a
 * request (the CLI) they go nowhere: the CLI prints its own results.
 */
export function securityEvent(level: 'info' | 'warn', event: string, fields: Record<string, unknown> = {}): void {
  const context = requestContext.getStore()
  context?.log[level]({ event, ...fields, clientAddress: context.ip }, `security: ${event}`)
}
