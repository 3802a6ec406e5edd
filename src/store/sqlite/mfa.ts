import type Database from 'better-sqlite3'
import type { MfaRepository, RecoveryCodeRecord, TotpFactorRecord } from '../port.js'
import type { Row } from './rows.js'

function rowToTotpFactor(row: Row): TotpFactorRecord {
  return {
    userId: row.user_id as string,
    sealedSecret: row.sealed_secret as string,
    confirmedAt: row.confirmed_at as number | null,
    lastStep: row.last_step as number,
    createdAt: row.created_at as number
  }
}

export class SqliteMfa implements MfaRepository {
  private readonly findStmt: Database.Statement
  private readonly saveStmt: Database.Statement
  private readonly confirmStmt: Database.Statement
  private readonly useStepStmt: Database.Statement
  private readonly removeStmt: Database.Statement
  private readonly insertCodeStmt: Database.Statement
  private readonly deleteCodesStmt: Database.Statement
  private readonly useCodeStmt: Database.Statement
  private readonly countCodesStmt: Database.Statement
  private readonly replaceCodes: (userId: string, hashes: string[]) => void

  constructor(private readonly db: Database.Database) {
    this.findStmt = db.prepare('SELECT * FROM mfa_totp WHERE user_id = ?')
    // One statement: a confirmed factor is never overwritten, whatever runs beside it.
    this.saveStmt = db.prepare(`INSERT INTO mfa_totp (user_id, sealed_secret, confirmed_at, last_step, created_at)
      VALUES (@userId, @sealedSecret, @confirmedAt, @lastStep, @createdAt)
      ON CONFLICT (user_id) DO UPDATE SET sealed_secret = excluded.sealed_secret, confirmed_at = excluded.confirmed_at,
        last_step = excluded.last_step, created_at = excluded.created_at
      WHERE mfa_totp.confirmed_at IS NULL`)
    this.confirmStmt = db.prepare('UPDATE mfa_totp SET confirmed_at = ?, last_step = ? WHERE user_id = ? AND confirmed_at IS NULL')
    // The comparison and the write are one statement: of two requests with the same code, one wins.
    this.useStepStmt = db.prepare('UPDATE mfa_totp SET last_step = ? WHERE user_id = ? AND confirmed_at IS NOT NULL AND last_step < ?')
    this.removeStmt = db.prepare('DELETE FROM mfa_totp WHERE user_id = ?')
    this.insertCodeStmt = db.prepare('INSERT OR IGNORE INTO mfa_recovery_codes (user_id, hash) VALUES (?, ?)')
    this.deleteCodesStmt = db.prepare('DELETE FROM mfa_recovery_codes WHERE user_id = ?')
    this.useCodeStmt = db.prepare('DELETE FROM mfa_recovery_codes WHERE user_id = ? AND hash = ?')
    this.countCodesStmt = db.prepare('SELECT COUNT(*) AS n FROM mfa_recovery_codes WHERE user_id = ?')
    this.replaceCodes = db.transaction((userId: string, hashes: string[]) => {
      this.deleteCodesStmt.run(userId)
      for (const hash of hashes) this.insertCodeStmt.run(userId, hash)
    })
  }

  async findTotp(userId: string) {
    const row = this.findStmt.get(userId) as Row | undefined
    return row ? rowToTotpFactor(row) : null
  }

  async saveTotp(factor: TotpFactorRecord) {
    return this.saveStmt.run(factor).changes === 1
  }

  async confirmTotp(userId: string, step: number, at: number) {
    return this.confirmStmt.run(at, step, userId).changes === 1
  }

  async useTotpStep(userId: string, step: number) {
    return this.useStepStmt.run(step, userId, step).changes === 1
  }

  async removeTotp(userId: string) {
    return this.db.transaction(() => {
      this.deleteCodesStmt.run(userId)
      return this.removeStmt.run(userId).changes === 1
    })()
  }

  async replaceRecoveryCodes(userId: string, hashes: string[]) {
    this.replaceCodes(userId, hashes)
  }

  async useRecoveryCode(userId: string, hash: string) {
    return this.useCodeStmt.run(userId, hash).changes === 1
  }

  async countRecoveryCodes(userId: string) {
    return (this.countCodesStmt.get(userId) as { n: number }).n
  }

  allTotp(): TotpFactorRecord[] {
    return (this.db.prepare('SELECT * FROM mfa_totp').all() as Row[]).map(rowToTotpFactor)
  }

  allRecoveryCodes(): RecoveryCodeRecord[] {
    return (this.db.prepare('SELECT user_id, hash FROM mfa_recovery_codes').all() as Row[]).map((row) => ({ userId: row.user_id as string, hash: row.hash as string }))
  }
}
