import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../src/app.js'
import { loadConfig, type Config } from '../src/config.js'
import { openSqliteStore } from '../src/store/sqlite/index.js'
import type { Store } from '../src/store/port.js'

export const ADMIN = { username: 'root', password: 'root-password-1', email: 'root@example.com' }

/** A fresh folder under the OS temp dir; removed by the returned function. */
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
