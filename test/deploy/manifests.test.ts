import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { Deployment } from 'kubernetes-models/apps/v1/Deployment'
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler'
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget'
import { Secret } from 'kubernetes-models/v1/Secret'
import { Service } from 'kubernetes-models/v1/Service'
import { parseAllDocuments } from 'yaml'

const folder = join(fileURLToPath(new URL('.', import.meta.url)), '../../../deploy/kubernetes')

interface Manifest {
  kind: string
  apiVersion: string
  metadata: { name: string }
  spec?: any
  stringData?: Record<string, string>
}

/** The Kubernetes schemas, offline: kubernetes-models validates against the OpenAPI of the API server. */
const models: Record<string, new (data: any) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'v1/Service': Service,
  'v1/Secret': Secret,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget
}

const manifests: { file: string; doc: Manifest }[] = readdirSync(folder)
  .filter((file) => file.endsWith('.yaml'))
  .flatMap((file) =>
    parseAllDocuments(readFileSync(join(folder, file), 'utf8')).map((document) => {
      assert.deepEqual(document.errors, [], `${file} is not valid YAML`)
      return { file, doc: document.toJS() as Manifest }
    })
  )

const deployments = manifests.filter(({ doc }) => doc.kind === 'Deployment').map(({ doc }) => doc)
/** Containers and native sidecars (init containers that keep running) of every pod template. */
const podContainers = (d: Manifest): any[] => [...(d.spec.template.spec.initContainers ?? []), ...d.spec.template.spec.containers]
const moneypennyContainers = deployments.flatMap((d) => podContainers(d).filter((c) => String(c.image).includes('moneypenny')).map((c) => ({ deployment: d, container: c })))

