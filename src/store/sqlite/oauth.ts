import type Database from 'better-sqlite3'
import type {
  AuthorizationCodeRecord,
  AuthorizationCodeRepository,
  BrowserSessionOwner,
  BrowserSessionRecord,
  BrowserSessionRepository,
  ConsentRecord,
  ConsentRepository,
  OAuthClientPatch,
  OAuthClientRecord,
  OAuthClientRepository,
  SettingRepository
} from '../port.js'
import { deleteExpiredFrom } from './expiry.js'
import { amrFrom, amrText, requestedClaimsFrom, requestedClaimsText, toParameters, updateById, type Row } from './rows.js'


const clientColumns: Record<keyof OAuthClientPatch, string> = {
  name: 'name',
  redirectUris: 'redirect_uris',
  grantTypes: 'grant_types',
  responseTypes: 'response_types',
  tokenEndpointAuthMethod: 'token_endpoint_auth_method',
  scope: 'scope',
  secretHash: 'secret_hash',
  firstParty: 'first_party',
  resourceServer: 'resource_server',
  postLogoutRedirectUris: 'post_logout_redirect_uris',
  backchannelLogoutUri: 'backchannel_logout_uri',
  clientUri: 'client_uri',
  logoUri: 'logo_uri',
  policyUri: 'policy_uri',
  tosUri: 'tos_uri',
  defaultAcrValues: 'default_acr_values',
  updatedAt: 'updated_at'
}

function clientToRow(client: Partial<OAuthClientRecord>): Row {
  return toParameters(client, new Set(['redirectUris', 'grantTypes', 'responseTypes', 'scope', 'postLogoutRedirectUris', 'defaultAcrValues']), new Set(['firstParty']))
}

function rowToClient(row: Row | undefined): OAuthClientRecord | null {
  if (!row) return null
  return {
    id: row.id as string,
    name: row.name as string,
    redirectUris: JSON.parse(row.redirect_uris as string) as string[],
    grantTypes: JSON.parse(row.grant_types as string) as string[],
    responseTypes: JSON.parse(row.response_types as string) as string[],
    tokenEndpointAuthMethod: row.token_endpoint_auth_method as OAuthClientRecord['tokenEndpointAuthMethod'],
    scope: JSON.parse(row.scope as string) as string[],
    secretHash: (row.secret_hash as string | null) ?? null,
    firstParty: row.first_party === 1,
    resourceServer: (row.resource_server as OAuthClientRecord['resourceServer'] | null) ?? null,
    postLogoutRedirectUris: JSON.parse(row.post_logout_redirect_uris as string) as string[],
    backchannelLogoutUri: (row.backchannel_logout_uri as string | null) ?? null,
    clientUri: (row.client_uri as string | null) ?? null,
    logoUri: (row.logo_uri as string | null) ?? null,
    policyUri: (row.policy_uri as string | null) ?? null,
    tosUri: (row.tos_uri as string | null) ?? null,
    defaultAcrValues: JSON.parse(row.default_acr_values as string) as string[],
    createdAt: row.created_at as number,
    updatedAt: row.updated_at as number
  }
}

export class SqliteOAuthClients implements OAuthClientRepository {
  private readonly insertStmt: Database.Statement
  private readonly byId: Database.Statement
  private readonly deleteStmt: Database.Statement
  private readonly all: Database.Statement

  constructor(private readonly db: Database.Database) {
    this.insertStmt = db.prepare(`INSERT INTO oauth_client_store
      (id, name, redirect_uris, grant_types, response_types, token_endpoint_auth_method, scope, secret_hash, first_party, resource_server,
       post_logout_redirect_uris, backchannel_logout_uri, client_uri, logo_uri, policy_uri, tos_uri, default_acr_values, created_at, updated_at)
      VALUES (@id, @name, @redirectUris, @grantTypes, @responseTypes, @tokenEndpointAuthMethod, @scope, @secretHash, @firstParty, @resourceServer,
       @postLogoutRedirectUris, @backchannelLogoutUri, @clientUri, @logoUri, @policyUri, @tosUri, @defaultAcrValues, @createdAt, @updatedAt)`)
    this.byId = db.prepare('SELECT * FROM oauth_client_store WHERE id = ?')
    this.deleteStmt = db.prepare('DELETE FROM oauth_client_store WHERE id = ?')
    this.all = db.prepare('SELECT * FROM oauth_client_store ORDER BY created_at, id')
  }

