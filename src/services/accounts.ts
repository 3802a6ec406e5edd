import { randomUUID } from 'node:crypto'
import { Conflict, EmailUnverified, Forbidden, InvalidInput, NotFound, TooManyAttempts, Unauthenticated } from '../errors.js'
import { DuplicateKeyError, type SamlIdentity, type UserListQuery, type UserPatch, type UserProfile, type UserRecord, type UserRepository } from '../store/port.js'
import type { FailureCounter } from './login-throttle.js'
import { rateLimitRefusals, signIns } from './metrics.js'
import { securityEvent } from './security-log.js'
import { CURRENT_SCHEME, normaliseImportedHash, type Passwords } from './passwords.js'
import { checkedProfile, EMPTY_PROFILE, type ProfileChanges } from './profile.js'
import type { Sessions } from './sessions.js'

/** Letters, digits, space, `_`, `.`, `-`; no space at either end. Checked after NFKC. */
const USERNAME = /^[\p{L}\p{N}_.-](?:[\p{L}\p{N} _.-]*[\p{L}\p{N}_.-])?$/u

export function usernameKey(username: string): string {
  return username.normalize('NFKC').toLowerCase()
}

export function emailKey(email: string): string {
  return email.normalize('NFKC').toLowerCase()
}

function sameItems(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item))
}

function normaliseUsername(raw: string): string {
  const username = raw.normalize('NFKC')
  if (!USERNAME.test(username) || username.length > 64) {
    throw new InvalidInput('username may hold only letters, digits, space, "_", "." and "-" (1 to 64 characters)')
  }
  return username
}

export interface NewUser extends ProfileChanges {
  username: string
  email: string
  /** Exactly one of password and passwordHash. */
  password?: string
  /** An existing bcrypt hash (import from lummox or rdata). */
  passwordHash?: string
  scope?: string[]
  role?: string
  organisation?: string | null
  active?: boolean
}

/** What an identity provider says about a user, already mapped from its assertion. */
export interface SamlUserClaims {
  username: string
  email: string
  /** Undefined when the IdP does not send it: a new user gets the `user` scope, a known one keeps theirs. */
  scope?: string[]
  /** Undefined when the IdP does not send it: a new user gets none, a known one keeps theirs. */
  organisation?: string | null
}

/** What an upstream OpenID Connect provider says about a new user, already mapped from its claims. */
export interface UpstreamUserClaims {
  username: string
  email: string
  /** Undefined: the ordinary `user` scope. */
  scope?: string[]
  organisation?: string | null
  role?: string
}

/** A user who signs in through an identity provider has no password, so none ever verifies. */
const NO_PASSWORD = { passwordHash: '', passwordScheme: 'none' } as const

export interface UserChanges extends ProfileChanges {
  username?: string
  email?: string
  password?: string
  /** Required when users change their own password: a stolen access token must not be enough. */
  currentPassword?: string
  scope?: string[]
  role?: string
  organisation?: string | null
  active?: boolean
}

/** Fields only an admin may change, even on their own record. */
const ADMIN_ONLY_FIELDS = ['scope', 'role', 'organisation', 'active'] as const

/** How an address changed: an admin set it, or the user followed the link mailed to it. */
export type EmailChangeWay = 'admin' | 'link'

/** Told of every address change, with the address it replaced (the mail plugin notices it there). */
export type EmailChangeListener = (user: UserRecord, previousEmail: string, way: EmailChangeWay) => Promise<void>

export interface AccountOptions {
  allowedScopes: string[]
  /** Refuse password sign-ins (EmailUnverified) until the address is confirmed. */
  requireVerifiedEmail?: boolean
}

export class Accounts {
  /** Awaited after each change, so a CLI command's notice is queued before it exits; a listener handles its own failures. */
  readonly emailChangeListeners: EmailChangeListener[] = []

  constructor(
    private readonly users: UserRepository,
    private readonly passwords: Passwords,
    private readonly sessions: Sessions,
    private readonly throttle: FailureCounter | null,
    private readonly options: AccountOptions
  ) {}

  /** Self-service sign-up: the ordinary `user` scope and role, no organisation. */
  register(input: { username: string; email: string; password: string }): Promise<UserRecord> {
    return this.create({ ...input, scope: this.ordinaryScope(), role: 'user', organisation: null, active: true })
  }

  async create(input: NewUser): Promise<UserRecord> {
    if ((input.password === undefined) === (input.passwordHash === undefined)) {
      throw new InvalidInput('give either password or passwordHash')
    }
    const profile = checkedProfile(input)
    const credential =
      input.password !== undefined
        ? { passwordHash: await this.passwords.hash(input.password), passwordScheme: CURRENT_SCHEME }
        : { passwordHash: normaliseImportedHash(input.passwordHash!), passwordScheme: 'bcrypt' as const }
    return this.insert(input, credential, null, profile)
  }

