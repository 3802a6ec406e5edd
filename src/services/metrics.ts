import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/**
 * The process's Prometheus registry and the domain counters services increment. One
 * registry per process, as Prometheus scrapes processes; the HTTP side is in plugins/metrics.ts.
 */
export const registry = new Registry()
collectDefaultMetrics({ register: registry, prefix: 'moneypenny_' })

export const httpRequests = new Histogram({
  name: 'moneypenny_http_request_duration_seconds',
  help: 'HTTP requests by route, method and status',
  labelNames: ['route', 'method', 'status'] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry]
})

export const httpRequestsInFlight = new Gauge({
  name: 'moneypenny_http_requests_in_flight',
  help: 'Requests received and not yet answered (what a graceful shutdown waits for)',
  registers: [registry]
})

export const signIns = new Counter({
  name: 'moneypenny_sign_ins_total',
  help: 'Password sign-ins by outcome: success, wrong_password, unknown_user, disabled, locked',
  labelNames: ['outcome'] as const,
  registers: [registry]
})

export const secondFactorChecks = new Counter({
  name: 'moneypenny_mfa_checks_total',
  help: 'Second-factor checks by sign-in path (rdata, lummox, login, browser) and outcome: success, recovery_code, wrong_code, missing, locked',
  labelNames: ['path', 'outcome'] as const,
  registers: [registry]
})

export const tokensIssued = new Counter({
  name: 'moneypenny_tokens_issued_total',
  help: 'Tokens issued by kind (access, refresh, id) and grant',
  labelNames: ['kind', 'grant'] as const,
  registers: [registry]
})

export const revocations = new Counter({
  name: 'moneypenny_sessions_revoked_total',
  help: 'Sessions (token families) revoked',
  registers: [registry]
})

export const backchannelLogouts = new Counter({
  name: 'moneypenny_backchannel_logout_total',
  help: 'Back-channel logout deliveries: delivered, retried (an attempt failed, another will come) or failed (no attempt left)',
  labelNames: ['outcome'] as const,
  registers: [registry]
})

export const reuseDetections = new Counter({
  name: 'moneypenny_token_reuse_detected_total',
  help: 'A used authorization code or rotated refresh token presented again (its family is revoked)',
  labelNames: ['kind'] as const,
  registers: [registry]
})

export const passkeyChecks = new Counter({
  name: 'moneypenny_passkey_checks_total',
  help: 'Passkey ceremonies by kind (registration, authentication, second-factor) and outcome: success, refused',
  labelNames: ['ceremony', 'outcome'] as const,
  registers: [registry]
})

export const rateLimitRefusals = new Counter({
  name: 'moneypenny_rate_limit_refusals_total',
  help: 'Requests refused by a rate limit: per address or per account',
  labelNames: ['limit'] as const,
  registers: [registry]
})

export const samlOutcomes = new Counter({
  name: 'moneypenny_saml_responses_total',
  help: 'SAML responses by outcome',
  labelNames: ['outcome'] as const,
  registers: [registry]
})

export const storeLatency = new Histogram({
  name: 'moneypenny_store_operation_duration_seconds',
  help: 'Store operations by repository and method',
  labelNames: ['repository', 'operation'] as const,
  buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
  registers: [registry]
})

/** Successful password sign-ins counted by this process since it started (the admin console's overview). */
export async function successfulSignIns(): Promise<number> {
  return (await signIns.get()).values.find((value) => value.labels.outcome === 'success')?.value ?? 0
}

export const mails = new Counter({
  name: 'moneypenny_mails_total',
  help: 'Outgoing mail: queued, sent, retried (an attempt failed, another will come) or failed (no attempt left)',
  labelNames: ['outcome'] as const,
  registers: [registry]
})
