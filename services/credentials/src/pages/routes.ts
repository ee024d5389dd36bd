import { BodyTooLarge, discardRestOfBody, isUuid, readBody, type Database } from '@tauliah/core';
import { documentLimitProblem } from '@tauliah/credentials-vc';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CredentialsConfig } from '../config.ts';
import { credential, credentialRecord, type CredentialRow, type tables } from '../db/schema.ts';
import { eq } from 'drizzle-orm';
import { signedDocument } from '../signing/documents.ts';
import { verifyDocument } from '../signing/verifier.ts';
import { bakedBadgeSvg } from './badge.ts';
import { renderCredentialPage, renderNotAvailablePage } from './credential-page.ts';
import { documentFrom, formFields } from './forms.ts';
import { PAGE_HEADERS } from './html.ts';
import { pickLang, type Lang } from './i18n.ts';
import { qrSvg } from './qr.ts';
import { renderVerifyPage, type VerifyOutcome } from './verify-page.ts';
import { badgeFaceOf, credentialPageView, pageUrlOf, type PageAccess } from './view.ts';

type Db = Database<typeof tables>;

/** Who may open a credential's page, its badge and its QR: null for anyone else (the same answer as for an unknown id). */
export type AccessCheck = (row: CredentialRow, url: URL) => Promise<PageAccess | null>;

const JSON_TYPES = ['application/json', 'application/ld+json', 'application/vc+ld+json', 'application/vc+jwt', 'application/vc', 'application/jwt'];

/**
 * Whether a request for a credential's URL wants the page rather than the
 * document: a browser (Accept names text/html, at least as high as any JSON
 * or JWT type it names), and no `format` asked for. Verifiers asking for
 * JSON-LD, JWT or anything (star/star) keep getting the document.
 */
export function wantsHtml(accept: string | undefined, url: URL): boolean {
  if (url.searchParams.has('format')) return false;
  let html = -1;
  let json = -1;
  let htmlFirst = false;
  for (const part of (accept ?? '').split(',')) {
    const [type = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    const q = qParam === undefined ? 1 : Number(qParam);
    if (type.trim() === 'text/html' && q > html) {
      html = q;
      if (json < 0) htmlFirst = true;
    }
    if (JSON_TYPES.includes(type.trim()) && q > json) json = q;
  }
  return html > 0 && (html > json || (html === json && htmlFirst));
}

function send(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): true {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), vary: 'Accept, Accept-Language', ...headers });
  res.end(body);
  return true;
}
const sendPage = (res: ServerResponse, status: number, body: string, lang: Lang) =>
  send(res, status, 'text/html; charset=utf-8', body, { ...PAGE_HEADERS, 'content-language': lang });

/**
 * The human-facing pages: a credential's page (the same URL as its JSON-LD,
 * for browsers), its baked badge and QR code, and the "check a file" page.
 * A credential is shown when `access` allows (PUBLIC, or a live share link);
 * anyone else, like an unknown id, gets "not available" (404).
 */
export function pageRoutes(db: Db, config: CredentialsConfig, access: AccessCheck) {
  const maxBytes = config.VERIFY_DOCUMENT_MAX_BYTES;
  // A form post carries the document (pasted or as a file) and the form's own parts: room for both, no more.
  const bodyLimit = 2 * maxBytes + 16 * 1024;

  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    const lang = pickLang(url.searchParams.get('lang'), req.headers['accept-language']);
    const parts = url.pathname.split('/').filter(Boolean);

    if (parts.length === 1 && parts[0] === 'verify') {
      if (req.method === 'GET' || req.method === 'HEAD') {
        const page = renderVerifyPage(lang, maxBytes);
        return sendPage(res, page.status, page.body, lang);
      }
      if (req.method !== 'POST') return false;
      let outcome: VerifyOutcome;
      let status = 200;
      try {
        const body = await readBody(req, bodyLimit);
        const read = documentFrom(formFields(req.headers['content-type'], body));
        if (!read) [outcome, status] = [{ kind: 'unreadable' }, 400];
        else if ('empty' in read) [outcome, status] = [{ kind: 'empty' }, 400];
        else if (documentLimitProblem(read.document, maxBytes)) {
          // Before any cryptography, as verifyCredentialDocument does: too big, or more than one proof.
          const tooBig = (typeof read.document === 'string' ? Buffer.byteLength(read.document) : Buffer.byteLength(JSON.stringify(read.document))) > maxBytes;
          [outcome, status] = tooBig ? [{ kind: 'too-large' }, 413] : [{ kind: 'unreadable' }, 400];
        } else {
          const result = await verifyDocument(db, config, read.document);
          const subject = result.credential as { name?: unknown; issuer?: unknown } | null;
          const issuerName = subject && typeof subject.issuer === 'object' && subject.issuer ? (subject.issuer as { name?: unknown }).name : undefined;
          outcome = {
            kind: 'result',
            verification: { verified: result.verified, format: result.format, checks: result.checks },
            name: typeof subject?.name === 'string' ? subject.name : null,
            issuer: typeof issuerName === 'string' ? issuerName : null,
          };
        }
      } catch (error) {
        if (!(error instanceof BodyTooLarge)) throw error;
        [outcome, status] = [{ kind: 'too-large' }, 413];
        discardRestOfBody(req);
      }
      const page = renderVerifyPage(lang, maxBytes, outcome, status);
      return sendPage(res, page.status, page.body, lang);
    }

    if (parts[0] !== 'credentials' || !parts[1] || !isUuid(parts[1]) || parts.length > 3) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const [, id, asset] = parts;
    if (asset !== undefined && asset !== 'qr.svg' && asset !== 'badge.svg') return false;
    if (asset === undefined && !wantsHtml(req.headers.accept, url)) return false;

    const [row] = await db.select(credentialRecord).from(credential).where(eq(credential.id, id));
    const allowed = row ? await access(row, url) : null;
    if (!row || !allowed) {
      if (asset === undefined) return sendPage(res, 404, renderNotAvailablePage(lang, url.pathname), lang);
      return send(res, 404, 'text/plain; charset=utf-8', 'Not available.\n', { 'cache-control': 'no-store' });
    }
    const token = allowed.share?.token ?? null;
    if (asset === 'qr.svg') {
      const svg = await qrSvg(await pageUrlOf(db, config, row, token));
      return send(res, 200, 'image/svg+xml', svg, { 'cache-control': 'no-store', 'content-disposition': `inline; filename="qr-${row.id}.svg"` });
    }
    if (asset === 'badge.svg') {
      const signed = await signedDocument(db, config, row, 'DATA_INTEGRITY');
      if (!signed) return send(res, 404, 'text/plain; charset=utf-8', 'This credential has no signed document.\n', { 'cache-control': 'no-store' });
      const svg = bakedBadgeSvg(await badgeFaceOf(db, row), signed);
      return send(res, 200, 'image/svg+xml', svg, {
        'cache-control': 'no-store',
        'content-disposition': `inline; filename="badge-${row.id}.svg"`,
        'access-control-allow-origin': '*',
        // The SVG is an image, not a page: nothing in it runs when opened directly.
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      });
    }
    return sendPage(res, 200, renderCredentialPage(await credentialPageView(db, config, row, allowed), lang), lang);
  };
}
