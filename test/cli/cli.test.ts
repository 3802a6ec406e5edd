import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { openSqliteStore } from '../../src/store/sqlite/index.js'
import { storedPasskey, tempDir } from '../helpers.js'

const cliScript = join(fileURLToPath(new URL('.', import.meta.url)), '../../src/cli.js')

describe('the admin CLI', () => {
  const folder = tempDir()
  const database = join(folder.dir, 'moneypenny.db')
  after(() => folder.remove())

  /** Runs the CLI as a child process with the server's configuration variables; `input` goes to stdin. */
  function cli(args: string[], input = '', env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [cliScript, ...args], {
        env: { PATH: process.env.PATH, SQLITE_PATH: database, BCRYPT_COST: '4', LOG_LEVEL: 'silent', ...env },
        stdio: ['pipe', 'pipe', 'pipe']
      })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk))
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk))
      child.on('error', reject)
      child.on('close', (code) => resolve({ code, stdout, stderr }))
      child.stdin.end(input)
    })
  }

  test('--help lists every command; an unknown command exits 2', async () => {
    const help = await cli(['--help'])
    assert.equal(help.code, 0)
    for (const command of ['users add', 'users set-password', 'clients rotate-secret', 'keys rotate', 'sessions revoke', 'migrate']) assert.match(help.stdout, new RegExp(command))
    assert.equal((await cli(['users', 'fly'])).code, 2)
    const commandHelp = await cli(['users', 'add', '--help'])
    assert.equal(commandHelp.code, 0)
    assert.match(commandHelp.stdout, /usage: moneypenny users add/)
  })

  test('users add reads the password from stdin, never from arguments', async () => {
    const added = await cli(['users', 'add', 'alice', '--email', 'alice@example.com', '--scope', 'user'], 'alice-password-1\n')
    assert.equal(added.code, 0, added.stderr)
    assert.equal(JSON.parse(added.stdout).username, 'alice')
    assert.ok(!added.stdout.includes('alice-password-1'))
    const listed = JSON.parse((await cli(['users', 'list'])).stdout) as { users: { username: string }[] }
    assert.ok(listed.users.some((user) => user.username === 'alice'))
  })

  test('bad input is a clear error with a non-zero exit code and changes nothing', async () => {
    const short = await cli(['users', 'add', 'bob', '--email', 'bob@example.com'], 'short\n')
    assert.equal(short.code, 2)
    assert.match(short.stderr, /8 to 1,024/)
    assert.equal((await cli(['users', 'add', 'bob'], 'bob-password-1\n')).code, 2)
    assert.equal((await cli(['users', 'add', 'bob', '--email', 'bob@example.com', '--colour', 'red'], 'bob-password-1\n')).code, 2)
    const missing = await cli(['users', 'delete', 'nobody'])
    assert.equal(missing.code, 1)
    assert.match(missing.stderr, /no user named nobody/)
    const duplicate = await cli(['users', 'add', 'Alice', '--email', 'other@example.com'], 'alice-password-2\n')
    assert.equal(duplicate.code, 1)
    const listed = JSON.parse((await cli(['users', 'list'])).stdout) as { users: { username: string }[] }
    assert.deepEqual(listed.users.map((user) => user.username), ['alice'])
  })

  test('users add takes profile fields; users profile sets, normalises and clears them; a bad one changes nothing', async () => {
    const added = await cli(['users', 'add', 'carol', '--email', 'carol@example.com', '--given-name', 'Carol', '--locale', 'de-de'], 'carol-password-1\n')
    assert.equal(added.code, 0, added.stderr)
    assert.deepEqual([JSON.parse(added.stdout).givenName, JSON.parse(added.stdout).locale], ['Carol', 'de-DE'])
    const set = await cli(['users', 'profile', 'carol', '--zoneinfo', 'Europe/Berlin', '--given-name', ''])
    assert.equal(set.code, 0, set.stderr)
    assert.deepEqual([JSON.parse(set.stdout).zoneinfo, JSON.parse(set.stdout).givenName, JSON.parse(set.stdout).locale], ['Europe/Berlin', null, 'de-DE'])
    const bad = await cli(['users', 'profile', 'carol', '--picture', 'http://pictures.example.com/c.png'])
    assert.equal(bad.code, 1)
    assert.match(bad.stderr, /picture must be an https URL/)
    assert.equal((await cli(['users', 'profile', 'carol'])).code, 2)
    const store = openSqliteStore(database)
    try {
      const carol = await store.users.findByUsernameKey('carol')
      assert.equal(carol?.picture, null)
      assert.equal(carol?.zoneinfo, 'Europe/Berlin')
      assert.ok(carol && (await store.users.delete(carol.id)))
    } finally {
      await store.close()
    }
  })

  test('disable, enable, set-password, reset-mfa, passkeys and delete-passkey, links and unlink, sessions revoke, delete', async () => {
    assert.equal(JSON.parse((await cli(['users', 'disable', 'alice'])).stdout).active, false)
    assert.equal(JSON.parse((await cli(['users', 'enable', 'alice'])).stdout).active, true)
    assert.equal((await cli(['users', 'set-password', 'alice'], 'a-new-password-9\n')).code, 0)
    const store = openSqliteStore(database)
    try {
      const alice = await store.users.findByUsernameKey('alice')
      await store.sessions.insert({ id: 's-cli', userId: alice!.id, kind: 'token', createdAt: Date.now(), expiresAt: Date.now() + 60_000, idleExpiresAt: null, revokedAt: null, clientId: null, scope: null, authTime: null, claims: null, amr: null, idp: null })
      await store.mfa.saveTotp({ userId: alice!.id, sealedSecret: 'sealed', confirmedAt: null, lastStep: 0, createdAt: Date.now() })
      await store.mfa.confirmTotp(alice!.id, 1, Date.now())
      await store.passkeys.add(storedPasskey(alice!.id, 'cred-lost-phone', { name: 'Lost phone', transports: ['hybrid'], deviceType: 'multiDevice', backedUp: true }))
      await store.identityLinks.add({ provider: 'acme', subject: 'alice-at-acme', userId: alice!.id, createdAt: Date.now(), lastUsedAt: null })
    } finally {
      await store.close()
    }
    assert.deepEqual(JSON.parse((await cli(['users', 'passkeys', 'alice'])).stdout).map((passkey: { id: string; name: string }) => [passkey.id, passkey.name]), [['cred-lost-phone', 'Lost phone']])
    assert.match((await cli(['users', 'delete-passkey', 'alice', 'cred-lost-phone'])).stdout, /passkey cred-lost-phone deleted for alice/)
    assert.notEqual((await cli(['users', 'delete-passkey', 'alice', 'cred-lost-phone'])).code, 0, 'gone')
    assert.equal(JSON.parse((await cli(['users', 'passkeys', 'alice'])).stdout).length, 0)
    assert.deepEqual(JSON.parse((await cli(['users', 'links', 'alice'])).stdout).map((link: { provider: string; subject: string }) => [link.provider, link.subject]), [['acme', 'alice-at-acme']])
    assert.match((await cli(['users', 'unlink', 'alice', 'acme'])).stdout, /link to acme removed for alice/)
    assert.notEqual((await cli(['users', 'unlink', 'alice', 'acme'])).code, 0, 'gone')
    assert.equal(JSON.parse((await cli(['users', 'links', 'alice'])).stdout).length, 0)
    assert.equal((await cli(['sessions', 'revoke', '--user', 'alice'])).code, 0)
    assert.match((await cli(['users', 'reset-mfa', 'alice'])).stdout, /second factor removed for alice/)
    assert.notEqual((await cli(['users', 'reset-mfa', 'alice'])).code, 0, 'nothing left to reset')
    const check = openSqliteStore(database)
    try {
      assert.notEqual((await check.sessions.findById('s-cli'))!.revokedAt, null)
      assert.equal(await check.mfa.findTotp((await check.users.findByUsernameKey('alice'))!.id), null)
    } finally {
      await check.close()
    }
    assert.equal((await cli(['users', 'delete', 'alice'])).code, 0)
  })

  test('clients add prints the secret once; list never does; rotate-secret and remove', async () => {
    const added = await cli(['clients', 'add', '--name', 'Batch', '--grant-type', 'client_credentials', '--scope', 'jobs'])
    assert.equal(added.code, 0, added.stderr)
    const client = JSON.parse(added.stdout) as { client_id: string; client_secret: string }
    assert.ok(client.client_secret.length >= 43)
    const list = await cli(['clients', 'list'])
    assert.ok(!list.stdout.includes(client.client_secret))
    const rotated = JSON.parse((await cli(['clients', 'rotate-secret', client.client_id])).stdout) as { client_secret: string }
    assert.notEqual(rotated.client_secret, client.client_secret)
    assert.equal((await cli(['clients', 'remove', client.client_id])).code, 0)
    assert.equal((await cli(['clients', 'remove', client.client_id])).code, 1)
    assert.equal((await cli(['clients', 'add', '--auth-method', 'magic'])).code, 2)
  })

  test('clients resource-server sets which tokens a client may introspect', async () => {
    const added = await cli(['clients', 'add', '--name', 'Gateway', '--grant-type', 'client_credentials', '--resource-server', 'audience'])
    assert.equal(added.code, 0, added.stderr)
    const client = JSON.parse(added.stdout) as { client_id: string; resource_server: string | null }
    assert.equal(client.resource_server, 'audience')
    const widened = await cli(['clients', 'resource-server', client.client_id, 'all'])
    assert.equal(widened.code, 0, widened.stderr)
    assert.equal(JSON.parse(widened.stdout).resource_server, 'all')
    assert.equal(JSON.parse((await cli(['clients', 'resource-server', client.client_id, 'none'])).stdout).resource_server, null)
    assert.equal((await cli(['clients', 'resource-server', client.client_id, 'everything'])).code, 2)
    assert.equal((await cli(['clients', 'resource-server', 'no-such-client', 'all'])).code, 1)
  })

  test('keys list and rotate', async () => {
    const before = JSON.parse((await cli(['keys', 'list'])).stdout) as { keys: unknown[] }
    const rotated = await cli(['keys', 'rotate'])
    assert.equal(rotated.code, 0, rotated.stderr)
    const afterRotation = JSON.parse((await cli(['keys', 'list'])).stdout) as { keys: { kid: string }[] }
    assert.equal(afterRotation.keys.length, before.keys.length + 1)
    assert.ok(afterRotation.keys.some((key) => key.kid === JSON.parse(rotated.stdout).kid))
  })

  test('migrate copies one store into an empty one', async () => {
    const target = join(folder.dir, 'copy.db')
    const moved = await cli(['migrate', '--from', `sqlite:${database}`, '--to', `sqlite:${target}`])
    assert.equal(moved.code, 0, moved.stderr)
    assert.ok(JSON.parse(moved.stdout).signingKeys >= 2)
    assert.equal((await cli(['migrate', '--from', `sqlite:${database}`, '--to', `sqlite:${target}`])).code, 1)
    assert.equal((await cli(['migrate', '--from', 'ftp://x', '--to', `sqlite:${target}`])).code, 2)
  })
})