  /**
   * The user an identity provider vouched for, matched by IdP and NameID only: never by
   * an email or username the IdP claims, so no local account is ever taken over. A first
   * sign-in creates the user (Conflict when the username or email belongs to another
   * account); later ones bring scope and organisation up to date when the IdP sends them.
   * Scope values outside the allowed list are ignored.
   */
  async findOrCreateSamlUser(identity: SamlIdentity, claims: SamlUserClaims): Promise<UserRecord> {
    const scope = this.allowedOf(claims.scope)
    const known = await this.users.findBySamlIdentity(identity)
    if (known) return this.applyIdpClaims(known, { scope, organisation: claims.organisation })
    const fields = { ...claims, scope: scope ?? this.ordinaryScope(), organisation: claims.organisation ?? null, role: 'user', active: true }
    try {
      return await this.insert(fields, NO_PASSWORD, identity)
    } catch (error) {
      // A parallel first sign-in of the same person created the user a moment ago.
      if (error instanceof DuplicateKeyError && error.field === 'samlIdentity') return (await this.users.findBySamlIdentity(identity))!
      throw error
    }
  }

  /** The user whose email this is (compared as emails are: NFKC, lower case); null when none. */
  findByEmail(email: string): Promise<UserRecord | null> {
    return this.users.findByEmailKey(emailKey(email))
  }

  /**
   * A user made at a first sign-in through an upstream OpenID Connect provider: no password,
   * so only the provider (or a password set later) signs them in. Scope values outside the
   * allowed list are dropped; none given means the ordinary `user` scope. When the username
   * belongs to someone else, `-2`, `-3`, ... is added to it (up to `-20`); an email that
   * belongs to someone else is a Conflict.
   */
  async createUpstreamUser(claims: UpstreamUserClaims): Promise<UserRecord> {
    const scope = this.allowedOf(claims.scope)
    const fields = { ...claims, scope: scope ?? this.ordinaryScope(), organisation: claims.organisation ?? null, role: claims.role ?? 'user', active: true }
    const base = normaliseUsername(claims.username)
    for (let suffix = 1; suffix <= 20; suffix++) {
      const username = suffix === 1 ? base : `${base.slice(0, 60)}-${suffix}`
      if (await this.users.findByUsernameKey(usernameKey(username))) continue
      // A username taken between the look-up and the insert is a Conflict like a taken email: the person tries again.
      return this.insert({ ...fields, username }, NO_PASSWORD, null)
    }
    throw new Conflict(`the username ${base} and its variants up to ${base}-20 are taken`)
  }

  /**
   * Checks a password for a username or an email. Unknown users, inactive users and
   * wrong passwords get the same error after the same bcrypt work.
   */
  async authenticate(login: string, password: string): Promise<UserRecord> {
    const key = login.includes('@') ? emailKey(login) : usernameKey(login)
    const user = login.includes('@') ? await this.users.findByEmailKey(key) : await this.users.findByUsernameKey(key)
    // One counter per account, whether it is named by username or by email.
    const account = user?.usernameKey ?? key
    try {
      await this.throttle?.attempt(account)
    } catch (error) {
      if (error instanceof TooManyAttempts) {
        securityEvent('warn', 'sign_in_locked', { userId: user?.id ?? null })
        signIns.inc({ outcome: 'locked' })
        rateLimitRefusals.inc({ limit: 'account' })
      }
      throw error
    }
    const valid = user
      ? await this.passwords.verify(password, user.passwordHash, user.passwordScheme)
      : await this.passwords.verifyAgainstNothing(password)
    if (!user || !valid || !user.active) {
      const outcome = !user ? 'unknown_user' : !valid ? 'wrong_password' : 'disabled'
      securityEvent('warn', 'sign_in_failed', { outcome, userId: user?.id ?? null })
      signIns.inc({ outcome })
      throw new Unauthenticated('Invalid username or password')
    }
    await this.throttle?.recordSuccess(account)
    // After the password, so the refusal tells nothing to someone who does not know it.
    if (this.options.requireVerifiedEmail && !user.emailVerified) {
      securityEvent('warn', 'sign_in_failed', { outcome: 'email_unverified', userId: user.id })
      signIns.inc({ outcome: 'email_unverified' })
      throw new EmailUnverified()
    }
    securityEvent('info', 'sign_in_succeeded', { userId: user.id })
    signIns.inc({ outcome: 'success' })
    if (this.passwords.needsRehash(user.passwordHash, user.passwordScheme)) {
      const passwordHash = await this.passwords.hash(password)
      // The record as stored now: browser sessions remember a stamp of its credentials.
      return (await this.users.update(user.id, { passwordHash, passwordScheme: CURRENT_SCHEME, updatedAt: Date.now() })) ?? user
    }
    return user
  }