  async insert(client: OAuthClientRecord) {
    this.insertStmt.run(clientToRow(client))
  }

  async findById(id: string) {
    return rowToClient(this.byId.get(id) as Row | undefined)
  }

  async update(id: string, patch: OAuthClientPatch) {
    const row = clientToRow(patch)
    this.db.prepare(updateById('oauth_client_store', clientColumns, row)).run({ ...row, id })
    return this.findById(id)
  }

  async delete(id: string) {
    return this.deleteStmt.run(id).changes === 1
  }

  async list() {
    return (this.all.all() as Row[]).map((row) => rowToClient(row)!)
  }
}

function rowToCode(row: Row): AuthorizationCodeRecord {
  return {
    hash: row.hash as string,
    clientId: row.client_id as string,
    userId: row.user_id as string,
    redirectUri: row.redirect_uri as string,
    codeChallenge: (row.code_challenge as string | null) ?? null,
    scope: JSON.parse(row.scope as string) as string[],
    nonce: (row.nonce as string | null) ?? null,
    authTime: row.auth_time as number,
    claims: requestedClaimsFrom(row.claims),
    amr: amrFrom(row.amr),
    idp: (row.idp as string | null) ?? null,
    sessionId: row.session_id as string,
    createdAt: row.created_at as number,
    expiresAt: row.expires_at as number,
    redeemedAt: (row.redeemed_at as number | null) ?? null
  }
}

export class SqliteAuthorizationCodes implements AuthorizationCodeRepository {
  private readonly insertStmt: Database.Statement
  private readonly markRedeemed: Database.Statement
  private readonly byHash: Database.Statement
  readonly deleteExpired: (now: number) => Promise<void>

  constructor(private readonly db: Database.Database) {
    this.insertStmt = db.prepare(`INSERT INTO oauth_code_store
      (hash, client_id, user_id, redirect_uri, code_challenge, scope, nonce, auth_time, claims, amr, idp, session_id, created_at, expires_at, redeemed_at)
      VALUES (@hash, @clientId, @userId, @redirectUri, @codeChallenge, @scope, @nonce, @authTime, @claims, @amr, @idp, @sessionId, @createdAt, @expiresAt, @redeemedAt)`)
    this.markRedeemed = db.prepare('UPDATE oauth_code_store SET redeemed_at = ? WHERE hash = ? AND redeemed_at IS NULL RETURNING *')
    this.byHash = db.prepare('SELECT * FROM oauth_code_store WHERE hash = ?')
    this.deleteExpired = deleteExpiredFrom(db, 'oauth_code_store')
  }

  async insert(code: AuthorizationCodeRecord) {
    this.insertStmt.run({ ...code, scope: JSON.stringify(code.scope), claims: requestedClaimsText(code.claims), amr: amrText(code.amr) })
  }

  async redeem(hash: string, at: number) {
    const redeemed = this.markRedeemed.get(at, hash) as Row | undefined
    if (redeemed) return { code: rowToCode(redeemed), first: true }
    const seen = this.byHash.get(hash) as Row | undefined
    return seen ? { code: rowToCode(seen), first: false } : null
  }

  async all() {
    return (this.db.prepare('SELECT * FROM oauth_code_store').all() as Row[]).map(rowToCode)
  }
}

export class SqliteConsents implements ConsentRepository {
  private readonly findStmt: Database.Statement
  private readonly saveStmt: Database.Statement
  private readonly deleteStmt: Database.Statement
  private readonly byUser: Database.Statement

  constructor(private readonly db: Database.Database) {
    this.findStmt = db.prepare('SELECT * FROM oauth_consents WHERE user_id = ? AND client_id = ?')
    this.saveStmt = db.prepare(`INSERT INTO oauth_consents (user_id, client_id, scope, granted_at) VALUES (@userId, @clientId, @scope, @grantedAt)
      ON CONFLICT (user_id, client_id) DO UPDATE SET scope = excluded.scope, granted_at = excluded.granted_at`)
    this.deleteStmt = db.prepare('DELETE FROM oauth_consents WHERE user_id = ? AND client_id = ?')
    this.byUser = db.prepare('SELECT * FROM oauth_consents WHERE user_id = ? ORDER BY granted_at, client_id')
  }

