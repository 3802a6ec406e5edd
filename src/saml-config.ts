import { createPrivateKey, X509Certificate } from 'node:crypto'
import Type, { type Static } from 'typebox'
import { describeEntryProblem, readJsonFile } from './config-file.js'
import { ConfigError } from './errors.js'
import { schemaProblems } from './schemas/check.js'

const Text = (description: string) => Type.String({ minLength: 1, description })
const Pem = (description: string) => Type.String({ minLength: 1, maxLength: 65_536, description })
const Certificate = Pem('an X.509 certificate (PEM, or its base64 body)')

/** Names of the assertion attributes that carry what a user record needs. */
const AttributeNames = Type.Object(
  {
    email: Type.Optional(Text('an attribute name')),
    username: Type.Optional(Text('an attribute name')),
    organisation: Type.Optional(Text('an attribute name')),
    scope: Type.Optional(Text('an attribute name'))
  },
  { additionalProperties: false, description: 'an object naming the email, username, organisation and scope attributes' }
)

/**
 * One identity provider in the SAML_CONFIG file: node-saml's own option names, and only
 * those whose every value is safe. Anything else (validateInResponseTo, signatureAlgorithm,
 * a negative clock skew, ...) is refused, so the file cannot weaken the checks.
 * Each description completes "must be ..." in the error message.
 */
const SamlIdpEntry = Type.Object(
  {
    name: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'letters, digits, "_" and "-" (1 to 64), unique' }),
    entryPoint: Type.String({ pattern: '^https?://[^\\s]+$', description: "the IdP's single sign-on URL (HTTP-Redirect binding)" }),
    idpCert: Type.Union([Certificate, Type.Array(Certificate, { minItems: 1, maxItems: 16 })], {
      description: "the IdP's signing certificate, or a list of them while it rotates"
    }),
    idpIssuer: Text("the IdP's entity id"),
    issuer: Type.Optional(Text('our SP entity id')),
    audience: Type.Optional(Text('the audience the assertions name')),
    wantAssertionsSigned: Type.Optional(Type.Boolean({ description: 'true or false' })),
    wantAuthnResponseSigned: Type.Optional(Type.Boolean({ description: 'true or false' })),
    acceptedClockSkewMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000, description: 'a whole number of milliseconds from 0 to 60000' })),
    privateKey: Type.Optional(Pem('a PEM private key that signs our AuthnRequests')),
    publicCert: Type.Optional(Pem('the PEM certificate of privateKey, published in our metadata')),
    identifierFormat: Type.Optional(Type.Union([Text('a NameID format URN'), Type.Null()], { description: 'a NameID format URN or null' })),
    attributes: Type.Optional(AttributeNames),
    grantableScopes: Type.Optional(
      Type.Array(Type.String({ pattern: '^[A-Za-z0-9_.:-]+$' }), {
        maxItems: 64,
        description: 'a list of scope names (letters, digits, "_", ".", ":", "-") this IdP may grant besides user'
      })
    )
  },
  { additionalProperties: false }
)
const SamlConfigFile = Type.Array(SamlIdpEntry, { minItems: 1 })
type SamlIdpEntryT = Static<typeof SamlIdpEntry>
const WORDING = {
  entry: 'identity provider',
  file: 'a JSON list of identity providers, at least one',
  required: 'name, entryPoint, idpCert and idpIssuer'
}

/** node-saml's default NameID format. */
const EMAIL_ADDRESS_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'

/** One identity provider with every default resolved. */
export interface SamlIdpConfig {
  name: string
  entryPoint: string
  /** PEM certificates; a signature by any of them is accepted. */
  idpCert: string[]
  idpIssuer: string
  /** Our SP entity id. */
  issuer: string
  audience: string
  wantAssertionsSigned: boolean
  wantAuthnResponseSigned: boolean
  acceptedClockSkewMs: number
  privateKey: string | null
  publicCert: string | null
  identifierFormat: string | null
  attributes: Static<typeof AttributeNames>
  /** Scopes this IdP may grant through the scope attribute, besides `user`; any other is refused (logged) and not granted. */
  grantableScopes: string[]
}

