import Type from 'typebox'
import { LOCALES } from '../pages/messages/index.js'
import { ReturnTo } from './browser.js'

export const Locale = Type.Union(LOCALES.map((locale) => Type.Literal(locale)), { description: 'A language of the end-user pages' })

export const LanguageQuery = Type.Object(
  { lang: Locale, returnTo: Type.Optional(ReturnTo) },
  { additionalProperties: false }
)
