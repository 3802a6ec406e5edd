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

export function isoTime(epochMs: number): string {
  return new Date(epochMs).toISOString()
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
