import type { Locale, Messages } from './messages/index.js'

/** A link of the language switch: to GET /language, which remembers the choice and comes back. */
export interface LanguageLink {
  locale: Locale
  name: string
  href: string
  current: boolean
}

/** Everything the frame of an end-user page needs besides its own content. */
export interface PageView {
  brand: { name: string; logoSrc: string | null; stylesheet: boolean }
  locale: Locale
  t: Messages
  languages: LanguageLink[]
  /** Someone is signed in to this browser: the header links their account console. */
  signedIn?: boolean
}
