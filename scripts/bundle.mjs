// The image's server as three files in dist/bundle/, made from tsc's output in dist/src/:
// main.js is the server and its pure-JavaScript dependencies in one module, server.js the entry
// that starts it, saml-check-thread.js SAML's checking thread. A start of dist/src/server.js
// spends a third of its time in Node's module loader (resolving, reading and linking 1,100
// modules); one module skips that (docs/performance.md#start-up).
import { build } from 'esbuild'

await build({
  entryPoints: [
    { in: 'dist/src/main.js', out: 'main' },
    { in: 'dist/src/server.js', out: 'server' },
    { in: 'dist/src/services/saml-check-thread.js', out: 'saml-check-thread' }
  ],
  outdir: 'dist/bundle',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // No keepNames: it wraps every named function in a call that sets its name, inside functions too,
  // so per request (introspection measured 17% slower). A class keeps its name from the variable
  // esbuild assigns it to, unless two modules' names collide; test/e2e/bundle.test.ts checks that
  // none of the error classes, whose names are their log lines' types, is renamed.
  sourcemap: 'linked',
  // Kept as they are, found in node_modules beside dist/: native addons (their binaries sit in their
  // own folders); @fastify/swagger and its UI (they read files from their folders); what is loaded
  // only when configured or first used (MongoDB, Redis, SMTP, node-saml, an upstream OpenID
  // provider's client, passkeys' library, Fastify's inject), so a replica holds no source it never
  // runs; and main.js itself, which server.js imports.
  external: [
    'bcrypt',
    'better-sqlite3',
    '@fastify/swagger',
    '@fastify/swagger-ui',
    'mongodb',
    'ioredis',
    'nodemailer',
    '@node-saml/node-saml',
    'openid-client',
    '@simplewebauthn/server',
    'light-my-request',
    './main.js'
  ],
  // CommonJS dependencies require Node's own modules: an ES module has no `require` unless it makes one.
  banner: { js: "import { createRequire as createRequireOfBundle } from 'node:module'; const require = createRequireOfBundle(import.meta.url);" },
  logLevel: 'warning'
})
