#!/usr/bin/env node
import { createInterface } from 'node:readline'
import { Writable } from 'node:stream'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'
import { AppError } from './errors.js'
import { matches } from './schemas/check.js'
import { Email, Password, Username } from './schemas/common.js'
import { clientView, clientWithSecretView } from './schemas/clients.js'
import { identityLinkView, passkeyView, publicUser } from './schemas/views.js'
import { usernameKey } from './services/accounts.js'
import type { ClientMetadata } from './services/oauth2/clients.js'
import { importLegacy } from './services/legacy-import.js'
import { copyStore } from './store/copy.js'
import { openStore } from './store/index.js'
import type { Config } from './config.js'
import type { ProfileChanges } from './services/profile.js'
import type { ProfileField, ResourceServerMode, TokenEndpointAuthMethod, UserRecord } from './store/port.js'

/** A mistake in how the command was called: usage goes with it, exit code 2. */
class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>

interface Command {
  usage: string
  summary: string
  options?: Options
  run(context: { args: string[]; values: Record<string, string | boolean | (string | boolean)[] | undefined>; config: Config }): Promise<void>
}

function print(value: unknown): void {
  process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`)
}

/**
 * A password is never an argument (it would sit in the shell history and in `ps`):
 * it is read from stdin when piped, or asked for without echo at a terminal.
 */
async function readPassword(prompt: string): Promise<string> {
  let password: string
  if (process.stdin.isTTY) {
    let muted = false
    const output = new Writable({
      write(chunk, _encoding, done) {
        if (!muted) process.stderr.write(chunk)
        done()
      }
    })
    const reader = createInterface({ input: process.stdin, output, terminal: true })
    password = await new Promise<string>((resolve) => {
      reader.question(prompt, resolve)
      muted = true
    })
    reader.close()
    process.stderr.write('\n')
  } else {
    const chunks: Buffer[] = []
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '')
  }
  if (!matches(Password, password)) throw new UsageError('the password must be 8 to 1,024 characters')
  return password
}

/** Runs `work` with the application built from the environment (same configuration as the server), then closes it. */
async function withApp(config: Config, work: (app: FastifyInstance) => Promise<void>): Promise<void> {
  const app = await buildApp(config, { logger: false })
  try {
    await app.ready()
    await work(app)
  } finally {
    await app.close()
  }
}

async function userNamed(app: FastifyInstance, username: string | undefined): Promise<UserRecord> {
  if (!username) throw new UsageError('a username is required')
  const user = await app.store.users.findByUsernameKey(usernameKey(username))
  if (!user) throw new AppError(404, 'Not Found', `no user named ${username}`)
  return user
}

function listOption(value: unknown): string[] | undefined {
  if (value === undefined) return undefined
  return (Array.isArray(value) ? value : [value]).flatMap((item) => String(item).split(',')).filter(Boolean)
}

/** RFC 7662 §4 leaves to the server whom it answers; `none` keeps a client to its own tokens. */
function resourceServerOption(value: string): ResourceServerMode | null {
  if (value === 'none') return null
  if (value === 'audience' || value === 'all') return value
  throw new UsageError('the resource server setting must be audience, all or none')
}

const ADMIN = { isAdmin: true }

/** Profile options and the field each sets (OIDC standard claims; checked by services/profile.ts). */
const PROFILE_OPTIONS: Record<string, ProfileField> = {
  name: 'name',
  'given-name': 'givenName',
  'family-name': 'familyName',
  locale: 'locale',
  zoneinfo: 'zoneinfo',
  picture: 'picture'
}
const PROFILE_USAGE = '[--name n] [--given-name n] [--family-name n] [--locale en-US] [--zoneinfo Europe/Paris] [--picture https://...]'

function profileOptions(): Options {
  return Object.fromEntries(Object.keys(PROFILE_OPTIONS).map((option) => [option, { type: 'string' as const }]))
}

/** The profile options given; an empty value clears its field. */
function profileChanges(values: Record<string, unknown>): ProfileChanges {
  const changes: ProfileChanges = {}
  for (const [option, field] of Object.entries(PROFILE_OPTIONS)) {
    const value = values[option]
    if (typeof value === 'string') changes[field] = value === '' ? null : value
  }
  return changes
}

const commands: Record<string, Command> = {
  'users add': {
    usage: `users add <username> --email <email> [--scope a,b] [--role r] [--organisation o] [--disabled] ${PROFILE_USAGE}`,
    summary: 'create a user; the password is read from stdin or asked for',
    options: {
      email: { type: 'string' },
      scope: { type: 'string' },
      role: { type: 'string' },
      organisation: { type: 'string' },
      disabled: { type: 'boolean' },
      ...profileOptions()
    },
    async run({ args, values, config }) {
      const [username] = args
      if (!username || !matches(Username, username)) throw new UsageError('a valid username is required')
      if (typeof values.email !== 'string' || !matches(Email, values.email)) throw new UsageError('--email with a valid address is required')
      const password = await readPassword(`password for ${username}: `)
      await withApp(config, async (app) => {
        const user = await app.accounts.create({
          username,
          email: values.email as string,
          password,
          ...(values.scope === undefined ? {} : { scope: listOption(values.scope)! }),
          ...(typeof values.role === 'string' ? { role: values.role } : {}),
          ...(typeof values.organisation === 'string' ? { organisation: values.organisation } : {}),
          active: values.disabled !== true,
          ...profileChanges(values)
        })
        print(publicUser(user))
      })
    }
  },
  'users profile': {
    usage: `users profile <username> ${PROFILE_USAGE}`,
    summary: 'set a user\'s profile fields; an empty value ("") clears one',
    options: profileOptions(),
    async run({ args, values, config }) {
      const changes = profileChanges(values)
      if (Object.keys(changes).length === 0) throw new UsageError('give at least one profile option')
      await withApp(config, async (app) => print(publicUser(await app.accounts.update((await userNamed(app, args[0])).id, changes, ADMIN))))
    }
  },
  'users list': {
    usage: 'users list [--search text] [--limit n] [--offset n]',
    summary: 'list users',
    options: { search: { type: 'string' }, limit: { type: 'string' }, offset: { type: 'string' } },
    async run({ values, config }) {
      const limit = Number(values.limit ?? 100)
      const offset = Number(values.offset ?? 0)
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000 || !Number.isInteger(offset) || offset < 0) throw new UsageError('--limit 1..1000 and --offset >= 0')
      await withApp(config, async (app) => {
        const { items, total } = await app.accounts.list({ limit, offset, ...(typeof values.search === 'string' ? { search: values.search } : {}) })
        print({ total, users: items.map(publicUser) })
      })
    }
  },
  'users disable': {
    usage: 'users disable <username>',
    summary: 'disable a user and end their sessions',
    async run({ args, config }) {
      await withApp(config, async (app) => print(publicUser(await app.accounts.update((await userNamed(app, args[0])).id, { active: false }, ADMIN))))
    }
  },
  'users enable': {
    usage: 'users enable <username>',
    summary: 'enable a user',
    async run({ args, config }) {
      await withApp(config, async (app) => print(publicUser(await app.accounts.update((await userNamed(app, args[0])).id, { active: true }, ADMIN))))
    }
  },
  'users set-email': {
    usage: 'users set-email <username> <email>',
    summary: "give a user a new address (unverified until its link is followed); a security event, noticed at the old address when mail is on",
    async run({ args, config }) {
      if (!args[1] || !matches(Email, args[1])) throw new UsageError('a valid email address is required')
      await withApp(config, async (app) => print(publicUser(await app.accounts.update((await userNamed(app, args[0])).id, { email: args[1]! }, ADMIN))))
    }
  },
  'users set-password': {
    usage: 'users set-password <username>',
    summary: 'set a new password (read from stdin or asked for); ends the user\'s sessions',
    async run({ args, config }) {
      if (!args[0]) throw new UsageError('a username is required')
      const password = await readPassword(`new password for ${args[0]}: `)
      await withApp(config, async (app) => {
        await app.accounts.update((await userNamed(app, args[0])).id, { password }, ADMIN)
        print(`password changed for ${args[0]}`)
      })
    }
  },
  'users reset-mfa': {
    usage: 'users reset-mfa <username>',
    summary: "remove a user's second factor and recovery codes (a lost phone); a security event",
    async run({ args, config }) {
      await withApp(config, async (app) => {
        await app.mfa.reset((await userNamed(app, args[0])).id)
        print(`second factor removed for ${args[0]}`)
      })
    }
  },
  'users passkeys': {
    usage: 'users passkeys <username>',
    summary: "list a user's passkeys (id, name, added, last used)",
    async run({ args, config }) {
      await withApp(config, async (app) => print((await app.passkeys.list((await userNamed(app, args[0])).id)).map(passkeyView)))
    }
  },
  'users delete-passkey': {
    usage: 'users delete-passkey <username> <passkey id>',
    summary: "delete one of a user's passkeys (a lost device); a security event",
    async run({ args, config }) {
      if (!args[1]) throw new UsageError('a passkey id is required (see users passkeys)')
      await withApp(config, async (app) => {
        await app.passkeys.delete(await userNamed(app, args[0]), args[1]!, 'admin')
        print(`passkey ${args[1]} deleted for ${args[0]}`)
      })
    }
  },
  'users links': {
    usage: 'users links <username>',
    summary: "list a user's links to upstream OpenID Connect providers (provider, subject, added, last used)",
    async run({ args, config }) {
      await withApp(config, async (app) => print((await app.identityLinks.list((await userNamed(app, args[0])).id)).map(identityLinkView)))
    }
  },
  'users unlink': {
    usage: 'users unlink <username> <provider>',
    summary: "remove a user's link to an upstream provider; a security event",
    async run({ args, config }) {
      if (!args[1]) throw new UsageError('a provider name is required (see users links)')
      await withApp(config, async (app) => {
        await app.identityLinks.unlink(await userNamed(app, args[0]), args[1]!, 'admin')
        print(`link to ${args[1]} removed for ${args[0]}`)
      })
    }
  },
  'users delete': {
    usage: 'users delete <username>',
    summary: 'delete a user and end their sessions',
    async run({ args, config }) {
      await withApp(config, async (app) => {
        await app.accounts.remove((await userNamed(app, args[0])).id)
        print(`deleted ${args[0]}`)
      })
    }
  },
  'clients add': {
    usage: 'clients add --name <name> [--redirect-uri <uri>]... [--grant-type <type>]... [--auth-method client_secret_basic|client_secret_post|none] [--scope "a b"] [--first-party] [--resource-server audience|all]',
    summary: 'register an OAuth2 client; prints its secret once',
    options: {
      name: { type: 'string' },
      'redirect-uri': { type: 'string', multiple: true },
      'grant-type': { type: 'string', multiple: true },
      'auth-method': { type: 'string' },
      scope: { type: 'string' },
      'first-party': { type: 'boolean' },
      'resource-server': { type: 'string' }
    },
    async run({ values, config }) {
      const metadata: ClientMetadata = {
        ...(typeof values.name === 'string' ? { client_name: values.name } : {}),
        ...(values['redirect-uri'] ? { redirect_uris: listOption(values['redirect-uri'])! } : {}),
        ...(values['grant-type'] ? { grant_types: listOption(values['grant-type'])! } : {}),
        ...(typeof values['auth-method'] === 'string' ? { token_endpoint_auth_method: values['auth-method'] as TokenEndpointAuthMethod } : {}),
        ...(typeof values.scope === 'string' ? { scope: values.scope } : {}),
        ...(values['first-party'] ? { first_party: true } : {}),
        ...(typeof values['resource-server'] === 'string' ? { resource_server: resourceServerOption(values['resource-server']) } : {})
      }
      const methods = ['client_secret_basic', 'client_secret_post', 'none']
      if (metadata.token_endpoint_auth_method && !methods.includes(metadata.token_endpoint_auth_method)) throw new UsageError(`--auth-method must be one of ${methods.join(', ')}`)
      const grants = ['authorization_code', 'refresh_token', 'client_credentials']
      if (metadata.grant_types?.some((grant) => !grants.includes(grant))) throw new UsageError(`--grant-type must be among ${grants.join(', ')}`)
      await withApp(config, async (app) => {
        const { client, secret } = await app.oauth2.clients.create(metadata)
        print(clientWithSecretView(client, secret))
      })
    }
  },
  'clients resource-server': {
    usage: 'clients resource-server <client_id> audience|all|none',
    summary: 'which access tokens a client may introspect: those naming it (audience), every one (all), or only its own (none)',
    async run({ args, config }) {
      if (!args[0] || !args[1]) throw new UsageError('a client_id and audience, all or none are required')
      const resourceServer = resourceServerOption(args[1])
      await withApp(config, async (app) => print(clientView(await app.oauth2.clients.update(args[0]!, { resource_server: resourceServer }))))
    }
  },
  'clients list': {
    usage: 'clients list',
    summary: 'list OAuth2 clients',
    async run({ config }) {
      await withApp(config, async (app) => print((await app.oauth2.clients.list()).map(clientView)))
    }
  },
  'clients remove': {
    usage: 'clients remove <client_id>',
    summary: 'delete a client and end every session granted to it',
    async run({ args, config }) {
      if (!args[0]) throw new UsageError('a client_id is required')
      await withApp(config, async (app) => {
        await app.oauth2.clients.remove(args[0]!)
        print(`removed ${args[0]}`)
      })
    }
  },
  'clients rotate-secret': {
    usage: 'clients rotate-secret <client_id>',
    summary: 'give a confidential client a new secret (printed once); the old one stops working',
    async run({ args, config }) {
      if (!args[0]) throw new UsageError('a client_id is required')
      await withApp(config, async (app) => {
        const { client, secret } = await app.oauth2.clients.rotateSecret(args[0]!)
        print(clientWithSecretView(client, secret))
      })
    }
  },
  'keys list': {
    usage: 'keys list',
    summary: 'the published verification keys',
    async run({ config }) {
      await withApp(config, async (app) => print(app.tokens.jwks()))
    }
  },
  'keys rotate': {
    usage: 'keys rotate',
    summary: 'publish a new signing key; it signs once every replica knows it',
    async run({ config }) {
      if (config.jwt.secret !== null) throw new UsageError('JWT_SECRET is set: shared-secret mode has no keys to rotate')
      await withApp(config, async (app) => print({ kid: await app.tokens.rotateSigningKey() }))
    }
  },
  'sessions revoke': {
    usage: 'sessions revoke --user <username>',
    summary: 'end every session of a user',
    options: { user: { type: 'string' } },
    async run({ values, config }) {
      await withApp(config, async (app) => {
        const user = await userNamed(app, values.user as string | undefined)
        await app.sessions.revokeUser(user.id)
        print(`ended the sessions of ${user.username}`)
      })
    }
  },
  migrate: {
    usage: 'migrate --from <sqlite:PATH | mongodb://...> --to <sqlite:PATH | mongodb://...>',
    summary: 'copy all data from one store to another, empty one (SQLite to MongoDB and back)',
    options: { from: { type: 'string' }, to: { type: 'string' } },
    async run({ values }) {
      const spec = (text: unknown, flag: string): Config['store'] => {
        if (typeof text !== 'string') throw new UsageError(`--${flag} is required`)
        if (text.startsWith('sqlite:')) return { kind: 'sqlite', path: text.slice('sqlite:'.length) }
        if (/^mongodb(\+srv)?:\/\//.test(text)) return { kind: 'mongodb', uri: text }
        throw new UsageError(`--${flag} must be sqlite:PATH or a mongodb:// URI`)
      }
      const from = await openStore(spec(values.from, 'from'))
      try {
        const to = await openStore(spec(values.to, 'to'))
        try {
          print(await copyStore(from, to))
        } finally {
          await to.close()
        }
      } finally {
        await from.close()
      }
    }
  },
  'migrate-legacy': {
    usage: 'migrate-legacy --from <mongodb://... of the old moneypenny-mongo-storage>',
    summary: 'import users and OAuth2 clients of the old MongoDB storage into the configured store; prints new client secrets once',
    options: { from: { type: 'string' } },
    async run({ values, config }) {
      if (typeof values.from !== 'string' || !/^mongodb(\+srv)?:\/\//.test(values.from)) throw new UsageError('--from must be a mongodb:// URI')
      const { readLegacyCollections } = await import('./store/mongo/legacy.js')
      const legacy = await readLegacyCollections(values.from)
      await withApp(config, async (app) => print(await importLegacy(legacy, app.accounts, app.oauth2.clients, config.allowedScopes)))
    }
  }
}


