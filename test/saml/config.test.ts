import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { ConfigError, loadConfig } from '../../src/config.js'
import { tempDir } from '../helpers.js'
import { makeSigningKey, writeSamlConfig, type SigningKey } from './idp.js'

describe('SAML_CONFIG', () => {
  let dir: string
  let remove: () => void
  let key: SigningKey
  before(() => {
    ;({ dir, remove } = tempDir())
    key = makeSigningKey('config test')
  })
  after(() => remove())

  const minimal = () => ({ name: 'acme', entryPoint: 'https://acme.example/sso', idpCert: key.cert, idpIssuer: 'https://acme.example' })
  const load = (entries: unknown, env: Record<string, string> = {}) => loadConfig({ PUBLIC_URL: 'https://auth.example', SAML_CONFIG: writeSamlConfig(dir, entries), ...env })

  function assertRefused(entries: unknown, ...expected: RegExp[]) {
    assert.throws(
      () => load(entries),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError, String(error))
        assert.match(error.message, /^SAML_CONFIG/)
        for (const pattern of expected) assert.match(error.message, pattern)
        assert.ok(!error.message.includes('PRIVATE KEY'), 'no key is echoed')
        return true
      }
    )
  }

  test('unset means no identity providers', () => {
    assert.deepEqual(loadConfig({}).saml, [])
  })

  test('a minimal entry gets the safe defaults: both signatures required, no clock skew, our metadata URL as entity id and audience', () => {
    const [acme] = load([minimal()]).saml
    assert.deepEqual(
      { ...acme, idpCert: acme!.idpCert.length },
      {
        name: 'acme',
        entryPoint: 'https://acme.example/sso',
        idpCert: 1,
        idpIssuer: 'https://acme.example',
        issuer: 'https://auth.example/auth/saml/metadata',
        audience: 'https://auth.example/auth/saml/metadata',
        wantAssertionsSigned: true,
        wantAuthnResponseSigned: true,
        acceptedClockSkewMs: 0,
        privateKey: null,
        publicCert: null,
        identifierFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
        attributes: {},
        grantableScopes: []
      }
    )
  })

  test('a certificate may be given as its bare base64 body, or as a list for rotation', () => {
    const body = key.cert.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '')
    const [acme] = load([{ ...minimal(), idpCert: [body, key.cert] }]).saml
    assert.equal(acme!.idpCert.length, 2)
    assert.equal(acme!.idpCert[0], acme!.idpCert[1])
  })

  test('a missing, unreadable or non-JSON file is refused', () => {
    assert.throws(() => loadConfig({ SAML_CONFIG: `${dir}/missing.json` }), /SAML_CONFIG: cannot read .*missing\.json \(ENOENT\)/)
    assert.throws(() => loadConfig({ SAML_CONFIG: dir }), /SAML_CONFIG: cannot read/)
    const notJson = join(dir, 'not.json')
    writeFileSync(notJson, '[{ name: acme }]')
    assert.throws(() => loadConfig({ SAML_CONFIG: notJson }), /SAML_CONFIG: .*not\.json is not JSON/)
  })

  test('a file that is not a list of identity providers is refused', () => {
    assertRefused({ name: 'acme' }, /the file must be a JSON list of identity providers/)
    assertRefused([], /at least one/)
    assertRefused([{ name: 'acme' }], /identity provider 1 must be an object with at least name, entryPoint, idpCert and idpIssuer/)
  })

  test('a setting that could weaken the checks is not read: an unknown field is refused by name', () => {
    assertRefused([{ ...minimal(), validateInResponseTo: 'never' }], /identity provider 1: validateInResponseTo is not a setting moneypenny reads/)
    assertRefused([{ ...minimal(), signatureAlgorithm: 'sha1' }], /signatureAlgorithm is not a setting/)
    assertRefused([{ ...minimal(), attributes: { mail: 'email' } }], /attributes\.mail is not a setting/)
  })

  test('bad values are refused with what they must be', () => {
    assertRefused([{ ...minimal(), acceptedClockSkewMs: 60_001 }], /acceptedClockSkewMs must be a whole number of milliseconds from 0 to 60000/)
    assertRefused([{ ...minimal(), acceptedClockSkewMs: -1 }], /acceptedClockSkewMs must be/)
    assertRefused([{ ...minimal(), name: 'a b' }], /name must be letters, digits/)
    assertRefused([{ ...minimal(), entryPoint: 'ftp://acme.example' }], /entryPoint must be/)
    assertRefused([{ ...minimal(), wantAssertionsSigned: 'yes' }], /wantAssertionsSigned must be true or false/)
    assertRefused([{ ...minimal(), idpCert: [] }], /idpCert must be/)
  })

  test('both signatures switched off is refused; either one alone is allowed', () => {
    assertRefused([{ ...minimal(), wantAssertionsSigned: false, wantAuthnResponseSigned: false }], /cannot both be false/)
    assert.equal(load([{ ...minimal(), wantAssertionsSigned: false }]).saml[0]!.wantAuthnResponseSigned, true)
    assert.equal(load([{ ...minimal(), wantAuthnResponseSigned: false }]).saml[0]!.wantAssertionsSigned, true)
  })

  test('certificates and keys must parse; a privateKey needs its publicCert', () => {
    assertRefused([{ ...minimal(), idpCert: 'not a certificate' }], /identity provider 1 \(acme\): idpCert is not an X\.509 certificate/)
    assertRefused([{ ...minimal(), idpCert: [key.cert, 'junk'] }], /idpCert\[1\] is not an X\.509 certificate/)
    assertRefused([{ ...minimal(), privateKey: 'junk', publicCert: key.cert }], /privateKey is not a PEM private key/)
    assertRefused([{ ...minimal(), privateKey: key.privateKey }], /publicCert is required with privateKey/)
    const [signing] = load([{ ...minimal(), privateKey: key.privateKey, publicCert: key.cert }]).saml
    assert.equal(signing!.privateKey, key.privateKey)
  })

  test('grantableScopes is a list of scope names; a bad one is refused by name', () => {
    const allowed = { ALLOWED_SCOPES: 'admin,user,reports:read' }
    assert.deepEqual(load([{ ...minimal(), grantableScopes: ['admin', 'reports:read', 'admin'] }], allowed).saml[0]!.grantableScopes, ['admin', 'reports:read'])
    assertRefused([{ ...minimal(), grantableScopes: ['admin', 'reports:read'] }], /identity provider acme: grantableScopes names reports:read, which ALLOWED_SCOPES does not allow/)
    assertRefused([{ ...minimal(), grantableScopes: 'admin' }], /identity provider 1: grantableScopes must be a list of scope names .* this IdP may grant besides user/)
    assertRefused([{ ...minimal(), grantableScopes: ['admin', 'two words'] }], /identity provider 1: grantableScopes\.1 must be a list of scope names/)
  })

  test('two identity providers with one name are refused', () => {
    assertRefused([minimal(), { ...minimal(), entryPoint: 'https://other.example/sso' }], /the name acme is used twice/)
  })
})
