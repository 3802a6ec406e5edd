import type Database from 'better-sqlite3'
import type { IdentityLinkRecord, IdentityLinkRepository } from '../port.js'
import type { Row } from './rows.js'

function rowToLink(row: Row): IdentityLinkRecord {
  return {
    provider: row.provider as string,
    subject: row.subject as string,
    userId: row.user_id as string,
    createdAt: row.created_at as number,
    lastUsedAt: row.last_used_at as number | null
  }
}

/** One row per (provider, subject); removed with its user (ON DELETE CASCADE). */
export class SqliteIdentityLinks implements IdentityLinkRepository {
  private readonly insertStmt: Database.Statement
  private readonly findStmt: Database.Statement
  private readonly listStmt: Database.Statement
  private readonly deleteStmt: Database.Statement
  private readonly useStmt: Database.Statement
  private readonly keepStmt: Database.Statement
  private readonly keptStmt: Database.Statement

  constructor(private readonly db: Database.Database) {
    this.insertStmt = db.prepare(`INSERT OR IGNORE INTO identity_links (provider, subject, user_id, created_at, last_used_at)
      VALUES (@provider, @subject, @userId, @createdAt, @lastUsedAt)`)
    this.findStmt = db.prepare('SELECT * FROM identity_links WHERE provider = ? AND subject = ?')
    this.listStmt = db.prepare('SELECT * FROM identity_links WHERE user_id = ? ORDER BY created_at, provider, subject')
    this.deleteStmt = db.prepare('DELETE FROM identity_links WHERE user_id = ? AND provider = ?')
    this.useStmt = db.prepare('UPDATE identity_links SET last_used_at = ? WHERE provider = ? AND subject = ?')
    this.keepStmt = db.prepare('UPDATE identity_links SET tokens = ? WHERE provider = ? AND subject = ?')
    this.keptStmt = db.prepare('SELECT tokens FROM identity_links WHERE provider = ? AND subject = ?').pluck()
  }

  async add(link: IdentityLinkRecord) {
    return this.insertStmt.run(link).changes === 1
  }

  async find(provider: string, subject: string) {
    const row = this.findStmt.get(provider, subject) as Row | undefined
    return row ? rowToLink(row) : null
  }

  async listByUser(userId: string) {
    return (this.listStmt.all(userId) as Row[]).map(rowToLink)
  }

  async delete(userId: string, provider: string) {
    return this.deleteStmt.run(userId, provider).changes > 0
  }

  async recordUse(provider: string, subject: string, at: number) {
    this.useStmt.run(at, provider, subject)
  }

  async keepTokens(provider: string, subject: string, sealed: string | null) {
    this.keepStmt.run(sealed, provider, subject)
  }

  async keptTokens(provider: string, subject: string) {
    return (this.keptStmt.get(provider, subject) as string | null | undefined) ?? null
  }

  /** Every link, for exportAll. */
  all(): IdentityLinkRecord[] {
    return (this.db.prepare('SELECT * FROM identity_links').all() as Row[]).map(rowToLink)
  }
}
