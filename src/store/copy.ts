import type { Store, StoreSnapshot } from './port.js'

export type CopyCounts = { [K in keyof StoreSnapshot]: number }

/**
 * Copies every record from one store to another through the port, so it works between
 * any two adapters (SQLite to MongoDB and back). The target must be empty: a merge could
 * silently pair one user's sessions with another's account.
 */
export async function copyStore(from: Store, to: Store): Promise<CopyCounts> {
  const existing = await to.users.list({ offset: 0, limit: 1 })
  if (existing.total > 0 || (await to.signingKeys.list()).length > 0) throw new Error('the target store is not empty')
  const data = await from.exportAll()
  for (const user of data.users) await to.users.insert(user)
  for (const session of data.sessions) await to.sessions.insert(session)
  for (const token of data.refreshTokens) await to.refreshTokens.insert(token)
  for (const key of data.signingKeys) await to.signingKeys.insert(key)
  for (const client of data.oauthClients) await to.oauthClients.insert(client)
  for (const code of data.authorizationCodes) await to.authorizationCodes.insert(code)
  for (const consent of data.consents) await to.consents.save(consent)
  for (const setting of data.settings) await to.settings.getOrInsert(setting.name, setting.value)
  for (const factor of data.totpFactors) await to.mfa.saveTotp(factor)
  const codesByUser = new Map<string, string[]>()
  for (const { userId, hash } of data.recoveryCodes) codesByUser.set(userId, [...(codesByUser.get(userId) ?? []), hash])
  for (const [userId, hashes] of codesByUser) await to.mfa.replaceRecoveryCodes(userId, hashes)
  for (const passkey of data.passkeys) await to.passkeys.add(passkey)
  // A lease of the source's workers means nothing to the target's: queued mail starts unclaimed.
  for (const message of data.outbox) await to.outbox.enqueue({ ...message, claimedBy: null, leaseUntil: null })
  for (const link of data.identityLinks) await to.identityLinks.add(link)
  return Object.fromEntries(Object.entries(data).map(([name, records]) => [name, (records as unknown[]).length])) as CopyCounts
}
