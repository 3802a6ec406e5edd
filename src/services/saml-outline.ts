/**
 * A linear, DOM-free pass over an IdP's answer, run before any XML parser or XPath sees it.
 *
 * node-saml's work grows faster than the document: its `//*[@ID=...]` lookups sort node sets
 * in document order, which costs about 40 ms at 1,000 elements and 9 s at 20,000. This pass
 * counts elements, nesting depth and attributes in one scan of the text (a few microseconds
 * per kilobyte) and refuses a document over the limits, or one that is not plain well-formed
 * XML (no DTD, no unknown entity, no duplicate attribute, tags that match), so the expensive
 * checks only ever see small documents. On the way it reads what the SP needs before those
 * checks: the root element's attributes (InResponseTo, Destination), whether the root carries
 * a signature, and the Status codes.
 */

/** How much of a document the expensive checks may be given. */
export interface XmlLimits {
  /** Elements in the whole document. */
  maxElements: number
  /** Nesting depth; the root element is at depth 1. */
  maxDepth: number
  /** Attributes in the whole document, namespace declarations included. */
  maxAttributes: number
  /** Attributes on any one element. */
  maxAttributesPerElement: number
}

export interface ResponseOutline {
  /** Why the document is refused; null when it passed. The fields below hold what was read up to that point. */
  problem: string | null
  /** The root element's qualified name and attributes (values decoded), once its start tag was read. */
  root: { name: string; attributes: Record<string, string> } | null
  /** The root has a child element named Signature (in any namespace). */
  rootSigned: boolean
  /** The Value of the root's first Status/StatusCode, then of the StatusCode nested in it, when there is one. */
  statusCodes: string[]
  elements: number
  /** The deepest nesting seen. */
  depth: number
  attributes: number
}

