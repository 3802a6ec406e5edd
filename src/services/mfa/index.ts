import { Conflict, InvalidInput, MfaEnrollmentRequired, MfaRequired, NotFound, TooManyAttempts, Unauthenticated } from '../../errors.js'
import type { MfaRepository, UserRecord } from '../../store/port.js'
import type { FailureCounter } from '../login-throttle.js'
import { rateLimitRefusals, secondFactorChecks } from '../metrics.js'
import { securityEvent } from '../security-log.js'
import { newRecoveryCodes, RECOVERY_CODE, recoveryCodeHash } from './recovery-codes.js'
import type { SecretBox } from './secret-box.js'
import { matchingStep, newTotpSecret, otpauthUri, TOTP_CODE } from './totp.js'

/** Where a sign-in came from, for the metrics: each seed's JSON route, or a browser. */
export type SignInPath = 'rdata' | 'lummox' | 'login' | 'browser'
/** Where a code was checked: a sign-in path, the user's own MFA settings, or a password reset. */
export type CodePath = SignInPath | 'settings' | 'reset'

/** RFC 8176 §2 authentication method references: a password, a code, a key in hardware or software, a verified user, more than one factor. */
export type AuthenticationMethod = 'pwd' | 'otp' | 'hwk' | 'swk' | 'user' | 'mfa'

export interface MfaStatus {
  /** A confirmed TOTP factor: every password sign-in asks for a code. */
  enabled: boolean
  /** An enrolment started and not yet confirmed with a first code. */
  pending: boolean
  recoveryCodesLeft: number
}

export interface MfaOptions {
  /** The issuer authenticator apps show beside the code (the brand name). */
  issuer: string
  /** Users holding any of these scopes must enrol before they sign in. */
  requiredScopes: string[]
}

/**
 * Second factors: TOTP (RFC 6238) with single-use recovery codes. Enrolment, the check on
 * every password sign-in, and removal. Wrong codes are counted per account by a counter of
 * their own, apart from wrong passwords, so neither kind of guessing locks out the other.
 */
export class Mfa {
  constructor(
    private readonly store: MfaRepository,
    private readonly box: SecretBox,
    /** Throws when the password is wrong (counted like a sign-in's); see Accounts.confirmPassword. */
    private readonly confirmPassword: (userId: string, password: string) => Promise<void>,
    private readonly failures: FailureCounter | null,
    private readonly options: MfaOptions,
    private readonly now: () => number = Date.now
  ) {}

  async status(userId: string): Promise<MfaStatus> {
    const factor = await this.store.findTotp(userId)
    const enabled = factor?.confirmedAt != null
    return { enabled, pending: factor !== null && !enabled, recoveryCodesLeft: enabled ? await this.store.countRecoveryCodes(userId) : 0 }
  }

  async isEnabled(userId: string): Promise<boolean> {
    return (await this.store.findTotp(userId))?.confirmedAt != null
  }

  /** Whether a policy (MFA_REQUIRED_SCOPES) makes this user enrol before signing in. */
  mustEnrol(user: UserRecord): boolean {
    return user.scope.some((scope) => this.options.requiredScopes.includes(scope))
  }

  /**
   * Starts (or starts again) an enrolment: a new secret, not yet asked for at sign-in.
   * Refused while a confirmed factor exists: it must be removed first, with a code or the password.
   */
  async beginTotp(user: UserRecord): Promise<{ secret: string; otpauthUri: string }> {
    const secret = newTotpSecret()
    const saved = await this.store.saveTotp({ userId: user.id, sealedSecret: this.box.seal(secret, user.id), confirmedAt: null, lastStep: 0, createdAt: this.now() })
    if (!saved) throw new Conflict('A second factor is already enrolled: remove it first')
    return { secret, otpauthUri: otpauthUri(secret, this.options.issuer, user.username) }
  }

  /** The enrolment waiting for its first code, to show again (a wrong first code, a reload); null when there is none. */
  async pendingTotp(user: UserRecord): Promise<{ secret: string; otpauthUri: string } | null> {
    const factor = await this.store.findTotp(user.id)
    if (factor === null || factor.confirmedAt !== null) return null
    const secret = this.box.open(factor.sealedSecret, user.id)
    return { secret, otpauthUri: otpauthUri(secret, this.options.issuer, user.username) }
  }

  /** Activates the pending factor with a first code, and answers the recovery codes (shown once). */
  async confirmTotp(user: UserRecord, code: string): Promise<string[]> {
    const factor = await this.store.findTotp(user.id)
    if (factor === null || factor.confirmedAt !== null) throw new Conflict('No enrolment is waiting for its first code: start one first')
    const step = matchingStep(this.box.open(factor.sealedSecret, user.id), code, this.now())
    if (step === null) throw new InvalidInput('The code is not right: enter the code the authenticator app shows now')
    if (!(await this.store.confirmTotp(user.id, step, this.now()))) throw new Conflict('No enrolment is waiting for its first code: start one first')
    const codes = await this.replaceRecoveryCodes(user.id)
    securityEvent('info', 'mfa_enrolled', { userId: user.id, method: 'totp' })
    return codes
  }

