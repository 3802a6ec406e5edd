import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { adminToken, buildTestApp, postJson, registerUser, signIn, type TestApp } from '../helpers.js'
import { registerClient } from '../oauth2/harness.js'

/**
 * Races the other suites do not run already. Those that do: twenty parallel redemptions
 * of one code and fifty parallel uses of one refresh token (test/oauth2/errors.test.ts),
 * parallel posts of one SAML answer (test/saml/sign-on.test.ts), parallel wrong passwords
 * against the account limit (test/attack/brute-force.test.ts), and the store-level
 * atomic operations under them (test/store/contract*.ts).
 */
describe('misuse races', () => {
  let t: TestApp
  let admin: string

  before(async () => {
    t = await buildTestApp({ RATE_LIMIT: 'off' })
    admin = await adminToken(t.app)
  })
  after(() => t.close())

  test('twenty parallel registrations of one name, in different cases: exactly one account', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        postJson(t.app, '/api/v1/auth/local/register', { username: i % 2 ? 'Racer' : 'racer', email: `racer${i}@example.com`, password: 'a-long-password' })
      )
    )
    assert.deepEqual(answers.map((answer) => answer.status).sort(), [201, ...Array(19).fill(409)])
    assert.equal((await t.app.accounts.list({ offset: 0, limit: 100, search: 'racer' })).total, 1)
  })

  test('ten parallel rotations of a client secret: exactly one of the secrets handed out works, and the old one does not', async () => {
    const client = await registerClient({ ...t, base: '', admin }, { redirect_uris: ['https://app.example.com/cb'] })
    const works = async (secret: string) => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/oauth2/introspect',
        headers: { authorization: `Basic ${Buffer.from(`${client.client_id}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'token=x'
      })
      return response.statusCode === 200
    }
    assert.ok(await works(client.client_secret!))
    const rotations = await Promise.all(
      Array.from({ length: 10 }, () => t.app.inject({ method: 'POST', url: `/api/v1/clients/${client.client_id}/secret`, headers: { authorization: `Bearer ${admin}` } }))
    )
    assert.ok(rotations.every((rotation) => rotation.statusCode === 200))
    const secrets = rotations.map((rotation) => rotation.json().client_secret as string)
    assert.equal(new Set(secrets).size, 10)
    assert.equal((await Promise.all(secrets.map(works))).filter(Boolean).length, 1)
    assert.equal(await works(client.client_secret!), false)
  })

  test('a revocation racing twenty access-token requests at the seed endpoints: no token outlives it', async () => {
    const user = await registerUser(t.app)
    const { refreshToken } = await signIn(t.app, user.username, user.password)
    const lummox = () => t.app.inject({ method: 'POST', url: '/api/v1/tokens/access', headers: { authorization: refreshToken } })
    const rdata = () => t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refresh_token: refreshToken } })
    const requests = Array.from({ length: 20 }, (_, i) => (i % 2 ? lummox() : rdata()))
    const revoked = postJson(t.app, '/api/v1/auth/revoke', { refresh_token: refreshToken })
    const answers = await Promise.all(requests)
    assert.equal((await revoked).status, 200)
    const tokens = answers.filter((answer) => answer.statusCode === 200).map((answer) => (answer.json().token ?? answer.json().accessToken) as string)
    assert.ok(answers.every((answer) => answer.statusCode === 200 || answer.statusCode === 401))
    for (const token of tokens) {
      assert.equal((await t.app.inject({ url: '/authorise', headers: { authorization: `Bearer ${token}` } })).statusCode, 401)
    }
    assert.equal((await lummox()).statusCode, 401)
    assert.equal((await rdata()).statusCode, 401)
  })
})
