import { Secret, TOTP } from 'otpauth'

/** RFC 6238's defaults, which every authenticator app reads: HMAC-SHA-1, 6 digits, 30-second steps. */
const ALGORITHM = 'SHA1'
const DIGITS = 6
const PERIOD_SECONDS = 30
/** 160 bits: RFC 4226 §4 R6 asks for at least 128 and recommends 160. */
const SECRET_BYTES = 20
/** One step either side, for clocks a little off (RFC 6238 §5.2 suggests at most one step back). */
const WINDOW = 1

export const TOTP_CODE = /^[0-9]{6}$/

/** A new shared secret, base32 as authenticator apps take it. */
export function newTotpSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32
}

function totpOf(secret: string, issuer: string, label: string): TOTP {
  return new TOTP({ issuer, label, algorithm: ALGORITHM, digits: DIGITS, period: PERIOD_SECONDS, secret: Secret.fromBase32(secret) })
}

/** The otpauth:// URI of the Key Uri Format that authenticator apps scan. */
export function otpauthUri(secret: string, issuer: string, label: string): string {
  return totpOf(secret, issuer, label).toString()
}

/** The time step a code belongs to, when it is right for `now` within the window; null otherwise. */
export function matchingStep(secret: string, code: string, now: number): number | null {
  if (!TOTP_CODE.test(code)) return null
  const delta = totpOf(secret, '', '-').validate({ token: code, timestamp: now, window: WINDOW })
  return delta === null ? null : Math.floor(now / 1000 / PERIOD_SECONDS) + delta
}

/** The code of `now` (tests and the enrolment page's check use it; sign-in never does). */
export function currentCode(secret: string, now = Date.now()): string {
  return totpOf(secret, '', '-').generate({ timestamp: now })
}
