import { SERVICE_NAMES } from '@tauliah/core';
import { childEnvironment } from '@tauliah/testing';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { natsProblems, postgresProblems } from './deploy/dependencies.ts';
import { ingressProblems, monitoringProblems, networkPolicyProblems } from './deploy/exposure.ts';
import { asKubeObject, parseYamlDocuments, readYamlDocuments, renderKustomization, ROOT, type KubeObject } from './deploy/kustomize.ts';
import { natsValuesSchema, validateObject, zodProblems, type NatsValues } from './deploy/schemas.ts';
import { find, workloadProblems, type Manifests } from './deploy/workloads.ts';

// deploy/k8s, checked as `kubectl apply -k` would send it and against the project's own rules.
const K8S = 'deploy/k8s';
const OVERLAY = `${K8S}/overlays/example`;
const NATS_VALUES = `${K8S}/nats/values.yaml`;

/** The Secrets deploy/k8s/make-secrets.sh writes, with its defaults (none of the caller's settings). */
function makeSecrets(overrides: Record<string, string> = {}): { status: number | null; stderr: string; secrets: KubeObject[] } {
  const run = spawnSync('bash', [join(ROOT, K8S, 'make-secrets.sh')], {
    encoding: 'utf8',
    env: childEnvironment({ PG_HOST: undefined, NATS_HOST: undefined, REDIS_URL: undefined, METRICS_TOKEN: undefined, ...overrides }),
  });
  const secrets = run.status === 0 ? parseYamlDocuments(run.stdout, 'make-secrets.sh').map((document) => asKubeObject(document, 'make-secrets.sh')) : [];
  return { status: run.status, stderr: run.stderr, secrets };
}

/** Every YAML file under deploy/k8s. */
function manifestFiles(folder = K8S): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory()) return manifestFiles(path);
    return entry.name.endsWith('.yaml') ? [path] : [];
  });
}

const rendered = renderKustomization(OVERLAY);
const { secrets } = makeSecrets();
const manifests: Manifests = { objects: rendered, secrets };
const natsValues = readYamlDocuments(NATS_VALUES)[0] as NatsValues;

/** Every problem any rule finds in a deployment. */
function allProblems({ objects, secrets: written }: Manifests, values: NatsValues = natsValues): string[] {
  return [
    ...objects.flatMap((object) => validateObject(object, OVERLAY)),
    ...written.flatMap((secret) => validateObject(secret, 'make-secrets.sh')),
    ...workloadProblems({ objects, secrets: written }),
    ...networkPolicyProblems(objects),
    ...ingressProblems(objects),
    ...monitoringProblems(objects),
    ...postgresProblems(objects, written),
    ...zodProblems(natsValuesSchema, values, NATS_VALUES),
    ...natsProblems(values, written),
  ];
}

