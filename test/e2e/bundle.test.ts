import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import * as errors from '../../src/errors.js'
import { ASSET_PATHS } from '../../src/pages/frame.js'
import { Browser, tempDir } from '../helpers.js'
import { TestIdp, writeSamlConfig } from '../saml/idp.js'
import { serverScript, start, type Running } from './server-process.js'

/**
 * The image runs dist/bundle/server.js, the server bundled into one module by scripts/bundle.mjs,
 * while the other suites run tsc's output. What a bundle can break is checked here on it: a
 * worker started from its own file, files read beside a package's own code, the error classes,
 * and CommonJS dependencies that require Node's modules.
 */
describe('the bundled server (the image entry)', () => {
  let server: Running
  let idp: TestIdp
  let removeDir: () => void

  before(async () => {
    idp = new TestIdp('bundled')
    const { dir, remove } = tempDir()
    removeDir = remove
    server = await start(
      { SQLITE_PATH: join(dir, 'moneypenny.db'), SAML_CONFIG: writeSamlConfig(dir, [idp.configEntry()]), RATE_LIMIT: 'off' },
      { issuerIsBase: true }
    )
    idp.trust(await (await fetch(`${server.base}/auth/saml/metadata?idp=${idp.name}`)).text(), { signWholeResponse: true })
  })
  after(async () => {
    await server.stop()
    removeDir()
  })

  test("SAML answers are checked on the worker thread, which starts from the bundle's own file", async () => {
    const browser = new Browser(server.base)
    const login = await browser.request(`/auth/saml/login?idp=${idp.name}`)
    assert.equal(login.status, 302)
    const request = await idp.receive(login.headers.get('location')!)
    const answer = await idp.answer(request, { nameId: 'bundled.person@example.test', mail: 'bundled.person@example.test', uid: 'bundled' })
    const signedIn = await browser.request('/auth/saml/login/callback', { form: { ...answer } })
    assert.equal(signedIn.status, 303, await signedIn.text())
    const details = await browser.details()
    assert.deepEqual([details.status, details.body.username], [200, 'bundled'])
  })

  test('the API document and its UI, served from the packages that are left outside the bundle', async () => {
    const document = await fetch(`${server.base}/docs/json`)
    assert.equal(document.status, 200)
    const openapi = (await document.json()) as { openapi: string; paths: Record<string, unknown> }
    assert.match(openapi.openapi, /^3\./)
    assert.ok(openapi.paths['/authorise'])
    const ui = await fetch(`${server.base}/docs/`)
    assert.equal(ui.status, 200)
    const html = await ui.text()
    const scripts = [...html.matchAll(/<script src="\.?\/?([^"]+)"/g)].map((match) => match[1]!)
    assert.ok(scripts.length > 0, html)
    for (const script of scripts) assert.equal((await fetch(`${server.base}/docs/${script}`)).status, 200, script)
  })

  test("the pages' stylesheet and scripts, the passkey script read from @simplewebauthn/browser's folder", async () => {
    for (const path of [ASSET_PATHS.css, ASSET_PATHS.webauthn, ASSET_PATHS.passkeys]) {
      const response = await fetch(`${server.base}${path}`)
      assert.equal(response.status, 200, path)
      assert.ok((await response.arrayBuffer()).byteLength > 100, path)
    }
    assert.match(await (await fetch(`${server.base}/auth/local/login`)).text(), /<form/)
  })

  test('protocol errors keep their status, code and challenge', async () => {
    const token = await fetch(`${server.base}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials'
    })
    assert.equal(token.status, 401)
    assert.equal(((await token.json()) as { error: string }).error, 'invalid_client')
    assert.match(token.headers.get('www-authenticate') ?? '', /^Basic /)
    const bad = await fetch(`${server.base}/api/v1/auth/local/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":1}' })
    assert.equal(bad.status, 400)
    assert.equal(((await bad.json()) as { error: string }).error, 'Bad Request')
  })

  test('no error class is renamed by the bundle (its name is the type of its log lines)', () => {
    const bundle = readFileSync(join(serverScript, '..', 'main.js'), 'utf8')
    const classes = Object.entries(errors).filter(([, value]) => typeof value === 'function' && value.prototype instanceof Error)
    assert.ok(classes.length > 20)
    for (const [name] of classes) {
      assert.match(bundle, new RegExp(`\\bvar ${name} = class\\b|\\bclass ${name}\\b`), name)
      assert.doesNotMatch(bundle, new RegExp(`\\b${name}\\d+ = class\\b`), name)
    }
  })
})
