import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { SAML_XML_LIMITS } from '../../src/schemas/saml.js'
import { outlineResponse, type XmlLimits } from '../../src/services/saml-outline.js'

const SMALL: XmlLimits = { maxElements: 20, maxDepth: 5, maxAttributes: 30, maxAttributesPerElement: 6 }
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success'

/** A Response shaped like an IdP's, with `inside` after the Status. */
const response = (inside = '', status = `<samlp:StatusCode Value="${SUCCESS}"/>`) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" InResponseTo="_req" Destination="https://sp.example/cb">` +
  `<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">idp</saml:Issuer><samlp:Status>${status}</samlp:Status>${inside}</samlp:Response>`

function refused(xml: string, pattern: RegExp, limits: XmlLimits = SMALL) {
  const outline = outlineResponse(xml, limits)
  assert.ok(outline.problem, `not refused: ${xml.slice(0, 200)}`)
  assert.match(outline.problem, /^the XML was refused before parsing: /)
  assert.match(outline.problem, pattern)
  return outline
}

describe('the outline of an answer, read before any parser', () => {
  test('reads the root and its attributes, decoded, the status codes, and whether the root is signed', () => {
    const outline = outlineResponse(
      response(
        '<!-- a comment <with> <tags/> --><saml:Assertion ID="_a"><![CDATA[ <not-an-element/> ]]><?pi data?></saml:Assertion>',
        '<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Requester"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:RequestDenied"/></samlp:StatusCode><samlp:StatusMessage>no</samlp:StatusMessage>'
      ).replace('Destination="https://sp.example/cb"', "Destination='https://sp.example/cb?a=1&amp;b=&#x32;&#51;' Extra=\"a > b\n\""),
      SMALL
    )
    assert.equal(outline.problem, null)
    assert.equal(outline.root?.name, 'samlp:Response')
    assert.equal(outline.root?.attributes.InResponseTo, '_req')
    assert.equal(outline.root?.attributes.Destination, 'https://sp.example/cb?a=1&b=23')
    assert.equal(outline.root?.attributes.Extra, 'a > b ', 'a newline in an attribute value is a space, as a parser reports it')
    assert.deepEqual(outline.statusCodes, ['urn:oasis:names:tc:SAML:2.0:status:Requester', 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied'])
    assert.equal(outline.rootSigned, false)
    assert.deepEqual([outline.elements, outline.depth], [7, 4])
    assert.equal(outlineResponse(response('<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/>'), SMALL).rootSigned, true)
  })

  test('reads only the root\'s first Status: one inside the assertion, after it, or in a comment does not count', () => {
    const inAssertion = response('<saml:Assertion><samlp:Status><samlp:StatusCode Value="x"/></samlp:Status></saml:Assertion>', '')
    assert.deepEqual(outlineResponse(inAssertion, SMALL).statusCodes, [])
    const second = response(`<samlp:Status><samlp:StatusCode Value="${SUCCESS}"/></samlp:Status>`, '<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"/>')
    assert.deepEqual(outlineResponse(second, SMALL).statusCodes, ['urn:oasis:names:tc:SAML:2.0:status:Responder'])
    const commented = response('', `<!-- <samlp:StatusCode Value="${SUCCESS}"/> -->`)
    assert.deepEqual(outlineResponse(commented, SMALL).statusCodes, [])
    const sibling = response('', `<samlp:StatusMessage/><samlp:StatusCode Value="a"/><samlp:StatusCode Value="b"><samlp:StatusCode Value="c"/></samlp:StatusCode>`)
    assert.deepEqual(outlineResponse(sibling, SMALL).statusCodes, ['a'], 'the first StatusCode, and only what is nested in it')
  })

  test('refuses what SAML answers never hold: a DTD, text or a second element outside the root, a bare & where it reads', () => {
    refused(`<!DOCTYPE r [<!ENTITY a "aaaa">]>${response()}`, /a DTD/)
    refused(response('<!ENTITY x "y">'), /a DTD or another declaration/)
    refused(`junk${response()}`, /text outside the root/)
    refused(`${response()}<second/>`, /a second root element/)
    refused(response().replace('ID="_r"', 'ID="a&b"'), /a bare &/)
    refused(response().replace('ID="_r"', 'ID="&#0;"'), /a reference to no character/)
    refused('', /no root element/)
    refused('<?xml version="1.0"?><!-- nothing -->', /no root element/)
  })

  test('refuses XML that is not well-formed, where a parser and this pass could read it differently', () => {
    refused(response().replace('ID="_r"', 'ID="_r" ID="_s"'), /the attribute ID appears twice/)
    refused(response('<a></b>'), /the end tag b does not match/)
    refused(response('<a>'), /does not match|not closed/)
    refused(response().replace('</samlp:Response>', ''), /samlp:Response is not closed/)
    refused(response('<a b=c/>'), /the start tag a is malformed/)
    refused(response('<a b="1"c="2"/>'), /the start tag a is malformed/)
    refused(response('< a/>'), /a start tag is malformed/)
    refused(response('<!-- open'), /a comment is not closed/)
    refused(response('<a><![CDATA[ open</a>'), /a CDATA section is not closed/)
  })

  test('refuses a document over the limits on elements, depth and attributes', () => {
    refused(response('<a/>'.repeat(20)), /more than 20 elements/)
    refused(response('<a><b><c><d><e/></d></c></b></a>'), /nested more than 5 deep/)
    refused(response('<a b0="" b1="" b2="" b3="" b4="" b5="" b6=""/>'), /more than 6 attributes on one element/)
    refused(response('<a b0="" b1="" b2="" b3="" b4=""/>'.repeat(6)), /more than 30 attributes/)
    assert.equal(outlineResponse(response('<a/>'.repeat(14)), SMALL).problem, null, 'up to the limits is fine')
  })

  test('stops at the first limit passed, so a huge document costs no more than one at the limits', () => {
    const huge = response('<a/>'.repeat(200_000))
    const outline = refused(huge, /more than 1000 elements/, SAML_XML_LIMITS)
    assert.equal(outline.elements, SAML_XML_LIMITS.maxElements + 1)
    // It still read the request answered, so that the refusal can use it up.
    assert.equal(outline.root?.attributes.InResponseTo, '_req')
  })

  test('an attribute named like an Object property is only a name', () => {
    const outline = outlineResponse(response().replace('ID="_r"', 'ID="_r" __proto__="x" constructor="y"'), SMALL)
    assert.equal(outline.problem, null)
    assert.equal(outline.root?.attributes.__proto__, 'x')
    assert.equal(outline.root?.attributes.toString, undefined)
  })
})
