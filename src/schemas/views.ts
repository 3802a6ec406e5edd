import type { IdentityLinkRecord, PasskeyRecord, UserRecord } from '../store/port.js'
import type { PublicUserT } from './common.js'

/** The public view of a user; the response schema drops anything else as a second guard. */
export function publicUser(user: UserRecord): PublicUserT {
  return {
    id: user.id,
    _id: user.id,
    username: user.username,
    email: user.email,
    emailVerified: user.emailVerified,
    scope: user.scope,
    role: user.role,
    organisation: user.organisation,
    active: user.active,
    name: user.name,
    givenName: user.givenName,
    familyName: user.familyName,
    locale: user.locale,
    zoneinfo: user.zoneinfo,
    picture: user.picture,
    createdAt: new Date(user.createdAt).toISOString(),
    updatedAt: new Date(user.updatedAt).toISOString()
  }
}

/** The last second isoTime wrote, as `YYYY-MM-DDTHH:MM:SS.` (sliding expiries of one second share it). */
let lastSecond = Number.NaN
let lastSecondText = ''

/**
 * An instant as ISO 8601 in UTC with milliseconds (Date#toISOString). A hot token check writes one
 * per answer: the date and time of day are worked out once a second, the milliseconds appended.
 */
export function isoTime(epochMs: number): string {
  // Date cuts a fraction of a ms (and throws on NaN): not worth a cache.
  if (!Number.isInteger(epochMs)) return new Date(epochMs).toISOString()
  const second = Math.floor(epochMs / 1000)
  if (second !== lastSecond) {
    const text = new Date(epochMs).toISOString()
    // Years outside 0000-9999 are written with a sign and six digits: not cached.
    if (text.length !== 24) return text
    lastSecond = second
    lastSecondText = text.slice(0, 20)
  }
  const millis = epochMs - second * 1000
  return `${lastSecondText}${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`
}

/** A passkey as the API, the CLI and the consoles show it: never its public key. */
export function passkeyView(passkey: PasskeyRecord) {
  return {
    id: passkey.credentialId,
    name: passkey.name,
    created_at: isoTime(passkey.createdAt),
    last_used_at: passkey.lastUsedAt === null ? null : isoTime(passkey.lastUsedAt),
    backed_up: passkey.backedUp,
    device_type: passkey.deviceType,
    transports: passkey.transports,
    aaguid: passkey.aaguid
  }
}

export function identityLinkView(link: IdentityLinkRecord) {
  return {
    provider: link.provider,
    subject: link.subject,
    createdAt: isoTime(link.createdAt),
    lastUsedAt: link.lastUsedAt === null ? null : isoTime(link.lastUsedAt)
  }
}
