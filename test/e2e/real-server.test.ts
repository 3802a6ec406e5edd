import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { openSqliteStore } from '../../src/store/sqlite/index.js'
import { tempDir } from '../helpers.js'
import { children, serverScript, start } from './server-process.js'

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

  for (const [name, value] of [['BCRYPT_COST', '99'], ['PORT', 'abc'], ['ACCESS_TOKEN_TTL', 'soon'], ['SAML_CONFIG', '/nonexistent/saml.json']] as const) {
    test(`a bad ${name} stops the start with exit code 1 and a message naming it`, async () => {
      const { dir, remove } = tempDir()
      try {
        const child = spawn(process.execPath, [serverScript], {
          env: { PATH: process.env.PATH, SQLITE_PATH: join(dir, 'db'), LOG_LEVEL: 'silent', [name]: value },
          stdio: ['ignore', 'ignore', 'pipe']
        })
        children.add(child)
        let stderr = ''
        child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk))
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

describe('durability', () => {
  test('kill -9 during a stream of registrations loses no acknowledged one', async () => {
    const { dir, remove } = tempDir()
    const path = join(dir, 'moneypenny.db')
    const server = await start({ SQLITE_PATH: path, RATE_LIMIT: 'off' })
    const acknowledged: string[] = []
    let sequence = 0
    let killed = false
    const worker = async () => {
      while (!killed) {
        sequence += 1
        const username = `durable-${sequence}`
        try {
          const answer = await post(server.base, '/api/v1/auth/local/register', { username, email: `${username}@example.com`, password: 'durable-password' })
          if (answer.status === 201) acknowledged.push(username)
        } catch {
          // The connection died with the process: not acknowledged.
        }
      }
    }
    const workers = Array.from({ length: 8 }, worker)
    await new Promise((resolve) => setTimeout(resolve, 400))
    const exited = once(server.child, 'exit')
    server.child.kill('SIGKILL')
    killed = true
    await exited
    children.delete(server.child)
    await Promise.all(workers)
    assert.ok(acknowledged.length > 10, `only ${acknowledged.length} registrations before the kill`)
    const store = openSqliteStore(path)
    try {
      for (const username of acknowledged) assert.ok(await store.users.findByUsernameKey(username), `${username} was acknowledged but is gone`)
    } finally {
      await store.close()
      remove()
    }
  })
})
