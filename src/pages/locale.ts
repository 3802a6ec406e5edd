import { isLocale, type Locale } from './messages/index.js'

/** The supported language a language tag names: its primary subtag ("de-AT" -> de), any case. */
function supported(tag: string): Locale | null {
  const primary = tag.trim().split('-')[0]!.toLowerCase()
  return isLocale(primary) ? primary : null
}

/**
 * The tags of an Accept-Language header, most wanted first (RFC 9110 §12.5.4): q from 0 to 1,
 * 1 when absent; q=0 means "not this"; equal q keeps the header's order. Malformed entries are skipped.
 */
export function acceptedLanguages(header: string): string[] {
  return header
    .split(',')
    .map((entry, index) => {
      const [tag = '', ...parameters] = entry.split(';').map((part) => part.trim())
      const q = parameters.find((parameter) => /^q=/i.test(parameter))
      const weight = q === undefined ? 1 : /^q=(0(\.[0-9]{0,3})?|1(\.0{0,3})?)$/i.test(q) ? Number(q.slice(2)) : -1
      return { tag, weight, index }
    })
    .filter(({ tag, weight }) => weight > 0 && /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(tag))
    .sort((a, b) => b.weight - a.weight || a.index - b.index)
    .map(({ tag }) => tag)
}

/**
 * The language of a page: the first supported one of OIDC `ui_locales` (space-separated tags, most
 * wanted first), else of Accept-Language, else the operator's default.
 */
export function negotiateLocale(options: { uiLocales?: string | undefined; acceptLanguage?: string | undefined; defaultLocale: Locale }): Locale {
  const wanted = [...(options.uiLocales?.split(' ') ?? []), ...acceptedLanguages(options.acceptLanguage ?? '')]
  for (const tag of wanted) {
    const locale = supported(tag)
    if (locale) return locale
  }
  return options.defaultLocale
}

/** The `ui_locales` of an authorization request, when `path` is one (the sign-in page's returnTo, say). */
export function uiLocalesOf(path: string | null): string | undefined {
  if (path === null || !path.startsWith('/oauth2/authorization?')) return undefined
  return new URLSearchParams(path.slice(path.indexOf('?') + 1)).get('ui_locales') ?? undefined
}
