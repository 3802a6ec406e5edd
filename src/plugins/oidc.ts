import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { FLOW_TTL_MS, OIDC_CALLBACK_PATH, OidcSignOn } from '../services/oidc.js'

export interface UpstreamSignOn {
  service: OidcSignOn
  /** Keeps a started sign-in's sealed flow in its cookie, for the callback only. */
  holdFlow(reply: FastifyReply, sealed: string): void
  /** The sealed flow this browser holds, taken: its cookie is cleared whatever the callback's outcome, so it serves once. */
  takeFlow(request: FastifyRequest, reply: FastifyReply): string | undefined
}

declare module 'fastify' {
  interface FastifyInstance {
    oidc: UpstreamSignOn
  }
}

export interface OidcPluginOptions {
  /** The browser-session secret; the flow cookie's key is derived from it. */
  secret: string
  /** PUBLIC_URL is https: the cookie is Secure and __Host- prefixed. */
  https: boolean
}


/**
 * Sign-in through upstream OpenID Connect providers. The flow (PKCE verifier, nonce, provider,
 * returnTo) waits in a sealed cookie, never in a URL or the store. SameSite=Lax: the provider
 * sends the person back with a top-level GET, which carries it.
 */
export default fp<OidcPluginOptions>(
  async (app, { secret, https }) => {
    const { config, store, accounts } = app
    const name = https ? '__Host-moneypenny-oidc' : 'moneypenny-oidc'
    // Callback only: it is sent nowhere else. __Host- requires Path=/.
    const cookieOptions = { httpOnly: true, sameSite: 'lax', secure: https, path: https ? '/' : OIDC_CALLBACK_PATH } as const
    const service = new OidcSignOn(config.oidcProviders, store.identityLinks, app.identityLinks, accounts, config.publicUrl, {
      secret,
      allowInsecureLocalhost: !config.production
    })
    app.decorate('oidc', {
      service,
      holdFlow(reply, sealed) {
        reply.setCookie(name, sealed, { ...cookieOptions, maxAge: FLOW_TTL_MS / 1000 })
      },
      takeFlow(request, reply) {
        const value = request.cookies[name]
        if (value !== undefined) reply.clearCookie(name, cookieOptions)
        return value
      }
    } satisfies UpstreamSignOn)
  },
  { name: 'oidc', dependencies: ['@fastify/cookie', 'store', 'identity'] }
)
