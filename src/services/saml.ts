import { createHash } from 'node:crypto'
import type { CacheProvider, SAML, SamlConfig } from '@node-saml/node-saml'
import { Conflict, InvalidInput, NotFound, SamlRejected } from '../errors.js'
import type { SamlIdpConfig } from '../saml-config.js'
import { SAML_XML_LIMITS } from '../schemas/saml.js'
import type { SamlAssertionRepository, SamlRequestRepository, UserRecord } from '../store/port.js'
import type { Accounts, SamlUserClaims } from './accounts.js'
import { safeReturnTo } from './return-to.js'
import { outlineResponse, type ResponseOutline } from './saml-outline.js'
import { checkOptions, REQUEST_TTL_MS, ResponseChecker, type CheckedAssertion, type XmlElement } from './saml-worker.js'
import { securityEvent } from './security-log.js'

/** Where identity providers post their answers (the assertion consumer service). */
export const SAML_CALLBACK_PATH = '/auth/saml/login/callback'

const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer'
const EMAIL = /^[^\s@]+@[^\s@]+$/
const STATUS_PREFIX = 'urn:oasis:names:tc:SAML:2.0:status:'
const SUCCESS = `${STATUS_PREFIX}Success`
/** The scope every user of an IdP may get; an IdP grants others only when its grantableScopes name them. */
const DEFAULT_SCOPE = 'user'

/**
 * node-saml's InResponseTo cache over the storage port, so whichever replica receives
 * the answer finds the request another one sent. Request ids are bound to their IdP.
 */
class StoredRequestIds implements CacheProvider {
  constructor(
    private readonly requests: SamlRequestRepository,
    private readonly idp: string
  ) {}

  async saveAsync(key: string, value: string) {
    const createdAt = Date.now()
    await this.requests.insert({ id: key, idp: this.idp, createdAt, expiresAt: createdAt + REQUEST_TTL_MS })
    return { value, createdAt }
  }

  /** Never asked here: answers are checked on the worker thread, against the request id signIn took from the store. */
  async getAsync() {
    return null
  }

  async removeAsync() {
    return null
  }
}

function children(element: XmlElement | undefined, name: string): XmlElement[] {
  const list = element?.[name]
  return Array.isArray(list) ? (list as XmlElement[]) : []
}

function timeOf(text: string | undefined): number | null {
  const ms = text === undefined ? NaN : Date.parse(text)
  return Number.isNaN(ms) ? null : ms
}

/** What the checks need from the assertion node-saml verified; nothing here comes from unsigned XML but inResponseTo. */
interface AssertionFacts {
  id: string | null
  issuer: string | null
  nameId: string | null
  /** The request the response answers, as node-saml read it (it checked that it is the one taken, and that the assertion agrees when it names one). */
  inResponseTo: string | null
  /** The signed bearer confirmation naming that request, if there is one. */
  confirmation: { recipient: string | null; notOnOrAfter: number | null } | null
  conditionsNotOnOrAfter: number | null
}

function factsOf(checked: CheckedAssertion): AssertionFacts {
  const assertion = checked.assertion ?? undefined
  const inResponseTo = checked.inResponseTo
  const confirmation = children(children(assertion, 'Subject')[0], 'SubjectConfirmation')
    .filter((element) => element.$?.Method === BEARER)
    .map((element) => children(element, 'SubjectConfirmationData')[0]?.$ ?? {})
    .find((data) => inResponseTo !== null && data.InResponseTo === inResponseTo)
  return {
    id: assertion?.$?.ID ?? null,
    issuer: checked.issuer,
    nameId: checked.nameId,
    inResponseTo,
    confirmation: confirmation ? { recipient: confirmation.Recipient ?? null, notOnOrAfter: timeOf(confirmation.NotOnOrAfter) } : null,
    conditionsNotOnOrAfter: timeOf(children(assertion, 'Conditions')[0]?.$?.NotOnOrAfter)
  }
}

/** What an answer is checked against: the IdP named in RelayState, our callback, and the request id taken from the store. */
interface Expected {
  idp: SamlIdpConfig
  callbackUrl: string
  requestId: string
}

