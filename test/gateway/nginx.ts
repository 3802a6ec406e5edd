import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Debian's nginx (`apt-get install nginx`; .ci/run installs it when missing). */
export const NGINX = '/usr/sbin/nginx'

/** Why nginx cannot run here, or null when it can. */
export function nginxMissing(): string | null {
  try {
    accessSync(NGINX, constants.X_OK)
    return null
  } catch {
    return `${NGINX} is not installed (apt-get install -y --no-install-recommends nginx; .ci/run installs it)`
  }
}

/** The identity headers the recipe hands on: nginx variable, and the header of moneypenny's answer (and of the upstream's request). */
export const FORWARDED_IDENTITY = [
  ['auth_user_id', 'X-Auth-Request-User-Id'],
  ['auth_user', 'X-Auth-Request-User'],
  ['auth_organisation', 'X-Auth-Request-Organisation'],
  ['auth_scope', 'X-Auth-Request-Scope'],
  ['auth_client_id', 'X-Auth-Request-Client-Id']
] as const

/** `$upstream_http_x_auth_request_user` for X-Auth-Request-User. */
const upstreamVariable = (header: string) => `$upstream_http_${header.toLowerCase().replaceAll('-', '_')}`

/**
 * The docs' nginx recipe: the application behind `auth_request`, the check a HEAD to
 * /authorise on a keep-alive upstream, the identity copied into the application's request.
 * With `auth` false, the same proxy without the check (the baseline of the benchmark).
 */
export function nginxRecipe(options: { moneypenny: string; app: string; auth?: boolean }): string {
  const auth = options.auth ?? true
  const identity = FORWARDED_IDENTITY.map(
    ([variable, header]) => `      auth_request_set $${variable} ${upstreamVariable(header)};\n      proxy_set_header ${header} $${variable};`
  ).join('\n')
  return `
    upstream moneypenny {
      server ${options.moneypenny};
      keepalive 16;
    }
    upstream app {
      server ${options.app};
      keepalive 16;
    }
    server {
      listen LISTEN;
      location / {${auth ? `\n      auth_request /_auth;\n${identity}` : ''}
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_pass http://app;
      }
      location = /_auth {
        internal;
        proxy_pass http://moneypenny/authorise;
        proxy_method HEAD;
        proxy_pass_request_body off;
        proxy_set_header Content-Length "";
        proxy_http_version 1.1;
        proxy_set_header Connection "";
      }
    }`
}

export interface RunningNginx {
  url: string
  child: ChildProcess
  /** Stops this nginx (by its own pid) and removes its folder. */
  stop: () => Promise<void>
}

/**
 * Runs nginx in the foreground on `port` with `servers` (an http block's contents; LISTEN is
 * replaced by the address): pid file, logs and temp files in a folder of its own. Ready when it
 * answers on the port (polled; an exit before that throws with its error log).
 */
export async function startNginx(servers: string, port: number): Promise<RunningNginx> {
  const dir = mkdtempSync(join(tmpdir(), 'moneypenny-nginx-'))
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `${kind}_temp_path ${join(dir, kind)};`).join('\n  ')
  writeFileSync(
    join(dir, 'nginx.conf'),
    `worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 512; }
http {
  access_log off;
  ${temp}
  ${servers.replace('LISTEN', `127.0.0.1:${port}`)}
}
`
  )
  const child = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr!.on('data', (chunk) => (stderr += chunk))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 10_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${stderr}${readFileSync(join(dir, 'error.log'), 'utf8')}`)
    try {
      await fetch(url, { method: 'OPTIONS' })
      break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`nginx did not listen within 10 s: ${stderr}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return {
    url,
    child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit')
        // SIGQUIT: nginx's graceful stop.
        child.kill('SIGQUIT')
        await exited
      }
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