  /** New recovery codes in place of the old ones, for a current code from the app. */
  async regenerateRecoveryCodes(user: UserRecord, code: string): Promise<string[]> {
    await this.requireEnabled(user.id)
    await this.verifyCode(user, code, 'settings')
    const codes = await this.replaceRecoveryCodes(user.id)
    securityEvent('info', 'mfa_recovery_codes_regenerated', { userId: user.id })
    return codes
  }

  /** Removal by the user: a current code, or the password (a lost phone), proves it is them. */
  async removeTotp(user: UserRecord, proof: { code?: string | undefined; password?: string | undefined }): Promise<void> {
    await this.requireEnabled(user.id)
    if (proof.code !== undefined) await this.verifyCode(user, proof.code, 'settings')
    else if (proof.password !== undefined) await this.confirmPassword(user.id, proof.password)
    else throw new InvalidInput('Give a current code or the password to remove the second factor')
    await this.store.removeTotp(user.id)
    securityEvent('info', 'mfa_removed', { userId: user.id, method: 'totp' })
  }

  /** An admin's reset: the factor and its codes are gone, the user signs in with the password alone (or must enrol again). */
  async reset(userId: string): Promise<void> {
    if (!(await this.store.removeTotp(userId))) throw new NotFound('This user has no second factor')
    securityEvent('warn', 'mfa_reset', { userId })
  }

  /**
   * The check every password sign-in makes once the password was right: nothing for a user
   * without a factor (unless a policy makes them enrol), else the code in `otp` must be a
   * current, unused TOTP code or an unused recovery code. Answers the methods used (RFC 8176).
   */
  async checkSignIn(user: UserRecord, otp: string | undefined, path: SignInPath): Promise<AuthenticationMethod[]> {
    if (!(await this.isEnabled(user.id))) {
      if (this.mustEnrol(user)) throw new MfaEnrollmentRequired()
      return ['pwd']
    }
    if (otp === undefined || otp === '') {
      secondFactorChecks.inc({ path, outcome: 'missing' })
      throw new MfaRequired()
    }
    await this.verifyCode(user, otp, path)
    return ['pwd', 'otp', 'mfa']
  }

  /** A code that proves the second factor outside a sign-in (a password reset), against the same budget of wrong codes. */
  async confirmCode(user: UserRecord, code: string, path: CodePath): Promise<void> {
    await this.verifyCode(user, code, path)
  }

  /**
   * A code against the account's budget of wrong codes: counted before it is checked, so that
   * parallel guesses cannot all pass a check made before any of them was counted.
   */
  private async verifyCode(user: UserRecord, code: string, path: CodePath): Promise<'success' | 'recovery_code'> {
    try {
      await this.failures?.attempt(user.id)
    } catch (error) {
      if (error instanceof TooManyAttempts) {
        secondFactorChecks.inc({ path, outcome: 'locked' })
        rateLimitRefusals.inc({ limit: 'mfa' })
        securityEvent('warn', 'mfa_locked', { userId: user.id })
      }
      throw error
    }
    const outcome = (await this.acceptTotp(user, code)) ? 'success' : (await this.acceptRecoveryCode(user, code)) ? 'recovery_code' : null
    if (outcome === null) {
      secondFactorChecks.inc({ path, outcome: 'wrong_code' })
      securityEvent('warn', 'mfa_failed', { userId: user.id })
      throw new Unauthenticated()
    }
    await this.failures?.recordSuccess(user.id)
    secondFactorChecks.inc({ path, outcome })
    return outcome
  }

  /** A right code of a time step later than the last one accepted (RFC 6238 §5.2: each code once), recorded atomically. */
  private async acceptTotp(user: UserRecord, code: string): Promise<boolean> {
    if (!TOTP_CODE.test(code)) return false
    const factor = await this.store.findTotp(user.id)
    if (factor?.confirmedAt == null) return false
    const step = matchingStep(this.box.open(factor.sealedSecret, user.id), code, this.now())
    return step !== null && (await this.store.useTotpStep(user.id, step))
  }

  private async acceptRecoveryCode(user: UserRecord, code: string): Promise<boolean> {
    if (!RECOVERY_CODE.test(code)) return false
    const used = await this.store.useRecoveryCode(user.id, recoveryCodeHash(user.id, code))
    if (used) securityEvent('warn', 'mfa_recovery_code_used', { userId: user.id, left: await this.store.countRecoveryCodes(user.id) })
    return used
  }

  private async replaceRecoveryCodes(userId: string): Promise<string[]> {
    const codes = newRecoveryCodes()
    await this.store.replaceRecoveryCodes(userId, codes.map((code) => recoveryCodeHash(userId, code)))
    return codes
  }

  private async requireEnabled(userId: string): Promise<void> {
    if (!(await this.isEnabled(userId))) throw new NotFound('This user has no second factor')
  }
}
