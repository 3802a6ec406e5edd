import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import samlify from 'samlify'
import type { SamlAnswer } from '../../src/services/saml.js'
import { tempDir } from '../helpers.js'

// samlify checks XML against the SAML schemas only with a validator it is given. Here it
// only plays the IdP (reads our AuthnRequests, signs answers): node-saml on our side is under test.
samlify.setSchemaValidator({ validate: async () => 'skipped' })

export interface SigningKey {
  privateKey: string
  cert: string
}

/** An RSA key and a self-signed certificate, made by openssl for this test run. */
export function makeSigningKey(commonName: string): SigningKey {
  const { dir, remove } = tempDir()
  try {
    const keyPath = join(dir, 'key.pem')
    const certPath = join(dir, 'cert.pem')
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2', '-subj', `/CN=${commonName}`, '-keyout', keyPath, '-out', certPath], { stdio: 'ignore' })
    return { privateKey: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') }
  } finally {
    remove()
  }
}

/** Writes a SAML_CONFIG file listing `entries` into `dir`; returns its path. */
export function writeSamlConfig(dir: string, entries: unknown): string {
  const path = join(dir, 'saml.json')
  writeFileSync(path, JSON.stringify(entries))
  return path
}

/** What the IdP knows about a person; attributes left out are not sent. */
export interface TestPerson {
  nameId: string
  mail?: string
  uid?: string
  org?: string
  groups?: string
}

/** An AuthnRequest as the IdP received it. */
export interface ReceivedRequest {
  id: string
  issuer: string
  assertionConsumerServiceUrl: string
  relayState: string
}

/** The tags of samlify's login response template (ID, Issuer, Audience, ...) and the attribute values (attrMail, ...). */
export type ResponseFields = Record<string, string | undefined>

const ATTRIBUTE_NAMES = ['mail', 'uid', 'org', 'groups']
const MINUTE = 60_000
const iso = (ms: number) => new Date(ms).toISOString()
const newId = () => `_${randomBytes(16).toString('hex')}`
const FAKE_SIGNATURE =
  '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>' +
  '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="#_forged"><ds:Transforms>' +
  '<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>' +
  '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>bm90IGEgZGlnZXN0</ds:DigestValue></ds:Reference></ds:SignedInfo>' +
  '<ds:SignatureValue>bm90IGEgc2lnbmF0dXJl</ds:SignatureValue></ds:Signature>'

/** An identity provider played by samlify: reads our AuthnRequests and signs real answers with its own key. */
export class TestIdp {
  readonly ssoUrl: string
  private readonly idp: samlify.IdentityProviderInstance
  private sp: samlify.ServiceProviderInstance | null = null

  /** `extraAttributes`: more attribute names (letters and digits) the IdP may send, whose values are the fields `attr` + Name. */
  constructor(
    readonly name: string,
    readonly key: SigningKey = makeSigningKey(name),
    readonly entityId = `https://${name}.idp.example/metadata`,
    extraAttributes: string[] = []
  ) {
    this.ssoUrl = `https://${name}.idp.example/sso`
    this.idp = samlify.IdentityProvider({
      entityID: entityId,
      privateKey: key.privateKey,
      signingCert: key.cert,
      singleSignOnService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: this.ssoUrl }],
      singleLogoutService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: `${this.ssoUrl}/logout` }],
      loginResponseTemplate: {
        context: samlify.SamlLib.defaultLoginResponseTemplate.context,
        attributes: [...ATTRIBUTE_NAMES, ...extraAttributes].map((name) => ({
          name,
          valueTag: name,
          nameFormat: 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
          valueXsiType: 'xs:string'
        }))
      }
    })
  }

  /** Its entry in SAML_CONFIG. */
  configEntry(settings: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      name: this.name,
      entryPoint: this.ssoUrl,
      idpCert: this.key.cert,
      idpIssuer: this.entityId,
      attributes: { email: 'mail', username: 'uid', organisation: 'org', scope: 'groups' },
      ...settings
    }
  }

  /** Someone else's key, the same name and entity id: a forger posing as this IdP. */
  impostor(): TestIdp {
    return new TestIdp(this.name, makeSigningKey(`${this.name} impostor`), this.entityId)
  }

  /** Takes in our SP metadata, as an IdP administrator does; signs whole responses when asked to, assertions always. */
  trust(metadata: string, options: { signWholeResponse: boolean }): void {
    this.sp = samlify.ServiceProvider({ metadata, wantMessageSigned: options.signWholeResponse })
  }

  private get serviceProvider(): samlify.ServiceProviderInstance {
    assert.ok(this.sp, `${this.name} has not read our metadata`)
    return this.sp
  }

  /** Reads the AuthnRequest in our redirect to its sign-on page. */
  async receive(location: string): Promise<ReceivedRequest> {
    const url = new URL(location)
    assert.equal(`${url.origin}${url.pathname}`, this.ssoUrl)
    const { extract } = await this.idp.parseLoginRequest(this.serviceProvider, 'redirect', { query: Object.fromEntries(url.searchParams) })
    const request = extract.request as Record<string, string>
    return {
      id: request.id!,
      issuer: extract.issuer as string,
      assertionConsumerServiceUrl: request.assertionConsumerServiceUrl!,
      relayState: url.searchParams.get('RelayState') ?? ''
    }
  }

  /** The fields of a good answer to `request` for `person`, valid for five minutes from now. */
  fields(request: ReceivedRequest, person: TestPerson): ResponseFields {
    const now = Date.now()
    const callback = this.serviceProvider.entityMeta.getAssertionConsumerService('post') as string
    assert.ok(callback, 'our metadata names the callback')
    return {
      ID: newId(),
      AssertionID: newId(),
      IssueInstant: iso(now),
      Issuer: this.entityId,
      Destination: callback,
      SubjectRecipient: callback,
      Audience: this.serviceProvider.entityMeta.getEntityID(),
      StatusCode: samlify.Constants.StatusCode.Success,
      ConditionsNotBefore: iso(now),
      ConditionsNotOnOrAfter: iso(now + 5 * MINUTE),
      SubjectConfirmationDataNotOnOrAfter: iso(now + 5 * MINUTE),
      NameIDFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      NameID: person.nameId,
      InResponseTo: request.id,
      AuthnStatement: '',
      attrMail: person.mail,
      attrUid: person.uid,
      attrOrg: person.org,
      attrGroups: person.groups
    }
  }

  /** The IdP's signed answer; `changes` replace fields, and `edit` changes the XML, before signing. */
  async answer(
    request: ReceivedRequest,
    person: TestPerson,
    changes: ResponseFields = {},
    edit: (xml: string) => string = (xml) => xml
  ): Promise<SamlAnswer & { RelayState: string }> {
    const fields = { ...this.fields(request, person), ...changes }
    const { context } = await this.idp.createLoginResponse(this.serviceProvider, { extract: { request: { id: request.id } } }, 'post', {}, {
      customTagReplacement: (template) => ({ id: fields.ID!, context: edit(samlify.SamlLib.replaceTagsByValue(template, fields)) })
    })
    return { SAMLResponse: context, RelayState: request.relayState }
  }

  /**
   * A Response to `request` that passes every check short of the signature, which is made
   * up (a reference to the Response, a digest and a value that sign nothing), with `body`
   * after its Status: the shape of the attack on node-saml's XPath in issue 22.
   */
  forgedAnswer(request: ReceivedRequest, body: string): SamlAnswer & { RelayState: string } {
    const callback = this.serviceProvider.entityMeta.getAssertionConsumerService('post') as string
    const xml =
      `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_forged" Version="2.0" IssueInstant="${iso(Date.now())}" Destination="${callback}" InResponseTo="${request.id}">` +
      `<saml:Issuer>${this.entityId}</saml:Issuer>${FAKE_SIGNATURE}<samlp:Status><samlp:StatusCode Value="${samlify.Constants.StatusCode.Success}"/></samlp:Status>${body}</samlp:Response>`
    return { SAMLResponse: Buffer.from(xml).toString('base64'), RelayState: request.relayState }
  }

  /** The same answer with no signature at all. */
  unsignedAnswer(request: ReceivedRequest, person: TestPerson): SamlAnswer & { RelayState: string } {
    const template = (this.idp.entitySetting.loginResponseTemplate as { context: string }).context
    const xml = samlify.SamlLib.replaceTagsByValue(template, this.fields(request, person))
    return { SAMLResponse: Buffer.from(xml).toString('base64'), RelayState: request.relayState }
  }
}

/** The answer with its XML changed by `edit` (after signing, as an attacker would). */
export function editAnswer<T extends SamlAnswer>(answer: T, edit: (xml: string) => string): T {
  const xml = Buffer.from(answer.SAMLResponse, 'base64').toString('utf8')
  const edited = edit(xml)
  assert.notEqual(edited, xml, 'the edit changed nothing')
  return { ...answer, SAMLResponse: Buffer.from(edited).toString('base64') }
}
