import { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify'
import type { Bindings, ChildLoggerOptions } from 'fastify/types/logger.js'
import type { Config } from './config.js'

/**
 * Query parameters that may carry a credential, by their decoded name in lower case: their
 * values never reach the log, however the name was spelt (`%74oken`, `T%4Fken`, `TOKEN`).
 */
const SECRET_PARAMETERS = new Set([
  'token',
  'access_token',
  'accesstoken',
  'refresh_token',
  'refreshtoken',
  'id_token',
  'code',
  'code_verifier',
  'client_secret',
  'client_assertion',
  'assertion',
  'password',
  'state',
  'nonce',
  'samlresponse',
  '_csrf'
])

/** Logged in place of a query string that does not decode: what the service read from it is unknown. */
export const UNDECODABLE_QUERY = '[undecodable query]'

/** The router (find-my-way) starts the query at the first `?` or `#`. */
const QUERY_START = /[?#]/
/** Between parameters: `&`, and also `?`, `#` and `;`, which a client may have meant as one (redacting more is safe). */
const PARAMETER_SEPARATOR = /([&?#;])/

/** `text` percent-decoded with `+` as a space, as Fastify's query parser reads it; null when it does not decode. */
function decodeComponent(text: string): string | null {
  const spaced = text.includes('+') ? text.replace(/\+/g, ' ') : text
  if (!spaced.includes('%')) return spaced
  try {
    return decodeURIComponent(spaced)
  } catch {
    return null
  }
}

/**
 * A query string (without its `?`) for the log: each parameter whose decoded name is a secret's
 * keeps its name as sent and loses its value. Null when any name or value fails to decode, since
 * then the log cannot tell what the service made of it.
 */
export function redactQuery(query: string): string | null {
  const parts = query.split(PARAMETER_SEPARATOR)
  // Odd indexes hold the separators, which are kept as they were.
  for (let i = 0; i < parts.length; i += 2) {
    const parameter = parts[i]!
    const equals = parameter.indexOf('=')
    const name = decodeComponent(equals === -1 ? parameter : parameter.slice(0, equals))
    if (name === null) return null
    if (equals === -1) continue
    if (SECRET_PARAMETERS.has(name.trim().toLowerCase())) parts[i] = `${parameter.slice(0, equals)}=[Redacted]`
    else if (decodeComponent(parameter.slice(equals + 1)) === null) return null
  }
  return parts.join('')
}

/** A request URL for the log: the path as it is, the query redacted (or replaced by a marker when it does not decode). */
export function redactUrl(url: string): string {
  const start = url.search(QUERY_START)
  if (start === -1) return url
  const query = redactQuery(url.slice(start + 1))
  return `${url.slice(0, start + 1)}${query ?? UNDECODABLE_QUERY}`
}

/** A query in a message: from a `?` or `#` up to a space or a quote. */
const QUERY_IN_TEXT = /[?#][^\s"'`]*/g

/**
 * `text` with every query in it redacted as in a URL. Only a query with a named parameter (an
 * `=`) is touched, so prose such as "why?" or "100%" is left alone. Fastify puts raw URLs in a
 * few messages of its own (a reply sent twice, a route not found).
 */
export function redactQueriesIn(text: string): string {
  if (!text.includes('=')) return text
  return text.replace(QUERY_IN_TEXT, (match) => {
    if (!match.includes('=')) return match
    return `${match[0]}${redactQuery(match.slice(1)) ?? UNDECODABLE_QUERY}`
  })
}

/**
 * An error as it may be logged: without Node's `rawPacket` (the raw bytes of a request it could
 * not parse, Authorization header, cookies and query included; Fastify logs those errors at
 * `trace`), and with any query in its message and stack redacted. The error itself is unchanged.
 */
export function loggableError(error: Error): Error {
  const message = typeof error.message === 'string' ? redactQueriesIn(error.message) : error.message
  if (!Object.hasOwn(error, 'rawPacket') && message === error.message) return error
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Error & Record<string, unknown>
  for (const [key, value] of Object.entries(error)) if (key !== 'rawPacket') copy[key] = value
  Object.defineProperty(copy, 'message', { value: message, writable: true, configurable: true })
  if (typeof error.stack === 'string') Object.defineProperty(copy, 'stack', { value: redactQueriesIn(error.stack), writable: true, configurable: true })
  if (error.cause !== undefined) Object.defineProperty(copy, 'cause', { value: error.cause, writable: true, configurable: true })
  return copy
}

/**
 * pino's logMethod hook: runs only for lines that are written. Strings have their queries redacted;
 * an error (first argument, or its `err`) is swapped for its loggable copy when that differs.
 */
function redactLogArguments(this: unknown, args: unknown[], method: (...args: unknown[]) => void): void {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (typeof arg === 'string') {
      args[i] = redactQueriesIn(arg)
    } else if (i === 0 && arg instanceof Error) {
      args[0] = loggableError(arg)
    } else if (i === 0 && arg !== null && typeof arg === 'object' && (arg as { err?: unknown }).err instanceof Error) {
      const err = (arg as { err: Error }).err
      const loggable = loggableError(err)
      if (loggable !== err) args[0] = { ...arg, err: loggable }
    }
  }
  method.apply(this, args)
}

export function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.password',
        '*.passwordHash',
        '*.token',
        '*.refreshToken',
        '*.refresh_token',
        '*.accessToken',
        '*.access_token',
        '*.id_token',
        '*.client_secret',
        '*.code',
        '*.code_verifier',
        '*._csrf',
        '*.SAMLResponse'
      ],
      censor: '[Redacted]'
    },
    hooks: { logMethod: redactLogArguments },
    serializers: {
      req: (request) => ({
        method: request.method,
        url: typeof request.url === 'string' ? redactUrl(request.url) : request.url,
        remoteAddress: request.ip
      })
    }
  }
}

/**
 * One line per request, at `debug`, with the request in it: Fastify's two lines at `info` cost
 * more than a token check. A request that failed is still logged at `error`.
 */
export class AccessLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored')
    else reply.log.debug({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed')
  }
}

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace'

/**
 * A request's logger, made by its first line: pino's child() runs every redact path over
 * the bindings (7 µs, a tenth of a token check), and most requests never write a line.
 */
class LazyChildLogger {
  private made: FastifyBaseLogger | null = null

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions
  ) {}

  private get logger(): FastifyBaseLogger {
    return (this.made ??= this.parent.child(this.bindings, this.options))
  }

  get level(): string {
    return (this.made ?? this.parent).level
  }

  set level(level: string) {
    this.logger.level = level
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.logger.child(bindings, options)
  }

  fatal(...args: unknown[]): void {
    this.write('fatal', args)
  }

  error(...args: unknown[]): void {
    this.write('error', args)
  }

  warn(...args: unknown[]): void {
    this.write('warn', args)
  }

  info(...args: unknown[]): void {
    this.write('info', args)
  }

  debug(...args: unknown[]): void {
    this.write('debug', args)
  }

  trace(...args: unknown[]): void {
    this.write('trace', args)
  }

  silent(): void {}

  private write(level: Level, args: unknown[]): void {
    // pino's own check, made before the child is: a line below the level costs nothing.
    if (((this.made ?? this.parent) as { isLevelEnabled?: (level: Level) => boolean }).isLevelEnabled?.(level) === false) return
    ;(this.logger[level] as (...args: unknown[]) => void)(...args)
  }
}

/** Fastify's childLoggerFactory: every request gets a LazyChildLogger. */
export function lazyChildLogger(logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  return new LazyChildLogger(logger, bindings, options) as unknown as FastifyBaseLogger
}