function certificatePem(text: string): string {
  const body = text.includes('-----BEGIN') ? text : `-----BEGIN CERTIFICATE-----\n${text.replace(/\s+/g, '')}\n-----END CERTIFICATE-----`
  return new X509Certificate(body).toString()
}

/** True when `read` accepts the text. */
function parses(read: (text: string) => unknown, text: string): boolean {
  try {
    read(text)
    return true
  } catch {
    return false
  }
}

/** The checks a schema cannot make. */
function checkEntry(entry: SamlIdpEntryT, index: number): string[] {
  const where = `identity provider ${index + 1} (${entry.name})`
  const problems: string[] = []
  if (entry.wantAssertionsSigned === false && entry.wantAuthnResponseSigned === false) {
    problems.push(`${where}: wantAssertionsSigned and wantAuthnResponseSigned cannot both be false; an unsigned assertion proves nothing`)
  }
  const certs = [entry.idpCert].flat()
  certs.forEach((cert, i) => {
    if (!parses(certificatePem, cert)) problems.push(`${where}: idpCert${certs.length > 1 ? `[${i}]` : ''} is not an X.509 certificate`)
  })
  if (entry.privateKey !== undefined && !parses(createPrivateKey, entry.privateKey)) problems.push(`${where}: privateKey is not a PEM private key`)
  if (entry.privateKey !== undefined && entry.publicCert === undefined) problems.push(`${where}: publicCert is required with privateKey (our metadata publishes it)`)
  if (entry.publicCert !== undefined && !parses(certificatePem, entry.publicCert)) problems.push(`${where}: publicCert is not an X.509 certificate`)
  return problems
}

/**
 * Reads the SAML_CONFIG file: a JSON list of identity providers. Throws ConfigError
 * naming every problem (never a value: the file may hold a private key). Defaults:
 * both signatures required, no clock skew, our entity id `${publicUrl}/auth/saml/metadata`.
 */
export function loadSamlIdps(path: string, publicUrl: string): SamlIdpConfig[] {
  const file = readJsonFile('SAML_CONFIG', path)
  const refuse = (problems: string[]) => new ConfigError(`SAML_CONFIG (${path}):\n  ${[...new Set(problems)].join('\n  ')}`)
  const fileProblems = schemaProblems(SamlConfigFile, file)
  if (fileProblems.length > 0) throw refuse(fileProblems.map((error) => describeEntryProblem(SamlIdpEntry, WORDING, error)))
  const entries = file as SamlIdpEntryT[]
  const names = entries.map((entry) => entry.name)
  const problems = [
    ...entries.flatMap(checkEntry),
    ...names.filter((name, i) => names.indexOf(name) !== i).map((name) => `the name ${name} is used twice`)
  ]
  if (problems.length > 0) throw refuse(problems)

  return entries.map((entry) => {
    const issuer = entry.issuer ?? `${publicUrl}/auth/saml/metadata`
    return {
      name: entry.name,
      entryPoint: entry.entryPoint,
      idpCert: [entry.idpCert].flat().map(certificatePem),
      idpIssuer: entry.idpIssuer,
      issuer,
      audience: entry.audience ?? issuer,
      wantAssertionsSigned: entry.wantAssertionsSigned ?? true,
      wantAuthnResponseSigned: entry.wantAuthnResponseSigned ?? true,
      acceptedClockSkewMs: entry.acceptedClockSkewMs ?? 0,
      privateKey: entry.privateKey ?? null,
      publicCert: entry.publicCert === undefined ? null : certificatePem(entry.publicCert),
      identifierFormat: entry.identifierFormat === undefined ? EMAIL_ADDRESS_FORMAT : entry.identifierFormat,
      attributes: entry.attributes ?? {},
      grantableScopes: [...new Set(entry.grantableScopes ?? [])]
    }
  })
}
