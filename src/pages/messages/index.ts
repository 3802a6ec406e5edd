import { de } from './de.js'
import { en, type Messages } from './en.js'
import { fr } from './fr.js'

export type { Messages }

/** The languages every end-user page speaks, and the catalogue of each. */
export const CATALOGUES = { en, de, fr } satisfies Record<string, Messages>
export type Locale = keyof typeof CATALOGUES
export const LOCALES = Object.keys(CATALOGUES) as Locale[]

/** Each language's name in itself, for the language switch. */
export const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', de: 'Deutsch', fr: 'Français' }

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && Object.hasOwn(CATALOGUES, value)
}
