/**
 * node-saml's check of an IdP's answer (XML, signatures, times, audience, InResponseTo), run
 * on a worker thread. Even a document within the limits of saml-outline.ts costs node-saml
 * tens of milliseconds of XPath and canonicalisation, forged or not; on the main thread that
 * would hold every other request (token checks, /healthz) for as long. The main thread keeps
 * the cheap steps: the outline, taking the request id, and the rules on what node-saml returns.
 *
 * This module is the main thread's side; saml-check-thread.ts runs inside the worker, from its
 * own file (so that it stays one small file beside the server when that is bundled).
 */
import { Worker } from 'node:worker_threads'
import { SamlRejected } from '../errors.js'
import type { SamlIdpConfig } from '../saml-config.js'

/** How long an AuthnRequest waits for its answer: a person may take a while at the IdP. */
export const REQUEST_TTL_MS = 15 * 60_000

/** Answers waiting for the worker, at most; more are refused at once (each one used up a request id to get here). */
const MAX_WAITING = 32
/** An answer the worker has not finished after this long stops it; it is started again for the next one. */
const CHECK_TIMEOUT_MS = 10_000

/** node-saml's options that decide what it accepts: the same on both threads. */
export function checkOptions(config: SamlIdpConfig, callbackUrl: string) {
  return {
    issuer: config.issuer,
    callbackUrl,
    audience: config.audience,
    idpCert: config.idpCert,
    idpIssuer: config.idpIssuer,
    wantAssertionsSigned: config.wantAssertionsSigned,
    wantAuthnResponseSigned: config.wantAuthnResponseSigned,
    acceptedClockSkewMs: config.acceptedClockSkewMs,
    // ValidateInResponseTo.always, without loading node-saml here.
    validateInResponseTo: 'always' as const,
    requestIdExpirationPeriodMs: REQUEST_TTL_MS
  }
}

/** xml2js as node-saml runs it: children are arrays, text is `_`, attributes are `$`. */
export interface XmlElement {
  $?: Record<string, string | undefined>
  [child: string]: unknown
}

/** What node-saml found in an answer it accepted: its profile, without the functions, which cannot cross threads. */
export interface CheckedAssertion {
  issuer: string | null
  nameId: string | null
  /** The Response's InResponseTo, as node-saml read it. */
  inResponseTo: string | null
  attributes: Record<string, unknown>
  /** The signed assertion, parsed by xml2js. */
  assertion: XmlElement | null
}

export interface Job {
  id: number
  idp: string
  samlResponse: string
  requestId: string
}

export type Outcome = { id: number; ok: true; assertion: CheckedAssertion | null } | { id: number; ok: false; message: string }

export interface WorkerSetup {
  idps: { name: string; options: ReturnType<typeof checkOptions> }[]
}

/** The main thread's side: sends answers to the worker and waits for its verdict. */
export class ResponseChecker {
  private worker: Worker | null = null
  private readonly waiting = new Map<number, { resolve: (outcome: Outcome) => void; timer: NodeJS.Timeout }>()
  private nextId = 1
  private closed = false

  constructor(
    private readonly configs: SamlIdpConfig[],
    private readonly callbackUrl: string
  ) {
    // Started at once: loading node-saml there takes a tenth of a second, which the first answer should not wait for.
    if (configs.length > 0) this.start()
  }

  private start(): Worker {
    const setup: WorkerSetup = {
      idps: this.configs.map((config) => ({ name: config.name, options: checkOptions(config, this.callbackUrl) }))
    }
    // A runaway document ends the worker (ERR_WORKER_OUT_OF_MEMORY), not the service.
    const worker = new Worker(new URL('./saml-check-thread.js', import.meta.url), { workerData: setup, resourceLimits: { maxOldGenerationSizeMb: 128 } })
    let failure = ''
    worker.on('message', (outcome: Outcome) => this.settle(outcome))
    worker.on('error', (error) => {
      failure = `: ${error.message}`
    })
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = null
      this.failAll(`the checking thread stopped (exit code ${code}${failure})`)
    })
    this.worker = worker
    return worker
  }

  private settle(outcome: Outcome): void {
    const waiting = this.waiting.get(outcome.id)
    if (!waiting) return
    clearTimeout(waiting.timer)
    this.waiting.delete(outcome.id)
    waiting.resolve(outcome)
  }

  private failAll(message: string): void {
    for (const id of [...this.waiting.keys()]) this.settle({ id, ok: false, message })
  }

  /**
   * node-saml's verdict on `samlResponse` (base64, as posted) for `idp`, whose request
   * `requestId` the caller has taken from the store: the worker accepts that id, and only it,
   * as one we sent. Throws SamlRejected when node-saml refuses the answer.
   */
  async check(idp: string, samlResponse: string, requestId: string): Promise<CheckedAssertion | null> {
    if (this.closed) throw new Error('the SAML checker is closed')
    if (this.waiting.size >= MAX_WAITING) throw new SamlRejected(`${MAX_WAITING} answers are waiting to be checked already`, idp)
    const worker = this.worker ?? this.start()
    const id = this.nextId++
    const outcome = await new Promise<Outcome>((resolve) => {
      const timer = setTimeout(() => {
        // Whatever the worker is stuck on, the answers behind it fail too, and the next one gets a new worker.
        if (this.worker === worker) this.worker = null
        this.failAll(`the check took more than ${CHECK_TIMEOUT_MS} ms`)
        void worker.terminate()
      }, CHECK_TIMEOUT_MS)
      this.waiting.set(id, { resolve, timer })
      worker.postMessage({ id, idp, samlResponse, requestId } satisfies Job)
    })
    if (!outcome.ok) throw new SamlRejected(outcome.message, idp)
    return outcome.assertion
  }

  async close(): Promise<void> {
    this.closed = true
    const worker = this.worker
    this.worker = null
    this.failAll('the service is stopping')
    await worker?.terminate()
  }
}
