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
  /** The user followed a link mailed to `email` (or reset their password through one), or an identity provider vouches for it. */
  emailVerified: boolean
  /** Empty for a user without a password (scheme `none`). */
  passwordHash: string
  /** How passwordHash was made; see services/passwords.ts. */
  passwordScheme: PasswordScheme
  scope: string[]
  role: string
  organisation: string | null
  active: boolean
  /** The identity provider account this user signs in with; null for a local user. Unique, never changed. */
  samlIdentity: SamlIdentity | null
  /** Full display name (OIDC `name`); null when not set. */
  name: string | null
  /** OIDC `given_name`; null when not set. */
  givenName: string | null
  /** OIDC `family_name`; null when not set. */
  familyName: string | null
  /** A BCP 47 language tag (OIDC `locale`); null when not set. */
  locale: string | null
  /** An IANA time zone (OIDC `zoneinfo`); null when not set. */
  zoneinfo: string | null
  /** An absolute URL of a picture of the user (OIDC `picture`); null when not set. */
  picture: string | null
  createdAt: number
  updatedAt: number
}

/** The profile fields a user may set about themself (OIDC Core §5.1); each null when not set. */
export type ProfileField = 'name' | 'givenName' | 'familyName' | 'locale' | 'zoneinfo' | 'picture'
export type UserProfile = Pick<UserRecord, ProfileField>

/** `none`: the user has no password (signs in through an identity provider), and no password ever verifies. */
export type PasswordScheme = 'bcrypt-hmac-sha256' | 'bcrypt' | 'none'

/** A user as a SAML identity provider names them: its configured name and the assertion's NameID. */
export interface SamlIdentity {
  idp: string
  nameId: string
}

export type UserPatch = Partial<Omit<UserRecord, 'id' | 'createdAt' | 'samlIdentity'>> & { updatedAt: number }

