import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../src/app.js'
import { loadConfig, type Config } from '../src/config.js'
import { openSqliteStore } from '../src/store/sqlite/index.js'
import type { PasskeyRecord, Store } from '../src/store/port.js'

export const ADMIN = { username: 'root', password: 'root-password-1', email: 'root@example.com' }

/** A fresh folder under the OS temp dir; removed by the returned function. */
/** A full set of profile fields (the users API's names), for tests of profile claims. */
export const ADA_PROFILE = {
  name: 'Ada Lovelace',
  givenName: 'Ada',
  familyName: 'Lovelace',
  locale: 'en-GB',
  zoneinfo: 'Europe/London',
  picture: 'https://pictures.example.com/ada.png'
}

export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'moneypenny-test-'))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Config for tests: cheap bcrypt, a temp SQLite file, the admin above; env overrides win. */
export function testConfig(env: Record<string, string> = {}, dir = tempDir().dir): Config {
  return loadConfig({
    SQLITE_PATH: join(dir, 'moneypenny.db'),
    BCRYPT_COST: '4',
    LOG_LEVEL: 'silent',
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    ADMIN_EMAIL: ADMIN.email,
    ...env
  })
}

export interface TestApp {
  app: FastifyInstance
  store: Store
  config: Config
  close: () => Promise<void>
}

/** An app on its own SQLite file, ready for inject(). Close it in `after`/`t.after`. */
export async function buildTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const { dir, remove } = tempDir()
  const config = testConfig(env, dir)
  const store = openSqliteStore((config.store as { path: string }).path)
  const app = await buildApp(config, { store, logger: false })
  await app.ready()
  return {
    app,
    store,
    config,
    close: async () => {
      await app.close()
      remove()
    }
  }
}

/** POSTs JSON through inject and returns status and parsed body. */
export async function postJson(app: FastifyInstance, url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await app.inject({ method: 'POST', url, payload: body as object, headers })
  return { status: response.statusCode, body: response.json(), headers: response.headers }
}

let counter = 0
/** Registers a fresh user through rdata's endpoint; returns its credentials and id. */
export async function registerUser(app: FastifyInstance, overrides: Partial<{ username: string; email: string; password: string }> = {}) {
  counter += 1
  const user = {
    username: `user ${counter}`,
    email: `user${counter}@example.com`,
    password: `password-${counter}-long`,
    ...overrides
  }
  const { status, body } = await postJson(app, '/api/v1/auth/local/register', user)
  if (status !== 201) throw new Error(`register failed: ${status} ${JSON.stringify(body)}`)
  return { ...user, id: body.user.id as string }
}

/** Signs in through rdata's authenticate; returns both tokens. */
export async function signIn(app: FastifyInstance, username: string, password: string) {
  const { status, body } = await postJson(app, '/api/v1/auth/local/authenticate', { username, password })
  if (status !== 200) throw new Error(`authenticate failed: ${status} ${JSON.stringify(body)}`)
  return body as { accessToken: string; refreshToken: string; accessTokenExpiresAt: string; refreshTokenExpiresAt: string }
}

/** An admin access token for the configured admin. */
export async function adminToken(app: FastifyInstance): Promise<string> {
  return (await signIn(app, ADMIN.username, ADMIN.password)).accessToken
}

/** The payload of a JWT, without verifying it. */
export function jwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'))
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  await once(server, 'close')
  return port
}

export interface ListeningApp extends TestApp {
  /** Where it listens; also its PUBLIC_URL. */
  base: string
}

/** The app listening on 127.0.0.1 with PUBLIC_URL (the issuer) set to where it listens; no rate limits. */
/**
 * The app listening on a free port. `hostname` 'localhost' for WebAuthn, which browsers refuse
 * on an IP address (the relying party ID is PUBLIC_URL's host).
 */
export async function startServer(env: Record<string, string> = {}, hostname: '127.0.0.1' | 'localhost' = '127.0.0.1'): Promise<ListeningApp> {
  const port = await freePort()
  const base = `http://${hostname}:${port}`
  const testApp = await buildTestApp({ PORT: String(port), PUBLIC_URL: base, RATE_LIMIT: 'off', ...env })
  await testApp.app.listen({ port, host: hostname })
  return { ...testApp, base }
}

/** The hidden field `name` of the first form on an HTML page. */
export function hiddenField(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html)
  assert.ok(match, `no ${name} field on the page`)
  return match[1]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>')
}

/** A browser: a cookie jar over fetch, redirects followed by hand so each hop can be seen. */
export class Browser {
  private readonly cookies = new Map<string, string>()

  constructor(readonly base: string) {}

  /** A request with the jar's cookies: a form post (`form`), a JSON post as a page's script makes (`json`), else a GET. */
  async request(url: string, init: { method?: string; form?: Record<string, string>; json?: unknown; headers?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...init.headers }
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded'
    if (init.json !== undefined) headers['content-type'] = 'application/json'
    const body = init.form ? new URLSearchParams(init.form).toString() : init.json !== undefined ? JSON.stringify(init.json) : undefined
    const response = await fetch(new URL(url, this.base), {
      method: init.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      redirect: 'manual',
      ...(body === undefined ? {} : { body })
    })
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const eq = pair!.indexOf('=')
      const name = pair!.slice(0, eq)
      const value = pair!.slice(eq + 1)
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '') this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    return response
  }

  /** Signs in on the sign-in page, as a person would. */
  async signIn(username: string, password: string, returnTo?: string): Promise<Response> {
    const page = await this.request(`/auth/local/login${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ''}`)
    assert.equal(page.status, 200)
    const html = await page.text()
    const form: Record<string, string> = { _csrf: hiddenField(html, '_csrf'), username, password }
    if (returnTo) form.returnTo = hiddenField(html, 'returnTo')
    return this.request('/auth/local/login', { form })
  }

  /** GET /auth/details as JSON: the signed-in user, or the 401. */
  async details(): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await this.request('/auth/details')
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }
}

/** The redirect URI of the app in authorizationPath. */
export const APP_CALLBACK = 'https://app.example/cb'

/** An app's authorization request (code flow, PKCE S256, state "state-1") as a path on the service. */
export function authorizationPath(clientId: string, extra: Record<string, string> = {}): string {
  const challenge = createHash('sha256').update('a-code-verifier-long-enough-for-pkce-0123456789').digest('base64url')
  return `/oauth2/authorization?${new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: APP_CALLBACK,
    scope: 'openid',
    state: 'state-1',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra
  })}`
}

/**
 * A passkey record as the store keeps it, for tests that need one stored without an
 * authenticator (it cannot sign: its public key is no key).
 */
export function storedPasskey(userId: string, credentialId: string, overrides: Partial<PasskeyRecord> = {}): PasskeyRecord {
  return {
    credentialId,
    userId,
    publicKey: Buffer.alloc(77).toString('base64url'),
    counter: 0,
    transports: ['internal'],
    deviceType: 'singleDevice',
    backedUp: false,
    aaguid: '00000000-0000-0000-0000-000000000000',
    name: 'Laptop',
    createdAt: Date.now(),
    lastUsedAt: null,
    ...overrides
  }
}