/** A value read from the answer, for a log line: quoted, and short. */
function quoted(value: string | undefined): string {
  if (value === undefined) return 'none'
  return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}...` : value)
}

/** A rule on the Response itself, checked on the outline before node-saml runs; returns why the answer fails it, or null. */
type ResponseCheck = (outline: ResponseOutline, expected: Expected) => string | null

/**
 * Refusals here need no signature: a forged answer is refused either way. One that passes
 * then goes to node-saml, which checks the signature over what was read here when the
 * Response is signed.
 */
const RESPONSE_CHECKS: ResponseCheck[] = [
  function isAResponse(outline) {
    const name = outline.root!.name
    return name.slice(name.indexOf(':') + 1) === 'Response' ? null : `the root element is ${quoted(name)}, not a Response`
  },
  // SAML Core 3.2.2.2: anything but Success means the IdP did not sign anyone in, whatever else the answer holds.
  function succeeded(outline) {
    const [status, secondLevel] = outline.statusCodes
    if (status === SUCCESS) return null
    const detail = secondLevel === undefined ? '' : ` (second-level ${quoted(secondLevel)})`
    return status === undefined ? 'the response has no StatusCode' : `the IdP answered with status ${quoted(status)}${detail}, not Success`
  },
  // Bindings 3.5.5.2 and Profiles 4.1.4.5: a signed response names where it is to be delivered, and that must be here.
  function isSentHere(outline, { idp, callbackUrl }) {
    const destination = outline.root!.attributes.Destination
    const signed = idp.wantAuthnResponseSigned || outline.rootSigned
    if (destination === undefined) return signed ? 'the signed response names no Destination' : null
    return destination === callbackUrl ? null : `destination ${quoted(destination)} is not ${callbackUrl}`
  }
]

/** A rule node-saml does not enforce on login; returns why the assertion fails it, or null. */
type AssertionCheck = (facts: AssertionFacts, expected: Expected) => string | null

/** Run in order after node-saml has checked signatures, times, audience and InResponseTo. */
const ASSERTION_CHECKS: AssertionCheck[] = [
  function answersTheRequestTaken(facts, { requestId }) {
    return facts.inResponseTo === requestId ? null : `InResponseTo ${quoted(facts.inResponseTo ?? undefined)} is not the request taken, ${requestId}`
  },
  function issuedByTheIdp(facts, { idp }) {
    return facts.issuer === idp.idpIssuer ? null : `issuer ${JSON.stringify(facts.issuer)} is not ${idp.idpIssuer}`
  },
  function hasAnId(facts) {
    return facts.id ? null : 'the assertion has no ID'
  },
  function namesTheUser(facts) {
    return facts.nameId ? null : 'the assertion has no NameID'
  },
  function answersOurRequest(facts) {
    return facts.confirmation ? null : 'no signed bearer SubjectConfirmationData names the request answered'
  },
  function isAddressedToUs(facts, { callbackUrl }) {
    const recipient = facts.confirmation?.recipient ?? null
    return recipient === callbackUrl ? null : `recipient ${JSON.stringify(recipient)} is not ${callbackUrl}`
  }
]

/** The values of one assertion attribute, trimmed, empty ones left out; none when the attribute is not mapped. */
function attributeValues(checked: CheckedAssertion, name: string | undefined): string[] {
  if (name === undefined) return []
  const value = Object.hasOwn(checked.attributes, name) ? checked.attributes[name] : undefined
  return [value].flat().flatMap((item) => (typeof item === 'string' && item.trim() !== '' ? [item.trim()] : []))
}

/**
 * The user record an assertion asks for. Email: the mapped attribute, else a NameID
 * that is an email address. Username: the mapped attribute, else the NameID; of an
 * email address only the part before `@`. Organisation and scope only when mapped
 * (scope: every value, each split at spaces). Returns a problem instead when there is no email.
 */
function claimsOf(checked: CheckedAssertion, nameId: string, names: SamlIdpConfig['attributes']): SamlUserClaims | string {
  const email = attributeValues(checked, names.email)[0] ?? (EMAIL.test(nameId) ? nameId : undefined)
  if (email === undefined || !EMAIL.test(email) || email.length > 254) return 'the assertion carries no usable email address'
  const username = attributeValues(checked, names.username)[0] ?? nameId
  return {
    username: EMAIL.test(username) ? username.slice(0, username.lastIndexOf('@')) : username,
    email,
    organisation: names.organisation === undefined ? undefined : (attributeValues(checked, names.organisation)[0] ?? null),
    scope: names.scope === undefined ? undefined : attributeValues(checked, names.scope).flatMap((value) => value.split(/\s+/))
  }
}

/** RelayState carries the IdP (the callback is shared) and where to go afterwards; both are checked again on return. */
function relayStateOf(idp: string, returnTo: string | null): string {
  return new URLSearchParams(returnTo === null ? { idp } : { idp, returnTo }).toString()
}

function parseRelayState(relayState: string | undefined): { idp: string | null; returnTo: string | null } {
  const params = new URLSearchParams(relayState ?? '')
  return { idp: params.get('idp'), returnTo: safeReturnTo(params.get('returnTo') ?? undefined) }
}

interface IdentityProvider {
  config: SamlIdpConfig
  saml: SAML
  /** Our SP metadata for this IdP, made once. */
  metadata: string
}

export interface SamlAnswer {
  SAMLResponse: string
  RelayState?: string
}

type NodeSaml = typeof import('@node-saml/node-saml')

type Repositories = { samlRequests: SamlRequestRepository; samlAssertions: SamlAssertionRepository }

/**
 * SAML 2.0 single sign-on as a service provider, one node-saml instance per identity
 * provider, all built at start. Signatures are required (never both off), request ids
 * are kept in the store and used once, the clock skew is at most a minute, and what
 * we sign is signed with SHA-256, whatever the SAML_CONFIG file says. Answers are
 * bounded by a linear pass before node-saml sees them, and node-saml checks them on a
 * worker thread (saml-worker.ts), so no answer holds the event loop.
 */
export class SamlSignOn {
  private readonly idps = new Map<string, IdentityProvider>()
  private readonly callbackUrl: string
  private readonly checker: ResponseChecker

  private constructor(
    configs: SamlIdpConfig[],
    private readonly repositories: Repositories,
    private readonly accounts: Accounts,
    publicUrl: string,
    /** ALLOWED_SCOPES: the scope values whose refusal is worth a log line (others are not scopes at all). */
    private readonly allowedScopes: readonly string[],
    nodeSaml: NodeSaml | null
  ) {
    this.callbackUrl = `${publicUrl}${SAML_CALLBACK_PATH}`
    for (const config of configs) this.idps.set(config.name, this.build(config, nodeSaml!))
    this.checker = new ResponseChecker(configs, this.callbackUrl)
  }

  static async create(
    configs: SamlIdpConfig[],
    repositories: Repositories,
    accounts: Accounts,
    publicUrl: string,
    allowedScopes: readonly string[] = []
  ): Promise<SamlSignOn> {
    // node-saml and its XML stack take a tenth of a second to load: only when an IdP is configured.
    const nodeSaml = configs.length === 0 ? null : await import('@node-saml/node-saml')
    return new SamlSignOn(configs, repositories, accounts, publicUrl, allowedScopes, nodeSaml)
  }

  /** Stops the worker thread. */
  close(): Promise<void> {
    return this.checker.close()
  }

  private build(config: SamlIdpConfig, { SAML, generateServiceProviderMetadata }: NodeSaml): IdentityProvider {
    const signing = config.privateKey === null ? {} : { privateKey: config.privateKey, publicCert: config.publicCert ?? undefined }
    const common = {
      issuer: config.issuer,
      callbackUrl: this.callbackUrl,
      identifierFormat: config.identifierFormat,
      wantAssertionsSigned: config.wantAssertionsSigned,
      signatureAlgorithm: 'sha256',
      digestAlgorithm: 'sha256',
      ...signing
    } as const
    // This instance makes AuthnRequests (and stores their ids); the worker's, with the same checkOptions, checks answers.
    const saml = new SAML({
      ...checkOptions(config, this.callbackUrl),
      ...common,
      entryPoint: config.entryPoint,
      cacheProvider: new StoredRequestIds(this.repositories.samlRequests, config.name)
    } as SamlConfig)
    // A stable document ID, so IdPs that share our SP settings share one metadata document.
    const metadataId = `_${createHash('sha256').update(config.issuer).digest('hex').slice(0, 40)}`
    const metadata = generateServiceProviderMetadata({ ...common, publicCerts: config.publicCert, generateUniqueId: () => metadataId })
    return { config, saml, metadata }
  }

  private idp(name: string): IdentityProvider {
    const idp = this.idps.get(name)
    if (!idp) throw new NotFound(`No identity provider is named ${name}`)
    return idp
  }

  /** The IdP's sign-on URL carrying a new AuthnRequest (HTTP-Redirect binding), signed when a privateKey is configured. */
  loginUrl(idpName: string, returnTo: string | null): Promise<string> {
    return this.idp(idpName).saml.getAuthorizeUrlAsync(relayStateOf(idpName, returnTo), undefined, {})
  }

  /** Our SP metadata for one IdP; without a name, the one every IdP shares. */
  metadata(idpName?: string): string {
    if (idpName !== undefined) return this.idp(idpName).metadata
    const documents = new Set([...this.idps.values()].map((idp) => idp.metadata))
    if (documents.size === 0) throw new NotFound('No SAML identity provider is configured')
    if (documents.size > 1) throw new InvalidInput('The identity providers use different service provider settings: ask for one with ?idp=NAME')
    return [...documents][0]!
  }

  /**
   * Checks an IdP's answer and returns the user it signs in, and where to go next.
   * Throws SamlRejected for anything that is not a fresh, signed, well-addressed,
   * successful answer from the configured IdP to a request we sent it.
   *
   * In order: the cheap steps on the main thread (the outline, which bounds the
   * document; taking the request id it names from the store, so that each answer, good
   * or bad, costs its sender a new request; the rules on the Response), then node-saml
   * on the worker thread, then the rules on the assertion it verified.
   */
  async signIn(answer: SamlAnswer): Promise<{ user: UserRecord; idp: string; returnTo: string | null }> {
    const relay = parseRelayState(answer.RelayState)
    const idp = relay.idp === null ? undefined : this.idps.get(relay.idp)
    if (!idp) throw new SamlRejected('RelayState names no configured identity provider')
    const name = idp.config.name
    const outline = outlineResponse(Buffer.from(answer.SAMLResponse, 'base64').toString('utf8'), SAML_XML_LIMITS)
    const requestId = outline.root?.attributes.InResponseTo
    const now = Date.now()
    // Used up by any answer that names it, refused or not: one request id buys one expensive check, never a series.
    const taken = requestId !== undefined && (await this.repositories.samlRequests.consume(requestId, name, now))
    if (outline.problem !== null) throw new SamlRejected(outline.problem, name)
    if (requestId === undefined) throw new SamlRejected('the response names no request (InResponseTo); unsolicited answers are not accepted', name)
    if (!taken) throw new SamlRejected(`InResponseTo ${quoted(requestId)} is no live request sent to this IdP (unknown, expired, or answered already)`, name)
    const expected: Expected = { idp: idp.config, callbackUrl: this.callbackUrl, requestId }
    for (const check of RESPONSE_CHECKS) {
      const problem = check(outline, expected)
      if (problem !== null) throw new SamlRejected(`${check.name}: ${problem}`, name)
    }
    const checked = await this.checker.check(name, answer.SAMLResponse, requestId)
    if (!checked) throw new SamlRejected('the response signs no one in', name)
    const facts = factsOf(checked)
    for (const check of ASSERTION_CHECKS) {
      const problem = check(facts, expected)
      if (problem !== null) throw new SamlRejected(`${check.name}: ${problem}`, name)
    }
    // Kept until no answer carrying this assertion could pass the checks above any more.
    const usableUntil = Math.max(now + REQUEST_TTL_MS, facts.confirmation!.notOnOrAfter ?? 0, facts.conditionsNotOnOrAfter ?? 0) + idp.config.acceptedClockSkewMs
    if (!(await this.repositories.samlAssertions.markUsed(name, facts.id!, usableUntil, Date.now()))) {
      throw new SamlRejected(`assertion ${facts.id} was used before`, name)
    }
    const user = await this.userOf(idp.config, facts.nameId!, checked)
    if (!user.active) throw new SamlRejected(`user ${user.id} is disabled`, name)
    return { user, idp: name, returnTo: relay.returnTo }
  }

  private async userOf(config: SamlIdpConfig, nameId: string, checked: CheckedAssertion): Promise<UserRecord> {
    const claims = claimsOf(checked, nameId, config.attributes)
    if (typeof claims === 'string') throw new SamlRejected(claims, config.name)
    // An IdP grants the default scope and those its grantableScopes name; any other scope it sends is refused.
    const grantable = new Set([DEFAULT_SCOPE, ...config.grantableScopes])
    const refused = [...new Set(claims.scope?.filter((scope) => !grantable.has(scope) && this.allowedScopes.includes(scope)))]
    const granted = claims.scope && { ...claims, scope: claims.scope.filter((scope) => grantable.has(scope)) }
    let user: UserRecord
    try {
      user = await this.accounts.findOrCreateSamlUser({ idp: config.name, nameId }, granted ?? claims)
    } catch (error) {
      // The IdP vouched for this person, so they may read why their account cannot be made or updated.
      if (error instanceof Conflict || error instanceof InvalidInput) {
        throw new SamlRejected(error.message, config.name, `Single sign-on cannot set up your account here (${error.message}). Ask an administrator.`)
      }
      throw error
    }
    if (refused.length > 0) securityEvent('warn', 'saml_scope_refused', { idp: config.name, userId: user.id, scopes: refused })
    return user
  }
}
