import { readFileSync } from 'node:fs'
import type { ErrorObject } from 'ajv'
import type { TSchema } from 'typebox'
import { ConfigError } from './errors.js'

/**
 * A JSON configuration file named by an environment variable (SAML_CONFIG, OIDC_PROVIDERS):
 * read and parsed, or a ConfigError naming the variable and the file (never its content).
 */
export function readJsonFile(variable: string, path: string): unknown {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new ConfigError(`${variable}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new ConfigError(`${variable}: ${path} is not JSON (${(error as Error).message})`)
  }
}

/** How a file that is a list of entries names them in its messages. */
export interface EntryListWording {
  /** "identity provider" */
  entry: string
  /** What the whole file must be. */
  file: string
  /** What one entry must be at least. */
  required: string
}

/**
 * What an error at `/2/attributes/email` in a list of entries is about, and what the value must
 * be: the schema's descriptions complete "must be ...".
 */
export function describeEntryProblem(entrySchema: TSchema, wording: EntryListWording, error: ErrorObject): string {
  // Ajv reports a field that additionalProperties: false refuses at its object, naming it in params.
  const unknownField = error.keyword === 'additionalProperties' ? [(error.params as { additionalProperty: string }).additionalProperty] : []
  const [index, ...fieldPath] = [...error.instancePath.split('/').slice(1), ...unknownField]
  if (index === undefined) return `the file must be ${wording.file}`
  const where = `${wording.entry} ${Number(index) + 1}`
  if (fieldPath.length === 0) return `${where} must be an object with at least ${wording.required}`
  const field = fieldPath.join('.')
  if (unknownField.length > 0) return `${where}: ${field} is not a setting moneypenny reads`
  const schema = fieldPath.reduce<TSchema | undefined>(
    // The deepest schema on the path that has one: `idpCert.0` is described by idpCert.
    (parent, name) => (parent as { properties?: Record<string, TSchema> } | undefined)?.properties?.[name] ?? parent,
    entrySchema
  ) as { description?: string } | undefined
  return `${where}: ${field} must be ${schema?.description ?? 'valid'}`
}
