import { createHash } from 'node:crypto'
import type { CacheProvider, Profile, SAML } from '@node-saml/node-saml'
import { Conflict, InvalidInput, NotFound, SamlRejected } from '../errors.js'
import type { SamlIdpConfig } from '../saml-config.js'
import type { SamlAssertionRepository, SamlRequestRepository, UserRecord } from '../store/port.js'
import type { Accounts, SamlUserClaims } from './accounts.js'
import { safeReturnTo } from './return-to.js'

/** Where identity providers post their answers (the assertion consumer service). */
export const SAML_CALLBACK_PATH = '/auth/saml/login/callback'

/** How long an AuthnRequest waits for its answer: a person may take a while at the IdP. */
const REQUEST_TTL_MS = 15 * 60_000

const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer'
const EMAIL = /^[^\s@]+@[^\s@]+$/

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

  async getAsync(key: string) {
    const request = await this.requests.find(key, this.idp, Date.now())
    return request && new Date(request.createdAt).toISOString()
  }

  /**
   * node-saml removes the id after validating and never looks at the answer, so two
   * answers racing for one request could both pass. Instead SamlSignOn consumes it
   * (one atomic delete) once every other check has passed: only one answer can win.
   */
  async removeAsync() {
    return null
  }
}

/** xml2js as node-saml runs it: children are arrays, text is `_`, attributes are `$`. */
interface XmlElement {
  $?: Record<string, string | undefined>
  [child: string]: unknown
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
  /** The request the response answers (node-saml checked it is one we sent, and that the assertion agrees when it names one). */
  inResponseTo: string | null
  /** The signed bearer confirmation naming that request, if there is one. */
  confirmation: { recipient: string | null; notOnOrAfter: number | null } | null
  conditionsNotOnOrAfter: number | null
}

function factsOf(profile: Profile): AssertionFacts {
  const assertion = (profile.getAssertion?.() as { Assertion?: XmlElement } | undefined)?.Assertion
  const inResponseTo = typeof profile.inResponseTo === 'string' ? profile.inResponseTo : null
  const confirmation = children(children(assertion, 'Subject')[0], 'SubjectConfirmation')
    .filter((element) => element.$?.Method === BEARER)
    .map((element) => children(element, 'SubjectConfirmationData')[0]?.$ ?? {})
    .find((data) => inResponseTo !== null && data.InResponseTo === inResponseTo)
  return {
    id: assertion?.$?.ID ?? null,
    issuer: profile.issuer || null,
    nameId: profile.nameID || null,
    inResponseTo,
    confirmation: confirmation ? { recipient: confirmation.Recipient ?? null, notOnOrAfter: timeOf(confirmation.NotOnOrAfter) } : null,
    conditionsNotOnOrAfter: timeOf(children(assertion, 'Conditions')[0]?.$?.NotOnOrAfter)
  }
}

/** A rule node-saml does not enforce on login; returns why the assertion fails it, or null. */
type AssertionCheck = (facts: AssertionFacts, idp: SamlIdpConfig, callbackUrl: string) => string | null

