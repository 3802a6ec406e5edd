import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { after, before, describe, test } from 'node:test'
import { buildApp } from '../../src/app.js'
import { loggerOptions } from '../../src/logger.js'
import { SAML_ANSWER_LIMIT, SAML_XML_LIMITS } from '../../src/schemas/saml.js'
import type { SamlAnswer } from '../../src/services/saml.js'
import { openSqliteStore } from '../../src/store/sqlite/index.js'
import { adminToken, Browser, registerUser, startServer, tempDir, testConfig, type ListeningApp } from '../helpers.js'
import { editAnswer, TestIdp, writeSamlConfig, type ReceivedRequest, type ResponseFields, type TestPerson } from './idp.js'

const MINUTE = 60_000
const ago = (ms: number) => new Date(Date.now() - ms).toISOString()

const REQUESTER = 'urn:oasis:names:tc:SAML:2.0:status:Requester'
/** The attributes a big IdP sends besides mail, uid, org and groups: 50 in all. */
const EXTRA_ATTRIBUTES = Array.from({ length: 46 }, (_, i) => `extra${i + 1}`)
const EXTRA_VALUES: ResponseFields = Object.fromEntries(
  EXTRA_ATTRIBUTES.map((name, i) => [`attr${name[0]!.toUpperCase()}${name.slice(1)}`, `value ${i + 1}: urn:example:a-realistic-identifier-of-some-length-${i}`])
)
const withoutDestination = (xml: string) => xml.replace(/ Destination="[^"]*"/, '')

/**
 * Three identity providers played by samlify with keys made for this run: acme signs
 * only its assertions (where signature wrapping matters), globex signs whole responses too
 * and may grant admin, big signs both and sends 50 attributes.
 */
