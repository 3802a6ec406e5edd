import type { RequestedClaims } from '../port.js'

export type Row = Record<string, unknown>

/** Requested claims as a column: JSON text, or NULL for none. */
export function requestedClaimsText(claims: RequestedClaims | null): string | null {
  return claims === null ? null : JSON.stringify(claims)
}

export function requestedClaimsFrom(column: unknown): RequestedClaims | null {
  return typeof column === 'string' ? (JSON.parse(column) as RequestedClaims) : null
}

/** A record's fields as statement parameters: lists as JSON text, booleans as 0/1; undefined fields are left out. */
export function toParameters(record: object, lists: ReadonlySet<string>, booleans: ReadonlySet<string>): Row {
  const row: Row = {}
  for (const [field, value] of Object.entries(record)) {
    if (value === undefined) continue
    row[field] = lists.has(field) ? JSON.stringify(value) : booleans.has(field) ? (value ? 1 : 0) : value
  }
  return row
}

/** `UPDATE table SET column = @field, ... WHERE id = @id` for the fields present in `row`. */
export function updateById(table: string, columns: Readonly<Record<string, string>>, row: Row): string {
  const assignments = Object.keys(row).map((field) => `${columns[field]} = @${field}`)
  return `UPDATE ${table} SET ${assignments.join(', ')} WHERE id = @id`
}

/** Authentication methods (RFC 8176 amr) as a JSON array in a TEXT column; null stays NULL. */
export function amrText(amr: string[] | null): string | null {
  return amr === null ? null : JSON.stringify(amr)
}

export function amrFrom(column: unknown): string[] | null {
  return typeof column === 'string' ? (JSON.parse(column) as string[]) : null
}
