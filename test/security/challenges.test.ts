import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { appRoutes, concretePath } from '../attack/routes.js'
import { buildTestApp, registerUser, signIn, type TestApp } from '../helpers.js'

/** RFC 9110 §15.5.2 and RFC 6750 §3: a 401 from any route says how to authenticate. */
describe('every 401 carries a WWW-Authenticate challenge', () => {
  let t: TestApp
  before(async () => {
    t = await buildTestApp({ RATE_LIMIT: 'off' })
  })
  after(() => t.close())

  /** Each route asked once with `authorization` (or none); the 401 answers with their challenge. */
  async function unauthorizedAnswers(authorization: string | undefined) {
    const answers: { route: string; challenge: string | undefined }[] = []
    for (const route of appRoutes(t.app)) {
      const withBody = route.method !== 'GET' && route.method !== 'DELETE' && route.method !== 'OPTIONS'
      const response = await t.app.inject({
        method: route.method as 'GET',
        url: concretePath(route.path),
        headers: authorization === undefined ? {} : { authorization },
        ...(withBody ? { payload: {} } : {})
      })
      if (response.statusCode === 401) answers.push({ route: `${route.method} ${route.path}`, challenge: response.headers['www-authenticate'] as string | undefined })
    }
    return answers
  }

  test('without credentials: a Bearer challenge with no error code', async () => {
    const answers = await unauthorizedAnswers(undefined)
    for (const expected of ['GET /authorise', 'GET /auth/details', 'GET /api/v1/users/:id', 'GET /api/v1/clients', 'GET /oauth2/userinfo']) {
      assert.ok(answers.some((answer) => answer.route === expected), `${expected} answers 401 without credentials`)
    }
    for (const { route, challenge } of answers) {
      assert.ok(challenge, `${route} has a challenge`)
      if (!route.includes('/oauth2/')) assert.equal(challenge, 'Bearer realm="moneypenny"', route)
    }
  })

  test('with a refused bearer token: error="invalid_token"', async () => {
    const answers = await unauthorizedAnswers('Bearer not.a.token')
    assert.ok(answers.length >= 10, `many routes refuse a bad token (${answers.length})`)
    for (const { route, challenge } of answers) assert.match(challenge ?? '', /^Bearer .*error="invalid_token"/, route)
  })

  test('a wrong password at a seed sign-in endpoint is challenged too', async () => {
    const user = await registerUser(t.app)
    const refused = await t.app.inject({ method: 'POST', url: '/api/v1/auth/local/authenticate', payload: { username: user.username, password: 'wrong-password-1' } })
    assert.equal(refused.statusCode, 401)
    assert.equal(refused.headers['www-authenticate'], 'Bearer realm="moneypenny"')
    assert.ok((await signIn(t.app, user.username, user.password)).accessToken, 'the right password still signs in')
  })
})
