import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

/** The repository root, which every path in these tests is relative to. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A Kubernetes object as read from YAML: checked by the schemas, not by this type. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: any;
}

/** Every document of a YAML file (`---` separated), refusing anything the parser warns about (duplicate keys, tabs). */
export function readYamlDocuments(path: string): unknown[] {
  const text = readFileSync(join(ROOT, path), 'utf8');
  return parseYamlDocuments(text, path);
}

export function parseYamlDocuments(text: string, source: string): unknown[] {
  const documents = parseAllDocuments(text, { merge: true, uniqueKeys: true });
  if (!Array.isArray(documents)) throw new Error(`${source}: not a YAML stream`);
  const problems = documents.flatMap((document) => [...document.errors, ...document.warnings].map((issue) => `${source}: ${issue.message}`));
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return documents.map((document) => document.toJS({ maxAliasCount: 100 }) as unknown).filter((value) => value !== null && value !== undefined);
}

export function asKubeObject(value: unknown, source: string): KubeObject {
  const object = value as Partial<KubeObject> | null;
  if (!object || typeof object !== 'object' || typeof object.apiVersion !== 'string' || typeof object.kind !== 'string' || typeof object.metadata?.name !== 'string') {
    throw new Error(`${source}: a document without apiVersion, kind and metadata.name`);
  }
  return object as KubeObject;
}

/**
 * The part of kustomize these manifests use, rendered without the kustomize binary:
 * `resources` (files, or folders with their own kustomization.yaml), `namespace`,
 * `images` and inline JSON 6902 `patches` with a kind-and-name target. A field outside
 * that set fails the render instead of being ignored, so what is checked here is what
 * `kubectl apply -k` would send; a patch that matches nothing, or a path that does not
 * exist, fails as kustomize does.
 */
export function renderKustomization(folder: string): KubeObject[] {
  const path = join(folder, 'kustomization.yaml');
  const [kustomization] = readYamlDocuments(path) as Array<Record<string, unknown>>;
  if (!kustomization) throw new Error(`${path}: empty`);
  const supported = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'images', 'patches']);
  const unsupported = Object.keys(kustomization).filter((key) => !supported.has(key));
  if (unsupported.length > 0) throw new Error(`${path}: ${unsupported.join(', ')} not supported by this renderer; extend it or do without`);
  if (kustomization.apiVersion !== 'kustomize.config.k8s.io/v1beta1' || kustomization.kind !== 'Kustomization') {
    throw new Error(`${path}: not a kustomize.config.k8s.io/v1beta1 Kustomization`);
  }

  let objects: KubeObject[] = [];
  for (const resource of (kustomization.resources ?? []) as string[]) {
    const target = join(folder, resource);
    if (statSync(join(ROOT, target)).isDirectory()) objects.push(...renderKustomization(target));
    else objects.push(...readYamlDocuments(target).map((document) => asKubeObject(document, target)));
  }
  objects = structuredClone(objects);

  for (const patch of (kustomization.patches ?? []) as Array<{ target?: { kind?: string; name?: string }; patch?: string }>) {
    const { kind, name } = patch.target ?? {};
    if (!kind || !name || typeof patch.patch !== 'string') throw new Error(`${path}: each patch needs target.kind, target.name and an inline JSON 6902 patch`);
    const targets = objects.filter((object) => object.kind === kind && object.metadata.name === name);
    if (targets.length === 0) throw new Error(`${path}: no ${kind} ${name} to patch`);
    const operations = parseYamlDocuments(patch.patch, `${path} patch of ${kind} ${name}`)[0] as JsonPatchOperation[];
    for (const object of targets) applyJsonPatch(object, operations, `${path} patch of ${kind} ${name}`);
  }

  for (const image of (kustomization.images ?? []) as Array<{ name: string; newName?: string; newTag?: string; digest?: string }>) {
    for (const container of objects.flatMap(containersOf)) {
      const [repository] = splitImage(container.image);
      if (repository !== image.name) continue;
      const base = image.newName ?? repository;
      container.image = image.digest ? `${base}@${image.digest}` : `${base}:${image.newTag ?? splitImage(container.image)[1]}`;
    }
  }

  if (typeof kustomization.namespace === 'string') {
    for (const object of objects) {
      if (CLUSTER_SCOPED.has(object.kind)) continue;
      object.metadata.namespace = kustomization.namespace;
    }
  }
  return objects;
}

const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition']);

/** An image reference as repository and tag (or digest); no tag is undefined. */
export function splitImage(image: string): [string, string | undefined] {
  const at = image.indexOf('@');
  if (at >= 0) return [image.slice(0, at), image.slice(at + 1)];
  const colon = image.lastIndexOf(':');
  return colon > image.lastIndexOf('/') ? [image.slice(0, colon), image.slice(colon + 1)] : [image, undefined];
}

export function containersOf(object: KubeObject): Array<Record<string, any>> {
  const pod = object.spec?.template?.spec;
  return pod ? [...(pod.initContainers ?? []), ...(pod.containers ?? [])] : [];
}

interface JsonPatchOperation {
  op: 'add' | 'replace' | 'remove' | 'test';
  path: string;
  value?: unknown;
}

/** RFC 6902 add, replace, remove and test on JSON pointers (RFC 6901), as kustomize applies them. */
function applyJsonPatch(document: KubeObject, operations: JsonPatchOperation[], source: string): void {
  for (const { op, path, value } of operations) {
    if (!['add', 'replace', 'remove', 'test'].includes(op)) throw new Error(`${source}: unsupported operation ${op}`);
    const tokens = path.split('/').slice(1).map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = tokens.pop();
    if (last === undefined) throw new Error(`${source}: the path "${path}" names the whole document`);
    let parent: any = document;
    for (const token of tokens) {
      parent = parent?.[token];
      if (parent === undefined || parent === null) throw new Error(`${source}: ${path} does not exist`);
    }
    const exists = Array.isArray(parent) ? last === '-' || Number(last) < parent.length : Object.hasOwn(parent, last);
    if (op !== 'add' && !exists) throw new Error(`${source}: ${op} ${path}, which does not exist`);
    if (op === 'test') {
      if (JSON.stringify(parent[last]) !== JSON.stringify(value)) throw new Error(`${source}: test ${path} failed`);
    } else if (op === 'remove') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else if (Array.isArray(parent)) {
      if (op === 'add') parent.splice(last === '-' ? parent.length : Number(last), 0, structuredClone(value));
      else parent[Number(last)] = structuredClone(value);
    } else {
      parent[last] = structuredClone(value);
    }
  }
}
