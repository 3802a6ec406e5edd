import { randomUUID } from 'node:crypto'
import { Conflict, Forbidden, InvalidInput, NotFound, Unauthenticated } from '../errors.js'
import { DuplicateKeyError, type UserListQuery, type UserPatch, type UserRecord, type UserRepository } from '../store/port.js'
import type { LoginThrottle } from './login-throttle.js'
import { CURRENT_SCHEME, normaliseImportedHash, type Passwords } from './passwords.js'
import type { Sessions } from './sessions.js'

/** Letters, digits, space, `_`, `.`, `-`; no space at either end. Checked after NFKC. */
const USERNAME = /^[\p{L}\p{N}_.-](?:[\p{L}\p{N} _.-]*[\p{L}\p{N}_.-])?$/u

export function usernameKey(username: string): string {
  return username.normalize('NFKC').toLowerCase()
}

export function emailKey(email: string): string {
  return email.normalize('NFKC').toLowerCase()
}

function normaliseUsername(raw: string): string {
  const username = raw.normalize('NFKC')
  if (!USERNAME.test(username) || username.length > 64) {
    throw new InvalidInput('username may hold only letters, digits, space, "_", "." and "-" (1 to 64 characters)')
  }
  return username
}

export interface NewUser {
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

export interface UserChanges {
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

export interface AccountOptions {
  allowedScopes: string[]
}

export class Accounts {
  constructor(
    private readonly users: UserRepository,
    private readonly passwords: Passwords,
    private readonly sessions: Sessions,
    private readonly throttle: LoginThrottle | null,
    private readonly options: AccountOptions
  ) {}

  /** Self-service sign-up: the ordinary `user` scope and role, no organisation. */
  register(input: { username: string; email: string; password: string }): Promise<UserRecord> {
    const scope = this.options.allowedScopes.includes('user') ? ['user'] : []
    return this.create({ ...input, scope, role: 'user', organisation: null, active: true })
  }

  async create(input: NewUser): Promise<UserRecord> {
    if ((input.password === undefined) === (input.passwordHash === undefined)) {
      throw new InvalidInput('give either password or passwordHash')
    }
    const username = normaliseUsername(input.username)
    const now = Date.now()
    const user: UserRecord = {
      id: randomUUID(),
      username,
      usernameKey: usernameKey(username),
      email: input.email,
      emailKey: emailKey(input.email),
      passwordHash: input.password !== undefined ? await this.passwords.hash(input.password) : normaliseImportedHash(input.passwordHash!),
      passwordScheme: input.password !== undefined ? CURRENT_SCHEME : 'bcrypt',
      scope: this.checkScope(input.scope ?? []),
      role: input.role ?? 'user',
      organisation: input.organisation ?? null,
      active: input.active ?? true,
      createdAt: now,
      updatedAt: now
    }
    try {
      await this.users.insert(user)
    } catch (error) {
      throw error instanceof DuplicateKeyError ? new Conflict(`${error.field} is already taken`) : error
    }
    return user
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
    this.throttle?.check(account)
    const valid = user
      ? await this.passwords.verify(password, user.passwordHash, user.passwordScheme)
      : await this.passwords.verifyAgainstNothing(password)
    if (!user || !valid || !user.active) {
      this.throttle?.recordFailure(account)
      throw new Unauthenticated('Invalid username or password')
    }
    this.throttle?.recordSuccess(account)
    if (this.passwords.needsRehash(user.passwordHash, user.passwordScheme)) {
      const passwordHash = await this.passwords.hash(password)
      await this.users.update(user.id, { passwordHash, passwordScheme: CURRENT_SCHEME, updatedAt: Date.now() })
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
   * Applies changes made by `actor`. A user may change their own username, email and
   * password; scope, role, organisation and active are for admins only.
   */
  async update(id: string, changes: UserChanges, actor: { isAdmin: boolean }): Promise<UserRecord> {
    if (!actor.isAdmin) {
      const forbidden = ADMIN_ONLY_FIELDS.filter((field) => changes[field] !== undefined)
      if (forbidden.length > 0) throw new Forbidden(`only an admin may change ${forbidden.join(', ')}`)
      if (changes.password !== undefined) await this.checkCurrentPassword(id, changes.currentPassword)
    }
    const losesAdmin = (changes.scope !== undefined && !changes.scope.includes('admin')) || changes.active === false
    if (losesAdmin) await this.keepAnAdmin(id)
    const patch: UserPatch = { updatedAt: Date.now() }
    if (changes.username !== undefined) {
      patch.username = normaliseUsername(changes.username)
      patch.usernameKey = usernameKey(patch.username)
    }
    if (changes.email !== undefined) {
      patch.email = changes.email
      patch.emailKey = emailKey(changes.email)
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
    if (invalidatesTokens) await this.sessions.revokeUser(id)
    return user
  }

  async remove(id: string): Promise<void> {
    await this.keepAnAdmin(id)
    if (!(await this.users.delete(id))) throw new NotFound('No such user')
    await this.sessions.revokeUser(id)
  }

  /** Creates the configured admin at start unless a user of that name exists. */
  async ensureAdmin(username: string, password: string, email: string): Promise<boolean> {
    if (await this.users.findByUsernameKey(usernameKey(username))) return false
    try {
      await this.create({ username, email, password, scope: ['admin'], role: 'admin', active: true })
    } catch (error) {
      if (error instanceof Conflict) return false // another replica made it first
      throw error
    }
    return true
  }

  /** Refuses to disable, demote or delete the last active admin: nobody could administer afterwards. */
  private async keepAnAdmin(id: string): Promise<void> {
    const user = await this.users.findById(id)
    if (user?.active && user.scope.includes('admin') && (await this.users.countActiveWithScope('admin')) <= 1) {
      throw new Conflict('this is the last active admin; make another admin first')
    }
  }

  private async checkCurrentPassword(id: string, currentPassword: string | undefined): Promise<void> {
    if (currentPassword === undefined) throw new InvalidInput('currentPassword is required to change your own password')
    const user = await this.get(id)
    this.throttle?.check(user.usernameKey)
    if (!(await this.passwords.verify(currentPassword, user.passwordHash, user.passwordScheme))) {
      this.throttle?.recordFailure(user.usernameKey)
      throw new Forbidden('currentPassword is wrong')
    }
  }

  private checkScope(scope: string[]): string[] {
    const unknown = scope.filter((item) => !this.options.allowedScopes.includes(item))
    if (unknown.length > 0) {
      throw new InvalidInput(`scope may hold only ${this.options.allowedScopes.join(', ')}; not ${unknown.join(', ')}`)
    }
    return [...new Set(scope)]
  }
}
