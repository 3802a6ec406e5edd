/**
 * The storage port: every adapter (SQLite now, MongoDB later) implements these
 * repositories and passes the one contract suite in test/store/contract.ts.
 * Times are epoch milliseconds; ids are opaque strings chosen by the caller.
 */

export interface UserRecord {
  id: string
  /** As entered, NFKC-normalised. */
  username: string
  /** Lookup key: NFKC + lower case, unique. */
  usernameKey: string
  email: string
  /** Lookup key: lower case, unique. */
  emailKey: string
  passwordHash: string
  /** How passwordHash was made; see services/passwords.ts. */
  passwordScheme: PasswordScheme
  scope: string[]
  role: string
  organisation: string | null
  active: boolean
  createdAt: number
  updatedAt: number
}

export type PasswordScheme = 'bcrypt-hmac-sha256' | 'bcrypt'

export type UserPatch = Partial<Omit<UserRecord, 'id' | 'createdAt'>> & { updatedAt: number }

/** Thrown by insert/update when a unique field is taken. */
export class DuplicateKeyError extends Error {
  constructor(readonly field: 'username' | 'email') {
    super(`${field} is taken`)
    this.name = 'DuplicateKeyError'
  }
}

export interface UserListQuery {
  offset: number
  limit: number
  /** Case-insensitive substring of username or email. */
  search?: string
}

export interface UserRepository {
  insert(user: UserRecord): Promise<void>
  findById(id: string): Promise<UserRecord | null>
  findByUsernameKey(usernameKey: string): Promise<UserRecord | null>
  findByEmailKey(emailKey: string): Promise<UserRecord | null>
  /** Returns the updated record, or null when no user has this id. */
  update(id: string, patch: UserPatch): Promise<UserRecord | null>
  delete(id: string): Promise<boolean>
  /** Ordered by creation time, then id. */
  list(query: UserListQuery): Promise<{ items: UserRecord[]; total: number }>
  /** How many active users hold `scope`. */
  countActiveWithScope(scope: string): Promise<number>
}

/**
 * A session is a token family: everything issued from one sign-in. Revoking it
 * revokes its refresh tokens and (through the in-memory revoked set) its access tokens.
 */
export interface SessionRecord {
  id: string
  userId: string
  /** Which surface started it: `token` (rdata, lummox), `login` (the /login sliding session). */
  kind: string
  createdAt: number
  /** Absolute end of the session. */
  expiresAt: number
  /** Sliding end for sessions with an idle timeout; null when there is none. */
  idleExpiresAt: number | null
  revokedAt: number | null
}

export interface RevokedSession {
  id: string
  expiresAt: number
}

export interface SessionRepository {
  insert(session: SessionRecord): Promise<void>
  findById(id: string): Promise<SessionRecord | null>
  /**
   * Moves idleExpiresAt forward (never back, never past expiresAt) on a live session
   * that has an idle timeout; a session whose idleExpiresAt is null keeps it null.
   */
  extendIdle(id: string, idleExpiresAt: number): Promise<void>
  /** Marks the session revoked; false when it was unknown or already revoked. */
  revoke(id: string, at: number): Promise<boolean>
  /** Revokes every live session of a user (expiresAt > at); returns what was revoked. */
  revokeByUser(userId: string, at: number): Promise<RevokedSession[]>
  /** Sessions revoked at or after `since` that have not yet expired at `now` (expiresAt > now). */
  listRevoked(since: number, now: number): Promise<RevokedSession[]>
  /** Every session of a user, revoked and expired ones included. */
  listByUser(userId: string): Promise<SessionRecord[]>
}

export interface RefreshTokenRecord {
  /** SHA-256 of the token, base64url; the token itself is never stored. */
  hash: string
  sessionId: string
  createdAt: number
  expiresAt: number
  /** Set when the token was exchanged for its successor (OAuth2 rotation). */
  rotatedAt: number | null
}

export type RotationResult = 'rotated' | 'reused' | 'unknown'

export interface RefreshTokenRepository {
  insert(token: RefreshTokenRecord): Promise<void>
  findByHash(hash: string): Promise<RefreshTokenRecord | null>
  /**
   * Atomically marks `oldHash` rotated and stores `next` in the same family.
   * `reused` when the old token had already been rotated (the caller then revokes the family).
   */
  rotate(oldHash: string, next: RefreshTokenRecord, at: number): Promise<RotationResult>
}

export interface SigningKeyRecord {
  kid: string
  alg: string
  /** PKCS#8 PEM. */
  privateKey: string
  /** SPKI PEM. */
  publicKey: string
  createdAt: number
  /** When set, the key no longer signs and is dropped once this time has passed. */
  retiredAt: number | null
  /** Keep verifying until this time (its last token's expiry), null while active. */
  verifyUntil: number | null
}

export interface SigningKeyRepository {
  /** Ordered by createdAt, then kid. */
  list(): Promise<SigningKeyRecord[]>
  /** Inserts unless a key with this kid exists; returns false then. */
  insert(key: SigningKeyRecord): Promise<boolean>
  retire(kid: string, at: number, verifyUntil: number): Promise<void>
}

export interface Store {
  readonly users: UserRepository
  readonly sessions: SessionRepository
  readonly refreshTokens: RefreshTokenRepository
  readonly signingKeys: SigningKeyRepository
  /** Resolves when the store answers; used by /readyz. */
  ping(): Promise<void>
  close(): Promise<void>
}
