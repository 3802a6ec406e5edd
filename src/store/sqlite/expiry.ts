import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import type Database from 'better-sqlite3'

/**
 * Rows deleted per statement by a sweep. better-sqlite3 is synchronous: a backlog of a
 * million expired rows (the first sweep of an old file) is deleted in short steps with
 * requests served between them, not in one long stall. A row of random keys dirties a page
 * in each of its indexes, so a step costs about 0.1-0.2 ms a row: 1,000 rows held the event
 * loop for 100 ms on a busy machine, 50 for a few ms (docs/performance.md, bench:sweep).
 */
export const SWEEP_BATCH = 50

/** Runs `step` (which deletes at most SWEEP_BATCH rows and says how many) until a step deletes fewer. */
export async function inBatches(step: () => number): Promise<void> {
  while (step() === SWEEP_BATCH) await yieldToEventLoop()
}

/** A repository's `deleteExpired(now)` for a table whose rows expire at `column` (`expires_at`). */
export function deleteExpiredFrom(db: Database.Database, table: string, column = 'expires_at'): (now: number) => Promise<void> {
  const statement = db.prepare(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${column} <= ? LIMIT ${SWEEP_BATCH})`)
  return (now) => inBatches(() => statement.run(now).changes)
}
