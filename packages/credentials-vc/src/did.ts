import { DID_V1_CONTEXT, MULTIKEY_V1_CONTEXT } from './contexts.ts';

export interface VerificationMethod {
  id: string;
  type: 'Multikey';
  controller: string;
  publicKeyMultibase: string;
}

export interface DidDocument {
  '@context': string[];
  id: string;
  verificationMethod: VerificationMethod[];
  assertionMethod: string[];
}

/**
 * A did:web for a path under a base URL: `https://host:8443` + ['issuers', id]
 * gives `did:web:host%3A8443:issuers:<id>`, resolved at `https://host:8443/issuers/<id>/did.json`.
 */
export function didWebFor(baseUrl: string, ...path: string[]): string {
  const host = new URL(baseUrl).host.replace(':', '%3A');
  return ['did:web', host, ...path.map(encodeURIComponent)].join(':');
}

/** Where did:web says a DID document lives (https, as the method requires). */
export function didWebDocumentUrl(did: string): string {
  const [method, name, host, ...path] = did.split(':');
  if (method !== 'did' || name !== 'web' || !host) throw new Error(`${did} is not a did:web`);
  const origin = `https://${decodeURIComponent(host)}`;
  return path.length === 0 ? `${origin}/.well-known/did.json` : `${origin}/${path.map(decodeURIComponent).join('/')}/did.json`;
}

/**
 * An issuer's controller document. Every key it ever signed with stays listed
 * (a rotated-out key still proves the credentials it signed); only the newest
 * signs new ones.
 */
export function didDocument(did: string, keys: Array<{ id: string; publicKeyMultibase: string }>): DidDocument {
  const verificationMethod = keys.map((key) => ({ id: key.id, type: 'Multikey' as const, controller: did, publicKeyMultibase: key.publicKeyMultibase }));
  return {
    '@context': [DID_V1_CONTEXT, MULTIKEY_V1_CONTEXT],
    id: did,
    verificationMethod,
    assertionMethod: verificationMethod.map((m) => m.id),
  };
}
