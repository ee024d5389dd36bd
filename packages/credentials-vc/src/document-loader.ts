import { bundledContexts, MULTIKEY_V1_CONTEXT } from './contexts.ts';
import type { DidDocument } from './did.ts';

export interface RemoteDocument {
  contextUrl: null;
  documentUrl: string;
  document: object;
}
export type DocumentLoader = (url: string) => Promise<RemoteDocument>;

/** Finds the controller document of an issuer id (a DID or a URL), or null when it is not known. */
export type ControllerResolver = (id: string) => Promise<DidDocument | null>;

export class UnknownDocument extends Error {
  constructor(readonly url: string) {
    super(`${url} is not a bundled context or a known issuer: documents are never fetched from the network.`);
    this.name = 'UnknownDocument';
  }
}

/**
 * The JSON-LD document loader: bundled contexts, and controller documents and
 * verification methods from `resolve`. It never touches the network; an unknown
 * URL is an error (a verifier must not be steered to fetch what an attacker names).
 */
export function createDocumentLoader(resolve: ControllerResolver = async () => null): DocumentLoader {
  return async (url: string) => {
    const context = bundledContexts.get(url);
    if (context) return { contextUrl: null, documentUrl: url, document: context };
    const [controllerId, fragment] = splitFragment(url);
    const controller = await resolve(controllerId);
    if (!controller) throw new UnknownDocument(url);
    if (fragment === undefined) return { contextUrl: null, documentUrl: url, document: controller };
    const method = controller.verificationMethod.find((m) => m.id === url);
    if (!method) throw new UnknownDocument(url);
    return { contextUrl: null, documentUrl: url, document: { '@context': MULTIKEY_V1_CONTEXT, ...method } };
  };
}

function splitFragment(url: string): [string, string | undefined] {
  const hash = url.indexOf('#');
  return hash < 0 ? [url, undefined] : [url.slice(0, hash), url.slice(hash + 1)];
}
