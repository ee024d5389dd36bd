import { isUuid, sendError, type Database } from '@tauliah/core';
import { publicJwkOf } from '@tauliah/credentials-vc';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CredentialsConfig } from './config.ts';
import { credential, credentialRecord, type tables } from './db/schema.ts';
import { pageRoutes } from './pages/routes.ts';
import { platformRoutes } from './record/platform-routes.ts';
import { credentialAccess } from './pages/share-links.ts';
import { eq } from 'drizzle-orm';
import { issuerDocument } from './signing/issuers.ts';
import { signedDocument } from './signing/documents.ts';
import { statusListCredential } from './signing/status-lists.ts';

type Db = Database<typeof tables>;

function send(res: ServerResponse, contentType: string, body: string): void {
  // A credential's URL answers a page or a document by Accept: caches must keep them apart.
  res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-cache', 'access-control-allow-origin': '*', vary: 'Accept' });
  res.end(body);
}
const sendJson = (res: ServerResponse, contentType: string, body: unknown) => send(res, contentType, JSON.stringify(body));

/**
 * The documents a verifier follows, without an account: a public credential
 * (or one opened with its holder's share link, ?share=) by its id URL
 * (JSON-LD, also with ?format=jsonld; VC-JWT when asked with Accept:
 * application/vc+jwt or ?format=jwt; a page for a browser, see pages/), an issuer's did:web document and JWKS (without keys
 * reported compromised), and the signed status lists (each revocation list
 * with its companion suspension list at <list>/suspension). Anything not public answers 404, like an unknown id.
 */
export function credentialRoutes(db: Db, config: CredentialsConfig) {
  const access = credentialAccess(db);
  const pages = pageRoutes(db, config, access);
  const platform = platformRoutes(config);
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    // A browser at a credential's URL gets its page; its badge and QR; the "check a file" page (pages/).
    if (await pages(req, res, url)) return true;
    // The platform's own did:web document, which learner records (CLR) are signed under.
    if (await platform(req, res, url)) return true;
    if (req.method !== 'GET') return false;
    const [first, id, last, extra] = url.pathname.split('/').filter(Boolean);
    if (extra !== undefined || !id || !isUuid(id)) return false;
    if (first === 'credentials' && last === undefined) {
      const [row] = await db.select(credentialRecord).from(credential).where(eq(credential.id, id));
      // Following a link is anonymous: only what the learner made public, or opened with a share link of theirs, is served.
      if (!row || !(await access(row, url))) return notFound(res, 'No public credential with this id.');
      const wantsJwt = url.searchParams.get('format') === 'jwt' || (url.searchParams.get('format') !== 'jsonld' && (req.headers.accept ?? '').includes('application/vc+jwt'));
      const document = await signedDocument(db, config, row, wantsJwt ? 'VC_JWT' : 'DATA_INTEGRITY');
      if (!document) return notFound(res, 'This credential has no signed document.');
      if (typeof document === 'string') send(res, 'application/vc+jwt', document);
      else sendJson(res, 'application/vc+ld+json', document);
      return true;
    }
    if (first === 'issuers' && (last === 'did.json' || last === 'jwks.json')) {
      const found = await issuerDocument(db, { providerId: id });
      if (!found) return notFound(res, 'No issuer with this id.');
      if (last === 'did.json') sendJson(res, 'application/did+ld+json', found.document);
      else {
        const keys = await Promise.all(found.document.verificationMethod.map((m) => publicJwkOf(m.id, m.controller, m.publicKeyMultibase)));
        sendJson(res, 'application/jwk-set+json', { keys });
      }
      return true;
    }
    if (first === 'status-lists' && (last === undefined || last === 'suspension')) {
      const list = await statusListCredential(db, config, id, last === 'suspension' ? 'suspension' : 'status');
      if (!list) return notFound(res, 'No status list with this id.');
      sendJson(res, 'application/vc+ld+json', list);
      return true;
    }
    return false;
  };
}

function notFound(res: ServerResponse, message: string): true {
  sendError(res, 404, 'NOT_FOUND', message);
  return true;
}
