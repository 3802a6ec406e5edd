import { randomBytes } from 'node:crypto'
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse
} from '@simplewebauthn/server'
import { Conflict, InvalidInput, NotFound, Unauthenticated } from '../errors.js'
import type { PasskeyRecord, PasskeyRepository, UserRecord, WebAuthnCeremony } from '../store/port.js'
import type { AuthenticationMethod } from './mfa/index.js'
import { passkeyChecks } from './metrics.js'
import { securityEvent } from './security-log.js'

/**
 * @simplewebauthn/server, loaded with the first ceremony rather than at start: with its ASN.1 and
 * CBOR libraries it is 4 MB of heap that a service whose users have no passkeys never needs.
 */
let webauthnLibrary: Promise<typeof import('@simplewebauthn/server')> | null = null
const webauthn = () => (webauthnLibrary ??= import('@simplewebauthn/server'))

/** How long a ceremony may take: time to touch a key or unlock a phone, not to replay. */
export const CHALLENGE_TTL_MS = 5 * 60_000

/** A passkey has a name of at most this many characters, shown in the account console. */
export const PASSKEY_NAME_MAX = 64

export interface PasskeyOptions {
  rpId: string
  /** The name browsers show for the relying party (the brand). */
  rpName: string
  origins: string[]
}

/** A signed-in passkey user: who, and how (RFC 8176 amr). */
export interface PasskeySignIn {
  user: UserRecord
  amr: AuthenticationMethod[]
}

/**
 * How a passkey sign-in reads in RFC 8176 terms: a key held in hardware (`hwk`) or a synced one
 * (`swk`), with the user verified by the authenticator (`user`). Possession plus verification is
 * two factors (`mfa`), so it meets acr "2" and MFA_REQUIRED_SCOPES on its own.
 */
export function passkeyAmr(passkey: Pick<PasskeyRecord, 'backedUp'>, afterPassword: boolean): AuthenticationMethod[] {
  return [...(afterPassword ? (['pwd'] as const) : []), passkey.backedUp ? 'swk' : 'hwk', 'user', 'mfa']
}

/** The challenge a browser signed, read from clientDataJSON (WebAuthn §5.8.1) to find the stored one. */
function signedChallenge(clientDataJSON: string): string {
  try {
    const { challenge } = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown }
    if (typeof challenge === 'string' && challenge.length > 0 && challenge.length <= 128) return challenge
  } catch {
    // Not JSON: the same answer as any other malformed response.
  }
  throw new InvalidInput('The passkey response is malformed')
}

/**
 * Passkeys (WebAuthn Level 3) through @simplewebauthn/server: registration for a signed-in user,
 * passwordless sign-in with discoverable credentials, and a passkey as the second step after a
 * password. Every challenge is random, stored with its ceremony and its user, taken once
 * (atomically, so two parallel completions make one sign-in) and lives five minutes.
 */
export class Passkeys {
  constructor(
    private readonly store: PasskeyRepository,
    private readonly findUser: (userId: string) => Promise<UserRecord | null>,
    private readonly options: PasskeyOptions,
    private readonly now: () => number = Date.now
  ) {}

  list(userId: string): Promise<PasskeyRecord[]> {
    return this.store.listByUser(userId)
  }

  async has(userId: string): Promise<boolean> {
    return (await this.store.listByUser(userId)).length > 0
  }

