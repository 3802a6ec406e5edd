import type { FastifyInstance } from 'fastify'

export interface AppRoute {
  method: string
  /** The route's path as registered (`/api/v1/users/:id`, `/docs/*`). */
  path: string
}

/**
 * Every route the app serves, read from the app itself (its router's printout), so a
 * route added tomorrow is covered without anyone listing it here. HEAD mirrors GET and
 * the catch-all OPTIONS is CORS preflight; both are left out.
 */
export function appRoutes(app: FastifyInstance): AppRoute[] {
  const routes: AppRoute[] = []
  const pathAtDepth: string[] = []
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^(.*?)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line)
    if (!match) continue
    const depth = match[1]!.length / 4
    const path = (depth === 0 ? '' : pathAtDepth[depth - 1]!) + match[2]!
    pathAtDepth[depth] = path
    for (const method of match[3]?.split(', ') ?? []) {
      if (method !== 'HEAD' && !(method === 'OPTIONS' && path === '*')) routes.push({ method, path })
    }
  }
  return routes
}

/** A concrete URL for a route: each parameter and wildcard replaced by `value`. */
export function concretePath(path: string, value = 'x'): string {
  return path.replace(/:[A-Za-z]+/g, encodeURIComponent(value)).replace(/\*$/, encodeURIComponent(value))
}
