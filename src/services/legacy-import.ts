import { AppError } from '../errors.js'
import { matches } from '../schemas/check.js'
import { Email } from '../schemas/common.js'
import type { Accounts } from './accounts.js'
import type { OAuthClients } from './oauth2/clients.js'

/** Documents as the old moneypenny-mongo-storage kept them (free-form; only these fields are read). */
export interface LegacyData {
  /** `oauth_users` / `local_users`: `username`, `hash` (bcrypt), optional `email`, `scope`, `organisation`. */
  users: Record<string, unknown>[]
  /** `oauth_client_store` / `oauth_client`: `id` (or `_id`), `redirectUri`, optional `name`; its `secret` was a bcrypt hash and cannot be carried over. */
  clients: Record<string, unknown>[]
  /** `oauth_code_store` / `oauth_code`: codes lived seconds; only counted. */
  codeCount: number
}

export interface LegacyReport {
  usersImported: number
  clientsImported: { client_id: string; client_secret: string | null }[]
  codesSkipped: number
  skipped: { kind: 'user' | 'client'; id: string; reason: string }[]
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : value === undefined || value === null ? undefined : String(value))

/**
 * Brings users and clients of the old MongoDB storage into this store through the same
 * rules as the API: bcrypt hashes are imported (rehashed at the next sign-in), clients
 * keep their id but get a new secret (the old one was only kept as a bcrypt hash), and
 * anything that breaks a rule is skipped and reported, never half-imported.
 */
export async function importLegacy(data: LegacyData, accounts: Accounts, clients: OAuthClients, allowedScopes: readonly string[]): Promise<LegacyReport> {
  const report: LegacyReport = { usersImported: 0, clientsImported: [], codesSkipped: data.codeCount, skipped: [] }
  for (const doc of data.users) {
    const username = text(doc.username)
    const id = text(doc._id) ?? username ?? '?'
    const passwordHash = text(doc.hash) ?? text(doc.password)
    if (!username || !passwordHash) {
      report.skipped.push({ kind: 'user', id, reason: 'no username or no password hash' })
      continue
    }
    const email = text(doc.email)
    if (email !== undefined && !matches(Email, email)) {
      report.skipped.push({ kind: 'user', id, reason: 'the email address is not valid' })
      continue
    }
    const scope = Array.isArray(doc.scope) ? doc.scope.filter((s): s is string => typeof s === 'string' && allowedScopes.includes(s)) : undefined
    try {
      await accounts.create({
        username,
        email: email ?? `${username.toLowerCase().replace(/[^a-z0-9._-]/g, '-')}@legacy.invalid`,
        passwordHash,
        ...(scope ? { scope } : {}),
        ...(text(doc.organisation) ? { organisation: text(doc.organisation)! } : {})
      })
      report.usersImported += 1
    } catch (error) {
      if (!(error instanceof AppError)) throw error
      report.skipped.push({ kind: 'user', id, reason: error.message })
    }
  }
  for (const doc of data.clients) {
    const id = text(doc.id) ?? text(doc._id)
    const redirectUri = text(doc.redirectUri)
    if (!id || !redirectUri) {
      report.skipped.push({ kind: 'client', id: id ?? '?', reason: 'no id or no redirectUri' })
      continue
    }
    try {
      const { client, secret } = await clients.create({ client_name: text(doc.name) ?? id, redirect_uris: [redirectUri], grant_types: ['authorization_code', 'refresh_token'] }, id)
      report.clientsImported.push({ client_id: client.id, client_secret: secret })
    } catch (error) {
      if (!(error instanceof AppError)) throw error
      report.skipped.push({ kind: 'client', id, reason: error.message })
    }
  }
  return report
}