  /** Options for "add a passkey": a resident key, user verification, no attestation; the user's own keys excluded. */
  async registrationOptions(user: UserRecord): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const existing = await this.store.listByUser(user.id)
    const options = await (await webauthn()).generateRegistrationOptions({
      rpName: this.options.rpName,
      rpID: this.options.rpId,
      // The user handle is the opaque user id, never a name or an address (WebAuthn §14.6.1).
      userID: new TextEncoder().encode(user.id),
      userName: user.username,
      userDisplayName: user.username,
      challenge: randomBytes(32),
      attestationType: 'none',
      excludeCredentials: existing.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports as never })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' }
    })
    await this.saveChallenge(options.challenge, 'registration', user.id)
    return options
  }

  /** Verifies a registration response against the user's own registration challenge, and stores the passkey. */
  async register(user: UserRecord, response: RegistrationResponseJSON, name: string): Promise<PasskeyRecord> {
    await this.takeChallenge(response.response.clientDataJSON, 'registration', user.id)
    let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>
    try {
      verification = await (await webauthn()).verifyRegistrationResponse({
        response,
        expectedChallenge: () => true, // already taken from the store above, bound to this user and ceremony
        expectedOrigin: this.options.origins,
        expectedRPID: this.options.rpId,
        requireUserVerification: true
      })
    } catch (error) {
      throw this.refused('registration', user.id, error)
    }
    if (!verification.verified) throw this.refused('registration', user.id, null)
    const { credential, credentialDeviceType, credentialBackedUp, aaguid } = verification.registrationInfo
    const passkey: PasskeyRecord = {
      credentialId: credential.id,
      userId: user.id,
      publicKey: Buffer.from(credential.publicKey).toString('base64url'),
      counter: credential.counter,
      transports: credential.transports ?? [],
      deviceType: credentialDeviceType,
      backedUp: credentialBackedUp,
      aaguid,
      name,
      createdAt: this.now(),
      lastUsedAt: null
    }
    if (!(await this.store.add(passkey))) throw new Conflict('This passkey is already registered')
    passkeyChecks.inc({ ceremony: 'registration', outcome: 'success' })
    securityEvent('info', 'passkey_added', { userId: user.id, credentialId: passkey.credentialId, aaguid })
    return passkey
  }

  /**
   * Options for a passwordless sign-in (no user known: discoverable credentials) or for the
   * second step of a user whose password was right (their own credentials only).
   */
  async authenticationOptions(user: UserRecord | null): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const allow = user === null ? undefined : (await this.store.listByUser(user.id)).map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports as never }))
    const options = await (await webauthn()).generateAuthenticationOptions({ rpID: this.options.rpId, challenge: randomBytes(32), userVerification: 'required', allowCredentials: allow })
    await this.saveChallenge(options.challenge, user === null ? 'authentication' : 'second-factor', user?.id ?? null)
    return options
  }

  /**
   * Verifies an assertion: the challenge of the right ceremony (taken once), a credential of an
   * active user (of `expectedUser` for a second step), the signature, user verification, and a
   * counter that grows unless it is 0 (WebAuthn §6.1.1; a counter that does not grow marks a
   * possible clone: refused and logged).
   */
  async authenticate(response: AuthenticationResponseJSON, expectedUser: UserRecord | null): Promise<PasskeySignIn> {
    const ceremony: WebAuthnCeremony = expectedUser === null ? 'authentication' : 'second-factor'
    await this.takeChallenge(response.response.clientDataJSON, ceremony, expectedUser?.id ?? null)
    const passkey = typeof response.id === 'string' ? await this.store.find(response.id) : null
    if (passkey === null || (expectedUser !== null && passkey.userId !== expectedUser.id)) throw this.refused(ceremony, expectedUser?.id ?? null, 'unknown credential')
    const user = await this.findUser(passkey.userId)
    if (user === null || !user.active) throw this.refused(ceremony, passkey.userId, 'inactive user')
    // The user handle, when the authenticator returns one, must name the credential's owner (WebAuthn §7.2 step 6).
    const { userHandle } = response.response
    if (userHandle !== undefined && userHandle !== '' && Buffer.from(userHandle, 'base64url').toString('utf8') !== user.id) {
      throw this.refused(ceremony, user.id, 'user handle of another user')
    }
    let verification: Awaited<ReturnType<typeof verifyAuthenticationResponse>>
    try {
      verification = await (await webauthn()).verifyAuthenticationResponse({
        response,
        expectedChallenge: () => true, // taken from the store above, for this ceremony
        expectedOrigin: this.options.origins,
        expectedRPID: this.options.rpId,
        credential: { id: passkey.credentialId, publicKey: Buffer.from(passkey.publicKey, 'base64url'), counter: passkey.counter, transports: passkey.transports as never },
        requireUserVerification: true
      })
    } catch (error) {
      const clone = error instanceof Error && /counter/i.test(error.message)
      if (clone) securityEvent('warn', 'passkey_counter_not_increased', { userId: user.id, credentialId: passkey.credentialId, stored: passkey.counter })
      throw this.refused(ceremony, user.id, clone ? 'counter did not grow' : error)
    }
    const { verified, authenticationInfo } = verification
    if (!verified || !authenticationInfo.userVerified) throw this.refused(ceremony, user.id, 'user not verified')
    // A parallel sign-in with the same counter loses here: the counter is compared and written in one statement.
    if (!(await this.store.recordUse(passkey.credentialId, authenticationInfo.newCounter, this.now()))) {
      securityEvent('warn', 'passkey_counter_not_increased', { userId: user.id, credentialId: passkey.credentialId, stored: passkey.counter })
      throw this.refused(ceremony, user.id, 'counter did not grow')
    }
    passkeyChecks.inc({ ceremony, outcome: 'success' })
    return { user, amr: passkeyAmr({ backedUp: authenticationInfo.credentialBackedUp }, expectedUser !== null) }
  }

  async rename(userId: string, credentialId: string, name: string): Promise<void> {
    if (!(await this.store.rename(userId, credentialId, name))) throw new NotFound('No such passkey')
  }

  /**
   * Deletes a passkey: by the user, unless it is their last way to sign in (no password and no
   * other passkey); by an admin, always (a lost device is what they are asked about).
   */
  async delete(user: UserRecord, credentialId: string, by: 'user' | 'admin'): Promise<void> {
    const passkeys = await this.store.listByUser(user.id)
    if (!passkeys.some((passkey) => passkey.credentialId === credentialId)) throw new NotFound('No such passkey')
    if (by === 'user' && user.passwordScheme === 'none' && passkeys.length === 1) {
      throw new Conflict('This passkey is the only way to sign in to this account: add another one first')
    }
    if (!(await this.store.delete(user.id, credentialId))) throw new NotFound('No such passkey')
    securityEvent(by === 'admin' ? 'warn' : 'info', by === 'admin' ? 'passkey_reset' : 'passkey_removed', { userId: user.id, credentialId })
  }

  private saveChallenge(challenge: string, ceremony: WebAuthnCeremony, userId: string | null): Promise<void> {
    return this.store.saveChallenge({ challenge, ceremony, userId, expiresAt: this.now() + CHALLENGE_TTL_MS })
  }

  /** Takes the challenge the browser signed: once, for this ceremony, for this user (null: any). */
  private async takeChallenge(clientDataJSON: unknown, ceremony: WebAuthnCeremony, userId: string | null): Promise<void> {
    if (typeof clientDataJSON !== 'string') throw new InvalidInput('The passkey response is malformed')
    const taken = await this.store.takeChallenge(signedChallenge(clientDataJSON), ceremony, this.now())
    if (taken === null || taken.userId !== userId) throw this.refused(ceremony, userId, 'unknown, used, expired or foreign challenge')
  }

  /** The one answer to every refused ceremony; the reason goes to the security log, never to the caller. */
  private refused(ceremony: WebAuthnCeremony, userId: string | null, reason: unknown): Unauthenticated {
    passkeyChecks.inc({ ceremony, outcome: 'refused' })
    securityEvent('warn', 'passkey_refused', { ceremony, userId, reason: reason instanceof Error ? reason.message : String(reason) })
    return new Unauthenticated('The passkey was not accepted')
  }
}