/** Thrown by insert/update when a unique field is taken. */
export class DuplicateKeyError extends Error {
  constructor(readonly field: 'username' | 'email' | 'samlIdentity') {
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
  findBySamlIdentity(identity: SamlIdentity): Promise<UserRecord | null>
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
  /** The user; for kind `client` (client_credentials) the client id. */
  userId: string
  /**
   * Which surface started it: `token` (rdata, lummox), `login` (the /login sliding
   * session), `oauth2` (an authorization code grant), `client` (client_credentials),
   * `browser` (an access token handed to a signed-in browser at /auth/jwt).
   */
  kind: string
  /** The OAuth2 client the session was granted to; null outside OAuth2. */
  clientId: string | null
  /** The scope granted to the client; null outside OAuth2 (the user's own scope applies). */
  scope: string[] | null
  /** When the user last entered a password for this grant (OIDC auth_time); null outside OAuth2. */
  authTime: number | null
  /** Claims the client asked for by name in the authorization request; null when it named none (and outside OAuth2). */
  claims: RequestedClaims | null
  /** How the user signed in for this grant (RFC 8176 amr: pwd, otp, mfa); null outside OAuth2. */
  amr: string[] | null
  /** The upstream OpenID Connect provider the user signed in through for this grant (the tokens' `idp`); null for any other sign-in. */
  idp: string | null
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
  /**
   * Records that a session was used at `at` (a refresh, a sliding session's idle extension
   * written back): never on a token check, which reads and writes no store. Never moves back.
   */
  recordUse(id: string, at: number): Promise<void>
  /** When each session of a user that was used since it began was last used (recordUse). */
  lastUses(userId: string): Promise<{ id: string; lastUsedAt: number }[]>
  /** How many sessions are live at `now`: not revoked, not past expiresAt, not past a set idleExpiresAt. */
  countLive(now: number): Promise<number>
  /** Revokes every live session granted to a client, or to a client on behalf of one user. */
  revokeByClient(clientId: string, at: number, userId?: string): Promise<RevokedSession[]>
  /**
   * Deletes the sessions that ended at or before `now` (expiresAt, or a set idleExpiresAt,
   * reached), revoked or not, together with their refresh tokens. A session that has not
   * ended stays, revoked ones included: listRevoked still reports them.
   */
  deleteExpired(now: number): Promise<void>
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
  /** Drops tokens that expired at or before `now`, rotated or not. */
  deleteExpired(now: number): Promise<void>
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
  /** Drops retired keys whose verifyUntil is at or before `now`: no token they signed is valid any more. */
  deleteExpired(now: number): Promise<void>
}

export type TokenEndpointAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none'

/** An OAuth2 client, with RFC 7591 metadata. */
export interface OAuthClientRecord {
  id: string
  name: string
  redirectUris: string[]
  grantTypes: string[]
  responseTypes: string[]
  tokenEndpointAuthMethod: TokenEndpointAuthMethod
  scope: string[]
  /** SHA-256 of the secret, base64url; null for public clients. */
  secretHash: string | null
  /** First-party clients skip the consent page. */
  firstParty: boolean
  /**
   * A resource server may introspect more than its own tokens (RFC 7662 §4 lets the server
   * decide): those whose `aud` names it, or all; null for every other client.
   */
  resourceServer: ResourceServerMode | null
  /** Where RP-Initiated Logout may send the browser back to (OIDC RP-Initiated Logout §3.1). */
  postLogoutRedirectUris: string[]
  /** Where a logout token is posted when one of the client's sessions ends (OIDC Back-Channel Logout §2.2). */
  backchannelLogoutUri: string | null
  /** RFC 7591 §2 pages about the client, shown to the person on the consent page; null when not registered. */
  clientUri: string | null
  logoUri: string | null
  policyUri: string | null
  tosUri: string | null
  /** OIDC Dynamic Client Registration §2 default_acr_values: "2" makes every sign-in for this client need a second factor. */
  defaultAcrValues: string[]
  createdAt: number
  updatedAt: number
}

export type ResourceServerMode = 'audience' | 'all'

export type OAuthClientPatch = Partial<Omit<OAuthClientRecord, 'id' | 'createdAt'>> & { updatedAt: number }

export interface OAuthClientRepository {
  insert(client: OAuthClientRecord): Promise<void>
  findById(id: string): Promise<OAuthClientRecord | null>
  /** Returns the updated record, or null when no client has this id. */
  update(id: string, patch: OAuthClientPatch): Promise<OAuthClientRecord | null>
  delete(id: string): Promise<boolean>
  /** Ordered by creation time, then id. */
  list(): Promise<OAuthClientRecord[]>
}

/**
 * The user claims a client asked for by name with the OIDC `claims` parameter (Core §5.5),
 * by where they are to go: the ID token and the userinfo answer. Names only, each a claim
 * moneypenny supports; what a claim may hold is decided when it is released.
 */
export interface RequestedClaims {
  idToken: string[]
  userinfo: string[]
}

/** An authorization code, bound to everything the authorization request said. */
export interface AuthorizationCodeRecord {
  /** SHA-256 of the code, base64url. */
  hash: string
  clientId: string
  userId: string
  redirectUri: string
  codeChallenge: string | null
  scope: string[]
  nonce: string | null
  authTime: number
  /** How the user signed in (RFC 8176 amr); null for a code issued before this was kept. */
  amr: string[] | null
  /** The upstream OpenID Connect provider the user signed in through; null for any other sign-in. */
  idp: string | null
  /** Claims asked for with the `claims` parameter; null when none were. */
  claims: RequestedClaims | null
  /** The session (token family) its tokens will belong to, chosen up front so a reused code can revoke it. */
  sessionId: string
  createdAt: number
  expiresAt: number
  redeemedAt: number | null
}

export interface AuthorizationCodeRepository {
  insert(code: AuthorizationCodeRecord): Promise<void>
  /**
   * Atomically marks the code redeemed. `first` is true for the one caller that
   * redeemed it; every later caller gets the record with `first` false. Null when unknown.
   */
  redeem(hash: string, at: number): Promise<{ code: AuthorizationCodeRecord; first: boolean } | null>
  /** Drops codes that expired at or before `now`, redeemed or not. */
  deleteExpired(now: number): Promise<void>
}

/** What a user allowed a third-party client, so the consent page is asked once. */
export interface ConsentRecord {
  userId: string
  clientId: string
  scope: string[]
  grantedAt: number
}

export interface ConsentRepository {
  find(userId: string, clientId: string): Promise<ConsentRecord | null>
  /** Inserts or replaces the consent of this user for this client. */
  save(consent: ConsentRecord): Promise<void>
  delete(userId: string, clientId: string): Promise<boolean>
  listByUser(userId: string): Promise<ConsentRecord[]>
}

/** Whose a browser session is, kept beside its data so that a user's sessions can be listed and ended. */
export interface BrowserSessionOwner {
  userId: string
  /** The browser's User-Agent at sign-in (at most 512 characters); null when it sent none. */
  userAgent: string | null
  signedInAt: number
  /** The request that last wrote the session (every request of a signed-in browser does: the idle timeout slides). */
  lastUsedAt: number
}

/** A signed-in browser session as its owner's account console lists it. */
export interface BrowserSessionRecord extends BrowserSessionOwner {
  /** The stored id (a hash of the cookie's session id). */
  id: string
  expiresAt: number
}

/** A browser session (cookie), as @fastify/session serialises it. */
export interface BrowserSessionRepository {
  /** The stored data, or null when unknown or expired at `now`. */
  get(id: string, now: number): Promise<string | null>
  /** Stores the data; `owner` once someone is signed in in it (none while a password waits for its second factor). */
  set(id: string, data: string, expiresAt: number, owner?: BrowserSessionOwner): Promise<void>
  destroy(id: string): Promise<void>
  /** The user's sessions live at `now`, the most recently used first. */
  listByUser(userId: string, now: number): Promise<BrowserSessionRecord[]>
  /** Deletes every session of the user but `exceptId` (a new password ends the others). */
  destroyByUser(userId: string, exceptId: string | null): Promise<void>
  deleteExpired(now: number): Promise<void>
}

/** A user's TOTP factor (RFC 6238), one per user. */
export interface TotpFactorRecord {
  userId: string
  /** The shared secret, sealed (services/mfa/secret-box.ts): a dump of the store alone does not yield it. */
  sealedSecret: string
  /** Null while the enrolment waits for its first code: an unconfirmed factor is never asked for. */
  confirmedAt: number | null
  /** The time step of the last code accepted; codes of that step or earlier are refused (RFC 6238 §5.2). */
  lastStep: number
  createdAt: number
}

/** A recovery code of a user, by its hash: the code itself is shown once and never stored. */
export interface RecoveryCodeRecord {
  userId: string
  hash: string
}

/** Second factors. Deleting a user deletes theirs. */
export interface MfaRepository {
  findTotp(userId: string): Promise<TotpFactorRecord | null>
  /** Stores a factor in place of an unconfirmed one or none; false (and nothing changed) when the user has a confirmed one. */
  saveTotp(factor: TotpFactorRecord): Promise<boolean>
  /** Confirms the unconfirmed factor with the step of its first code, atomically: false when there is none to confirm. */
  confirmTotp(userId: string, step: number, at: number): Promise<boolean>
  /** Accepts time step `step` once, atomically: true (and recorded) only when it is later than the last accepted step of a confirmed factor. */
  useTotpStep(userId: string, step: number): Promise<boolean>
  /** Removes the TOTP factor and the recovery codes; false when there was no factor. */
  removeTotp(userId: string): Promise<boolean>
  /** Replaces the user's recovery codes with these. */
  replaceRecoveryCodes(userId: string, hashes: string[]): Promise<void>
  /** Uses a recovery code up, atomically: true for the one caller that removed it. */
  useRecoveryCode(userId: string, hash: string): Promise<boolean>
  countRecoveryCodes(userId: string): Promise<number>
}

/** A WebAuthn credential (a passkey) of a user, as the registration ceremony verified it. */
export interface PasskeyRecord {
  /** The credential id, base64url: unique across users. */
  credentialId: string
  userId: string
  /** The COSE public key, base64url. */
  publicKey: string
  /** The authenticator's signature counter; 0 for authenticators that keep none (synced passkeys). */
  counter: number
  /** Transport hints the browser reported (usb, nfc, ble, internal, hybrid…). */
  transports: string[]
  /** A multi-device (synced) credential or one bound to a single authenticator. */
  deviceType: 'singleDevice' | 'multiDevice'
  backedUp: boolean
  /** The authenticator model's AAGUID; all zeros under attestation `none` for most. */
  aaguid: string
  /** The name the user gave it. */
  name: string
  createdAt: number
  lastUsedAt: number | null
}

/** Which WebAuthn ceremony a challenge was made for: it completes only that one. */
export type WebAuthnCeremony = 'registration' | 'authentication' | 'second-factor'

/** A challenge handed to a browser, kept until it is used or expires. */
export interface WebAuthnChallengeRecord {
  /** The challenge, base64url as it comes back in clientDataJSON. */
  challenge: string
  ceremony: WebAuthnCeremony
  /** The user it was made for; null for a passwordless sign-in, where nobody is known yet. */
  userId: string | null
  expiresAt: number
}

/** Passkeys and the challenges of their ceremonies. Deleting a user deletes theirs. */
export interface PasskeyRepository {
  /** Stores a new credential; false (nothing stored) when its id is already registered, to anyone. */
  add(passkey: PasskeyRecord): Promise<boolean>
  find(credentialId: string): Promise<PasskeyRecord | null>
  listByUser(userId: string): Promise<PasskeyRecord[]>
  /** Renames one of the user's credentials; false when the user has no such credential. */
  rename(userId: string, credentialId: string, name: string): Promise<boolean>
  /** Deletes one of the user's credentials; false when the user has no such credential. */
  delete(userId: string, credentialId: string): Promise<boolean>
  /**
   * Records a sign-in, atomically: sets the counter and the last use only when the counter
   * grew, or when both the stored and the new counter are 0 (authenticators that count
   * nothing). False (nothing changed) otherwise: a possible clone (WebAuthn §6.1.1).
   */
  recordUse(credentialId: string, counter: number, at: number): Promise<boolean>
  saveChallenge(challenge: WebAuthnChallengeRecord): Promise<void>
  /** Removes a live challenge of `ceremony` and answers it: only one caller ever gets it; null for every other. */
  takeChallenge(challenge: string, ceremony: WebAuthnCeremony, now: number): Promise<WebAuthnChallengeRecord | null>
  /** Drops challenges that expired at or before `now`. */
  deleteExpiredChallenges(now: number): Promise<void>
}

/** Where a message of the outbox is: waiting for an attempt, handed to the SMTP server, or given up. */
export type OutboxStatus = 'queued' | 'sent' | 'failed'

/**
 * A mail waiting in the outbox (services/mail/), rendered when it was queued. Its bodies are
 * cleared once it is sent or given up, so the store keeps no link longer than needed.
 */
export interface OutboxMessage {
  id: string
  to: string
  subject: string
  text: string
  html: string
  status: OutboxStatus
  /** Attempts made so far. */
  attempts: number
  /** When the next attempt may start. */
  nextAttemptAt: number
  /** The worker that holds the message until leaseUntil; no other worker may take it meanwhile. */
  claimedBy: string | null
  leaseUntil: number | null
  /** Why the last attempt failed (the SMTP server's answer, never the message); null when none did. */
  lastError: string | null
  createdAt: number
  /** When it was sent or given up; null while queued. */
  finishedAt: number | null
}

/** How long sent and given-up mail stays for the record (the sweep, or MongoDB's TTL index, then drops it). */
export const FINISHED_MAIL_KEPT_MS = 7 * 86_400_000

export interface OutboxRepository {
  enqueue(message: OutboxMessage): Promise<void>
  /**
   * Leases up to `limit` queued messages due at `now` whose lease (if any) has ended to
   * `worker` until `leaseUntil`, atomically: a message is leased to one worker at a time.
   * Oldest due first; each returned with the new lease.
   */
  claim(worker: string, now: number, leaseUntil: number, limit: number): Promise<OutboxMessage[]>
  /** Marks the message sent (bodies cleared); false when `worker` no longer holds its lease. */
  markSent(id: string, worker: string, at: number): Promise<boolean>
  /**
   * Records a failed attempt: queued again for `retryAt`, or failed for good (bodies cleared) when
   * `retryAt` is null; false when `worker` no longer holds the lease.
   */
  markFailed(id: string, worker: string, at: number, error: string, retryAt: number | null): Promise<boolean>
  findById(id: string): Promise<OutboxMessage | null>
  /** Drops sent and failed messages that finished at or before `before`. */
  deleteFinished(before: number): Promise<void>
}

/** What a mailed link does: set a new password, or confirm that the user receives mail at an address. */
export type MailLinkPurpose = 'password_reset' | 'verify_email' | 'change_email'

/** A link mailed to a user, by the SHA-256 of its token (the token itself is never stored). */
export interface MailLinkRecord {
  /** SHA-256 of the token, base64url. */
  hash: string
  purpose: MailLinkPurpose
  userId: string
  /** The user's address (emailKey) when the link was made: a link for an address the user no longer has is void. */
  emailKey: string
  /** `change_email`: the address asked for, which the link went to; null for the other purposes. */
  newEmail: string | null
  /** A digest of the user's password hash when the link was made (a changed password voids it); null when the password does not matter. */
  passwordStamp: string | null
  createdAt: number
  expiresAt: number
  usedAt: number | null
}

export interface MailLinkRepository {
  /** Stores a new link and deletes every other link of the user for the same purpose in one step: only the newest works. */
  issue(record: MailLinkRecord): Promise<void>
  /** The link for `purpose`, when unused and live at `now`; null otherwise. */
  find(hash: string, purpose: MailLinkPurpose, now: number): Promise<MailLinkRecord | null>
  /** Marks an unused, live link for `purpose` used, atomically: the record for the one caller that did, null for every other. */
  consume(hash: string, purpose: MailLinkPurpose, now: number): Promise<MailLinkRecord | null>
  /** The user's newest unused link for `purpose` that is live at `now` (a pending address change); null when none. */
  pending(userId: string, purpose: MailLinkPurpose, now: number): Promise<MailLinkRecord | null>
  /** Deletes the user's links for `purpose` (a cancelled address change); false when there were none. */
  withdraw(userId: string, purpose: MailLinkPurpose): Promise<boolean>
  /** Drops links that expired at or before `now`, used or not. */
  deleteExpired(now: number): Promise<void>
}

/** A user's account at an upstream OpenID Connect provider: who they are there (`sub`), linked to the user here. */
export interface IdentityLinkRecord {
  /** The provider's name in OIDC_PROVIDERS. */
  provider: string
  /** The provider's `sub` for this person. */
  subject: string
  userId: string
  createdAt: number
  lastUsedAt: number | null
}

/** Links between users and their accounts at upstream providers; one user per (provider, subject). Deleting a user deletes theirs. */
export interface IdentityLinkRepository {
  /** Stores a new link; false (nothing stored) when (provider, subject) is linked already, to anyone. */
  add(link: IdentityLinkRecord): Promise<boolean>
  find(provider: string, subject: string): Promise<IdentityLinkRecord | null>
  /** The user's links, oldest first. */
  listByUser(userId: string): Promise<IdentityLinkRecord[]>
  /** Deletes the user's links to `provider`; false when there were none. */
  delete(userId: string, provider: string): Promise<boolean>
  /** Records a sign-in through the link. */
  recordUse(provider: string, subject: string, at: number): Promise<void>
  /** Keeps the provider's tokens for the link, sealed by the caller (null forgets them); nothing for an unknown link. Not part of the record, nor of exportAll. */
  keepTokens(provider: string, subject: string, sealed: string | null): Promise<void>
  /** The sealed tokens kept for the link; null when none are (or there is no such link). */
  keptTokens(provider: string, subject: string): Promise<string | null>
}

/** Values made once and shared by every replica (the cookie secret). */
export interface SettingRepository {
  /** The stored value of `name`; stores `value` first when there is none, so the first writer wins. */
  getOrInsert(name: string, value: string): Promise<string>
}

/** Everything worth moving between stores (browser sessions are not: users simply sign in again). */
export interface StoreSnapshot {
  users: UserRecord[]
  sessions: SessionRecord[]
  refreshTokens: RefreshTokenRecord[]
  signingKeys: SigningKeyRecord[]
  oauthClients: OAuthClientRecord[]
  authorizationCodes: AuthorizationCodeRecord[]
  consents: ConsentRecord[]
  settings: { name: string; value: string }[]
  totpFactors: TotpFactorRecord[]
  recoveryCodes: RecoveryCodeRecord[]
  passkeys: PasskeyRecord[]
  /** Mail still queued (sent and failed messages stay behind). */
  outbox: OutboxMessage[]
  identityLinks: IdentityLinkRecord[]
}

/** An AuthnRequest sent to an identity provider, awaiting its answer (node-saml's InResponseTo cache). */
export interface SamlRequestRecord {
  /** The AuthnRequest's ID. */
  id: string
  /** The identity provider it was sent to; only that one may answer it. */
  idp: string
  createdAt: number
  expiresAt: number
}

export interface SamlRequestRepository {
  insert(request: SamlRequestRecord): Promise<void>
  /** The request, when it was sent to `idp` and is still live at `now`; null otherwise. */
  find(id: string, idp: string, now: number): Promise<SamlRequestRecord | null>
  /**
   * Atomically removes a live request sent to `idp`: true for the one caller that
   * removed it, false for every other (unknown, expired, another IdP's, or already consumed).
   */
  consume(id: string, idp: string, now: number): Promise<boolean>
  /** Drops requests that expired at or before `now`. */
  deleteExpired(now: number): Promise<void>
}

/** The IDs of assertions already used to sign in, kept until they could no longer be accepted. */
export interface SamlAssertionRepository {
  /**
   * Records the assertion `id` of `idp` as used until `expiresAt`, atomically: true when
   * it was not recorded (or its record had expired at `now`), false when it is a replay.
   */
  markUsed(idp: string, id: string, expiresAt: number, now: number): Promise<boolean>
  /** Drops records that expired at or before `now`. */
  deleteExpired(now: number): Promise<void>
}

export interface Store {
  readonly users: UserRepository
  readonly sessions: SessionRepository
  readonly refreshTokens: RefreshTokenRepository
  readonly signingKeys: SigningKeyRepository
  readonly oauthClients: OAuthClientRepository
  readonly authorizationCodes: AuthorizationCodeRepository
  readonly consents: ConsentRepository
  readonly browserSessions: BrowserSessionRepository
  readonly settings: SettingRepository
  readonly mfa: MfaRepository
  readonly passkeys: PasskeyRepository
  readonly identityLinks: IdentityLinkRepository
  readonly samlRequests: SamlRequestRepository
  readonly samlAssertions: SamlAssertionRepository
  readonly outbox: OutboxRepository
  readonly mailLinks: MailLinkRepository
  /** Resolves when the store answers; used by /readyz. */
  ping(): Promise<void>
  /** Every record, for the data move between adapters (src/store/copy.ts). */
  exportAll(): Promise<StoreSnapshot>
  /** Whether an error means the store is out of reach (answered 503), as opposed to a bug. */
  isUnavailable(error: unknown): boolean
  /** Gives the space of deleted records back to the system; the sweep calls it after deleting. */
  reclaimFreeSpace(): Promise<void>
  close(): Promise<void>
}
