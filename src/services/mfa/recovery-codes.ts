import { createHash, randomInt } from 'node:crypto'

/** How many codes a user gets at a time. */
export const RECOVERY_CODE_COUNT = 10
/** Crockford's base32 without the look-alikes I, L, O, U: 5 bits a character. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
/** 12 characters: 60 random bits, more than the 50 asked for, in three groups of four. */
const GROUPS = 3
const GROUP_LENGTH = 4

export const RECOVERY_CODE = /^[0-9A-Za-z]{4}-?[0-9A-Za-z]{4}-?[0-9A-Za-z]{4}$/

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () =>
    Array.from({ length: GROUPS }, () => Array.from({ length: GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('')).join('-')
  )
}

/** What a person types: any case, with or without the dashes, O for 0 and I or L for 1. */
function normalised(code: string): string {
  return code.toUpperCase().replaceAll('-', '').replaceAll('O', '0').replace(/[IL]/g, '1')
}

/**
 * Codes are stored as SHA-256 of the owner and the code: 60 random bits need no slow hash,
 * and the owner in the input means a hash matches for one user only.
 */
export function recoveryCodeHash(userId: string, code: string): string {
  return createHash('sha256').update(`${userId}\n${normalised(code)}`).digest('base64url')
}
