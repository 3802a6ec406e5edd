/** The part of node-oidc-provider (which ships no types) that the upstream in these tests uses. */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http'

  interface Account {
    accountId: string
    claims(): Promise<Record<string, unknown>>
  }

  interface Configuration {
    clients: Record<string, unknown>[]
    jwks: { keys: unknown[] }
    cookies: { keys: string[] }
    claims: Record<string, string[] | null>
    features: Record<string, unknown>
    interactions: { url(ctx: unknown, interaction: { uid: string }): string }
    findAccount(ctx: unknown, sub: string): Promise<Account | undefined>
  }

  class Grant {
    constructor(properties: { accountId: string; clientId: string })
    addOIDCScope(scope: string): void
    save(): Promise<string>
  }

  export default class Provider {
    constructor(issuer: string, configuration: Configuration)
    Grant: typeof Grant
    callback(): (req: IncomingMessage, res: ServerResponse) => void
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<{ uid: string; params: Record<string, unknown> }>
    interactionFinished(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }): Promise<void>
  }
}
