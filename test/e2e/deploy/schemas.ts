import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, EnvVarSource, Namespace, ResourceRequirements, Secret, Service } from 'kubernetes-models/v1';
import { z } from 'zod';
import type { KubeObject } from './kustomize.ts';

/** A kubernetes-models class: its prototype's validate() runs the JSON schema bundled with the package. */
interface Model {
  prototype: { validate(): void };
}

/** The Kubernetes schemas, by apiVersion and kind; a kind missing here is refused, not waved through. */
const KUBERNETES_SCHEMAS: Record<string, Model> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/Namespace': Namespace,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'networking.k8s.io/v1/Ingress': Ingress,
  // The Prometheus Operator's custom resource, from its CRD (the same package family).
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
};

/**
 * Runs a bundled schema over `value` and returns its problems: what the schema
 * refuses (types, required fields, enums, formats), and every field it never
 * looked at. The schemas accept unknown fields, which the API server drops or
 * refuses (`kubectl apply` validates strictly), so a misspelt `readinesProbe`
 * would pass them; the validator reads every field it knows, so a field it
 * never read is one the schema does not have.
 */
export function schemaProblems(model: Model, value: unknown, where: string): string[] {
  const visited = new Map<object, { path: string; read: Set<string> }>();
  const watch = (target: unknown, path: string): unknown => {
    if (target === null || typeof target !== 'object') return target;
    const read = new Set<string>();
    visited.set(target, { path, read });
    return new Proxy(target, {
      get(object, key, receiver) {
        if (typeof key === 'string') read.add(key);
        return watch(Reflect.get(object, key, receiver), typeof key === 'string' ? `${path}.${key}` : path);
      },
    });
  };
  const problems: string[] = [];
  try {
    model.prototype.validate.call(watch(value, ''));
  } catch (error) {
    problems.push(`${where}: ${(error as Error).message}`);
  }
  for (const [target, { path, read }] of visited) {
    for (const key of Object.keys(target)) if (!read.has(key)) problems.push(`${where}: ${path.slice(1) ? `${path.slice(1)}.` : ''}${key} is not a field the schema knows`);
  }
  return problems;
}

const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS label').max(63);
const quantity = z.string().regex(/^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/, 'must be a Kubernetes quantity');
const objectMeta = z
  .object({
    name: dnsLabel,
    namespace: dnsLabel.optional(),
    labels: z.record(z.string()).optional(),
    annotations: z.record(z.string()).optional(),
  })
  .strict();
const resources = z.unknown().superRefine((value, context) => {
  for (const problem of schemaProblems(ResourceRequirements, value, 'resources')) context.addIssue({ code: z.ZodIssueCode.custom, message: problem });
});

/**
 * CloudNativePG's Cluster and Database (postgresql.cnpg.io/v1), checked
 * structurally: the fields these manifests use, typed as the operator's CRD
 * types them, and nothing else (strict), since the CRD's schema is not
 * published as a package to validate against.
 */
const cnpgRole = z
  .object({
    name: z.string().min(1),
    ensure: z.enum(['present', 'absent']).optional(),
    comment: z.string().optional(),
    login: z.boolean().optional(),
    superuser: z.boolean().optional(),
    createdb: z.boolean().optional(),
    createrole: z.boolean().optional(),
    inherit: z.boolean().optional(),
    replication: z.boolean().optional(),
    bypassrls: z.boolean().optional(),
    connectionLimit: z.number().int().min(-1).optional(),
    passwordSecret: z.object({ name: z.string().min(1) }).strict().optional(),
    inRoles: z.array(z.string()).optional(),
  })
  .strict();

export const cnpgClusterSchema = z
  .object({
    apiVersion: z.literal('postgresql.cnpg.io/v1'),
    kind: z.literal('Cluster'),
    metadata: objectMeta,
    spec: z
      .object({
        instances: z.number().int().min(1),
        imageName: z.string().min(1).optional(),
        enableSuperuserAccess: z.boolean().optional(),
        postgresql: z
          .object({ parameters: z.record(z.string()).optional(), pg_hba: z.array(z.string()).optional() })
          .strict()
          .optional(),
        managed: z.object({ roles: z.array(cnpgRole).optional() }).strict().optional(),
        storage: z.object({ size: quantity.optional(), storageClass: z.string().optional() }).strict().optional(),
        resources: resources.optional(),
      })
      .strict(),
  })
  .strict();
