import { Ajv, type ErrorObject, type Options } from 'ajv'
import addFormatsModule from 'ajv-formats'
import type { FastifyInstance } from 'fastify'

// ajv-formats is CommonJS; under ESM its function may arrive wrapped in `default`.
type AddFormats = (ajv: Ajv) => Ajv
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ??
  addFormatsModule) as unknown as AddFormats

const common: Options = {
  useDefaults: true,
  // Unknown fields are an error (400), not silently dropped.
  removeAdditional: false,
  // One error is enough to answer, and stops a crafted body from costing much.
  allErrors: false
}

/**
 * Bodies are checked as sent: a number is not a string, `"true"` is not a boolean.
 * Query strings, params and headers are text by nature, so they are coerced.
 * Each schema is compiled once, when its route is registered.
 */
export function useStrictBodyValidation(app: FastifyInstance): void {
  const body = addFormats(new Ajv({ ...common, coerceTypes: false }))
  const text = addFormats(new Ajv({ ...common, coerceTypes: 'array' }))
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? body : text).compile(schema))
}

/**
 * A form's check that names every refused field, not only the first (a page shows them all),
 * under the rules and formats of the body validation above. Forms are small: a credential
 * route's body limit bounds the work.
 */
export function compileFormCheck(schema: object): (form: unknown) => ErrorObject[] {
  const validate = addFormats(new Ajv({ ...common, coerceTypes: false, allErrors: true })).compile(schema)
  return (form) => (validate(form) ? [] : (validate.errors ?? []))
}
