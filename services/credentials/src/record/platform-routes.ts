import { publicJwkOf } from '@tauliah/credentials-vc';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CredentialsConfig } from '../config.ts';
import { platformSigner } from './platform.ts';

/**
 * The platform's DID document and JWKS, beside the providers' (routes.ts), so
 * a verifier handed a learner record resolves its did:web like any issuer's:
 * GET /issuers/platform/did.json and /issuers/platform/jwks.json.
 */
export function platformRoutes(config: CredentialsConfig) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    if (req.method !== 'GET') return false;
    const [first, id, last, extra] = url.pathname.split('/').filter(Boolean);
    if (first !== 'issuers' || id !== 'platform' || extra !== undefined || (last !== 'did.json' && last !== 'jwks.json')) return false;
    const { document } = await platformSigner(config);
    const [contentType, body] =
      last === 'did.json'
        ? ['application/did+ld+json', document]
        : ['application/jwk-set+json', { keys: await Promise.all(document.verificationMethod.map((m) => publicJwkOf(m.id, m.controller, m.publicKeyMultibase))) }];
    const json = JSON.stringify(body);
    res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(json), 'cache-control': 'no-cache', 'access-control-allow-origin': '*' });
    res.end(json);
    return true;
  };
}
