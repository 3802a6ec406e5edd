import SerializerSelector from '@fastify/fast-json-stringify-compiler'
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv'
import type { FastifyServerOptions } from 'fastify'
import { addFormats } from '../schemas/check.js'

const common: Options = {
  useDefaults: true,
  // Unknown fields are an error (400), not silently dropped.
  removeAdditional: false,
  // One error is enough to answer, and stops a crafted body from costing much.
  allErrors: false
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Compiles every route schema not used yet and returns how many there were (tests, to find a bad schema). */
    compileEverySchema(): number
  }
}

/** A compilation left for its first use; compileAll runs those still waiting (tests, to find a bad schema). */
class FirstUse {
  readonly #waiting = new Set<() => void>()

  /** Runs `compile` on the first call of what it returns, once. */
  wrap<F>(compile: () => F): () => F {
    let compiled: F | undefined
    const run = (): F => {
      if (compiled === undefined) {
        compiled = compile()
        this.#waiting.delete(run)
      }
      return compiled
    }
    this.#waiting.add(run)
    return run
  }

  /** Compiles every schema not used yet and returns how many there were. */
  compileAll = (): number => {
    const waiting = [...this.#waiting]
    for (const run of waiting) run()
    return waiting.length
  }
}

type Validate = ((data: unknown, context?: Parameters<ValidateFunction>[1]) => boolean | Promise<unknown>) & { errors?: ErrorObject[] | null; schemaEnv?: unknown }
type Serialize = (value: unknown) => string

/**
 * Fastify compiles a route's schemas when the route is added: about half a second of each restart on
 * two cores, and validators and serialisers kept in the heap for routes a replica may never serve
 * (the console, SAML, the pages). Here each is compiled on its route's first request instead, once.
 *
 * Bodies are checked as sent: a number is not a string, `"true"` is not a boolean.
 * Query strings, params and headers are text by nature, so they are coerced.
 */
export function schemasCompiledOnFirstUse(): { compilersFactory: NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']; compileAll: () => number } {
  const firstUse = new FirstUse()
  const body = addFormats(new Ajv({ ...common, coerceTypes: false }))
  const text = addFormats(new Ajv({ ...common, coerceTypes: 'array' }))
  const buildValidator = () => ({ schema, httpPart }: { schema: object; httpPart?: string }): Validate => {
    const compiled = firstUse.wrap(() => (httpPart === 'body' ? body : text).compile(schema))
    const validate: Validate = (data, context) => {
      const ajvValidate = compiled()
      const valid = ajvValidate(data, context)
      validate.errors = ajvValidate.errors
      return valid
    }
    // Fastify passes the parent object (so that Ajv may set a default on a missing root value)
    // only to a function that carries Ajv's schemaEnv.
    validate.schemaEnv = true
    return validate
  }
  const buildSerializer = (externalSchemas?: unknown, options?: object) => {
    const compile = SerializerSelector()(externalSchemas, options)
    return (route: SerializerSelector.RouteDefinition): Serialize => {
      const compiled = firstUse.wrap(() => compile(route))
      return (value) => compiled()(value)
    }
  }
  return { compilersFactory: { buildValidator, buildSerializer } as never, compileAll: firstUse.compileAll }
}
