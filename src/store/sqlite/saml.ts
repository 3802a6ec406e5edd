import type Database from 'better-sqlite3'
import type { SamlAssertionRepository, SamlRequestRecord, SamlRequestRepository } from '../port.js'
import { deleteExpiredFrom } from './expiry.js'
import type { Row } from './rows.js'


export class SqliteSamlRequests implements SamlRequestRepository {
  private readonly insertStmt: Database.Statement
  private readonly findStmt: Database.Statement
  private readonly consumeStmt: Database.Statement
  readonly deleteExpired: (now: number) => Promise<void>

  constructor(db: Database.Database) {
    this.insertStmt = db.prepare('INSERT INTO saml_requests (id, idp, created_at, expires_at) VALUES (@id, @idp, @createdAt, @expiresAt)')
    this.findStmt = db.prepare('SELECT * FROM saml_requests WHERE id = ? AND idp = ? AND expires_at > ?')
    // One statement: of two concurrent answers to the same request, only one deletes the row.
    this.consumeStmt = db.prepare('DELETE FROM saml_requests WHERE id = ? AND idp = ? AND expires_at > ? RETURNING id')
    this.deleteExpired = deleteExpiredFrom(db, 'saml_requests')
  }

  async insert(request: SamlRequestRecord) {
    this.insertStmt.run(request)
  }

  async find(id: string, idp: string, now: number): Promise<SamlRequestRecord | null> {
    const row = this.findStmt.get(id, idp, now) as Row | undefined
    if (!row) return null
    return { id: row.id as string, idp: row.idp as string, createdAt: row.created_at as number, expiresAt: row.expires_at as number }
  }

  async consume(id: string, idp: string, now: number) {
    return this.consumeStmt.get(id, idp, now) !== undefined
  }
}

export class SqliteSamlAssertions implements SamlAssertionRepository {
  private readonly markStmt: Database.Statement
  readonly deleteExpired: (now: number) => Promise<void>

  constructor(db: Database.Database) {
    // One statement: a new id is inserted, an expired record is taken over, a live one is left alone (a replay).
    this.markStmt = db.prepare(`INSERT INTO saml_assertions (idp, id, expires_at) VALUES (@idp, @id, @expiresAt)
      ON CONFLICT (idp, id) DO UPDATE SET expires_at = excluded.expires_at WHERE saml_assertions.expires_at <= @now`)
    this.deleteExpired = deleteExpiredFrom(db, 'saml_assertions')
  }

  async markUsed(idp: string, id: string, expiresAt: number, now: number) {
    return this.markStmt.run({ idp, id, expiresAt, now }).changes === 1
  }
}
