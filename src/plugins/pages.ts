import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { ASSET_PATHS } from '../pages/frame.js'
import { negotiateLocale } from '../pages/locale.js'
import { CATALOGUES, isLocale, LANGUAGE_NAMES, LOCALES } from '../pages/messages/index.js'
import { sendHtml } from '../pages/render.js'
import type { PageView } from '../pages/view.js'

/** The cookie that remembers the language a person picked on a page (GET /language sets it). */
export const LANGUAGE_COOKIE = 'mp_lang'

declare module 'fastify' {
  interface FastifyInstance {
    pages: {
      /**
       * The frame of an end-user page for this request: the brand, and the language the person
       * picked, else the first supported of `uiLocales` (OIDC), Accept-Language, DEFAULT_LOCALE.
       * `here` is the GET path the language switch comes back to.
       */
      view(request: FastifyRequest, options: { uiLocales?: string | undefined; here: string }): PageView
      /**
       * Sends an end-user page under a policy that lets it load only moneypenny's style sheets and
       * images (and the logo's origin, and `imageOrigins`: a client's registered logo), and
       * moneypenny's own scripts only for a page that runs one (`script`: the passkey ceremonies).
       */
      send(reply: FastifyReply, statusCode: number, html: string, options?: PageSendOptions): FastifyReply
    }
  }
}

export interface PageSendOptions {
  imageOrigins?: string[]
  script?: boolean
}

/** What end-user pages share: the operator's brand, the language of each request, and how a page is sent. */
export default fp(
  async (app) => {
    const { brand, defaultLocale } = app.config
    const logoSrc = brand.logo === null ? null : brand.logo.kind === 'url' ? brand.logo.url : ASSET_PATHS.logo
    const logoOrigin = brand.logo?.kind === 'url' ? ` ${new URL(brand.logo.url).origin}` : ''
    // form-action stays open on purpose: the consent form's answer redirects to the client.
    const policyWith = ({ imageOrigins = [], script = false }: PageSendOptions) =>
      `default-src 'none'; style-src 'self'; img-src 'self'${logoOrigin}${imageOrigins.map((origin) => ` ${origin}`).join('')};${script ? " script-src 'self'; connect-src 'self';" : ''} frame-ancestors 'none'; base-uri 'none'`
    const policy = policyWith({})

    app.decorate('pages', {
      view(request: FastifyRequest, options: { uiLocales?: string | undefined; here: string }): PageView {
        const picked = (request.cookies as Record<string, string | undefined> | undefined)?.[LANGUAGE_COOKIE]
        const locale = isLocale(picked)
          ? picked
          : negotiateLocale({ uiLocales: options.uiLocales, acceptLanguage: request.headers['accept-language'], defaultLocale })
        return {
          brand: { name: brand.name, logoSrc, stylesheet: brand.cssPath !== null },
          locale,
          t: CATALOGUES[locale],
          languages: LOCALES.map((each) => ({
            locale: each,
            name: LANGUAGE_NAMES[each],
            href: `/language?${new URLSearchParams({ lang: each, returnTo: options.here })}`,
            current: each === locale
          })),
          signedIn: (request.session as { userId?: string } | undefined)?.userId !== undefined
        }
      },
      send: (reply: FastifyReply, statusCode: number, html: string, options: PageSendOptions = {}) =>
        sendHtml(reply, statusCode, html, options.imageOrigins?.length || options.script ? policyWith(options) : policy)
    })
  },
  { name: 'pages', dependencies: ['config'] }
)