function help(): string {
  const lines = Object.entries(commands).map(([, command]) => `  moneypenny ${command.usage}\n      ${command.summary}`)
  return `moneypenny: administer users, OAuth2 clients, signing keys and sessions.\nConfiguration comes from the environment, as for the server.\n\n${lines.join('\n')}\n`
}

async function main(argv: string[]): Promise<number> {
  const name = argv[0]?.startsWith('migrate') ? argv[0] : argv.slice(0, 2).join(' ')
  const command = commands[name]
  if (!command) {
    if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
      process.stdout.write(help())
      return argv.length === 0 ? 2 : 0
    }
    process.stderr.write(`moneypenny: unknown command: ${argv.slice(0, 2).join(' ')}\n\n${help()}`)
    return 2
  }
  const rest = argv.slice(name.split(' ').length)
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`usage: moneypenny ${command.usage}\n${command.summary}\n`)
    return 0
  }
  try {
    const { values, positionals } = parseArgs({ args: rest, options: command.options ?? {}, allowPositionals: true, strict: true })
    await command.run({ args: positionals, values, config: loadConfig() })
    return 0
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`moneypenny: ${(error as Error).message}\nusage: moneypenny ${command.usage}\n`)
      return 2
    }
    if (error instanceof ConfigError || error instanceof AppError) {
      process.stderr.write(`moneypenny: ${error.message}\n`)
      return 1
    }
    throw error
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`moneypenny: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(1)
  }
)
