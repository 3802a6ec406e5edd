/**
 * The worker thread that saml-worker.ts's ResponseChecker starts: node-saml's check of each
 * answer sent to it, off the main thread. Only types come from saml-worker.ts, so this file
 * loads node-saml and nothing of the server.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads'
import { SAML, type CacheProvider, type SamlConfig } from '@node-saml/node-saml'
import type { Job, Outcome, WorkerSetup, XmlElement } from './saml-worker.js'

/** The worker's side: one node-saml instance per IdP; answers are checked one at a time, in order. */
function runWorker(setup: WorkerSetup, port: MessagePort): void {
  /** The request id of the answer being checked: the only one the InResponseTo cache knows. */
  let current: string | null = null
  const requestIds: CacheProvider = {
    async saveAsync() {
      throw new Error('the checking thread sends no requests')
    },
    async getAsync(key: string) {
      return key === current ? new Date().toISOString() : null
    },
    // The main thread took the id from the store before sending the answer here.
    async removeAsync() {
      return null
    }
  }
  const instances = new Map(setup.idps.map(({ name, options }) => [name, new SAML({ ...options, cacheProvider: requestIds } as SamlConfig)]))

  async function check(job: Job): Promise<Outcome> {
    const saml = instances.get(job.idp)
    if (!saml) return { id: job.id, ok: false, message: `no identity provider is named ${job.idp}` }
    current = job.requestId
    try {
      const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: job.samlResponse })
      if (!profile) return { id: job.id, ok: true, assertion: null }
      const assertion = (profile.getAssertion?.() as { Assertion?: XmlElement } | undefined)?.Assertion ?? null
      return {
        id: job.id,
        ok: true,
        assertion: {
          issuer: profile.issuer || null,
          nameId: profile.nameID || null,
          inResponseTo: typeof profile.inResponseTo === 'string' ? profile.inResponseTo : null,
          attributes: (profile.attributes as Record<string, unknown> | undefined) ?? {},
          assertion
        }
      }
    } catch (error) {
      return { id: job.id, ok: false, message: error instanceof Error ? error.message : 'invalid response' }
    } finally {
      current = null
    }
  }

  let queue = Promise.resolve()
  port.on('message', (job: Job) => {
    queue = queue.then(async () => port.postMessage(await check(job)))
  })
}

if (!parentPort) throw new Error('saml-check-thread.js runs only as the worker that saml-worker.ts starts')
runWorker(workerData as WorkerSetup, parentPort)