describe('the Kubernetes manifests (deploy/k8s)', () => {
  it('validate against the Kubernetes schemas, every document of every file, and leave no field or kind unchecked', () => {
    const files = manifestFiles().filter((path) => !path.endsWith('/kustomization.yaml') && path !== NATS_VALUES);
    expect(files.length).toBeGreaterThan(10);
    const problems: string[] = [];
    for (const path of files) {
      for (const document of readYamlDocuments(path)) {
        const object = asKubeObject(document, path);
        problems.push(...validateObject(object, path));
        // Every manifest is part of the example deployment, so every rule below sees it.
        if (!find(rendered, object.kind, object.metadata.name)) problems.push(`${path}: ${object.kind} ${object.metadata.name} is in no kustomization the example overlay renders`);
      }
    }
    expect(problems).toEqual([]);
    expect(rendered.flatMap((object) => validateObject(object, OVERLAY))).toEqual([]);
    expect(zodProblems(natsValuesSchema, natsValues, NATS_VALUES)).toEqual([]);
  });

  it('render the example overlay into one namespace, with a fixed image tag on every container', () => {
    const kinds = rendered.map((object) => object.kind);
    for (const kind of ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']) expect(kinds.filter((candidate) => candidate === kind)).toHaveLength(6);
    expect(rendered.filter((object) => object.kind !== 'Namespace').every((object) => object.metadata.namespace === 'tauliah')).toBe(true);
    const images = new Set(rendered.filter((object) => object.kind === 'Deployment').map((object) => object.spec.template.spec.containers[0].image));
    expect([...images]).toEqual(['registry.example.gov.my/tauliah:0.1.0']);
  });

  it('run each process as production needs it: probes, resources, autoscaling, disruption budget, no root, its own secrets only', () => {
    expect(workloadProblems(manifests)).toEqual([]);
    // The base alone, before the overlay sets this deployment's addresses, holds to the same rules.
    expect(workloadProblems({ objects: renderKustomization(`${K8S}/base`), secrets })).toEqual([]);
  });

  it('let in only the gateway and the credentials service public documents, and Prometheus to every process', () => {
    expect(networkPolicyProblems(rendered)).toEqual([]);
    expect(ingressProblems(rendered)).toEqual([]);
    expect(monitoringProblems(rendered)).toEqual([]);
  });

  it('give each service its own PostgreSQL role and database, within the connection budget, and NATS users as docker-compose does', () => {
    expect(postgresProblems(rendered, secrets)).toEqual([]);
    expect(natsProblems(natsValues, secrets)).toEqual([]);
  });

  it('come with Secrets made fresh by make-secrets.sh, which refuses a REDIS_URL or METRICS_TOKEN it cannot write safely', () => {
    expect(secrets.map((secret) => secret.metadata.name).sort()).toEqual(
      ['gateway', 'learners', 'providers', 'employers', 'funding', 'credentials', 'pg-learners', 'pg-providers', 'pg-employers', 'pg-funding', 'pg-credentials', 'nats-users'].map((name) => `tauliah-${name}`).sort(),
    );
    expect(secrets.flatMap((secret) => validateObject(secret, 'make-secrets.sh'))).toEqual([]);
    // A NATS password for every service, the one its NATS_URL signs in with (natsProblems).
    expect(Object.keys(find(secrets, 'Secret', 'tauliah-nats-users')!.stringData).sort()).toEqual([...SERVICE_NAMES].sort());
    const again = makeSecrets().secrets;
    const gatewaySecret = (written: KubeObject[]) => find(written, 'Secret', 'tauliah-gateway')?.stringData.GATEWAY_SECRET;
    expect(gatewaySecret(again)).toMatch(/^[0-9a-f]{64}$/);
    expect(gatewaySecret(again)).not.toBe(gatewaySecret(secrets));

    const withRedis = makeSecrets({ REDIS_URL: 'rediss://:a-password@redis.tauliah:6380' });
    expect(find(withRedis.secrets, 'Secret', 'tauliah-gateway')?.stringData.REDIS_URL).toBe('rediss://:a-password@redis.tauliah:6380');
    expect(workloadProblems({ objects: rendered, secrets: withRedis.secrets })).toEqual([]);
    for (const bad of ['http://redis:6379', 'redis://a"b@redis', 'redis://redis:6379 x']) {
      const refused = makeSecrets({ REDIS_URL: bad });
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain('REDIS_URL must be a redis:// or rediss:// URL');
    }

    // A metrics token, the same in every process's Secret.
    const withToken = makeSecrets({ METRICS_TOKEN: 'generate' });
    const tokens = new Set(withToken.secrets.filter((secret) => secret.type === 'Opaque' && secret.stringData.GATEWAY_SECRET).map((secret) => secret.stringData.METRICS_TOKEN));
    expect(tokens.size).toBe(1);
    expect([...tokens][0]).toMatch(/^[0-9a-f]{64}$/);
    expect(workloadProblems({ objects: rendered, secrets: withToken.secrets })).toEqual([]);
    expect(makeSecrets({ METRICS_TOKEN: 'my-token' }).status).toBe(1);
  });
});

/** A change to a copy of the example deployment's manifests, and the problem it must be reported as. */
interface BrokenRule {
  rule: string;
  breaks: (manifests: Manifests, values: NatsValues) => void;
  reported: RegExp;
}

const container = ({ objects }: Manifests, process: string) => find(objects, 'Deployment', `tauliah-${process}`)!.spec.template.spec.containers[0];
const envOf = (manifests: Manifests, process: string) => container(manifests, process).env as Array<Record<string, any>>;
const fromSecret = (name: string, secret: string) => ({ name, valueFrom: { secretKeyRef: { name: secret, key: name } } });

const BROKEN_RULES: BrokenRule[] = [
  {
    rule: 'readiness on /readyz',
    breaks: (d) => (container(d, 'learners').readinessProbe.httpGet.path = '/healthz'),
    reported: /tauliah-learners: readinessProbe must ask GET \/readyz/,
  },
  { rule: 'a liveness probe', breaks: (d) => delete container(d, 'funding').livenessProbe, reported: /tauliah-funding: livenessProbe must ask GET \/healthz/ },
  { rule: 'a probe on the process port', breaks: (d) => (container(d, 'gateway').startupProbe.httpGet.port = 8080), reported: /tauliah-gateway: startupProbe .* on the http port/ },
  { rule: 'no latest image', breaks: (d) => (container(d, 'employers').image = 'registry.example.gov.my/tauliah:latest'), reported: /tauliah-employers: the image .* never latest/ },
  { rule: 'resources', breaks: (d) => delete container(d, 'providers').resources.limits, reported: /tauliah-providers: needs a cpu request and limit/ },
  {
    rule: 'the heap within the memory limit, young generation included',
    breaks: (d) => (envOf(d, 'learners').find((e) => e.name === 'NODE_OPTIONS')!.value = '--max-old-space-size=700 --max-semi-space-size=64'),
    reported: /tauliah-learners: NODE_OPTIONS needs --max-old-space-size, and with the young generation \(3 x --max-semi-space-size\) at most 80% of the memory limit/,
  },
  {
    rule: "the image's Node flags kept",
    breaks: (d) => (envOf(d, 'funding').find((e) => e.name === 'NODE_OPTIONS')!.value = '--max-old-space-size=512'),
    reported: /tauliah-funding: NODE_OPTIONS replaces the image's, so it must keep the image's --max-semi-space-size=64 \(Dockerfile\)/,
  },
  { rule: 'a read-only root filesystem', breaks: (d) => (container(d, 'credentials').securityContext.readOnlyRootFilesystem = false), reported: /tauliah-credentials: must have a read-only root filesystem/ },
  {
    rule: 'a HorizontalPodAutoscaler each',
    breaks: (d) => (d.objects = d.objects.filter((o) => !(o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === 'tauliah-funding'))),
    reported: /HorizontalPodAutoscaler for tauliah-funding is missing/,
  },
  {
    rule: 'a PodDisruptionBudget each',
    breaks: (d) => (d.objects = d.objects.filter((o) => !(o.kind === 'PodDisruptionBudget' && o.metadata.name === 'tauliah-employers'))),
    reported: /PodDisruptionBudget for tauliah-employers is missing/,
  },
  { rule: 'replicas left to the autoscaler', breaks: (d) => (find(d.objects, 'Deployment', 'tauliah-gateway')!.spec.replicas = 3), reported: /tauliah-gateway: leave replicas to the HorizontalPodAutoscaler/ },
  {
    rule: 'no secret value in plain env',
    breaks: (d) => {
      const env = envOf(d, 'providers');
      env.splice(env.findIndex((e) => e.name === 'GATEWAY_SECRET'), 1, { name: 'GATEWAY_SECRET', value: 'x'.repeat(40) });
    },
    reported: /tauliah-providers: GATEWAY_SECRET is a secret in plain env/,
  },
  {
    rule: 'no credentials in a ConfigMap',
    breaks: (d) => (find(d.objects, 'ConfigMap', 'tauliah-settings')!.data.GRAPH_URL = 'http://user:password@tauliah-gateway:4000/graphql'),
    reported: /ConfigMap tauliah-settings: GRAPH_URL is a secret/,
  },
  { rule: "no other process's secret", breaks: (d) => envOf(d, 'providers').push(fromSecret('PII_HASH_KEY', 'tauliah-providers')), reported: /PII_HASH_KEY is not a secret providers holds/ },
  {
    rule: "no other process's Secret",
    breaks: (d) => (envOf(d, 'learners').find((e) => e.name === 'DATABASE_URL')!.valueFrom.secretKeyRef.name = 'tauliah-credentials'),
    reported: /DATABASE_URL comes from the Secret tauliah-credentials: a process reads only its own, tauliah-learners/,
  },
  {
    rule: "a Secret holding only its process's keys",
    breaks: (d) => (find(d.secrets, 'Secret', 'tauliah-funding')!.stringData.PII_ENCRYPTION_KEY = 'y'.repeat(64)),
    reported: /Secret tauliah-funding: holds PII_ENCRYPTION_KEY, which is not funding's/,
  },
  { rule: 'settings the process reads', breaks: (d) => envOf(d, 'learners').push({ name: 'PII_HASHKEY', value: 'z' }), reported: /PII_HASHKEY is not a setting learners reads/ },
  {
    rule: 'enough to start in production',
    breaks: (d) => delete find(d.objects, 'ConfigMap', 'tauliah-settings')!.data.JWKS_URL,
    reported: /learners would refuse to start: JWKS_URL: is required in production/,
  },
  {
    rule: 'a schema for every field',
    breaks: (d) => (container(d, 'gateway').readinesProbe = container(d, 'gateway').readinessProbe),
    reported: /tauliah-gateway: spec.template.spec.containers.0.readinesProbe is not a field the schema knows/,
  },
  { rule: 'a schema for every kind', breaks: (d) => d.objects.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray' } }), reported: /Pod stray: no schema for v1\/Pod/ },
  {
    rule: 'subgraphs closed to the public',
    breaks: (d) => find(d.objects, 'NetworkPolicy', 'tauliah-subgraphs-ingress')!.spec.ingress[0].from.push({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }),
    reported: /tauliah-learners: reachable from namespace ingress-nginx, which it must not be/,
  },
  {
    rule: 'only /graphql public at the gateway',
    breaks: (d) => find(d.objects, 'Ingress', 'tauliah')!.spec.rules[0].http.paths.push({ path: '/metrics', pathType: 'Exact', backend: { service: { name: 'tauliah-gateway', port: { name: 'http' } } } }),
    reported: /\/metrics: the gateway is public at \/graphql only/,
  },
  { rule: 'metrics scraped', breaks: (d) => (find(d.objects, 'ServiceMonitor', 'tauliah')!.spec.endpoints[0].path = '/stats'), reported: /no ServiceMonitor scrapes \/metrics/ },
  {
    rule: 'the PostgreSQL connection budget',
    breaks: (d) => (find(d.objects, 'HorizontalPodAutoscaler', 'tauliah-credentials')!.spec.maxReplicas = 12),
    reported: /tauliah_credentials needs a connectionLimit of at least 130/,
  },
  {
    rule: 'the PostgreSQL connection budget, at the pool size the processes read',
    breaks: (d) => (find(d.objects, 'ConfigMap', 'tauliah-settings')!.data.DATABASE_POOL_SIZE = '20'),
    reported: /tauliah_learners needs a connectionLimit of at least 140: 7 pods at most \(maxReplicas and surge\) with DATABASE_POOL_SIZE 20 each/,
  },
  {
    rule: 'each role only in its own database',
    breaks: (d) => (find(d.objects, 'Cluster', 'tauliah-pg')!.spec.postgresql.pg_hba = find(d.objects, 'Cluster', 'tauliah-pg')!.spec.postgresql.pg_hba.slice(0, 5)),
    reported: /pg_hba must let tauliah_learners reach tauliah_learners only/,
  },
  { rule: 'roles without privileges', breaks: (d) => (find(d.objects, 'Cluster', 'tauliah-pg')!.spec.managed.roles[1].createdb = true), reported: /tauliah_providers must be a present login role with createdb/ },
  {
    rule: 'a NATS user for every service',
    breaks: (d) => {
      const env = envOf(d, 'employers');
      env.splice(env.findIndex((e) => e.name === 'NATS_URL'), 1);
    },
    reported: /tauliah-employers: needs NATS_URL from the Secret tauliah-employers/,
  },
  {
    rule: 'its own NATS user',
    breaks: (d) => (find(d.secrets, 'Secret', 'tauliah-funding')!.stringData.NATS_URL = find(d.secrets, 'Secret', 'tauliah-providers')!.stringData.NATS_URL),
    reported: /Secret tauliah-funding: NATS_URL must sign in as funding with its password in tauliah-nats-users/,
  },
  {
    rule: "NATS users as docker-compose's",
    breaks: (_d, values) => (values.config.merge.authorization.users = values.config.merge.authorization.users.filter((user) => user.user !== 'providers')),
    reported: /NATS: no user providers, which deploy\/nats\/nats-server.conf has/,
  },
  {
    rule: 'NATS passwords the server reads as strings',
    breaks: (_d, values) => (values.container.env.NATS_FUNDING_PASSWORD_QUOTED = '$(NATS_FUNDING_PASSWORD)'),
    reported: /NATS: NATS_FUNDING_PASSWORD_QUOTED must be "\$\(NATS_FUNDING_PASSWORD\)"/,
  },
  {
    rule: "NATS permissions as docker-compose's",
    breaks: (_d, values) => values.config.merge.authorization.users[0]!.permissions.subscribe.allow.push('>'),
    reported: /NATS: learners's permissions differ/,
  },
];

describe('the manifest rules', () => {
  it.each(BROKEN_RULES.map((broken) => [broken.rule, broken] as const))('report a deployment that breaks the rule: %s', (_rule, { breaks, reported }) => {
    const broken = structuredClone(manifests);
    const values = structuredClone(natsValues);
    breaks(broken, values);
    const problems = allProblems(broken, values);
    expect(problems.join('\n')).toMatch(reported);
  });

  it('find nothing to report in the deployment as written', () => {
    expect(allProblems(manifests)).toEqual([]);
  });
});