/** Run in order after node-saml has checked signatures, times, audience and InResponseTo. */
const ASSERTION_CHECKS: AssertionCheck[] = [
  function issuedByTheIdp(facts, idp) {
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
  function isAddressedToUs(facts, _idp, callbackUrl) {
    const recipient = facts.confirmation?.recipient ?? null
    return recipient === callbackUrl ? null : `recipient ${JSON.stringify(recipient)} is not ${callbackUrl}`
  }
]

/** The values of one assertion attribute, trimmed, empty ones left out; none when the attribute is not mapped. */
function attributeValues(profile: Profile, name: string | undefined): string[] {
  if (name === undefined) return []
  const value = (profile.attributes as Record<string, unknown> | undefined)?.[name]
  return [value].flat().flatMap((item) => (typeof item === 'string' && item.trim() !== '' ? [item.trim()] : []))
}

/**
 * The user record an assertion asks for. Email: the mapped attribute, else a NameID
 * that is an email address. Username: the mapped attribute, else the NameID; of an
 * email address only the part before `@`. Organisation and scope only when mapped
 * (scope: every value, each split at spaces). Returns a problem instead when there is no email.
 */
function claimsOf(profile: Profile, nameId: string, names: SamlIdpConfig['attributes']): SamlUserClaims | string {
  const email = attributeValues(profile, names.email)[0] ?? (EMAIL.test(nameId) ? nameId : undefined)
  if (email === undefined || !EMAIL.test(email) || email.length > 254) return 'the assertion carries no usable email address'
  const username = attributeValues(profile, names.username)[0] ?? nameId
  return {
    username: EMAIL.test(username) ? username.slice(0, username.lastIndexOf('@')) : username,
    email,
    organisation: names.organisation === undefined ? undefined : (attributeValues(profile, names.organisation)[0] ?? null),
    scope: names.scope === undefined ? undefined : attributeValues(profile, names.scope).flatMap((value) => value.split(/\s+/))
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

/**
 * SAML 2.0 single sign-on as a service provider, one node-saml instance per identity
 * provider, all built at start. Signatures are required (never both off), request ids
 * are kept in the store and used once, the clock skew is at most a minute, and what
 * we sign is signed with SHA-256, whatever the SAML_CONFIG file says.
 */
export class SamlSignOn {
  private readonly idps = new Map<string, IdentityProvider>()
  private readonly callbackUrl: string

  private constructor(
    configs: SamlIdpConfig[],
    private readonly repositories: { samlRequests: SamlRequestRepository; samlAssertions: SamlAssertionRepository },
    private readonly accounts: Accounts,
    publicUrl: string,
    nodeSaml: NodeSaml | null
  ) {
    this.callbackUrl = `${publicUrl}${SAML_CALLBACK_PATH}`
    for (const config of configs) this.idps.set(config.name, this.build(config, nodeSaml!))
  }

  static async create(
    configs: SamlIdpConfig[],
    repositories: { samlRequests: SamlRequestRepository; samlAssertions: SamlAssertionRepository },
    accounts: Accounts,
    publicUrl: string
  ): Promise<SamlSignOn> {
    // node-saml and its XML stack take a tenth of a second to load: only when an IdP is configured.
    const nodeSaml = configs.length === 0 ? null : await import('@node-saml/node-saml')
    return new SamlSignOn(configs, repositories, accounts, publicUrl, nodeSaml)
  }

  private build(config: SamlIdpConfig, { SAML, ValidateInResponseTo, generateServiceProviderMetadata }: NodeSaml): IdentityProvider {
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
    const saml = new SAML({
      ...common,
      entryPoint: config.entryPoint,
      audience: config.audience,
      idpCert: config.idpCert,
      idpIssuer: config.idpIssuer,
      wantAuthnResponseSigned: config.wantAuthnResponseSigned,
      acceptedClockSkewMs: config.acceptedClockSkewMs,
      validateInResponseTo: ValidateInResponseTo.always,
      requestIdExpirationPeriodMs: REQUEST_TTL_MS,
      cacheProvider: new StoredRequestIds(this.repositories.samlRequests, config.name)
    })
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
   * Throws SamlRejected for anything that is not a fresh, signed, well-addressed
   * answer from the configured IdP to a request we sent it.
   */
  async signIn(answer: SamlAnswer): Promise<{ user: UserRecord; idp: string; returnTo: string | null }> {
    const relay = parseRelayState(answer.RelayState)
    const idp = relay.idp === null ? undefined : this.idps.get(relay.idp)
    if (!idp) throw new SamlRejected('RelayState names no configured identity provider')
    const name = idp.config.name
    const profile = await this.validate(idp, answer.SAMLResponse)
    const facts = factsOf(profile)
    for (const check of ASSERTION_CHECKS) {
      const problem = check(facts, idp.config, this.callbackUrl)
      if (problem !== null) throw new SamlRejected(`${check.name}: ${problem}`, name)
    }
    const now = Date.now()
    if (!(await this.repositories.samlRequests.consume(facts.inResponseTo!, name, now))) {
      throw new SamlRejected('the request was answered already', name)
    }
    // Kept until no answer carrying this assertion could pass the checks above any more.
    const usableUntil = Math.max(now + REQUEST_TTL_MS, facts.confirmation!.notOnOrAfter ?? 0, facts.conditionsNotOnOrAfter ?? 0) + idp.config.acceptedClockSkewMs
    if (!(await this.repositories.samlAssertions.markUsed(name, facts.id!, usableUntil, now))) {
      throw new SamlRejected(`assertion ${facts.id} was used before`, name)
    }
    const user = await this.userOf(idp.config, facts.nameId!, profile)
    if (!user.active) throw new SamlRejected(`user ${user.id} is disabled`, name)
    return { user, idp: name, returnTo: relay.returnTo }
  }

  /** node-saml's checks: XML, signatures, times, audience, InResponseTo. */
  private async validate(idp: IdentityProvider, samlResponse: string): Promise<Profile> {
    let profile: Profile | null
    try {
      ;({ profile } = await idp.saml.validatePostResponseAsync({ SAMLResponse: samlResponse }))
    } catch (error) {
      throw new SamlRejected(error instanceof Error ? error.message : 'invalid response', idp.config.name)
    }
    if (!profile) throw new SamlRejected('the response signs no one in', idp.config.name)
    return profile
  }

  private async userOf(config: SamlIdpConfig, nameId: string, profile: Profile): Promise<UserRecord> {
    const claims = claimsOf(profile, nameId, config.attributes)
    if (typeof claims === 'string') throw new SamlRejected(claims, config.name)
    try {
      return await this.accounts.findOrCreateSamlUser({ idp: config.name, nameId }, claims)
    } catch (error) {
      // The IdP vouched for this person, so they may read why their account cannot be made or updated.
      if (error instanceof Conflict || error instanceof InvalidInput) {
        throw new SamlRejected(error.message, config.name, `Single sign-on cannot set up your account here (${error.message}). Ask an administrator.`)
      }
      throw error
    }
  }
}
