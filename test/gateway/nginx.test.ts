import assert from 'node:assert/strict'
import { once } from 'node:events'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import { after, before, describe, test } from 'node:test'
import { adminToken, freePort, registerUser, signIn, startServer, type ListeningApp } from '../helpers.js'
import { nginxMissing, nginxRecipe, startNginx, type RunningNginx } from './nginx.js'

/**
 * The docs' nginx recipe, for real, with Debian's nginx: moneypenny answers nginx's
 * auth_request subrequests (HEAD /authorise on a keep-alive upstream) and the identity
 * reaches the application in request headers.
 */
describe('forward auth through Debian nginx (auth_request)', { skip: nginxMissing() ?? false }, () => {
  let moneypenny: ListeningApp
  let nginx: RunningNginx
  let app: Server
  /** What the application behind nginx received, one entry per request. */
  const received: IncomingHttpHeaders[] = []
  const connections = { moneypenny: 0, app: 0 }
  let user: Awaited<ReturnType<typeof registerUser>>
  let token: string

  before(async () => {
    moneypenny = await startServer()
    app = createServer((request, response) => {
      received.push(request.headers)
      response.end('application answer')
    })
    app.listen(0, '127.0.0.1')
    await once(app, 'listening')
    const appPort = (app.address() as { port: number }).port
    nginx = await startNginx(nginxRecipe({ moneypenny: new URL(moneypenny.base).host, app: `127.0.0.1:${appPort}` }), await freePort())
    moneypenny.app.server.on('connection', () => (connections.moneypenny += 1))
    app.on('connection', () => (connections.app += 1))

    user = await registerUser(moneypenny.app, { username: 'Zoë Ünal' })
    const patched = await moneypenny.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      headers: { authorization: `Bearer ${await adminToken(moneypenny.app)}` },
      payload: { organisation: 'ops-7' }
    })
    assert.equal(patched.statusCode, 200)
    token = (await signIn(moneypenny.app, user.username, user.password)).accessToken
  })
  after(async () => {
    await nginx?.stop()
    app?.close()
    await moneypenny?.close()
  })

  test('50 requests: each reaches the application with the identity in headers, over at most 3 connections to moneypenny', async () => {
    received.length = 0
    const before = connections.moneypenny
    for (let i = 0; i < 50; i++) {
      // A header of the client's own naming an identity is replaced (or dropped) by nginx, never passed on.
      const response = await fetch(`${nginx.url}/orders/${i}?page=2`, {
        headers: { authorization: `Bearer ${token}`, 'x-auth-request-user': 'forged', 'x-auth-request-client-id': 'forged' }
      })
      assert.equal(response.status, 200)
      assert.equal(await response.text(), 'application answer')
    }
    assert.equal(received.length, 50)
    for (const headers of received) {
      assert.equal(decodeURIComponent(String(headers['x-auth-request-user'])), user.username)
      assert.equal(headers['x-auth-request-user-id'], user.id)
      assert.equal(headers['x-auth-request-organisation'], 'ops-7')
      assert.equal(headers['x-auth-request-scope'], 'user')
      assert.equal(headers['x-auth-request-client-id'], undefined)
    }
    const opened = connections.moneypenny - before
    assert.ok(opened <= 3, `nginx opened ${opened} connections to moneypenny for 50 requests`)
  })

  test('a bad or missing token: the client gets 401 and the application is never called', async () => {
    received.length = 0
    for (const headers of [{ authorization: 'Bearer garbage' }, {}] as Record<string, string>[]) {
      const response = await fetch(`${nginx.url}/orders/1`, { headers })
      assert.equal(response.status, 401)
      await response.arrayBuffer()
    }
    assert.equal(received.length, 0)
  })

  test('a POST with a body is checked without it and reaches the application with it', async () => {
    received.length = 0
    const response = await fetch(`${nginx.url}/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ item: 'x'.repeat(10_000) })
    })
    assert.equal(response.status, 200)
    await response.arrayBuffer()
    assert.equal(received.length, 1)
    assert.equal(received[0]!['x-auth-request-user-id'], user.id)
    assert.equal(received[0]!['content-length'], String(JSON.stringify({ item: 'x'.repeat(10_000) }).length))
  })
})