const NAME = /[A-Za-z_:\u00C0-\uFFFF][-A-Za-z0-9._:\u00B7-\uFFFF]*/y
const ATTRIBUTE = /[\t\n\r ]+([A-Za-z_:\u00C0-\uFFFF][-A-Za-z0-9._:\u00B7-\uFFFF]*)[\t\n\r ]*=[\t\n\r ]*(?:"([^<"]*)"|'([^<']*)')/y
const TAG_END = /[\t\n\r ]*(\/?)>/y
const END_TAG_REST = /[\t\n\r ]*>/y
const WHITESPACE = /^[\t\n\r ]*$/
const REFERENCE = /&(?:(lt|gt|amp|quot|apos)|#([0-9]{1,7})|#x([0-9A-Fa-f]{1,6}));|&/g
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

const localName = (name: string) => name.slice(name.indexOf(':') + 1)

class Refused extends Error {}

/** An attribute value as a parser reports it: whitespace characters become spaces, references are replaced. */
function attributeValue(raw: string): string {
  return raw.replace(/[\t\n\r]/g, ' ').replace(REFERENCE, (whole, named: string | undefined, decimal: string | undefined, hex: string | undefined) => {
    if (named !== undefined) return NAMED[named]!
    const code = decimal !== undefined ? Number(decimal) : hex !== undefined ? parseInt(hex, 16) : NaN
    if (Number.isNaN(code) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || code === 0) {
      throw new Refused(`an attribute holds ${whole === '&' ? 'a bare &' : 'a reference to no character'}`)
    }
    return String.fromCodePoint(code)
  })
}

/**
 * Scans `xml` once, left to right, and stops at the first limit passed. Takes time
 * proportional to the text, whatever its shape.
 */
export function outlineResponse(xml: string, limits: XmlLimits): ResponseOutline {
  const outline: ResponseOutline = { problem: null, root: null, rootSigned: false, statusCodes: [], elements: 0, depth: 0, attributes: 0 }
  /** Qualified names of the open elements, outermost first. */
  const open: string[] = []
  /** The depth of the open element whose status codes are read next (Status, then each StatusCode in it); -1 when none is. */
  let chainDepth = -1
  let statusDone = false
  let rootClosed = false
  let at = xml.charCodeAt(0) === 0xfeff ? 1 : 0

  const skipPast = (terminator: string, what: string) => {
    const end = xml.indexOf(terminator, at)
    if (end === -1) throw new Refused(`${what} is not closed`)
    at = end + terminator.length
  }

  try {
    while (at < xml.length) {
      const lt = xml.indexOf('<', at)
      if (open.length === 0 && !WHITESPACE.test(xml.slice(at, lt === -1 ? xml.length : lt))) throw new Refused('there is text outside the root element')
      if (lt === -1) break
      at = lt
      if (xml.startsWith('<!--', at)) {
        skipPast('-->', 'a comment')
      } else if (xml.startsWith('<?', at)) {
        skipPast('?>', 'a processing instruction')
      } else if (xml.startsWith('<![CDATA[', at)) {
        if (open.length === 0) throw new Refused('a CDATA section is outside the root element')
        skipPast(']]>', 'a CDATA section')
      } else if (xml.startsWith('<!', at)) {
        // A DOCTYPE above all: SAML messages carry no DTD, and entities are how XML bombs work.
        throw new Refused('the document has a DTD or another declaration')
      } else if (xml.startsWith('</', at)) {
        NAME.lastIndex = at + 2
        const name = NAME.exec(xml)?.[0]
        END_TAG_REST.lastIndex = at + 2 + (name?.length ?? 0)
        if (name === undefined || !END_TAG_REST.test(xml)) throw new Refused('an end tag is malformed')
        if (open[open.length - 1] !== name) throw new Refused(`the end tag ${name} does not match the open element`)
        open.pop()
        if (open.length < chainDepth) {
          chainDepth = -1
          statusDone = true
        }
        at = END_TAG_REST.lastIndex
        if (open.length === 0) rootClosed = true
      } else {
        if (rootClosed) throw new Refused('there is a second root element')
        NAME.lastIndex = at + 1
        const name = NAME.exec(xml)?.[0]
        if (name === undefined) throw new Refused('a start tag is malformed')
        outline.elements += 1
        const depth = open.length + 1
        if (outline.elements > limits.maxElements) throw new Refused(`more than ${limits.maxElements} elements`)
        if (depth > limits.maxDepth) throw new Refused(`elements nested more than ${limits.maxDepth} deep`)
        outline.depth = Math.max(outline.depth, depth)
        at += 1 + name.length
        const local = localName(name)
        const statusCode = chainDepth !== -1 && depth === chainDepth + 1 && local === 'StatusCode'
        // Attributes are decoded only where they are read: the root and the status codes.
        const wanted = depth === 1 || statusCode
        const attributes: Record<string, string> = Object.create(null) as Record<string, string>
        /** This element's attribute names: a short list, as the per-element limit keeps it. */
        const seen: string[] = []
        for (;;) {
          ATTRIBUTE.lastIndex = at
          const match = ATTRIBUTE.exec(xml)
          if (!match) break
          const attributeName = match[1]!
          if (seen.includes(attributeName)) throw new Refused(`the attribute ${attributeName} appears twice on one element`)
          seen.push(attributeName)
          outline.attributes += 1
          if (seen.length > limits.maxAttributesPerElement) throw new Refused(`more than ${limits.maxAttributesPerElement} attributes on one element`)
          if (outline.attributes > limits.maxAttributes) throw new Refused(`more than ${limits.maxAttributes} attributes`)
          if (wanted) attributes[attributeName] = attributeValue(match[2] ?? match[3]!)
          at = ATTRIBUTE.lastIndex
        }
        TAG_END.lastIndex = at
        const end = TAG_END.exec(xml)
        if (!end) throw new Refused(`the start tag ${name} is malformed`)
        at = TAG_END.lastIndex
        const selfClosed = end[1] === '/'
        if (depth === 1) {
          outline.root = { name, attributes }
          if (selfClosed) rootClosed = true
        } else if (depth === 2 && local === 'Signature') {
          outline.rootSigned = true
        }
        if (depth === 2 && local === 'Status' && !statusDone && chainDepth === -1) {
          chainDepth = depth
        } else if (statusCode) {
          // The first StatusCode of Status, then the first one inside it: the top-level code, then its second-level one.
          outline.statusCodes.push(attributes.Value ?? '')
          chainDepth = depth
        }
        if (selfClosed) {
          if (depth === chainDepth) {
            chainDepth = -1
            statusDone = true
          }
        } else {
          open.push(name)
        }
      }
    }
    if (outline.root === null) throw new Refused('there is no root element')
    if (!rootClosed) throw new Refused(`the element ${open[open.length - 1]} is not closed`)
  } catch (error) {
    if (!(error instanceof Refused)) throw error
    outline.problem = `the XML was refused before parsing: ${error.message}`
  }
  return outline
}