  private static toRecord(row: Row): ConsentRecord {
    return {
      userId: row.user_id as string,
      clientId: row.client_id as string,
      scope: JSON.parse(row.scope as string) as string[],
      grantedAt: row.granted_at as number
    }
  }

  async find(userId: string, clientId: string) {
    const row = this.findStmt.get(userId, clientId) as Row | undefined
    return row ? SqliteConsents.toRecord(row) : null
  }

  async save(consent: ConsentRecord) {
    this.saveStmt.run({ ...consent, scope: JSON.stringify(consent.scope) })
  }

  async delete(userId: string, clientId: string) {
    return this.deleteStmt.run(userId, clientId).changes === 1
  }

  async listByUser(userId: string) {
    return (this.byUser.all(userId) as Row[]).map((row) => SqliteConsents.toRecord(row))
  }

  async all() {
    return (this.db.prepare('SELECT * FROM oauth_consents').all() as Row[]).map((row) => SqliteConsents.toRecord(row))
  }
}

export class SqliteBrowserSessions implements BrowserSessionRepository {
  private readonly getStmt: Database.Statement
  private readonly setStmt: Database.Statement
  private readonly destroyStmt: Database.Statement
  private readonly listByUserStmt: Database.Statement
  private readonly destroyByUserStmt: Database.Statement
  readonly deleteExpired: (now: number) => Promise<void>

  constructor(db: Database.Database) {
    this.getStmt = db.prepare('SELECT data FROM session_users WHERE id = ? AND expires_at > ?')
    this.setStmt = db.prepare(`INSERT INTO session_users (id, data, expires_at, user_id, user_agent, signed_in_at, last_used_at)
      VALUES (@id, @data, @expiresAt, @userId, @userAgent, @signedInAt, @lastUsedAt)
      ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at, user_id = excluded.user_id,
        user_agent = excluded.user_agent, signed_in_at = excluded.signed_in_at, last_used_at = excluded.last_used_at`)
    this.destroyStmt = db.prepare('DELETE FROM session_users WHERE id = ?')
    this.listByUserStmt = db.prepare(`SELECT id, expires_at, user_id, user_agent, signed_in_at, last_used_at FROM session_users
      WHERE user_id = ? AND expires_at > ? ORDER BY last_used_at DESC, id`)
    this.destroyByUserStmt = db.prepare('DELETE FROM session_users WHERE user_id = ? AND id IS NOT ?')
    this.deleteExpired = deleteExpiredFrom(db, 'session_users')
  }

  async get(id: string, now: number) {
    return ((this.getStmt.get(id, now) as { data: string } | undefined)?.data ?? null)
  }

  async set(id: string, data: string, expiresAt: number, owner?: BrowserSessionOwner) {
    this.setStmt.run({ id, data, expiresAt, userId: null, userAgent: null, signedInAt: null, lastUsedAt: null, ...owner })
  }

  async destroy(id: string) {
    this.destroyStmt.run(id)
  }

  async listByUser(userId: string, now: number): Promise<BrowserSessionRecord[]> {
    return (this.listByUserStmt.all(userId, now) as Row[]).map((row) => ({
      id: row.id as string,
      userId: row.user_id as string,
      userAgent: row.user_agent as string | null,
      signedInAt: row.signed_in_at as number,
      lastUsedAt: row.last_used_at as number,
      expiresAt: row.expires_at as number
    }))
  }

  async destroyByUser(userId: string, exceptId: string | null) {
    this.destroyByUserStmt.run(userId, exceptId)
  }
}

export class SqliteSettings implements SettingRepository {
  private readonly insertStmt: Database.Statement
  private readonly getStmt: Database.Statement

  constructor(db: Database.Database) {
    this.insertStmt = db.prepare('INSERT OR IGNORE INTO settings (name, value) VALUES (?, ?)')
    this.getStmt = db.prepare('SELECT value FROM settings WHERE name = ?')
  }

  async getOrInsert(name: string, value: string) {
    this.insertStmt.run(name, value)
    return (this.getStmt.get(name) as { value: string }).value
  }
}
