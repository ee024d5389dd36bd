import { unbakeSvg } from './badge.ts';

/**
 * The text fields and files of a form post, by name: multipart/form-data (a
 * file chosen without JavaScript) or application/x-www-form-urlencoded.
 * Anything else is read as one `document` (a JSON or JWT body posted as is).
 */
export function formFields(contentType: string | undefined, body: Buffer): Map<string, string> {
  const fields = new Map<string, string>();
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
    const marker = boundary?.[1] ?? boundary?.[2];
    if (!marker) return fields;
    const delimiter = Buffer.from(`--${marker}`);
    let start = body.indexOf(delimiter);
    while (start !== -1) {
      const partStart = start + delimiter.length;
      if (body.subarray(partStart, partStart + 2).toString() === '--') break;
      const next = body.indexOf(delimiter, partStart);
      if (next === -1) break;
      const part = body.subarray(partStart, next);
      const headerEnd = part.indexOf('\r\n\r\n');
      if (headerEnd !== -1) {
        const headers = part.subarray(0, headerEnd).toString('utf8');
        const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(headers)?.[1];
        // The content ends before the CRLF that precedes the next delimiter.
        let content = part.subarray(headerEnd + 4);
        if (content.subarray(-2).toString() === '\r\n') content = content.subarray(0, -2);
        if (name !== undefined && !fields.has(name)) fields.set(name, content.toString('utf8'));
      }
      start = next;
    }
    return fields;
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    for (const [name, value] of new URLSearchParams(body.toString('utf8'))) if (!fields.has(name)) fields.set(name, value);
    return fields;
  }
  fields.set('document', body.toString('utf8'));
  return fields;
}

/**
 * What was handed in, as a document to verify: JSON (a JSON-LD credential),
 * a compact JWT, or a baked SVG badge (its credential unbaked); null when it
 * is none of these. A chosen file wins over the text field.
 */
export function documentFrom(fields: Map<string, string>): { document: object | string } | { empty: true } | null {
  const file = fields.get('file')?.trim() ?? '';
  const text = file || (fields.get('document')?.trim() ?? '');
  if (!text) return { empty: true };
  if (text.startsWith('<')) {
    const baked = unbakeSvg(text);
    return baked ? { document: baked } : null;
  }
  if (text.startsWith('{')) {
    try {
      const parsed = JSON.parse(text) as unknown;
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? { document: parsed } : null;
    } catch {
      return null;
    }
  }
  if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(text)) return { document: text };
  return null;
}
