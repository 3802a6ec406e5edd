import type Database from 'better-sqlite3'
import type { PasskeyRecord, PasskeyRepository, WebAuthnCeremony, WebAuthnChallengeRecord } from '../port.js'
import type { Row } from './rows.js'

function rowToPasskey(row: Row): PasskeyRecord {
  return {
    credentialId: row.credential_id as string,
    userId: row.user_id as string,
    publicKey: row.public_key as string,
    counter: row.counter as number,
    transports: JSON.parse(row.transports as string) as string[],
    deviceType: row.device_type as PasskeyRecord['deviceType'],
    backedUp: row.backed_up === 1,
    aaguid: row.aaguid as string,
    name: row.name as string,
    createdAt: row.created_at as number,
    lastUsedAt: row.last_used_at as number | null
  }
}

export class SqlitePasskeys implements PasskeyRepository {
  private readonly insertStmt: Database.Statement
  private readonly findStmt: Database.Statement
  private readonly listStmt: Database.Statement
  private readonly renameStmt: Database.Statement
  private readonly deleteStmt: Database.Statement
  private readonly useStmt: Database.Statement
  private readonly saveChallengeStmt: Database.Statement
  private readonly takeChallengeStmt: Database.Statement
  private readonly expireChallengesStmt: Database.Statement

  constructor(private readonly db: Database.Database) {
    this.insertStmt = db.prepare(`INSERT OR IGNORE INTO passkeys
      (credential_id, user_id, public_key, counter, transports, device_type, backed_up, aaguid, name, created_at, last_used_at)
      VALUES (@credentialId, @userId, @publicKey, @counter, @transports, @deviceType, @backedUp, @aaguid, @name, @createdAt, @lastUsedAt)`)
    this.findStmt = db.prepare('SELECT * FROM passkeys WHERE credential_id = ?')
    this.listStmt = db.prepare('SELECT * FROM passkeys WHERE user_id = ? ORDER BY created_at, credential_id')
    this.renameStmt = db.prepare('UPDATE passkeys SET name = ? WHERE user_id = ? AND credential_id = ?')
    this.deleteStmt = db.prepare('DELETE FROM passkeys WHERE user_id = ? AND credential_id = ?')
    // The comparison and the write are one statement: of two sign-ins with one counter value, one wins.
    this.useStmt = db.prepare(`UPDATE passkeys SET counter = @counter, last_used_at = @at
      WHERE credential_id = @credentialId AND (counter < @counter OR (counter = 0 AND @counter = 0))`)
    this.saveChallengeStmt = db.prepare('INSERT INTO webauthn_challenges (challenge, ceremony, user_id, expires_at) VALUES (@challenge, @ceremony, @userId, @expiresAt)')
    this.takeChallengeStmt = db.prepare('DELETE FROM webauthn_challenges WHERE challenge = ? AND ceremony = ? AND expires_at > ? RETURNING *')
    this.expireChallengesStmt = db.prepare('DELETE FROM webauthn_challenges WHERE expires_at <= ?')
  }

  async add(passkey: PasskeyRecord) {
    return this.insertStmt.run({ ...passkey, transports: JSON.stringify(passkey.transports), backedUp: passkey.backedUp ? 1 : 0 }).changes === 1
  }

  async find(credentialId: string) {
    const row = this.findStmt.get(credentialId) as Row | undefined
    return row ? rowToPasskey(row) : null
  }

  async listByUser(userId: string) {
    return (this.listStmt.all(userId) as Row[]).map(rowToPasskey)
  }

  async rename(userId: string, credentialId: string, name: string) {
    return this.renameStmt.run(name, userId, credentialId).changes === 1
  }

  async delete(userId: string, credentialId: string) {
    return this.deleteStmt.run(userId, credentialId).changes === 1
  }

  async recordUse(credentialId: string, counter: number, at: number) {
    return this.useStmt.run({ credentialId, counter, at }).changes === 1
  }

  async saveChallenge(challenge: WebAuthnChallengeRecord) {
    this.saveChallengeStmt.run(challenge)
  }

  async takeChallenge(challenge: string, ceremony: WebAuthnCeremony, now: number) {
    const row = this.takeChallengeStmt.get(challenge, ceremony, now) as Row | undefined
    if (!row) return null
    return { challenge: row.challenge as string, ceremony: row.ceremony as WebAuthnCeremony, userId: row.user_id as string | null, expiresAt: row.expires_at as number }
  }

  async deleteExpiredChallenges(now: number) {
    this.expireChallengesStmt.run(now)
  }

  /** Every credential, for the data move between stores. */
  all(): PasskeyRecord[] {
    return (this.db.prepare('SELECT * FROM passkeys').all() as Row[]).map(rowToPasskey)
  }
}
