import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { tempDir } from '../helpers.js'

const serverScript = join(fileURLToPath(new URL('.', import.meta.url)), '../../src/server.js')
const children = new Set<ChildProcess>()
after(() => {
  for (const child of children) child.kill('SIGKILL')
})

async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  await once(server, 'close')
  return port
}

interface Running {
  base: string
  child: ChildProcess
  stop: () => Promise<number | null>
}

async function start(env: Record<string, string>): Promise<Running> {
  const port = await freePort()
  const child = spawn(process.execPath, [serverScript], {
    env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', BCRYPT_COST: '4', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'ignore', 'pipe']
  })
  children.add(child)
  const base = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 20_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`)
    try {
      if ((await fetch(`${base}/readyz`)).status === 200) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('server did not become ready')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return {
    base,
    child,
    stop: async () => {
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      const [code] = await exited
      children.delete(child)
      return code as number | null
    }
  }
}

async function post(base: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
  return { status: response.status, body: (await response.json()) as any }
}

const authorise = async (base: string, token: string) => (await fetch(`${base}/authorise`, { headers: { authorization: `Token: ${token}` } })).status

describe('the real server', () => {
  test('register -> authenticate -> access -> /authorise -> revoke -> /authorise refused', async () => {
    const { dir, remove } = tempDir()
    const server = await start({ SQLITE_PATH: join(dir, 'db', 'moneypenny.db') })
    try {
      const user = { username: 'walker', email: 'walker@example.com', password: 'walking-password' }
      assert.equal((await post(server.base, '/api/v1/auth/local/register', user)).status, 201)
      const signedIn = await post(server.base, '/api/v1/auth/local/authenticate', { username: user.username, password: user.password })
      assert.equal(signedIn.status, 200)
      const access = await fetch(`${server.base}/api/v1/tokens/access`, { method: 'POST', headers: { authorization: signedIn.body.refreshToken } })
      assert.equal(access.status, 200)
      const { token } = (await access.json()) as { token: string }
      const checked = await fetch(`${server.base}/authorise`, { headers: { authorization: `Bearer ${token}` } })
      assert.equal(checked.status, 200)
      assert.equal(((await checked.json()) as { data: { username: string } }).data.username, 'walker')
      assert.deepEqual(await post(server.base, '/api/v1/auth/revoke', { refresh_token: signedIn.body.refreshToken }), { status: 200, body: { result: 'ok' } })
      assert.equal(await authorise(server.base, token), 401)
      assert.equal(await authorise(server.base, signedIn.body.accessToken), 401)
      assert.equal(await server.stop(), 0)
    } finally {
      remove()
    }
  })

  test('a restart on the same file keeps users, sessions and revocations', async () => {
    const { dir, remove } = tempDir()
    // The issuer must stay the same across the restart, whatever port each start gets.
    const env = { SQLITE_PATH: join(dir, 'moneypenny.db'), PUBLIC_URL: 'http://auth.test' }
    try {
      const first = await start(env)
      const user = { username: 'stayer', email: 'stayer@example.com', password: 'staying-password' }
      await post(first.base, '/api/v1/auth/local/register', user)
      const kept = (await post(first.base, '/login', { username: user.username, password: user.password })).body.data.token
      const ended = (await post(first.base, '/login', { username: user.username, password: user.password })).body.data.token
      assert.equal((await fetch(`${first.base}/logout`, { headers: { authorization: `Token ${ended}` } })).status, 200)
      const jwks = (await (await fetch(`${first.base}/.well-known/jwks.json`)).json()) as object
      assert.equal(await first.stop(), 0)

      const second = await start(env)
      assert.deepEqual(await (await fetch(`${second.base}/.well-known/jwks.json`)).json(), jwks)
      assert.equal(await authorise(second.base, kept), 200)
      assert.equal(await authorise(second.base, ended), 401)
      assert.equal((await post(second.base, '/login', { username: user.username, password: user.password })).status, 200)
      assert.equal(await second.stop(), 0)
    } finally {
      remove()
    }
  })

  for (const [name, value] of [['BCRYPT_COST', '99'], ['PORT', 'abc'], ['ACCESS_TOKEN_TTL', 'soon']] as const) {
    test(`a bad ${name} stops the start with exit code 1 and a message naming it`, async () => {
      const { dir, remove } = tempDir()
      try {
        const child = spawn(process.execPath, [serverScript], {
          env: { PATH: process.env.PATH, SQLITE_PATH: join(dir, 'db'), LOG_LEVEL: 'silent', [name]: value },
          stdio: ['ignore', 'ignore', 'pipe']
        })
        children.add(child)
        let stderr = ''
        child.stderr!.on('data', (chunk) => (stderr += chunk))
        const [code] = await once(child, 'exit')
        children.delete(child)
        assert.equal(code, 1)
        assert.match(stderr, new RegExp(name))
      } finally {
        remove()
      }
    })
  }
})
