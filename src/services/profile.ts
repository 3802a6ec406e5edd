import { InvalidInput } from '../errors.js'
import type { ProfileField, UserProfile } from '../store/port.js'

/** Profile changes as the users API takes them: a value sets the field, null clears it, absent leaves it. */
export type ProfileChanges = Partial<Record<ProfileField, string | null>>

export const PROFILE_FIELDS: readonly ProfileField[] = ['name', 'givenName', 'familyName', 'locale', 'zoneinfo', 'picture']

/** Every profile field unset: a new user's profile unless given one. */
export const EMPTY_PROFILE: UserProfile = { name: null, givenName: null, familyName: null, locale: null, zoneinfo: null, picture: null }

/** No control characters (a line break would forge lines wherever the name is shown), no blank at either end. */
const DISPLAY_NAME = /^[^\s\p{Cc}](?:[^\p{Cc}]*[^\s\p{Cc}])?$/u

/** A name as people write it (OIDC `name`, `given_name`, `family_name`), NFC-normalised. */
function displayName(value: string, field: ProfileField): string {
  const name = value.normalize('NFC')
  if (!DISPLAY_NAME.test(name)) throw new InvalidInput(`${field} must not contain control characters, nor begin or end with a space`)
  return name
}

/** OIDC `locale` is a BCP 47 language tag (Core §5.1, RFC 5646), kept in its canonical case: `en-us` becomes `en-US`. */
function languageTag(value: string): string {
  try {
    const [canonical] = Intl.getCanonicalLocales(value)
    if (canonical) return canonical
  } catch {
    // RangeError: not a well-formed tag; answered below.
  }
  throw new InvalidInput(`locale must be a BCP 47 language tag such as en-US or fr-CA; ${JSON.stringify(value)} is not one`)
}

/**
 * OIDC `zoneinfo` is a time zone of the IANA database (Core §5.1), such as Europe/Paris. The runtime's
 * ICU knows the database: a zone it cannot format in is refused. Kept as ICU names it, so
 * `europe/paris` becomes `Europe/Paris`. An offset such as +01:00 is no zone name, though newer
 * runtimes (ECMA-402 offset time zones, Node 26) format in it: a name starts with a letter.
 */
function ianaTimeZone(value: string): string {
  const refused = new InvalidInput(`zoneinfo must be an IANA time zone such as Europe/Paris; ${JSON.stringify(value)} is not one`)
  if (!/^[A-Za-z]/.test(value)) throw refused
  try {
    return new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone
  } catch {
    throw refused
  }
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * OIDC `picture` is a URL that clients fetch (Core §5.1): absolute and https, so it cannot be read
 * or changed on the way; plain http only on a loopback host, for development. No user name or
 * password in it, since every client that gets the claim would see them.
 */
function pictureUrl(value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InvalidInput('picture must be an absolute URL')
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))
  if (!secure) throw new InvalidInput('picture must be an https URL (http only on localhost)')
  if (url.username !== '' || url.password !== '') throw new InvalidInput('picture must not contain a user name or password')
  return url.href
}

const RULES: Record<ProfileField, (value: string, field: ProfileField) => string> = {
  name: displayName,
  givenName: displayName,
  familyName: displayName,
  locale: languageTag,
  zoneinfo: ianaTimeZone,
  picture: pictureUrl
}

/**
 * The profile fields of `changes`, each checked by its rule and normalised; null clears a
 * field. Throws InvalidInput naming the first bad field, before anything is stored.
 */
export function checkedProfile(changes: ProfileChanges): Partial<UserProfile> {
  const profile: Partial<UserProfile> = {}
  for (const field of PROFILE_FIELDS) {
    const value = changes[field]
    if (value !== undefined) profile[field] = value === null ? null : RULES[field](value, field)
  }
  return profile
}
