import { mongodb } from '@fastify/mongodb'
import type { Collection, Db, Document, MongoClient as MongoClientType } from 'mongodb'
import {
  DuplicateKeyError,
  type AuthorizationCodeRecord,
  type AuthorizationCodeRepository,
  type BrowserSessionOwner,
  type BrowserSessionRecord,
  type BrowserSessionRepository,
  type ConsentRecord,
  type ConsentRepository,
  type OAuthClientPatch,
  type OAuthClientRecord,
  type OAuthClientRepository,
  type RefreshTokenRecord,
  type RefreshTokenRepository,
  type RevokedSession,
  type SamlAssertionRepository,
  type SamlIdentity,
  type SamlRequestRecord,
  type SamlRequestRepository,
  type SessionRecord,
  type SessionRepository,
  type SettingRepository,
  type SigningKeyRecord,
  type SigningKeyRepository,
  type Store,
  type UserListQuery,
  type UserPatch,
  type UserRecord,
  type UserRepository
} from '../port.js'
import { createMailIndexes, messageFromDoc, MongoOutbox, MongoMailLinks, type OutboxDoc } from './mail.js'
import { MongoMfa, type TotpDoc } from './mfa.js'
import { MongoIdentityLinks, type IdentityLinkDoc } from './identity-links.js'
import { MongoPasskeys, type PasskeyDoc } from './passkeys.js'

/**
 * Collection names: the seeds' where they had one. `oauth_token` holds the token
 * families (sessions) that access tokens name in `sid`; access tokens themselves are
 * JWTs and are not stored.
 */
export const COLLECTIONS = {
  users: 'local_users',
  sessions: 'oauth_token',
  refreshTokens: 'oauth_refresh_token',
  signingKeys: 'signing_keys',
  oauthClients: 'oauth_client_store',
  authorizationCodes: 'oauth_code_store',
  consents: 'oauth_consents',
  browserSessions: 'session_users',
  settings: 'settings',
  samlRequests: 'saml_requests',
  samlAssertions: 'saml_assertions',
  mfaTotp: 'mfa_totp',
  mfaRecoveryCodes: 'mfa_recovery_codes',
  passkeys: 'passkeys',
  webauthnChallenges: 'webauthn_challenges',
  outbox: 'mail_outbox',
  mailLinks: 'mail_links',
  identityLinks: 'identity_links'
} as const

/** Documents keep the port's field names, with the record id as `_id` and a Date copy of the expiry for TTL indexes. */
type Doc<T> = Omit<T, 'id'> & { _id: string; expireAt?: Date }

const DUPLICATE_KEY = 11000

function isDuplicateKey(error: unknown): error is { code: number; keyPattern?: Record<string, unknown> } {
  return (error as { code?: unknown } | null)?.code === DUPLICATE_KEY
}

/** Which unique user field a duplicate-key error is about. */
function duplicateUserField(error: { keyPattern?: Record<string, unknown> }): DuplicateKeyError {
  const keys = Object.keys(error.keyPattern ?? {})
  return new DuplicateKeyError(keys.includes('emailKey') ? 'email' : keys.some((key) => key.startsWith('samlIdentity')) ? 'samlIdentity' : 'username')
}

/** Drops `_id` and `expireAt`, puts the id back. */
function fromDoc<T extends { id: string }>(doc: Document | null): T | null {
  if (!doc) return null
  const { _id, expireAt: _expireAt, ...rest } = doc
  return { id: _id as string, ...rest } as unknown as T
}

function withoutMongoFields<T>(doc: Document | null): T | null {
  if (!doc) return null
  const { _id: _unusedId, expireAt: _unusedExpiry, ...rest } = doc
  return rest as T
}

/**
 * Documents deleted per step by a sweep, so a large backlog is deleted in bounded steps.
 * Sweeps filter on `expireAt`, which the TTL index covers, never on a field no index holds.
 */
const SWEEP_BATCH = 1000

