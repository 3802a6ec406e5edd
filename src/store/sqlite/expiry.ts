import type Database from 'better-sqlite3'

/** A repository's `deleteExpired(now)` for a table whose rows expire at `expires_at`. */
export function deleteExpiredFrom(db: Database.Database, table: string): (now: number) => Promise<void> {
  const statement = db.prepare(`DELETE FROM ${table} WHERE expires_at <= ?`)
  return async (now) => {
    statement.run(now)
  }
}