describe('SAML single sign-on', () => {
  let server: ListeningApp
  let acme: TestIdp
  let globex: TestIdp
  let big: TestIdp
  let removeDir: () => void

  before(async () => {
    acme = new TestIdp('acme')
    globex = new TestIdp('globex')
    big = new TestIdp('big', undefined, undefined, EXTRA_ATTRIBUTES)
    const { dir, remove } = tempDir()
    removeDir = remove
    const samlConfig = writeSamlConfig(dir, [acme.configEntry({ wantAuthnResponseSigned: false }), globex.configEntry({ grantableScopes: ['admin'] }), big.configEntry()])
    server = await startServer({ SAML_CONFIG: samlConfig })
    const metadata = async (idp: TestIdp) => (await fetch(`${server.base}/auth/saml/metadata?idp=${idp.name}`)).text()
    acme.trust(await metadata(acme), { signWholeResponse: false })
    globex.trust(await metadata(globex), { signWholeResponse: true })
    big.trust(await metadata(big), { signWholeResponse: true })
  })
  after(async () => {
    await server.close()
    removeDir()
  })

  let sequence = 0
  function person(): TestPerson & { uid: string; mail: string } {
    sequence += 1
    return { nameId: `person-${sequence}@acme.example`, mail: `person-${sequence}@acme.example`, uid: `person ${sequence}`, org: 'Acme', groups: 'user' }
  }

  /** A browser at /auth/saml/login, redirected to the IdP, which reads the AuthnRequest. */
  async function startSignOn(idp: TestIdp, returnTo?: string): Promise<{ browser: Browser; request: ReceivedRequest }> {
    const browser = new Browser(server.base)
    const query = new URLSearchParams(returnTo === undefined ? { idp: idp.name } : { idp: idp.name, returnTo })
    const response = await browser.request(`/auth/saml/login?${query}`)
    assert.equal(response.status, 302, await response.text())
    return { browser, request: await idp.receive(response.headers.get('location')!) }
  }

  function post(browser: Browser, answer: SamlAnswer, headers: Record<string, string> = {}) {
    return browser.request('/auth/saml/login/callback', { form: { ...answer }, headers })
  }

  async function signOn(idp: TestIdp, who: TestPerson, returnTo?: string) {
    const { browser, request } = await startSignOn(idp, returnTo)
    const answer = await idp.answer(request, who)
    const response = await post(browser, answer)
    assert.equal(response.status, 303, await response.text())
    return { browser, request, answer, location: response.headers.get('location') }
  }

  /** The answer is refused with the 401 page, and the browser that sent it has no session. */
  async function assertRefused(browser: Browser, answer: SamlAnswer) {
    const response = await post(browser, answer)
    const page = await response.text()
    assert.equal(response.status, 401, page)
    assert.match(response.headers.get('content-type')!, /text\/html/)
    assert.match(page, /Sign-in refused/)
    assert.equal((await browser.details()).status, 401)
  }

  async function assertAnswerRefused(idp: TestIdp, changes: ResponseFields) {
    const { browser, request } = await startSignOn(idp)
    await assertRefused(browser, await idp.answer(request, person(), changes))
  }

  describe('a good sign-in', () => {
    test('lands on the page asked for, signed in as the user the IdP named, created on the way', async () => {
      const who = person()
      const { browser, request } = await startSignOn(acme, '/auth/details?via=saml')
      assert.equal(request.issuer, `${server.base}/auth/saml/metadata`)
      assert.equal(request.assertionConsumerServiceUrl, `${server.base}/auth/saml/login/callback`)
      const response = await post(browser, await acme.answer(request, who))
      assert.equal(response.status, 303)
      assert.equal(response.headers.get('location'), '/auth/details?via=saml')
      const details = await browser.details()
      assert.equal(details.status, 200)
      assert.deepEqual(
        [details.body.username, details.body.email, details.body.scope, details.body.organisation],
        [who.uid, who.mail, ['user'], 'Acme']
      )
      const user = await server.store.users.findById(details.body.id as string)
      assert.deepEqual([user?.samlIdentity, user?.passwordScheme], [{ idp: 'acme', nameId: who.nameId }, 'none'])
    })

    test('a later sign-in is the same user; an IdP that signs whole responses works too; no returnTo means /auth/details', async () => {
      const who = person()
      const first = await signOn(globex, who)
      assert.equal(first.location, '/auth/details')
      const second = await signOn(globex, { ...who, uid: 'another name' })
      assert.equal((await first.browser.details()).body.id, (await second.browser.details()).body.id)
    })

    test('a returnTo on another origin is dropped', async () => {
      for (const returnTo of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
        assert.equal((await signOn(acme, person(), returnTo)).location, '/auth/details', returnTo)
      }
    })

    test('a NameID that is an email address gives the email, and its local part the username, when no attribute is sent', async () => {
      const { browser } = await signOn(acme, { nameId: 'plain.person@acme.example' })
      const { body } = await browser.details()
      assert.deepEqual([body.username, body.email], ['plain.person', 'plain.person@acme.example'])
    })
  })

  describe('refusals: no forged, stale, foreign or replayed answer yields a session', () => {
    test('an unsigned response', async () => {
      const { browser, request } = await startSignOn(acme)
      await assertRefused(browser, acme.unsignedAnswer(request, person()))
    })

    test('a response tampered with after signing', async () => {
      const { browser, request } = await startSignOn(acme)
      const who = person()
      const answer = await acme.answer(request, who)
      await assertRefused(browser, editAnswer(answer, (xml) => xml.replaceAll(who.nameId, 'admin@acme.example')))
      await assertRefused(browser, editAnswer(answer, (xml) => xml.replace('>user<', '>admin<')))
    })

    test('a response signed by another key', async () => {
      const impostor = acme.impostor()
      impostor.trust(await (await fetch(`${server.base}/auth/saml/metadata?idp=acme`)).text(), { signWholeResponse: true })
      const { browser, request } = await startSignOn(acme)
      await assertRefused(browser, await impostor.answer(request, person()))
    })

    test('signature wrapping: an unsigned assertion before the signed one, or the signed one hidden elsewhere', async () => {
      const { browser, request } = await startSignOn(acme)
      const who = person()
      const answer = await acme.answer(request, who)
      const forged = (signed: string) =>
        signed
          .replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/, '')
          .replace(/ ID="[^"]+"/, ' ID="_forged"')
          .replaceAll(who.nameId, 'admin@acme.example')
          .replace('>user<', '>admin<')
      const assertionOf = (xml: string) => /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(xml)![0]
      await assertRefused(browser, editAnswer(answer, (xml) => xml.replace('<saml:Assertion', `${forged(assertionOf(xml))}<saml:Assertion`)))
      await assertRefused(
        browser,
        editAnswer(answer, (xml) => {
          const signed = assertionOf(xml)
          return xml.replace(signed, `<samlp:Extensions>${signed}</samlp:Extensions>${forged(signed)}`)
        })
      )
    })

    test('a wrong audience', () => assertAnswerRefused(acme, { Audience: 'https://another-sp.example/metadata' }))

    test('an expired assertion', () =>
      assertAnswerRefused(acme, {
        IssueInstant: ago(20 * MINUTE),
        ConditionsNotBefore: ago(20 * MINUTE),
        ConditionsNotOnOrAfter: ago(10 * MINUTE),
        SubjectConfirmationDataNotOnOrAfter: ago(10 * MINUTE)
      }))

    test('an answer to a request we never sent', () => assertAnswerRefused(acme, { InResponseTo: '_never-sent' }))

    test('a wrong issuer, signed with the right key', () => assertAnswerRefused(acme, { Issuer: 'https://evil.idp.example/metadata' }))

    test('an assertion addressed to another service', () => assertAnswerRefused(acme, { SubjectRecipient: 'https://another-sp.example/acs' }))

    test('a signed assertion that does not name the request the response answers', async () => {
      const { browser, request } = await startSignOn(acme)
      const withoutRequest = (xml: string) => xml.replace(/(<saml:SubjectConfirmationData[^>]*) InResponseTo="[^"]+"/, '$1')
      await assertRefused(browser, await acme.answer(request, person(), {}, withoutRequest))
    })

    test('a replayed response: the same answer again, from the same or another browser', async () => {
      const { answer } = await signOn(acme, person())
      await assertRefused(new Browser(server.base), answer)
      await assertRefused(new Browser(server.base), answer)
    })

    test('the same answer posted five times at once signs in one browser only', async () => {
      const { request } = await startSignOn(acme)
      const answer = await acme.answer(request, person())
      const browsers = Array.from({ length: 5 }, () => new Browser(server.base))
      const statuses = await Promise.all(browsers.map(async (browser) => (await post(browser, answer)).status))
      assert.deepEqual(statuses.sort(), [303, 401, 401, 401, 401])
      const signedIn = await Promise.all(browsers.map(async (browser) => (await browser.details()).status))
      assert.deepEqual(signedIn.sort(), [200, 401, 401, 401, 401])
    })

    test('an assertion used before, even inside an answer to a new request', async () => {
      const first = await signOn(acme, person())
      const assertionId = /<saml:Assertion [^>]*ID="([^"]+)"/.exec(Buffer.from(first.answer.SAMLResponse, 'base64').toString())![1]!
      await assertAnswerRefused(acme, { AssertionID: assertionId })
    })

    test('a request sent to one IdP answered by another', async () => {
      const { browser, request } = await startSignOn(globex)
      await assertRefused(browser, { ...(await acme.answer(request, person())), RelayState: 'idp=acme' })
    })

    test('garbage: not base64, not XML, no RelayState, an unknown IdP', async () => {
      const { browser, request } = await startSignOn(acme)
      for (const SAMLResponse of ['not base64 at all!', Buffer.from('hello').toString('base64'), Buffer.from('<samlp:Response').toString('base64'), '%%%']) {
        await assertRefused(browser, { SAMLResponse, RelayState: request.relayState })
      }
      const answer = await acme.answer(request, person())
      await assertRefused(browser, { SAMLResponse: answer.SAMLResponse })
      await assertRefused(browser, { ...answer, RelayState: 'idp=nobody' })
    })

    test('a client that asks for JSON gets the refusal as JSON', async () => {
      const { browser, request } = await startSignOn(acme)
      const response = await post(browser, acme.unsignedAnswer(request, person()), { accept: 'application/json' })
      assert.equal(response.status, 401)
      assert.deepEqual(await response.json(), { statusCode: 401, error: 'Unauthorized', message: 'Single sign-on failed. Start again from the sign-in page.' })
    })

    test('an IdP that names the username of a local account: refused, and the local account is untouched', async () => {
      const local = await registerUser(server.app)
      const { browser, request } = await startSignOn(acme)
      const response = await post(browser, await acme.answer(request, { ...person(), uid: local.username }))
      assert.equal(response.status, 401)
      assert.match(await response.text(), /username is already taken/)
      assert.equal((await browser.details()).status, 401)
      assert.equal((await server.store.users.findById(local.id))?.samlIdentity, null)
    })

    test('a user an admin disabled', async () => {
      const who = person()
      const { browser } = await signOn(acme, who)
      const id = (await browser.details()).body.id as string
      const disabled = await server.app.inject({ method: 'PATCH', url: `/api/v1/users/${id}`, headers: { authorization: `Bearer ${await adminToken(server.app)}` }, payload: { active: false } })
      assert.equal(disabled.statusCode, 200)
      const { browser: again, request } = await startSignOn(acme)
      await assertRefused(again, await acme.answer(request, who))
    })
  })

  describe('what one answer can cost is bounded, before any XPath runs', () => {
    test('an answer over the element limit is refused unparsed, and the request it names is used up', async () => {
      const { browser, request } = await startSignOn(acme)
      await assertRefused(browser, acme.forgedAnswer(request, '<a/>'.repeat(SAML_XML_LIMITS.maxElements)))
      await assertRefused(browser, await acme.answer(request, person()))
    })

    test('any refused answer uses up its request: the genuine answer sent after a tampered one is refused too', async () => {
      for (const idp of [acme, globex]) {
        const { browser, request } = await startSignOn(idp)
        const who = person()
        const answer = await idp.answer(request, who)
        await assertRefused(browser, editAnswer(answer, (xml) => xml.replaceAll(who.nameId, 'admin@acme.example')))
        await assertRefused(browser, answer)
      }
    })

    test('too deep, too many attributes, a DTD, not well-formed: refused before parsing', async () => {
      const tooMany = Array.from({ length: SAML_XML_LIMITS.maxAttributesPerElement + 1 }, (_, i) => `b${i}=""`).join(' ')
      const bodies = [
        `${'<d>'.repeat(SAML_XML_LIMITS.maxDepth)}${'</d>'.repeat(SAML_XML_LIMITS.maxDepth)}`,
        `<a ${tooMany}/>`,
        `<a b="1" b="2"/>`,
        '<a></b>'
      ]
      for (const body of bodies) {
        const { browser, request } = await startSignOn(acme)
        await assertRefused(browser, acme.forgedAnswer(request, body))
      }
      const { browser, request } = await startSignOn(acme)
      const answer = acme.forgedAnswer(request, '')
      await assertRefused(browser, { ...answer, SAMLResponse: Buffer.from(`<!DOCTYPE r [<!ENTITY e "e">]>${Buffer.from(answer.SAMLResponse, 'base64')}`).toString('base64') })
    })

    test('an answer longer than SAML_ANSWER_LIMIT is refused unread', async () => {
      const { browser, request } = await startSignOn(acme)
      const response = await post(browser, { SAMLResponse: 'A'.repeat(SAML_ANSWER_LIMIT + 4), RelayState: request.relayState })
      assert.equal(response.status, 400)
    })

    test('a real answer at the limits signs in: 50 attributes, both signatures with their certificate, group values up to the element limit', async () => {
      const elements = (answer: SamlAnswer) => (Buffer.from(answer.SAMLResponse, 'base64').toString().match(/<[A-Za-z]/g) ?? []).length
      const groups = (count: number) => (xml: string) =>
        xml.replace(/(<saml:AttributeValue[^>]*>user<\/saml:AttributeValue>)/, `$1${'<saml:AttributeValue xsi:type="xs:string">group</saml:AttributeValue>'.repeat(count)}`)
      const first = await startSignOn(big)
      const plain = await big.answer(first.request, person(), EXTRA_VALUES)
      assert.ok(plain.SAMLResponse.length < SAML_ANSWER_LIMIT / 4, `a 50-attribute answer is ${plain.SAMLResponse.length} characters`)
      assert.equal((await post(first.browser, plain)).status, 303)
      const { browser, request } = await startSignOn(big)
      const answer = await big.answer(request, person(), EXTRA_VALUES, groups(SAML_XML_LIMITS.maxElements - elements(plain)))
      assert.equal(elements(answer), SAML_XML_LIMITS.maxElements)
      assert.ok(answer.SAMLResponse.length <= SAML_ANSWER_LIMIT, `${answer.SAMLResponse.length} characters`)
      const response = await post(browser, answer)
      assert.equal(response.status, 303, await response.text())
    })
  })

  describe('the Response itself: its status and where it was sent', () => {
    test('a status other than Success signs no one in, even around a good signed assertion', async () => {
      for (const idp of [acme, globex]) {
        await assertAnswerRefused(idp, { StatusCode: REQUESTER })
        await assertAnswerRefused(idp, { StatusCode: 'urn:oasis:names:tc:SAML:2.0:status:Responder' })
      }
      const { browser, request } = await startSignOn(globex)
      const nested = (xml: string) => xml.replace(/<samlp:StatusCode Value="([^"]+)"\/>/, `<samlp:StatusCode Value="$1"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:NoPassive"/></samlp:StatusCode>`)
      await assertRefused(browser, await globex.answer(request, person(), { StatusCode: 'urn:oasis:names:tc:SAML:2.0:status:Responder' }, nested))
    })

    test('a signed response must name our callback as its Destination', async () => {
      await assertAnswerRefused(globex, { Destination: 'https://another-sp.example/acs' })
      const { browser, request } = await startSignOn(globex)
      await assertRefused(browser, await globex.answer(request, person(), {}, withoutDestination))
    })

    test('an unsigned response (its assertion signed) may leave Destination out, but may not name another one', async () => {
      await assertAnswerRefused(acme, { Destination: 'https://another-sp.example/acs' })
      const { browser, request } = await startSignOn(acme)
      assert.equal((await post(browser, await acme.answer(request, person(), {}, withoutDestination))).status, 303)
    })
  })

  describe('scopes from the IdP', () => {
    test('an IdP grants the user scope only, unless its grantableScopes name more', async () => {
      const fromAcme = await signOn(acme, { ...person(), groups: 'user admin' })
      assert.deepEqual((await fromAcme.browser.details()).body.scope, ['user'])
      const fromGlobex = await signOn(globex, { ...person(), groups: 'user admin' })
      assert.deepEqual(((await fromGlobex.browser.details()).body.scope as string[]).sort(), ['admin', 'user'])
    })

    test('a later sign-in cannot raise the scope either', async () => {
      const who = { ...person(), groups: 'user' }
      await signOn(acme, who)
      const again = await signOn(acme, { ...who, groups: 'admin user' })
      assert.deepEqual((await again.browser.details()).body.scope, ['user'])
    })
  })

  describe('routes', () => {
    test('an unknown IdP is 404 and a missing one 400, at login and for metadata', async () => {
      assert.equal((await server.app.inject('/auth/saml/login?idp=nobody')).statusCode, 404)
      assert.equal((await server.app.inject('/auth/saml/login')).statusCode, 400)
      assert.equal((await server.app.inject('/auth/saml/metadata?idp=nobody')).statusCode, 404)
    })

    test('the metadata names our entity id and callback, wants signed assertions, and is shared by IdPs with the same SP settings', async () => {
      const shared = await server.app.inject('/auth/saml/metadata')
      assert.equal(shared.statusCode, 200)
      assert.match(shared.headers['content-type'] as string, /^application\/samlmetadata\+xml/)
      assert.match(shared.body, new RegExp(`entityID="${server.base}/auth/saml/metadata"`))
      assert.match(shared.body, new RegExp(`Location="${server.base}/auth/saml/login/callback"`))
      assert.match(shared.body, /WantAssertionsSigned="true"/)
      assert.equal((await server.app.inject('/auth/saml/metadata?idp=acme')).body, shared.body)
    })

    test('a POST without SAMLResponse is 400 and changes nothing', async () => {
      const response = await server.app.inject({ method: 'POST', url: '/auth/saml/login/callback', payload: 'RelayState=idp%3Dacme', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
      assert.equal(response.statusCode, 400)
    })
  })
})

describe('SAML refusals in the log', () => {
  /** An app whose log lines are kept, with acme configured (no grantableScopes), and a request sent to acme. */
  async function appWithLog(run: (app: Awaited<ReturnType<typeof buildApp>>, acme: TestIdp, log: () => Record<string, unknown>[]) => Promise<void>) {
    const acme = new TestIdp('acme')
    const { dir, remove } = tempDir()
    const config = testConfig({ LOG_LEVEL: 'info', PUBLIC_URL: 'http://sp.example', SAML_CONFIG: writeSamlConfig(dir, [acme.configEntry()]) }, dir)
    let logged = ''
    const stream = new Writable({
      write(chunk, _encoding, done) {
        logged += chunk.toString()
        done()
      }
    })
    const app = await buildApp(config, { store: openSqliteStore((config.store as { path: string }).path), logger: { ...(loggerOptions(config) as object), stream } })
    try {
      acme.trust((await app.inject('/auth/saml/metadata')).body, { signWholeResponse: true })
      await run(app, acme, () => logged.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>))
      assert.ok(!logged.includes('someone@acme.example'), 'the log holds the NameID')
    } finally {
      await app.close()
      remove()
    }
  }

  async function postAnswer(app: Awaited<ReturnType<typeof buildApp>>, answer: SamlAnswer) {
    return app.inject({ method: 'POST', url: '/auth/saml/login/callback', payload: new URLSearchParams({ ...answer }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  }

  const someone = { nameId: 'someone@acme.example', mail: 'someone@acme.example' }

  test('are warnings that say why, and hold no part of the assertion', () =>
    appWithLog(async (app, acme, log) => {
      const request = await acme.receive((await app.inject('/auth/saml/login?idp=acme')).headers.location as string)
      const answer = await acme.answer(request, someone, { Audience: 'https://another-sp.example' })
      assert.equal((await postAnswer(app, answer)).statusCode, 401)
      const refusal = log().find((entry) => entry.msg === 'SAML sign-in refused')
      assert.ok(refusal, JSON.stringify(log()))
      assert.equal(refusal.level, 40)
      assert.equal(refusal.idp, 'acme')
      assert.match(refusal.reason as string, /audience/)
      assert.ok(!JSON.stringify(log()).includes(answer.SAMLResponse.slice(0, 40)), 'the log holds the answer')
    }))

  test('a status other than Success is named in the refusal', () =>
    appWithLog(async (app, acme, log) => {
      const request = await acme.receive((await app.inject('/auth/saml/login?idp=acme')).headers.location as string)
      assert.equal((await postAnswer(app, await acme.answer(request, someone, { StatusCode: REQUESTER }))).statusCode, 401)
      const refusal = log().find((entry) => entry.msg === 'SAML sign-in refused')
      assert.match(refusal?.reason as string, new RegExp(`succeeded: the IdP answered with status "${REQUESTER}", not Success`))
    }))

  test('why an answer was refused before parsing, and a Destination that is not ours', () =>
    appWithLog(async (app, acme, log) => {
      const start = async () => acme.receive((await app.inject('/auth/saml/login?idp=acme')).headers.location as string)
      await postAnswer(app, acme.forgedAnswer(await start(), '<a/>'.repeat(SAML_XML_LIMITS.maxElements)))
      await postAnswer(app, await acme.answer(await start(), someone, { Destination: 'https://another-sp.example/acs' }))
      const reasons = log()
        .filter((entry) => entry.msg === 'SAML sign-in refused')
        .map((entry) => entry.reason)
      assert.deepEqual(reasons, [
        `the XML was refused before parsing: more than ${SAML_XML_LIMITS.maxElements} elements`,
        'isSentHere: destination "https://another-sp.example/acs" is not http://sp.example/auth/saml/login/callback'
      ])
    }))

  test('a scope the IdP may not grant is left out, with a security event that names it', () =>
    appWithLog(async (app, acme, log) => {
      const request = await acme.receive((await app.inject('/auth/saml/login?idp=acme')).headers.location as string)
      const response = await postAnswer(app, await acme.answer(request, { ...someone, groups: 'user admin wizard' }))
      assert.equal(response.statusCode, 303)
      const event = log().find((entry) => entry.event === 'saml_scope_refused')
      assert.ok(event, JSON.stringify(log()))
      assert.equal(event.level, 40)
      assert.equal(event.idp, 'acme')
      assert.deepEqual(event.scopes, ['admin'], 'only real scopes are worth a line: wizard is not in ALLOWED_SCOPES')
      const user = await app.store.users.findById(event.userId as string)
      assert.deepEqual(user?.scope, ['user'])
    }))
})
