import type Database from 'better-sqlite3'
import type { MailLinkPurpose, MailLinkRecord, MailLinkRepository, OutboxMessage, OutboxRepository } from '../port.js'
import { deleteExpiredFrom } from './expiry.js'
import type { Row } from './rows.js'

function rowToMessage(row: Row): OutboxMessage {
  return {
    id: row.id as string,
    to: row.recipient as string,
    subject: row.subject as string,
    text: row.text_body as string,
    html: row.html_body as string,
    status: row.status as OutboxMessage['status'],
    attempts: row.attempts as number,
    nextAttemptAt: row.next_attempt_at as number,
    claimedBy: row.claimed_by as string | null,
    leaseUntil: row.lease_until as number | null,
    lastError: row.last_error as string | null,
    createdAt: row.created_at as number,
    finishedAt: row.finished_at as number | null
  }
}

export class SqliteOutbox implements OutboxRepository {
  private readonly insertStmt: Database.Statement
  private readonly claimStmt: Database.Statement
  private readonly sentStmt: Database.Statement
  private readonly retryStmt: Database.Statement
  private readonly giveUpStmt: Database.Statement
  private readonly findStmt: Database.Statement
  readonly deleteFinished: (before: number) => Promise<void>

  constructor(private readonly db: Database.Database) {
    this.insertStmt = db.prepare(`INSERT INTO mail_outbox (id, recipient, subject, text_body, html_body, status, attempts, next_attempt_at,
        claimed_by, lease_until, last_error, created_at, finished_at)
      VALUES (@id, @to, @subject, @text, @html, @status, @attempts, @nextAttemptAt, @claimedBy, @leaseUntil, @lastError, @createdAt, @finishedAt)`)
    // One statement under SQLite's write lock: two processes on one file never lease the same row.
    this.claimStmt = db.prepare(`UPDATE mail_outbox SET claimed_by = @worker, lease_until = @leaseUntil
      WHERE id IN (SELECT id FROM mail_outbox WHERE status = 'queued' AND next_attempt_at <= @now AND (lease_until IS NULL OR lease_until <= @now)
        ORDER BY next_attempt_at, id LIMIT @limit)
      RETURNING *`)
    this.sentStmt = db.prepare(`UPDATE mail_outbox SET status = 'sent', attempts = attempts + 1, finished_at = @at, claimed_by = NULL, lease_until = NULL,
        text_body = '', html_body = ''
      WHERE id = @id AND claimed_by = @worker AND status = 'queued'`)
    this.retryStmt = db.prepare(`UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = @retryAt, last_error = @error, claimed_by = NULL, lease_until = NULL
      WHERE id = @id AND claimed_by = @worker AND status = 'queued'`)
    this.giveUpStmt = db.prepare(`UPDATE mail_outbox SET status = 'failed', attempts = attempts + 1, finished_at = @at, last_error = @error,
        claimed_by = NULL, lease_until = NULL, text_body = '', html_body = ''
      WHERE id = @id AND claimed_by = @worker AND status = 'queued'`)
    this.findStmt = db.prepare('SELECT * FROM mail_outbox WHERE id = ?')
    this.deleteFinished = deleteExpiredFrom(db, 'mail_outbox', 'finished_at')
  }

  async enqueue(message: OutboxMessage) {
    this.insertStmt.run(message)
  }

  async claim(worker: string, now: number, leaseUntil: number, limit: number) {
    const rows = this.claimStmt.all({ worker, now, leaseUntil, limit }) as Row[]
    // RETURNING gives rows in no set order; ids (ASCII) compared by code units, as SQLite's BINARY collation orders them.
    return rows.map(rowToMessage).sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  }

  async markSent(id: string, worker: string, at: number) {
    return this.sentStmt.run({ id, worker, at }).changes === 1
  }

  async markFailed(id: string, worker: string, at: number, error: string, retryAt: number | null) {
    const statement = retryAt === null ? this.giveUpStmt : this.retryStmt
    return statement.run(retryAt === null ? { id, worker, at, error } : { id, worker, error, retryAt }).changes === 1
  }

  async findById(id: string) {
    const row = this.findStmt.get(id) as Row | undefined
    return row ? rowToMessage(row) : null
  }

  queued(): OutboxMessage[] {
    return (this.db.prepare("SELECT * FROM mail_outbox WHERE status = 'queued' ORDER BY created_at, id").all() as Row[]).map(rowToMessage)
  }
}

function rowToReset(row: Row): MailLinkRecord {
  return {
    hash: row.hash as string,
    purpose: row.purpose as MailLinkRecord['purpose'],
    userId: row.user_id as string,
    emailKey: row.email_key as string,
    newEmail: row.new_email as string | null,
    passwordStamp: row.password_stamp as string | null,
    createdAt: row.created_at as number,
    expiresAt: row.expires_at as number,
    usedAt: row.used_at as number | null
  }
}

export class SqliteMailLinks implements MailLinkRepository {
  private readonly issueTransaction: (record: MailLinkRecord) => void
  private readonly findStmt: Database.Statement
  private readonly consumeStmt: Database.Statement
  private readonly pendingStmt: Database.Statement
  private readonly withdrawStmt: Database.Statement
  readonly deleteExpired: (now: number) => Promise<void>

  constructor(db: Database.Database) {
        const insert = db.prepare(`INSERT INTO mail_links (hash, purpose, user_id, email_key, new_email, password_stamp, created_at, expires_at, used_at)
      VALUES (@hash, @purpose, @userId, @emailKey, @newEmail, @passwordStamp, @createdAt, @expiresAt, @usedAt)`)
    this.issueTransaction = db.transaction((record: MailLinkRecord) => {
      this.withdrawStmt.run(record.userId, record.purpose)
      insert.run(record)
    })
    this.findStmt = db.prepare('SELECT * FROM mail_links WHERE hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?')
    // The check and the write are one statement: of two uses of one link, one wins.
    this.consumeStmt = db.prepare('UPDATE mail_links SET used_at = @now WHERE hash = @hash AND purpose = @purpose AND used_at IS NULL AND expires_at > @now RETURNING *')
    this.pendingStmt = db.prepare('SELECT * FROM mail_links WHERE user_id = ? AND purpose = ? AND used_at IS NULL AND expires_at > ? ORDER BY created_at DESC LIMIT 1')
    this.withdrawStmt = db.prepare('DELETE FROM mail_links WHERE user_id = ? AND purpose = ?')
    this.deleteExpired = deleteExpiredFrom(db, 'mail_links')
  }

  async issue(record: MailLinkRecord) {
    this.issueTransaction(record)
  }

  async find(hash: string, purpose: MailLinkPurpose, now: number) {
    const row = this.findStmt.get(hash, purpose, now) as Row | undefined
    return row ? rowToReset(row) : null
  }

  async consume(hash: string, purpose: MailLinkPurpose, now: number) {
    const row = this.consumeStmt.get({ hash, purpose, now }) as Row | undefined
    return row ? rowToReset(row) : null
  }

  async pending(userId: string, purpose: MailLinkPurpose, now: number) {
    const row = this.pendingStmt.get(userId, purpose, now) as Row | undefined
    return row ? rowToReset(row) : null
  }

  async withdraw(userId: string, purpose: MailLinkPurpose) {
    return this.withdrawStmt.run(userId, purpose).changes > 0
  }
}