describe('Kubernetes manifests', () => {
  test('every document validates against its Kubernetes schema', () => {
    assert.ok(manifests.length >= 6)
    for (const { file, doc } of manifests) {
      const Model = models[`${doc.apiVersion}/${doc.kind}`]
      assert.ok(Model, `${file}: no schema for ${doc.apiVersion} ${doc.kind}`)
      assert.doesNotThrow(() => new Model(doc).validate(), `${file}: ${doc.kind} ${doc.metadata.name}`)
    }
  })

  test('the central service has a Deployment, a Service, an autoscaler and a disruption budget', () => {
    for (const kind of ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']) {
      assert.ok(manifests.some(({ file, doc }) => file === 'central.yaml' && doc.kind === kind), kind)
    }
  })

  test('the sidecar pod has the application and moneypenny as a native sidecar, and the app calls 127.0.0.1:8080/authorise', () => {
    const sidecar = manifests.find(({ file, doc }) => file === 'sidecar.yaml' && doc.kind === 'Deployment')!.doc
    const containers = podContainers(sidecar)
    assert.equal(containers.length, 2)
    const app = containers.find((c) => !String(c.image).includes('moneypenny'))
    assert.ok(JSON.stringify(app.env).includes('http://127.0.0.1:8080/authorise'))
    // Started before the application and stopped after it.
    const [moneypenny] = sidecar.spec.template.spec.initContainers as any[]
    assert.ok(String(moneypenny.image).includes('moneypenny'))
    assert.equal(moneypenny.restartPolicy, 'Always')
  })

  test('moneypenny containers: probes on /healthz and /readyz, a startup probe, resources, non-root, read-only root', () => {
    assert.ok(moneypennyContainers.length >= 2)
    for (const { deployment, container } of moneypennyContainers) {
      assert.match(JSON.stringify(container.livenessProbe), /\/healthz/)
      assert.match(JSON.stringify(container.readinessProbe), /\/readyz/)
      assert.ok(container.startupProbe, 'startup probe')
      assert.ok(container.resources.requests.cpu && container.resources.requests.memory && container.resources.limits.memory)
      assert.equal(container.securityContext.readOnlyRootFilesystem, true)
      assert.equal(container.securityContext.allowPrivilegeEscalation, false)
      assert.equal(deployment.spec.template.spec.securityContext.runAsNonRoot, true)
    }
  })

  test('secrets come from a Secret, never inline', () => {
    for (const { container } of moneypennyContainers) {
      for (const name of ['MONGODB_URI', 'SESSION_SECRET', 'JWT_SECRET', 'REDIS_URL', 'ADMIN_PASSWORD']) {
        const variable = (container.env as any[]).find((e) => e.name === name)
        if (variable) assert.ok(variable.valueFrom?.secretKeyRef && variable.value === undefined, `${name} must come from a Secret`)
      }
      assert.ok((container.env as any[]).some((e) => e.name === 'MONGODB_URI'))
      assert.ok((container.env as any[]).some((e) => e.name === 'SESSION_SECRET'))
    }
  })
})

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(folder, '../../Dockerfile'), 'utf8')
  const stages = dockerfile.split(/^FROM /m).slice(1)
  const runtime = stages.at(-1)!

  test('multi-stage on a supported Node LTS (24 or 26)', () => {
    assert.ok(stages.length >= 2)
    for (const stage of stages) assert.match(stage, /^node:(24|26)[.-]/)
  })

  test('the runtime stage: production dependencies only, no sources or tests, not root, production mode', () => {
    assert.match(dockerfile, /npm ci --omit=dev/)
    assert.match(runtime, /^USER (?!root\b|0\b)[\w:]+/m)
    assert.match(runtime, /NODE_ENV=production/)
    assert.doesNotMatch(runtime, /npm (ci|install)(?! --omit=dev)/)
    assert.doesNotMatch(runtime, /COPY (?:--\S+ )*(src|test)\b/)
    const copiedModules = /COPY --from=(\S+)[^\n]*node_modules/.exec(runtime)
    assert.ok(copiedModules, 'node_modules copied from another stage')
    const source = stages.find((stage) => stage.includes(`AS ${copiedModules[1]}`))!
    assert.match(source, /npm ci --omit=dev/, 'node_modules come from the stage that installed production dependencies only')
  })

  test('EXPOSE, a HEALTHCHECK without curl or wget, STOPSIGNAL SIGTERM', () => {
    assert.match(runtime, /^EXPOSE 8080/m)
    const healthcheck = /^HEALTHCHECK(?:[^\n]*\\\n)*[^\n]*/m.exec(runtime)?.[0] ?? ''
    assert.match(healthcheck, /\/healthz/)
    assert.doesNotMatch(healthcheck, /curl|wget/)
    assert.match(runtime, /^STOPSIGNAL SIGTERM/m)
  })

  test('npm start runs node with the flags and malloc arenas of the image', () => {
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(runtime)?.[1] ?? '[]') as string[]
    assert.equal(cmd[0], 'node')
    assert.equal(cmd.at(-1), 'dist/bundle/server.js')
    // The compile cache is filled by importing the module that server.js starts.
    assert.match(runtime, /^RUN node --input-type=module -e "await import\('\/app\/dist\/bundle\/main\.js'\)"$/m)
    const arenas = /^ENV MALLOC_ARENA_MAX=(\d+)$/m.exec(runtime)?.[1]
    assert.ok(arenas, 'the runtime stage sets MALLOC_ARENA_MAX')
    const { scripts } = JSON.parse(readFileSync(join(folder, '../../package.json'), 'utf8')) as { scripts: Record<string, string> }
    assert.ok(scripts.start!.endsWith(`MALLOC_ARENA_MAX=${arenas} ${cmd.join(' ')}`), scripts.start)
  })

  test('.dockerignore keeps local state and dependencies out of the build context', () => {
    const ignored = readFileSync(join(folder, '../../.dockerignore'), 'utf8').split('\n')
    for (const entry of ['node_modules', 'dist', 'data', '.git', '.env']) assert.ok(ignored.includes(entry), entry)
  })
})
