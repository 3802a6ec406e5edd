import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import fp from 'fastify-plugin'

/**
 * The OpenAPI document, generated from the route schemas, at /openapi.json, and
 * its UI at /docs (assets served from this service, no CDN). Registered before
 * the routes so it sees every one of them.
 */
export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'moneypenny',
          description: 'Authentication service: local accounts, JWT access and refresh tokens, seed-compatible endpoints.',
          version: '0.1.0'
        },
        servers: [{ url: app.config.publicUrl }],
        components: {
          securitySchemes: {
            bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }
          }
        }
      }
    })
    const https = app.config.publicUrl.startsWith('https:')
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      uiHooks: { onRequest: app.pageSecurityHeaders },
      staticCSP: true,
      // Never framed, like every other page (clickjacking); over plain http, upgrading the
      // UI's own requests to https would break it.
      transformStaticCSP: (policy) => {
        const unframed = policy.replace("frame-ancestors 'self'", "frame-ancestors 'none'")
        return https ? unframed : unframed.replace(/\s*upgrade-insecure-requests;?/, '')
      }
    })
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  },
  { name: 'docs', dependencies: ['config', 'security'] }
)
