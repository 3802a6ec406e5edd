import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import {
  DuplicateKeyError,
  type RefreshTokenRecord,
  type RefreshTokenRepository,
  type RevokedSession,
  type SamlIdentity,
  type SessionRecord,
  type SessionRepository,
  type SigningKeyRecord,
  type SigningKeyRepository,
  type Store,
  type UserListQuery,
  type UserPatch,
  type UserRecord,
  type UserRepository
} from '../port.js'
import { deleteExpiredFrom, inBatches, SWEEP_BATCH } from './expiry.js'
import { migrations } from './migrations.js'
import { SqliteAuthorizationCodes, SqliteBrowserSessions, SqliteConsents, SqliteOAuthClients, SqliteSettings } from './oauth.js'
import { SqliteMfa } from './mfa.js'
import { SqliteIdentityLinks } from './identity-links.js'
import { SqlitePasskeys } from './passkeys.js'
import { SqliteOutbox, SqliteMailLinks } from './mail.js'
import { SqliteSamlAssertions, SqliteSamlRequests } from './saml.js'
import { amrFrom, amrText, requestedClaimsFrom, requestedClaimsText, toParameters, updateById, type Row } from './rows.js'


/** SQLite result codes that mean the file cannot be used right now (locked, disk, permissions), not a bad query. */
const UNAVAILABLE_CODES = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_CANTOPEN', 'SQLITE_NOTADB'])

/**
 * Brings the file to the newest schema version. One immediate (write-locked)
 * transaction reads the version and applies what is missing, so two processes that
 * open a new file at the same moment cannot both run the same migration.
 */
export function migrate(db: Database.Database): number {
  const newest = migrations.at(-1)?.version ?? 0
  db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)')
    const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((row) => row.version))
    const current = Math.max(0, ...applied)
    if (current > newest) {
      throw new Error(`database schema version ${current} is newer than this release supports (${newest})`)
    }
    // Every version not yet recorded, not only those above the highest: versions made on
    // branches side by side may land out of order.
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue
      db.exec(migration.sql)
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(migration.version, Date.now())
    }
  }).immediate()
  return newest
}