  async get(id: string): Promise<UserRecord> {
    const user = await this.users.findById(id)
    if (!user) throw new NotFound('No such user')
    return user
  }

  /** The user a valid token names, provided they still exist and are active. */
  async activeUser(id: string): Promise<UserRecord> {
    const user = await this.users.findById(id)
    if (!user || !user.active) throw new Unauthenticated('Invalid token')
    return user
  }

  list(query: UserListQuery) {
    return this.users.list(query)
  }

  /**
   * Applies changes made by `actor`. A user may change their own username, email, password
   * and profile; scope, role, organisation and active are for admins only.
   */
  async update(id: string, changes: UserChanges, actor: { isAdmin: boolean }): Promise<UserRecord> {
    const profile = checkedProfile(changes)
    if (!actor.isAdmin) {
      const forbidden = ADMIN_ONLY_FIELDS.filter((field) => changes[field] !== undefined)
      if (forbidden.length > 0) throw new Forbidden(`only an admin may change ${forbidden.join(', ')}`)
      if (changes.password !== undefined) {
        if (changes.currentPassword === undefined) throw new InvalidInput('currentPassword is required to change your own password')
        await this.confirmPassword(id, changes.currentPassword)
      }
    }
    const before = changes.email === undefined ? null : await this.get(id)
    const emailChanges = before !== null && emailKey(changes.email!) !== before.emailKey
    // A user's own new address waits for its link (EmailChange); only an admin sets one directly.
    if (emailChanges && !actor.isAdmin) throw new Forbidden('change your own address with POST /api/v1/users/:id/email: a link mailed to the new address confirms it')
    const losesAdmin = (changes.scope !== undefined && !changes.scope.includes('admin')) || changes.active === false
    if (losesAdmin) await this.keepAnAdmin(id)
    const patch: UserPatch = { ...profile, updatedAt: Date.now() }
    if (changes.username !== undefined) {
      patch.username = normaliseUsername(changes.username)
      patch.usernameKey = usernameKey(patch.username)
    }
    if (changes.email !== undefined) {
      patch.email = changes.email
      patch.emailKey = emailKey(changes.email)
      // A new address is unverified until its own link is followed.
      if (emailChanges) patch.emailVerified = false
    }
    if (changes.password !== undefined) {
      patch.passwordHash = await this.passwords.hash(changes.password)
      patch.passwordScheme = CURRENT_SCHEME
    }
    if (changes.scope !== undefined) patch.scope = this.checkScope(changes.scope)
    if (changes.role !== undefined) patch.role = changes.role
    if (changes.organisation !== undefined) patch.organisation = changes.organisation
    if (changes.active !== undefined) patch.active = changes.active
    let user: UserRecord | null
    try {
      user = await this.users.update(id, patch)
    } catch (error) {
      throw error instanceof DuplicateKeyError ? new Conflict(`${error.field} is already taken`) : error
    }
    if (!user) throw new NotFound('No such user')
    // Tokens carry username, scope, role and organisation; a new password or a disable must end old sign-ins.
    const invalidatesTokens = ['username', 'password', ...ADMIN_ONLY_FIELDS].some((field) => changes[field as keyof UserChanges] !== undefined)
    securityEvent('info', 'user_updated', { userId: id, fields: Object.keys(changes).filter((field) => field !== 'password' && field !== 'currentPassword'), passwordChanged: changes.password !== undefined })
    if (invalidatesTokens) await this.sessions.revokeUser(id)
    if (emailChanges) await this.announceEmailChange(user, before.email, 'admin')
    return user
  }

  /** An address change is a security event, noticed at the address it replaced. */
  async announceEmailChange(user: UserRecord, previousEmail: string, way: EmailChangeWay): Promise<void> {
    securityEvent('info', 'email_changed', { userId: user.id, way })
    for (const listener of this.emailChangeListeners) await listener(user, previousEmail, way)
  }

  async remove(id: string): Promise<void> {
    await this.keepAnAdmin(id)
    if (!(await this.users.delete(id))) throw new NotFound('No such user')
    securityEvent('info', 'user_deleted', { userId: id })
    await this.sessions.revokeUser(id)
  }

