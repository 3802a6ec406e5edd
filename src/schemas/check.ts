import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import type { Static, TSchema } from 'typebox'

// ajv-formats is CommonJS; under ESM its function may arrive wrapped in `default`.
type AddFormats = (ajv: Ajv) => Ajv
export const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ??
  addFormatsModule) as unknown as AddFormats

/** The Ajv for values checked in code, made on first use. */
let ajv: Ajv | undefined

/**
 * A value checked in code (the configuration and its files, the CLI's arguments, a credential
 * posted as JSON in a form field, a console form's fields) by the Ajv that checks the routes, not
 * TypeBox's own checker, whose 170 more modules would be loaded at start for these alone (2.3 MB of
 * heap and 0.1 s of each start on Node 26). Every problem is reported; the value is never changed
 * (no defaults, no coercion).
 */
function compiled(schema: TSchema): ValidateFunction {
  ajv ??= addFormats(new Ajv({ allErrors: true, useDefaults: false, coerceTypes: false }))
  // Ajv keeps what it compiled by the schema's identity: each schema is compiled once.
  return ajv.compile(schema)
}

/** Whether `value` matches `schema`. */
export function matches<T extends TSchema>(schema: T, value: unknown): value is Static<T> {
  return compiled(schema)(value) === true
}

/** Every problem in `value` under `schema`; none when it matches. */
export function schemaProblems(schema: TSchema, value: unknown): ErrorObject[] {
  const validate = compiled(schema)
  return validate(value) === true ? [] : [...(validate.errors ?? [])]
}

/**
 * A form's check that names every refused field, not only the first (a page shows them all). The
 * forms' schemas have no defaults, so this checks them as their routes' bodies are checked. Forms
 * are small: a credential route's body limit bounds the work.
 */
export function formCheck(schema: TSchema): (form: unknown) => ErrorObject[] {
  return (form) => schemaProblems(schema, form)
}
