import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { after } from 'node:test'
import { fileURLToPath } from 'node:url'
import { freePort } from '../helpers.js'

/** The image's entry: the server bundled into one module (scripts/bundle.mjs). */
export const serverScript = join(fileURLToPath(new URL('.', import.meta.url)), '../../bundle/server.js')
/** Every server started; killed when the test file ends, whatever happened. */
export const children = new Set<ChildProcess>()
after(() => {
  for (const child of children) child.kill('SIGKILL')
})

export interface Running {
  base: string
  child: ChildProcess
  stop: () => Promise<number | null>
}

/**
 * Starts the image's entry, dist/bundle/server.js, on a free port with `env` and waits for /readyz 200;
 * with `issuerIsBase`, PUBLIC_URL is where it listens (what OAuth2 and SAML peers see).
 */
export async function start(env: Record<string, string>, options: { issuerIsBase?: boolean } = {}): Promise<Running> {
  const port = await freePort()
  const issuer: Record<string, string> = options.issuerIsBase ? { PUBLIC_URL: `http://127.0.0.1:${port}` } : {}
  const child = spawn(process.execPath, [serverScript], {
    env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', BCRYPT_COST: '4', LOG_LEVEL: 'silent', ...issuer, ...env },
    stdio: ['ignore', 'ignore', 'pipe']
  })
  children.add(child)
  const base = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 20_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`)
    try {
      if ((await fetch(`${base}/readyz`)).status === 200) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('server did not become ready')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return {
    base,
    child,
    stop: async () => {
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      const [code] = await exited
      children.delete(child)
      return code as number | null
    }
  }
}