  /** Creates the configured admin at start unless a user of that name exists. */
  async ensureAdmin(username: string, password: string, email: string): Promise<boolean> {
    if (await this.users.findByUsernameKey(usernameKey(username))) return false
    try {
      const admin = await this.create({ username, email, password, scope: ['admin'], role: 'admin', active: true })
      // The operator gave this address in the configuration: nobody else could confirm it, and
      // REQUIRE_VERIFIED_EMAIL must not lock the first admin out.
      await this.users.update(admin.id, { emailVerified: true, updatedAt: admin.updatedAt })
    } catch (error) {
      if (error instanceof Conflict) return false // another replica made it first
      throw error
    }
    return true
  }

  private ordinaryScope(): string[] {
    return this.options.allowedScopes.includes('user') ? ['user'] : []
  }

  private async insert(
    input: Omit<NewUser, 'password' | 'passwordHash'>,
    credential: Pick<UserRecord, 'passwordHash' | 'passwordScheme'>,
    samlIdentity: SamlIdentity | null,
    profile: Partial<UserProfile> = {}
  ): Promise<UserRecord> {
    const username = normaliseUsername(input.username)
    const now = Date.now()
    const user: UserRecord = {
      id: randomUUID(),
      username,
      usernameKey: usernameKey(username),
      email: input.email,
      emailKey: emailKey(input.email),
      // An identity provider vouches for the addresses it sends; a local address waits for its link.
      emailVerified: samlIdentity !== null,
      ...credential,
      scope: this.checkScope(input.scope ?? []),
      role: input.role ?? 'user',
      organisation: input.organisation ?? null,
      active: input.active ?? true,
      samlIdentity,
      ...EMPTY_PROFILE,
      ...profile,
      createdAt: now,
      updatedAt: now
    }
    try {
      await this.users.insert(user)
    } catch (error) {
      if (error instanceof DuplicateKeyError && error.field !== 'samlIdentity') throw new Conflict(`${error.field} is already taken`)
      throw error
    }
    securityEvent('info', 'user_created', { userId: user.id, scope: user.scope, identityProvider: samlIdentity?.idp ?? null })
    return user
  }

  /**
   * A known user's scope, organisation and role as an upstream OpenID Connect provider says them
   * now (its `sync_on_sign_in`): brought up to date as a SAML IdP's are; what it does not say stays.
   */
  syncUpstreamUser(user: UserRecord, claims: Pick<UpstreamUserClaims, 'scope' | 'organisation' | 'role'>): Promise<UserRecord> {
    return this.applyIdpClaims(user, { ...claims, scope: this.allowedOf(claims.scope) })
  }

  /** The scope values among `scope` that ALLOWED_SCOPES allows, once each; undefined stays undefined. */
  private allowedOf(scope: string[] | undefined): string[] | undefined {
    return scope && [...new Set(scope.filter((item) => this.options.allowedScopes.includes(item)))]
  }

  /** The IdP is the source of truth for what it sends; a change ends the user's sessions, as any such change does. */
  private async applyIdpClaims(user: UserRecord, claims: Pick<UpstreamUserClaims, 'scope' | 'organisation' | 'role'>): Promise<UserRecord> {
    const changes: UserChanges = {}
    if (claims.scope !== undefined && !sameItems(claims.scope, user.scope)) changes.scope = claims.scope
    if (claims.organisation !== undefined && claims.organisation !== user.organisation) changes.organisation = claims.organisation
    if (claims.role !== undefined && claims.role !== user.role) changes.role = claims.role
    return Object.keys(changes).length === 0 ? user : this.update(user.id, changes, { isAdmin: true })
  }

  /** Refuses to disable, demote or delete the last active admin: nobody could administer afterwards. */
  private async keepAnAdmin(id: string): Promise<void> {
    const user = await this.users.findById(id)
    if (user?.active && user.scope.includes('admin') && (await this.users.countActiveWithScope('admin')) <= 1) {
      throw new Conflict('this is the last active admin; make another admin first')
    }
  }

  /** A signed-in user proves it is them with their password (against the account's failure budget); Forbidden when it is wrong. */
  async confirmPassword(id: string, password: string): Promise<void> {
    const user = await this.get(id)
    await this.throttle?.attempt(user.usernameKey)
    if (!(await this.passwords.verify(password, user.passwordHash, user.passwordScheme))) throw new Forbidden('The password is wrong')
    await this.throttle?.recordSuccess(user.usernameKey)
  }

  private checkScope(scope: string[]): string[] {
    const unknown = scope.filter((item) => !this.options.allowedScopes.includes(item))
    if (unknown.length > 0) {
      throw new InvalidInput(`scope may hold only ${this.options.allowedScopes.join(', ')}; not ${unknown.join(', ')}`)
    }
    return [...new Set(scope)]
  }
}