/** Filter of the documents whose `expireAt` is at or before `now`. */
const expiredAt = (now: number) => ({ expireAt: { $lte: new Date(now) } })

/** Users stored before profile fields existed have none of them: each is unset; before verification, no address was verified. */
function userFromDoc(doc: Document | null): UserRecord | null {
  const user = fromDoc<UserRecord>(doc)
  if (user === null) return null
  const { name = null, givenName = null, familyName = null, locale = null, zoneinfo = null, picture = null, emailVerified = false } = user
  return { ...user, name, givenName, familyName, locale, zoneinfo, picture, emailVerified }
}

/** Sessions stored before the `claims` parameter existed asked for no claims by name; those before upstream sign-in named no provider. */
function sessionFromDoc(doc: Document | null): SessionRecord | null {
  const session = fromDoc<SessionRecord & { lastUsedAt?: number }>(doc)
  if (session === null) return null
  // The last use is read by lastUses(), not part of the record.
  const { lastUsedAt: _lastUsedAt, ...record } = session
  return { ...record, claims: record.claims ?? null, amr: record.amr ?? null, idp: record.idp ?? null }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

class MongoUsers implements UserRepository {
  constructor(
    private readonly users: Collection<Doc<UserRecord>>,
    /** What else holds a user's data (second factors, passkeys, identity links): removed with the user, as SQLite's ON DELETE CASCADE does. */
    private readonly dependents: { removeUser(userId: string): Promise<void> }[]
  ) {}

  async insert(user: UserRecord) {
    const { id, ...rest } = user
    try {
      await this.users.insertOne({ _id: id, ...rest })
    } catch (error) {
      if (isDuplicateKey(error)) throw duplicateUserField(error)
      throw error
    }
  }

  async findBySamlIdentity({ idp, nameId }: SamlIdentity) {
    return userFromDoc(await this.users.findOne({ 'samlIdentity.idp': idp, 'samlIdentity.nameId': nameId }))
  }

  async findById(id: string) {
    return userFromDoc(await this.users.findOne({ _id: id }))
  }

  async findByUsernameKey(usernameKey: string) {
    return userFromDoc(await this.users.findOne({ usernameKey }))
  }

  async findByEmailKey(emailKey: string) {
    return userFromDoc(await this.users.findOne({ emailKey }))
  }

  async update(id: string, patch: UserPatch) {
    try {
      return userFromDoc(await this.users.findOneAndUpdate({ _id: id }, { $set: patch }, { returnDocument: 'after' }))
    } catch (error) {
      if (isDuplicateKey(error)) throw duplicateUserField(error)
      throw error
    }
  }

  async delete(id: string) {
    const deleted = (await this.users.deleteOne({ _id: id })).deletedCount === 1
    // A user's second factors go with them, as SQLite's foreign keys do.
    if (deleted) for (const dependent of this.dependents) await dependent.removeUser(id)
    return deleted
  }

  async list({ offset, limit, search }: UserListQuery) {
    const pattern = search ? new RegExp(escapeRegex(search.normalize('NFKC').toLowerCase())) : null
    const filter = pattern ? { $or: [{ usernameKey: pattern }, { emailKey: pattern }] } : {}
    const [total, docs] = await Promise.all([
      this.users.countDocuments(filter),
      this.users.find(filter).sort({ createdAt: 1, _id: 1 }).skip(offset).limit(limit).toArray()
    ])
    return { items: docs.map((doc) => userFromDoc(doc)!), total }
  }

  async countActiveWithScope(scope: string) {
    return this.users.countDocuments({ active: true, scope })
  }
}

class MongoSessions implements SessionRepository {
  constructor(
    private readonly sessions: Collection<Doc<SessionRecord>>,
    private readonly refreshTokens: Collection<Document>
  ) {}

  async insert(session: SessionRecord) {
    const { id, ...rest } = session
    await this.sessions.insertOne({ _id: id, ...rest, expireAt: new Date(session.expiresAt) })
  }

  async findById(id: string) {
    return sessionFromDoc(await this.sessions.findOne({ _id: id }))
  }

  async extendIdle(id: string, idleExpiresAt: number) {
    // One conditional update: never backwards, never past the absolute end, never a revoked session.
    await this.sessions.updateOne({ _id: id, revokedAt: null, idleExpiresAt: { $ne: null, $lt: idleExpiresAt } }, [
      { $set: { idleExpiresAt: { $min: [idleExpiresAt, '$expiresAt'] } } }
    ])
  }

  async revoke(id: string, at: number) {
    return (await this.sessions.updateOne({ _id: id, revokedAt: null }, { $set: { revokedAt: at } })).modifiedCount === 1
  }

  async revokeByUser(userId: string, at: number) {
    return this.revokeMatching({ userId, revokedAt: null, expiresAt: { $gt: at } }, at)
  }

  async revokeByClient(clientId: string, at: number, userId?: string) {
    return this.revokeMatching({ clientId, ...(userId === undefined ? {} : { userId }), revokedAt: null, expiresAt: { $gt: at } }, at)
  }

  /** Each session is revoked by its own conditional update, so one revoked twice at once is reported once. */
  private async revokeMatching(filter: Document, at: number): Promise<RevokedSession[]> {
    const candidates = await this.sessions.find(filter, { projection: { _id: 1, expiresAt: 1 } }).toArray()
    const revoked: RevokedSession[] = []
    for (const candidate of candidates) {
      if (await this.revoke(candidate._id, at)) revoked.push({ id: candidate._id, expiresAt: candidate.expiresAt })
    }
    return revoked
  }

  async listRevoked(since: number, now: number) {
    const docs = await this.sessions.find({ revokedAt: { $ne: null, $gte: since }, expiresAt: { $gt: now } }, { projection: { _id: 1, expiresAt: 1 } }).toArray()
    return docs.map((doc) => ({ id: doc._id, expiresAt: doc.expiresAt }))
  }

  async listByUser(userId: string) {
    const docs = await this.sessions.find({ userId }).sort({ createdAt: 1, _id: 1 }).toArray()
    return docs.map((doc) => sessionFromDoc(doc)!)
  }

  /** `lastUsedAt` sits beside the record's fields in the document (sessionFromDoc leaves it out). */
  async recordUse(id: string, at: number) {
    await this.sessions.updateOne({ _id: id }, { $max: { lastUsedAt: at } } as Document)
  }

  async lastUses(userId: string) {
    const docs = await this.sessions.find({ userId, lastUsedAt: { $type: 'number' } } as Document, { projection: { _id: 1, lastUsedAt: 1 } }).sort({ _id: 1 }).toArray()
    return docs.map((doc) => ({ id: doc._id, lastUsedAt: (doc as Document).lastUsedAt as number }))
  }

  countLive(now: number) {
    return this.sessions.countDocuments({ revokedAt: null, expiresAt: { $gt: now }, $or: [{ idleExpiresAt: null }, { idleExpiresAt: { $gt: now } }] })
  }

  /**
   * The TTL index removes sessions at their absolute end by itself; only this sweep sees an
   * idle end. Tokens go first: a sweep cut short leaves an ended session for the next one.
   */
  async deleteExpired(now: number) {
    const ended = { $or: [expiredAt(now), { idleExpiresAt: { $lte: now } }] }
    for (;;) {
      const ids = (await this.sessions.find(ended, { projection: { _id: 1 } }).limit(SWEEP_BATCH).toArray()).map((doc) => doc._id)
      if (ids.length === 0) return
      await this.refreshTokens.deleteMany({ sessionId: { $in: ids } })
      await this.sessions.deleteMany({ _id: { $in: ids } })
      if (ids.length < SWEEP_BATCH) return
    }
  }
}

class MongoRefreshTokens implements RefreshTokenRepository {
  constructor(private readonly tokens: Collection<Doc<Omit<RefreshTokenRecord, 'hash'> & { id: string }>>) {}

  private static toRecord(doc: Document | null): RefreshTokenRecord | null {
    if (!doc) return null
    const { _id, expireAt: _expireAt, ...rest } = doc
    return { hash: _id as string, ...rest } as RefreshTokenRecord
  }

  async insert(token: RefreshTokenRecord) {
    const { hash, ...rest } = token
    await this.tokens.insertOne({ _id: hash, ...rest, expireAt: new Date(token.expiresAt) })
  }

  async findByHash(hash: string) {
    return MongoRefreshTokens.toRecord(await this.tokens.findOne({ _id: hash }))
  }

  /** The condition is in the filter, so of two parallel rotations exactly one matches. */
  async rotate(oldHash: string, next: RefreshTokenRecord, at: number) {
    const marked = await this.tokens.findOneAndUpdate({ _id: oldHash, rotatedAt: null }, { $set: { rotatedAt: at } })
    if (marked) {
      await this.insert(next)
      return 'rotated' as const
    }
    return (await this.tokens.countDocuments({ _id: oldHash }, { limit: 1 })) ? ('reused' as const) : ('unknown' as const)
  }

  async deleteExpired(now: number) {
    await this.tokens.deleteMany(expiredAt(now))
  }
}

class MongoSigningKeys implements SigningKeyRepository {
  constructor(private readonly keys: Collection<Doc<Omit<SigningKeyRecord, 'kid'> & { id: string }>>) {}

  async list() {
    const docs = await this.keys.find({}).sort({ createdAt: 1, _id: 1 }).toArray()
    return docs.map(({ _id, expireAt: _expireAt, ...rest }) => ({ kid: _id, ...rest }) as SigningKeyRecord)
  }

  async insert(key: SigningKeyRecord) {
    const { kid, ...rest } = key
    try {
      await this.keys.insertOne({ _id: kid, ...rest, ...(key.verifyUntil === null ? {} : { expireAt: new Date(key.verifyUntil) }) })
      return true
    } catch (error) {
      if (isDuplicateKey(error)) return false
      throw error
    }
  }

  async retire(kid: string, at: number, verifyUntil: number) {
    await this.keys.updateOne({ _id: kid, retiredAt: null }, { $set: { retiredAt: at, verifyUntil, expireAt: new Date(verifyUntil) } })
  }

  /** verifyUntil, not expireAt: keys retired before expireAt was written have none. A handful of documents. */
  async deleteExpired(now: number) {
    await this.keys.deleteMany({ verifyUntil: { $ne: null, $lte: now } })
  }
}

class MongoOAuthClients implements OAuthClientRepository {
  constructor(private readonly clients: Collection<Doc<OAuthClientRecord>>) {}

  async insert(client: OAuthClientRecord) {
    const { id, ...rest } = client
    await this.clients.insertOne({ _id: id, ...rest })
  }

  /** Clients stored before a field existed have none: they read as its default. */
  private static toRecord(doc: Doc<OAuthClientRecord> | null): OAuthClientRecord | null {
    const client = fromDoc<OAuthClientRecord>(doc)
    return client === null
      ? null
      : {
          ...client,
          resourceServer: client.resourceServer ?? null,
          postLogoutRedirectUris: client.postLogoutRedirectUris ?? [],
          backchannelLogoutUri: client.backchannelLogoutUri ?? null,
          clientUri: client.clientUri ?? null,
          logoUri: client.logoUri ?? null,
          policyUri: client.policyUri ?? null,
          tosUri: client.tosUri ?? null,
          defaultAcrValues: client.defaultAcrValues ?? []
        }
  }

  async findById(id: string) {
    return MongoOAuthClients.toRecord(await this.clients.findOne({ _id: id }))
  }

  async update(id: string, patch: OAuthClientPatch) {
    return MongoOAuthClients.toRecord(await this.clients.findOneAndUpdate({ _id: id }, { $set: patch }, { returnDocument: 'after' }))
  }

  async delete(id: string) {
    return (await this.clients.deleteOne({ _id: id })).deletedCount === 1
  }

  async list() {
    return (await this.clients.find({}).sort({ createdAt: 1, _id: 1 }).toArray()).map((doc) => MongoOAuthClients.toRecord(doc)!)
  }
}

class MongoAuthorizationCodes implements AuthorizationCodeRepository {
  constructor(private readonly codes: Collection<Doc<Omit<AuthorizationCodeRecord, 'hash'> & { id: string }>>) {}

  /** Codes stored before the `claims` parameter existed asked for no claims by name; those before MFA kept no amr, before upstream sign-in no idp. */
  static toRecord(doc: Document): AuthorizationCodeRecord {
    const { _id, expireAt: _expireAt, claims = null, amr = null, idp = null, ...rest } = doc
    return { hash: _id as string, ...rest, claims, amr, idp } as AuthorizationCodeRecord
  }

  async insert(code: AuthorizationCodeRecord) {
    const { hash, ...rest } = code
    await this.codes.insertOne({ _id: hash, ...rest, expireAt: new Date(code.expiresAt) })
  }

  async redeem(hash: string, at: number) {
    const redeemed = await this.codes.findOneAndUpdate({ _id: hash, redeemedAt: null }, { $set: { redeemedAt: at } }, { returnDocument: 'after' })
    if (redeemed) return { code: MongoAuthorizationCodes.toRecord(redeemed), first: true }
    const seen = await this.codes.findOne({ _id: hash })
    return seen ? { code: MongoAuthorizationCodes.toRecord(seen), first: false } : null
  }

  async deleteExpired(now: number) {
    await this.codes.deleteMany(expiredAt(now))
  }
}

class MongoConsents implements ConsentRepository {
  constructor(private readonly consents: Collection<Doc<ConsentRecord & { id: string }>>) {}

  private static id(userId: string, clientId: string): string {
    return JSON.stringify([userId, clientId])
  }

  async find(userId: string, clientId: string) {
    return withoutMongoFields<ConsentRecord>(await this.consents.findOne({ _id: MongoConsents.id(userId, clientId) }))
  }

  async save(consent: ConsentRecord) {
    await this.consents.replaceOne({ _id: MongoConsents.id(consent.userId, consent.clientId) }, consent, { upsert: true })
  }

  async delete(userId: string, clientId: string) {
    return (await this.consents.deleteOne({ _id: MongoConsents.id(userId, clientId) })).deletedCount === 1
  }

  async listByUser(userId: string) {
    const docs = await this.consents.find({ userId }).sort({ grantedAt: 1, clientId: 1 }).toArray()
    return docs.map((doc) => withoutMongoFields<ConsentRecord>(doc)!)
  }
}

/** A browser session's document: the data, when it ends, and whose it is once someone signed in. */
interface BrowserSessionDocument extends Partial<BrowserSessionOwner> {
  _id: string
  data: string
  expiresAt: number
  expireAt: Date
}

class MongoBrowserSessions implements BrowserSessionRepository {
  constructor(private readonly sessions: Collection<BrowserSessionDocument>) {}

  async get(id: string, now: number) {
    return (await this.sessions.findOne({ _id: id, expiresAt: { $gt: now } }))?.data ?? null
  }

  async set(id: string, data: string, expiresAt: number, owner?: BrowserSessionOwner) {
    await this.sessions.replaceOne({ _id: id }, { data, expiresAt, expireAt: new Date(expiresAt), ...owner }, { upsert: true })
  }

  async destroy(id: string) {
    await this.sessions.deleteOne({ _id: id })
  }

  async listByUser(userId: string, now: number): Promise<BrowserSessionRecord[]> {
    const docs = await this.sessions.find({ userId, expiresAt: { $gt: now } }).sort({ lastUsedAt: -1, _id: 1 }).toArray()
    return docs.map((doc) => ({
      id: doc._id,
      userId,
      userAgent: doc.userAgent ?? null,
      signedInAt: doc.signedInAt!,
      lastUsedAt: doc.lastUsedAt!,
      expiresAt: doc.expiresAt
    }))
  }

  async destroyByUser(userId: string, exceptId: string | null) {
    await this.sessions.deleteMany(exceptId === null ? { userId } : { userId, _id: { $ne: exceptId } })
  }

  async deleteExpired(now: number) {
    await this.sessions.deleteMany(expiredAt(now))
  }
}

class MongoSettings implements SettingRepository {
  constructor(private readonly settings: Collection<{ _id: string; value: string }>) {}

  async getOrInsert(name: string, value: string) {
    try {
      const doc = await this.settings.findOneAndUpdate({ _id: name }, { $setOnInsert: { value } }, { upsert: true, returnDocument: 'after' })
      return doc!.value
    } catch (error) {
      // Two first starts at once: one upsert wins, the other reads what it wrote.
      if (!isDuplicateKey(error)) throw error
      return (await this.settings.findOne({ _id: name }))!.value
    }
  }
}

class MongoSamlRequests implements SamlRequestRepository {
  constructor(private readonly requests: Collection<Doc<SamlRequestRecord>>) {}

  async insert(request: SamlRequestRecord) {
    const { id, ...rest } = request
    await this.requests.insertOne({ _id: id, ...rest, expireAt: new Date(request.expiresAt) })
  }

  async find(id: string, idp: string, now: number) {
    return fromDoc<SamlRequestRecord>(await this.requests.findOne({ _id: id, idp, expiresAt: { $gt: now } }))
  }

  /** One conditional delete: of two answers to the same request, only one removes it. */
  async consume(id: string, idp: string, now: number) {
    return (await this.requests.findOneAndDelete({ _id: id, idp, expiresAt: { $gt: now } })) !== null
  }

  async deleteExpired(now: number) {
    await this.requests.deleteMany(expiredAt(now))
  }
}

class MongoSamlAssertions implements SamlAssertionRepository {
  constructor(private readonly assertions: Collection<{ _id: string; expiresAt: number; expireAt: Date }>) {}

  /**
   * Insert-if-absent in one upsert: a live record does not match the filter, so the upsert
   * tries to insert the same _id and fails with a duplicate key (a replay); an expired one is taken over.
   */
  async markUsed(idp: string, id: string, expiresAt: number, now: number) {
    try {
      await this.assertions.updateOne(
        { _id: JSON.stringify([idp, id]), expiresAt: { $lte: now } },
        { $set: { expiresAt, expireAt: new Date(expiresAt) } },
        { upsert: true }
      )
      return true
    } catch (error) {
      if (isDuplicateKey(error)) return false
      throw error
    }
  }

  async deleteExpired(now: number) {
    await this.assertions.deleteMany(expiredAt(now))
  }
}

/**
 * Unique keys, lookups, and a TTL index on `expireAt` in every collection whose documents
 * expire, so expired codes, tokens, sessions, SAML ids and retired keys vanish by themselves.
 */
async function createIndexes(db: Db): Promise<void> {
  const ttl = { expireAfterSeconds: 0 }
  await Promise.all([
    db.collection(COLLECTIONS.users).createIndexes([
      { key: { usernameKey: 1 }, unique: true },
      { key: { emailKey: 1 }, unique: true },
      { key: { createdAt: 1, _id: 1 } },
      { key: { scope: 1, active: 1 } },
      { key: { 'samlIdentity.idp': 1, 'samlIdentity.nameId': 1 }, unique: true, partialFilterExpression: { samlIdentity: { $type: 'object' } } }
    ]),
    db.collection(COLLECTIONS.samlRequests).createIndexes([{ key: { expireAt: 1 }, ...ttl }]),
    db.collection(COLLECTIONS.samlAssertions).createIndexes([{ key: { expireAt: 1 }, ...ttl }]),
    db.collection(COLLECTIONS.sessions).createIndexes([
      { key: { userId: 1 } },
      { key: { clientId: 1, userId: 1 }, sparse: true },
      { key: { revokedAt: 1 }, partialFilterExpression: { revokedAt: { $type: 'number' } } },
      // Plain, not partial: the sweep's `$lte` clause must be able to use it.
      { key: { idleExpiresAt: 1 } },
      { key: { expireAt: 1 }, ...ttl }
    ]),
    db.collection(COLLECTIONS.refreshTokens).createIndexes([{ key: { sessionId: 1 } }, { key: { expireAt: 1 }, ...ttl }]),
    db.collection(COLLECTIONS.authorizationCodes).createIndexes([{ key: { expireAt: 1 }, ...ttl }]),
    db.collection(COLLECTIONS.consents).createIndexes([{ key: { userId: 1, grantedAt: 1 } }]),
    db.collection(COLLECTIONS.browserSessions).createIndexes([{ key: { expireAt: 1 }, ...ttl }, { key: { userId: 1, lastUsedAt: -1 }, sparse: true }]),
    db.collection(COLLECTIONS.oauthClients).createIndexes([{ key: { createdAt: 1, _id: 1 } }]),
    db.collection(COLLECTIONS.signingKeys).createIndexes([{ key: { expireAt: 1 }, ...ttl }]),
    db.collection(COLLECTIONS.mfaRecoveryCodes).createIndexes([{ key: { userId: 1 } }]),
    db.collection(COLLECTIONS.passkeys).createIndexes([{ key: { userId: 1, createdAt: 1 } }]),
    db.collection(COLLECTIONS.webauthnChallenges).createIndexes([{ key: { expireAt: 1 }, ...ttl }]),
    db.collection(COLLECTIONS.identityLinks).createIndexes([{ key: { provider: 1, subject: 1 }, unique: true }, { key: { userId: 1, createdAt: 1 } }]),
    createMailIndexes(db, COLLECTIONS)
  ])
}

/** Driver errors that mean the server is out of reach, not that the query was wrong. */
const UNAVAILABLE = /^Mongo(ServerSelection|Network|NetworkTimeout|NotConnected|TopologyClosed)Error$/

/**
 * Opens the store on MONGODB_URI (database from the URI). Short server-selection and
 * socket timeouts, so a request that needs an absent server fails within a few
 * seconds (503) instead of hanging; the driver reconnects by itself.
 */
export async function openMongoStore(uri: string): Promise<Store & { client: MongoClientType; db: Db }> {
  const client = new mongodb.MongoClient(uri, { serverSelectionTimeoutMS: 3000, connectTimeoutMS: 3000, socketTimeoutMS: 10_000 })
  await client.connect()
  const db = client.db()
  try {
    await createIndexes(db)
  } catch (error) {
    await client.close()
    throw error
  }
  const mfa = new MongoMfa(db.collection(COLLECTIONS.mfaTotp), db.collection(COLLECTIONS.mfaRecoveryCodes))
  const passkeys = new MongoPasskeys(db.collection(COLLECTIONS.passkeys), db.collection(COLLECTIONS.webauthnChallenges))
  const identityLinks = new MongoIdentityLinks(db.collection(COLLECTIONS.identityLinks))
  return {
    client,
    db,
    users: new MongoUsers(db.collection(COLLECTIONS.users), [mfa, passkeys, identityLinks]),
    sessions: new MongoSessions(db.collection(COLLECTIONS.sessions), db.collection(COLLECTIONS.refreshTokens)),
    refreshTokens: new MongoRefreshTokens(db.collection(COLLECTIONS.refreshTokens)),
    signingKeys: new MongoSigningKeys(db.collection(COLLECTIONS.signingKeys)),
    oauthClients: new MongoOAuthClients(db.collection(COLLECTIONS.oauthClients)),
    authorizationCodes: new MongoAuthorizationCodes(db.collection(COLLECTIONS.authorizationCodes)),
    consents: new MongoConsents(db.collection(COLLECTIONS.consents)),
    browserSessions: new MongoBrowserSessions(db.collection(COLLECTIONS.browserSessions)),
    settings: new MongoSettings(db.collection(COLLECTIONS.settings)),
    mfa,
    passkeys,
    identityLinks,
    samlRequests: new MongoSamlRequests(db.collection(COLLECTIONS.samlRequests)),
    samlAssertions: new MongoSamlAssertions(db.collection(COLLECTIONS.samlAssertions)),
    outbox: new MongoOutbox(db.collection(COLLECTIONS.outbox)),
    mailLinks: new MongoMailLinks(db.collection(COLLECTIONS.mailLinks)),
    async ping() {
      await db.command({ ping: 1 })
    },
    async exportAll() {
      const all = (name: string) => db.collection(name).find({}).toArray()
      const renamed = (docs: Document[], key: string) =>
        docs.map(({ _id, expireAt: _expireAt, ...rest }) => ({ [key]: _id, ...rest }))
      const queuedMail = db.collection<OutboxDoc>(COLLECTIONS.outbox).find({ status: 'queued' }).sort({ createdAt: 1, _id: 1 }).toArray()
      const [users, sessions, refreshTokens, signingKeys, oauthClients, codes, consents, settings, totpFactors, recoveryCodes, passkeyDocs, linkDocs] = await Promise.all(
        [
          COLLECTIONS.users,
          COLLECTIONS.sessions,
          COLLECTIONS.refreshTokens,
          COLLECTIONS.signingKeys,
          COLLECTIONS.oauthClients,
          COLLECTIONS.authorizationCodes,
          COLLECTIONS.consents,
          COLLECTIONS.settings,
          COLLECTIONS.mfaTotp,
          COLLECTIONS.mfaRecoveryCodes,
          COLLECTIONS.passkeys,
          COLLECTIONS.identityLinks
        ].map(all)
      )
      return {
        users: users!.map((doc) => userFromDoc(doc)!),
        sessions: sessions!.map((doc) => sessionFromDoc(doc)!),
        refreshTokens: renamed(refreshTokens!, 'hash') as unknown as RefreshTokenRecord[],
        signingKeys: renamed(signingKeys!, 'kid') as unknown as SigningKeyRecord[],
        oauthClients: renamed(oauthClients!, 'id') as unknown as OAuthClientRecord[],
        authorizationCodes: codes!.map((doc) => MongoAuthorizationCodes.toRecord(doc)),
        consents: consents!.map((doc) => withoutMongoFields<ConsentRecord>(doc)!),
        settings: renamed(settings!, 'name') as unknown as { name: string; value: string }[],
        totpFactors: totpFactors!.map((doc) => MongoMfa.toFactor(doc as unknown as TotpDoc)),
        recoveryCodes: recoveryCodes!.map(({ userId, hash }) => ({ userId: userId as string, hash: hash as string })),
        outbox: (await queuedMail).map(messageFromDoc),
        passkeys: passkeyDocs!.map((doc) => MongoPasskeys.toRecord(doc as unknown as PasskeyDoc)),
        identityLinks: linkDocs!.map((doc) => MongoIdentityLinks.toRecord(doc as unknown as IdentityLinkDoc))
      }
    },
    isUnavailable(error: unknown) {
      return error instanceof Error && UNAVAILABLE.test(error.name)
    },
    // WiredTiger reuses the space of deleted documents itself; giving it back to the system is the
    // `compact` command, an operator's choice (it blocks the collection).
    async reclaimFreeSpace() {},
    async close() {
      await client.close()
    }
  }
}