export type CnpgCluster = z.infer<typeof cnpgClusterSchema>;

export const cnpgDatabaseSchema = z
  .object({
    apiVersion: z.literal('postgresql.cnpg.io/v1'),
    kind: z.literal('Database'),
    metadata: objectMeta,
    spec: z
      .object({
        cluster: z.object({ name: z.string().min(1) }).strict(),
        name: z.string().min(1),
        owner: z.string().min(1),
        ensure: z.enum(['present', 'absent']).optional(),
        databaseReclaimPolicy: z.enum(['delete', 'retain']).optional(),
      })
      .strict(),
  })
  .strict();
export type CnpgDatabase = z.infer<typeof cnpgDatabaseSchema>;

const CUSTOM_SCHEMAS: Record<string, z.ZodTypeAny> = {
  'postgresql.cnpg.io/v1/Cluster': cnpgClusterSchema,
  'postgresql.cnpg.io/v1/Database': cnpgDatabaseSchema,
};

/** Every problem the schema of the object's kind finds; a kind without a schema is itself a problem. */
export function validateObject(object: KubeObject, source: string): string[] {
  const key = `${object.apiVersion}/${object.kind}`;
  const where = `${source}: ${object.kind} ${object.metadata.name}`;
  const model = KUBERNETES_SCHEMAS[key];
  if (model) return schemaProblems(model, object, where);
  const custom = CUSTOM_SCHEMAS[key];
  if (custom) return zodProblems(custom, object, where);
  return [`${where}: no schema for ${key}; add one to test/e2e/deploy/schemas.ts or leave the kind out`];
}

export function zodProblems(schema: z.ZodTypeAny, value: unknown, where: string): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => `${where}: ${issue.path.join('.') || '(document)'}: ${issue.message}`);
}

/**
 * The values file for NATS's Helm chart, checked structurally: the keys the
 * chart has that these values set (config.cluster, config.jetstream,
 * config.merge, container.env and resources, promExporter,
 * podDisruptionBudget, natsBox), nothing else; env entries are Kubernetes env sources.
 */
const envSource = z.unknown().superRefine((value, context) => {
  for (const problem of schemaProblems(EnvVarSource, (value as { valueFrom?: unknown })?.valueFrom, 'valueFrom')) {
    context.addIssue({ code: z.ZodIssueCode.custom, message: problem });
  }
  if (Object.keys(value as object).some((key) => key !== 'valueFrom')) context.addIssue({ code: z.ZodIssueCode.custom, message: 'only valueFrom' });
});
const natsPermission = z.object({ allow: z.array(z.string().min(1)) }).strict();
export const natsUserSchema = z
  .object({
    user: z.string().min(1),
    password: z.string().regex(/^<< \$[A-Z_]+ >>$/, 'must be a variable the server reads from its environment: << $NAME >>'),
    permissions: z.object({ publish: natsPermission, subscribe: natsPermission }).strict(),
  })
  .strict();
export const natsValuesSchema = z
  .object({
    config: z
      .object({
        cluster: z.object({ enabled: z.boolean(), replicas: z.number().int().min(1) }).strict(),
        jetstream: z
          .object({
            enabled: z.boolean(),
            fileStore: z.object({ pvc: z.object({ size: quantity, storageClassName: z.string().optional() }).strict() }).strict(),
          })
          .strict(),
        merge: z.object({ authorization: z.object({ users: z.array(natsUserSchema) }).strict() }).strict(),
      })
      .strict(),
    container: z.object({ env: z.record(z.union([z.string(), envSource])), resources: resources.optional() }).strict(),
    promExporter: z.object({ enabled: z.boolean(), podMonitor: z.object({ enabled: z.boolean() }).strict() }).strict().optional(),
    podDisruptionBudget: z.object({ enabled: z.boolean() }).strict().optional(),
    natsBox: z.object({ enabled: z.boolean() }).strict().optional(),
  })
  .strict();
export type NatsValues = z.infer<typeof natsValuesSchema>;
