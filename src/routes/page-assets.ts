import { readFileSync } from 'node:fs'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { ASSET_PATHS } from '../pages/frame.js'
import { faviconSvg, pagesCss } from '../pages/page-assets.js'
import { PASSKEY_SCRIPT, webauthnBrowserBundle } from '../pages/passkey-script.js'

/**
 * What the end-user pages load, all from moneypenny itself (no CDN): their style sheet in the
 * brand's colour, the operator's logo and style sheet (files read once, at start), and the
 * favicon. Every answer carries the JSON answers' policy (default-src 'none'), so even an SVG
 * logo opened on its own runs no script.
 */
const pageAssets: FastifyPluginAsyncTypebox = async (app) => {
  const { brand } = app.config
  const tags = ['pages']
  const cached = 'public, max-age=300'
  const logoFile = brand.logo?.kind === 'file' ? { body: readFileSync(brand.logo.path), contentType: brand.logo.contentType } : null
  const icon = logoFile ?? { body: Buffer.from(faviconSvg(brand.color)), contentType: 'image/svg+xml' }
  const css = pagesCss(brand.color)
  const webauthn = webauthnBrowserBundle()

  app.get(ASSET_PATHS.css, { schema: { tags, summary: 'The style sheet of the sign-in, consent and error pages', produces: ['text/css'] } }, async (_request, reply) =>
    reply.header('content-type', 'text/css; charset=utf-8').header('cache-control', cached).send(css)
  )

  app.get(ASSET_PATHS.favicon, { schema: { tags, summary: 'The site icon: the brand logo file, else a built-in SVG', produces: [icon.contentType] } }, async (_request, reply) =>
    reply.header('content-type', icon.contentType).header('cache-control', cached).send(icon.body)
  )

  const script = (body: string | Buffer) => async (_request: unknown, reply: FastifyReply) =>
    reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', cached).send(body)
  app.get(ASSET_PATHS.webauthn, { schema: { tags, summary: 'The WebAuthn browser library (@simplewebauthn/browser) the passkey forms use', produces: ['text/javascript'] } }, script(webauthn))
  app.get(ASSET_PATHS.passkeys, { schema: { tags, summary: 'The passkey forms\' script', produces: ['text/javascript'] } }, script(PASSKEY_SCRIPT))

  if (logoFile) {
    app.get(ASSET_PATHS.logo, { schema: { tags, summary: 'The brand logo (BRAND_LOGO)', produces: [logoFile.contentType] } }, async (_request, reply) =>
      reply.header('content-type', logoFile.contentType).header('cache-control', cached).send(logoFile.body)
    )
  }

  if (brand.cssPath !== null) {
    const brandCss = readFileSync(brand.cssPath)
    app.get(ASSET_PATHS.brandCss, { schema: { tags, summary: 'The operator\'s style sheet (BRAND_CSS)', produces: ['text/css'] } }, async (_request, reply) =>
      reply.header('content-type', 'text/css; charset=utf-8').header('cache-control', cached).send(brandCss)
    )
  }
}

export default pageAssets