function isUniqueViolation(error: unknown): error is Error & { code: string } {
  return error instanceof Error && (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE'
}

function duplicateField(error: Error): DuplicateKeyError['field'] {
  if (error.message.includes('email_key')) return 'email'
  return error.message.includes('saml_idp') ? 'samlIdentity' : 'username'
}

const userColumns: Record<keyof UserPatch, string> = {
  username: 'username',
  usernameKey: 'username_key',
  email: 'email',
  emailKey: 'email_key',
  emailVerified: 'email_verified',
  passwordHash: 'password_hash',
  passwordScheme: 'password_scheme',
  scope: 'scope',
  role: 'role',
  organisation: 'organisation',
  active: 'active',
  name: 'name',
  givenName: 'given_name',
  familyName: 'family_name',
  locale: 'locale',
  zoneinfo: 'zoneinfo',
  picture: 'picture',
  updatedAt: 'updated_at'
}

function userToRow(user: Partial<UserRecord>): Row {
  const { samlIdentity, ...fields } = user
  const row = toParameters(fields, new Set(['scope']), new Set(['active', 'emailVerified']))
  if (samlIdentity !== undefined) {
    row.samlIdp = samlIdentity?.idp ?? null
    row.samlNameId = samlIdentity?.nameId ?? null
  }
  return row
}

function rowToUser(row: Row | undefined): UserRecord | null {
  if (!row) return null
  return {
    id: row.id as string,
    username: row.username as string,
    usernameKey: row.username_key as string,
    email: row.email as string,
    emailKey: row.email_key as string,
    emailVerified: row.email_verified === 1,
    passwordHash: row.password_hash as string,
    passwordScheme: row.password_scheme as UserRecord['passwordScheme'],
    scope: JSON.parse(row.scope as string) as string[],
    role: row.role as string,
    organisation: (row.organisation as string | null) ?? null,
    active: row.active === 1,
    samlIdentity: row.saml_idp === null ? null : { idp: row.saml_idp as string, nameId: row.saml_name_id as string },
    name: (row.name as string | null) ?? null,
    givenName: (row.given_name as string | null) ?? null,
    familyName: (row.family_name as string | null) ?? null,
    locale: (row.locale as string | null) ?? null,
    zoneinfo: (row.zoneinfo as string | null) ?? null,
    picture: (row.picture as string | null) ?? null,
    createdAt: row.created_at as number,
    updatedAt: row.updated_at as number
  }
}

function rowToSession(row: Row | undefined): SessionRecord | null {
  if (!row) return null
  return {
    id: row.id as string,
    userId: row.user_id as string,
    kind: row.kind as string,
    createdAt: row.created_at as number,
    expiresAt: row.expires_at as number,
    idleExpiresAt: (row.idle_expires_at as number | null) ?? null,
    revokedAt: (row.revoked_at as number | null) ?? null,
    clientId: (row.client_id as string | null) ?? null,
    scope: row.scope === null || row.scope === undefined ? null : (JSON.parse(row.scope as string) as string[]),
    authTime: (row.auth_time as number | null) ?? null,
    claims: requestedClaimsFrom(row.claims),
    amr: amrFrom(row.amr),
    idp: (row.idp as string | null) ?? null
  }
}

function rowToRefreshToken(row: Row | undefined): RefreshTokenRecord | null {
  if (!row) return null
  return {
    hash: row.hash as string,
    sessionId: row.session_id as string,
    createdAt: row.created_at as number,
    expiresAt: row.expires_at as number,
    rotatedAt: (row.rotated_at as number | null) ?? null
  }
}

function toRevoked(rows: Row[]): RevokedSession[] {
  return rows.map((row) => ({ id: row.id as string, expiresAt: row.expires_at as number }))
}

/** LIKE pattern for a literal substring. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

class SqliteUsers implements UserRepository {
  private readonly byId: Database.Statement
  private readonly byUsernameKey: Database.Statement
  private readonly byEmailKey: Database.Statement
  private readonly bySamlIdentity: Database.Statement
  private readonly insertStmt: Database.Statement
  private readonly deleteStmt: Database.Statement
  private readonly countWithScope: Database.Statement

  constructor(private readonly db: Database.Database) {
    this.byId = db.prepare('SELECT * FROM local_users WHERE id = ?')
    this.byUsernameKey = db.prepare('SELECT * FROM local_users WHERE username_key = ?')
    this.byEmailKey = db.prepare('SELECT * FROM local_users WHERE email_key = ?')
    this.bySamlIdentity = db.prepare('SELECT * FROM local_users WHERE saml_idp = ? AND saml_name_id = ?')
    this.insertStmt = db.prepare(`INSERT INTO local_users
      (id, username, username_key, email, email_key, email_verified, password_hash, password_scheme, scope, role, organisation, active, saml_idp, saml_name_id,
       name, given_name, family_name, locale, zoneinfo, picture, created_at, updated_at)
      VALUES (@id, @username, @usernameKey, @email, @emailKey, @emailVerified, @passwordHash, @passwordScheme, @scope, @role, @organisation, @active, @samlIdp, @samlNameId,
       @name, @givenName, @familyName, @locale, @zoneinfo, @picture, @createdAt, @updatedAt)`)
    this.deleteStmt = db.prepare('DELETE FROM local_users WHERE id = ?')
    this.countWithScope = db.prepare(
      'SELECT COUNT(*) AS n FROM local_users WHERE active = 1 AND EXISTS (SELECT 1 FROM json_each(local_users.scope) WHERE value = ?)'
    )
  }

  async insert(user: UserRecord): Promise<void> {
    try {
      this.insertStmt.run(userToRow(user))
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateKeyError(duplicateField(error))
      throw error
    }
  }

  async findById(id: string) {
    return rowToUser(this.byId.get(id) as Row | undefined)
  }

  async findByUsernameKey(usernameKey: string) {
    return rowToUser(this.byUsernameKey.get(usernameKey) as Row | undefined)
  }

  async findByEmailKey(emailKey: string) {
    return rowToUser(this.byEmailKey.get(emailKey) as Row | undefined)
  }

  async findBySamlIdentity({ idp, nameId }: SamlIdentity) {
    return rowToUser(this.bySamlIdentity.get(idp, nameId) as Row | undefined)
  }

  async update(id: string, patch: UserPatch) {
    const row = userToRow(patch)

    try {
      this.db.prepare(updateById('local_users', userColumns, row)).run({ ...row, id })
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateKeyError(duplicateField(error))
      throw error
    }
    return this.findById(id)
  }

  async delete(id: string) {
    return this.deleteStmt.run(id).changes === 1
  }

  async countActiveWithScope(scope: string) {
    return (this.countWithScope.get(scope) as { n: number }).n
  }

  async list({ offset, limit, search }: UserListQuery) {
    const where = search ? "WHERE username_key LIKE @pattern ESCAPE '\\' OR email_key LIKE @pattern ESCAPE '\\'" : ''
    const params = search ? { pattern: likePattern(search.normalize('NFKC')) } : {}
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM local_users ${where}`).get(params) as { n: number }).n
    const rows = this.db
      .prepare(`SELECT * FROM local_users ${where} ORDER BY created_at, id LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit, offset }) as Row[]
    return { items: rows.map((row) => rowToUser(row)!), total }
  }
}

class SqliteSessions implements SessionRepository {
  private readonly insertStmt: Database.Statement
  private readonly byId: Database.Statement
  private readonly extendStmt: Database.Statement
  private readonly revokeStmt: Database.Statement
  private readonly revokeByUserStmt: Database.Statement
  private readonly revokedStmt: Database.Statement
  private readonly byUser: Database.Statement
  private readonly recordUseStmt: Database.Statement
  private readonly lastUsesStmt: Database.Statement
  private readonly liveCount: Database.Statement
  private readonly revokeByClientStmt: Database.Statement
  private readonly deleteEndedBatch: (now: number) => number

  constructor(db: Database.Database) {
    this.insertStmt = db.prepare(`INSERT INTO sessions
      (id, user_id, kind, created_at, expires_at, idle_expires_at, revoked_at, client_id, scope, auth_time, claims, amr, idp)
      VALUES (@id, @userId, @kind, @createdAt, @expiresAt, @idleExpiresAt, @revokedAt, @clientId, @scope, @authTime, @claims, @amr, @idp)`)
    this.byId = db.prepare('SELECT * FROM sessions WHERE id = ?')
    this.extendStmt = db.prepare(
      'UPDATE sessions SET idle_expires_at = MIN(@at, expires_at) WHERE id = @id AND revoked_at IS NULL AND idle_expires_at < @at'
    )
    this.revokeStmt = db.prepare('UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
    this.revokeByUserStmt = db.prepare(
      'UPDATE sessions SET revoked_at = @at WHERE user_id = @userId AND revoked_at IS NULL AND expires_at > @at RETURNING id, expires_at'
    )
    this.revokedStmt = db.prepare(
      'SELECT id, expires_at FROM sessions WHERE revoked_at IS NOT NULL AND revoked_at >= ? AND expires_at > ?'
    )
    this.byUser = db.prepare('SELECT * FROM sessions WHERE user_id = ? ORDER BY created_at, id')
    this.recordUseStmt = db.prepare('UPDATE sessions SET last_used_at = @at WHERE id = @id AND (last_used_at IS NULL OR last_used_at < @at)')
    this.lastUsesStmt = db.prepare('SELECT id, last_used_at AS lastUsedAt FROM sessions WHERE user_id = ? AND last_used_at IS NOT NULL ORDER BY id')
    this.liveCount = db.prepare(
      'SELECT COUNT(*) AS live FROM sessions WHERE revoked_at IS NULL AND expires_at > @now AND (idle_expires_at IS NULL OR idle_expires_at > @now)'
    )
    this.revokeByClientStmt = db.prepare(`UPDATE sessions SET revoked_at = @at
      WHERE client_id = @clientId AND (@userId IS NULL OR user_id = @userId) AND revoked_at IS NULL AND expires_at > @at
      RETURNING id, expires_at`)
    // Both terms have an index (migration 4), so a sweep reads only what it deletes.
    const deleteEnded = db.prepare(`DELETE FROM sessions WHERE rowid IN
      (SELECT rowid FROM sessions WHERE expires_at <= @now OR idle_expires_at <= @now LIMIT ${SWEEP_BATCH}) RETURNING id`).pluck()
    const deleteTokensOf = db.prepare('DELETE FROM refresh_tokens WHERE session_id = ?')
    // One transaction per batch: a session never leaves without its refresh tokens.
    this.deleteEndedBatch = db.transaction((now: number) => {
      const ids = deleteEnded.all({ now }) as string[]
      for (const id of ids) deleteTokensOf.run(id)
      return ids.length
    })
  }

  async deleteExpired(now: number) {
    await inBatches(() => this.deleteEndedBatch(now))
  }

  async insert(session: SessionRecord) {
    this.insertStmt.run({ ...session, scope: session.scope === null ? null : JSON.stringify(session.scope), claims: requestedClaimsText(session.claims), amr: amrText(session.amr) })
  }

  async revokeByClient(clientId: string, at: number, userId?: string): Promise<RevokedSession[]> {
    return toRevoked(this.revokeByClientStmt.all({ clientId, at, userId: userId ?? null }) as Row[])
  }

  async findById(id: string) {
    return rowToSession(this.byId.get(id) as Row | undefined)
  }

  async extendIdle(id: string, idleExpiresAt: number) {
    this.extendStmt.run({ id, at: idleExpiresAt })
  }

  async revoke(id: string, at: number) {
    return this.revokeStmt.run(at, id).changes === 1
  }

  async revokeByUser(userId: string, at: number): Promise<RevokedSession[]> {
    return toRevoked(this.revokeByUserStmt.all({ userId, at }) as Row[])
  }

  async listRevoked(since: number, now: number): Promise<RevokedSession[]> {
    return toRevoked(this.revokedStmt.all(since, now) as Row[])
  }

  async listByUser(userId: string) {
    return (this.byUser.all(userId) as Row[]).map((row) => rowToSession(row)!)
  }

  async recordUse(id: string, at: number) {
    this.recordUseStmt.run({ id, at })
  }

  async lastUses(userId: string) {
    return this.lastUsesStmt.all(userId) as { id: string; lastUsedAt: number }[]
  }

  async countLive(now: number) {
    return (this.liveCount.get({ now }) as { live: number }).live
  }
}

class SqliteRefreshTokens implements RefreshTokenRepository {
  private readonly insertStmt: Database.Statement
  private readonly byHash: Database.Statement
  private readonly markRotated: Database.Statement
  private readonly rotateTx: (oldHash: string, next: RefreshTokenRecord, at: number) => 'rotated' | 'reused' | 'unknown'
  readonly deleteExpired: (now: number) => Promise<void>

  constructor(db: Database.Database) {
    this.insertStmt = db.prepare(`INSERT INTO refresh_tokens (hash, session_id, created_at, expires_at, rotated_at)
      VALUES (@hash, @sessionId, @createdAt, @expiresAt, @rotatedAt)`)
    this.byHash = db.prepare('SELECT * FROM refresh_tokens WHERE hash = ?')
    this.markRotated = db.prepare('UPDATE refresh_tokens SET rotated_at = ? WHERE hash = ? AND rotated_at IS NULL')
    this.rotateTx = db.transaction((oldHash: string, next: RefreshTokenRecord, at: number) => {
      if (this.markRotated.run(at, oldHash).changes === 1) {
        this.insertStmt.run(next)
        return 'rotated' as const
      }
      return this.byHash.get(oldHash) ? ('reused' as const) : ('unknown' as const)
    })
    this.deleteExpired = deleteExpiredFrom(db, 'refresh_tokens')
  }

  async insert(token: RefreshTokenRecord) {
    this.insertStmt.run(token)
  }

  async findByHash(hash: string) {
    return rowToRefreshToken(this.byHash.get(hash) as Row | undefined)
  }

  async rotate(oldHash: string, next: RefreshTokenRecord, at: number) {
    return this.rotateTx(oldHash, next, at)
  }
}

class SqliteSigningKeys implements SigningKeyRepository {
  private readonly all: Database.Statement
  private readonly insertStmt: Database.Statement
  private readonly retireStmt: Database.Statement
  readonly deleteExpired: (now: number) => Promise<void>

  constructor(db: Database.Database) {
    this.all = db.prepare('SELECT * FROM signing_keys ORDER BY created_at, kid')
    this.insertStmt = db.prepare(`INSERT OR IGNORE INTO signing_keys
      (kid, alg, private_key, public_key, created_at, retired_at, verify_until)
      VALUES (@kid, @alg, @privateKey, @publicKey, @createdAt, @retiredAt, @verifyUntil)`)
    this.retireStmt = db.prepare(
      'UPDATE signing_keys SET retired_at = ?, verify_until = ? WHERE kid = ? AND retired_at IS NULL'
    )
    this.deleteExpired = deleteExpiredFrom(db, 'signing_keys', 'verify_until')
  }

  async list(): Promise<SigningKeyRecord[]> {
    return (this.all.all() as Row[]).map((row) => ({
      kid: row.kid as string,
      alg: row.alg as string,
      privateKey: row.private_key as string,
      publicKey: row.public_key as string,
      createdAt: row.created_at as number,
      retiredAt: (row.retired_at as number | null) ?? null,
      verifyUntil: (row.verify_until as number | null) ?? null
    }))
  }

  async insert(key: SigningKeyRecord) {
    return this.insertStmt.run(key).changes === 1
  }

  async retire(kid: string, at: number, verifyUntil: number) {
    this.retireStmt.run(at, verifyUntil, kid)
  }
}

/**
 * Why this Node cannot run the embedded store, or null. From 24.19 on, Node 24 aborts the
 * process (SIGABRT in RemoveEnvironmentCleanupHook) whenever the garbage collector frees a
 * better-sqlite3 12 statement or database (WiseLibs/better-sqlite3#1515): better refuse to
 * start with a reason than crash at a random moment. better-sqlite3 13 fixes it but needs Node 22+.
 */
export function sqliteRuntimeProblem(nodeVersion: string): string | null {
  const [major = 0, minor = 0] = nodeVersion.replace(/^v/, '').split('.').map(Number)
  if (major === 24 && minor >= 19) {
    return `Node ${nodeVersion} aborts the process when SQLite statements are garbage-collected (better-sqlite3 12); run the embedded store on Node 20, 22 or 26, or set MONGODB_URI`
  }
  return null
}

/** Opens (creating folder and file if needed) and migrates the embedded store. */
export function openSqliteStore(path: string): Store {
  const problem = sqliteRuntimeProblem(process.version)
  if (problem) throw new Error(problem)
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const db = new Database(path)
  // Only a file without tables takes this (an older file keeps its mode until a VACUUM): pages freed
  // by the sweep can then be cut off the file's end (reclaimFreeSpace), so a backlog once swept does
  // not stay on disk for good.
  db.pragma('auto_vacuum = INCREMENTAL')
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  try {
    migrate(db)
  } catch (error) {
    db.close()
    throw error
  }
  const mfa = new SqliteMfa(db)
  const passkeys = new SqlitePasskeys(db)
  const outbox = new SqliteOutbox(db)
  const identityLinks = new SqliteIdentityLinks(db)
  return {
    users: new SqliteUsers(db),
    sessions: new SqliteSessions(db),
    refreshTokens: new SqliteRefreshTokens(db),
    signingKeys: new SqliteSigningKeys(db),
    oauthClients: new SqliteOAuthClients(db),
    authorizationCodes: new SqliteAuthorizationCodes(db),
    consents: new SqliteConsents(db),
    browserSessions: new SqliteBrowserSessions(db),
    settings: new SqliteSettings(db),
    mfa,
    passkeys,
    identityLinks,
    samlRequests: new SqliteSamlRequests(db),
    samlAssertions: new SqliteSamlAssertions(db),
    outbox,
    mailLinks: new SqliteMailLinks(db),
    async ping() {
      db.prepare('SELECT 1').get()
    },
    async exportAll() {
      const all = (table: string) => db.prepare(`SELECT * FROM ${table}`).all() as Row[]
      const clients = new SqliteOAuthClients(db)
      const codes = new SqliteAuthorizationCodes(db)
      const consents = new SqliteConsents(db)
      return {
        users: all('local_users').map((row) => rowToUser(row)!),
        sessions: all('sessions').map((row) => rowToSession(row)!),
        refreshTokens: all('refresh_tokens').map((row) => rowToRefreshToken(row)!),
        signingKeys: await new SqliteSigningKeys(db).list(),
        oauthClients: await clients.list(),
        authorizationCodes: await codes.all(),
        consents: await consents.all(),
        settings: all('settings').map((row) => ({ name: row.name as string, value: row.value as string })),
        totpFactors: mfa.allTotp(),
        recoveryCodes: mfa.allRecoveryCodes(),
        passkeys: passkeys.all(),
        outbox: outbox.queued(),
        identityLinks: identityLinks.all()
      }
    },
    isUnavailable(error: unknown) {
      const code = (error as { code?: unknown } | null)?.code
      return typeof code === 'string' && UNAVAILABLE_CODES.has(code.split('_').slice(0, 2).join('_'))
    },
    async reclaimFreeSpace() {
      await inBatches(() => reclaimPages(db))
    },
    async close() {
      if (db.open) db.close()
    }
  }
}

/**
 * Frees at most SWEEP_BATCH pages at the file's end (4 MB at the default page size) and says how
 * many, in short steps like the sweep's deletes. Does nothing on a file made before auto_vacuum.
 */
function reclaimPages(db: Database.Database): number {
  const free = db.pragma('freelist_count', { simple: true }) as number
  if (free === 0 || db.pragma('auto_vacuum', { simple: true }) !== INCREMENTAL_VACUUM) return 0
  db.pragma(`incremental_vacuum(${SWEEP_BATCH})`)
  return Math.min(free, SWEEP_BATCH)
}

/** PRAGMA auto_vacuum's value for INCREMENTAL. */
const INCREMENTAL_VACUUM = 2
