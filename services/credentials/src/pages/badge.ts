import { esc } from './html.ts';

/** The namespace OB 3.0 baking gives the `openbadges:credential` element in an SVG. */
export const OB3_BAKING_NAMESPACE = 'https://purl.imsglobal.org/ob/v3p0';

export interface BadgeFace {
  /** The achievement's name. */
  name: string;
  issuer: string;
  mqfLevel: number | null;
  code?: string | null;
}

/** Words into lines of at most `width` characters (a longer word is cut), at most `max` lines, the last one ellipsed when cut short. */
export function wrap(text: string, width: number, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const pieces = word.match(new RegExp(`.{1,${width}}`, 'gu')) ?? [];
    for (const piece of pieces) {
      if (!line) line = piece;
      else if (line.length + 1 + piece.length <= width) line += ` ${piece}`;
      else {
        lines.push(line);
        line = piece;
      }
    }
  }
  if (line) lines.push(line);
  if (lines.length <= max) return lines;
  const kept = lines.slice(0, max);
  kept[max - 1] = `${kept[max - 1]!.slice(0, width - 1).trimEnd()}…`;
  return kept;
}

/** CDATA cannot hold "]]>": the JSON is split around it into consecutive sections, which an XML parser joins back. */
const cdata = (text: string) => `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;

const FONT = 'system-ui,-apple-system,Segoe UI,Roboto,Noto Sans,Arial,sans-serif';

/**
 * The badge image of a credential, baked as OB 3.0 specifies for SVG: the
 * signed credential (the JSON-LD with its Data Integrity proof) as the CDATA
 * of one `openbadges:credential` element, the first child of the root, in the
 * namespace https://purl.imsglobal.org/ob/v3p0. A VC-JWT is baked instead in
 * the element's `verify` attribute. Drawn from the achievement: its name, the
 * issuer and the MQF level; no external font or image.
 */
export function bakedBadgeSvg(face: BadgeFace, credential: object | string): string {
  const baked =
    typeof credential === 'string'
      ? `<openbadges:credential verify="${esc(credential)}"></openbadges:credential>`
      : `<openbadges:credential>${cdata(JSON.stringify(credential))}</openbadges:credential>`;
  const title = wrap(face.name, 20, 3);
  const issuer = wrap(face.issuer, 30, 2);
  const titleTop = 190 - (title.length - 1) * 15;
  const tspans = (lines: string[], x: number, top: number, step: number) =>
    lines.map((line, i) => `<tspan x="${x}" y="${top + i * step}">${esc(line)}</tspan>`).join('');
  const label = `${face.name} — ${face.issuer}${face.mqfLevel !== null ? ` — MQF ${face.mqfLevel}` : ''}`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="${OB3_BAKING_NAMESPACE}" viewBox="0 0 400 400" width="400" height="400" role="img" aria-labelledby="badge-title">
${baked}
<title id="badge-title">${esc(label)}</title>
<defs><linearGradient id="ring" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#0b4f9c"/><stop offset="1" stop-color="#0b6b2f"/></linearGradient></defs>
<circle cx="200" cy="200" r="190" fill="url(#ring)"/>
<circle cx="200" cy="200" r="172" fill="#ffffff"/>
<circle cx="200" cy="200" r="164" fill="none" stroke="#0b4f9c" stroke-width="2" stroke-dasharray="4 6"/>
<text x="200" y="88" text-anchor="middle" font-family="${FONT}" font-size="15" font-weight="700" letter-spacing="3" fill="#0b4f9c">TAULIAH</text>
${face.code ? `<text x="200" y="112" text-anchor="middle" font-family="${FONT}" font-size="14" fill="#4a4a4a">${esc(face.code)}</text>` : ''}
<text text-anchor="middle" font-family="${FONT}" font-size="24" font-weight="700" fill="#1a1a1a">${tspans(title, 200, titleTop, 30)}</text>
<text text-anchor="middle" font-family="${FONT}" font-size="15" fill="#333333">${tspans(issuer, 200, 262, 19)}</text>
${
  face.mqfLevel !== null
    ? `<rect x="140" y="300" width="120" height="34" rx="17" fill="#0b6b2f"/><text x="200" y="323" text-anchor="middle" font-family="${FONT}" font-size="16" font-weight="700" fill="#ffffff">MQF ${face.mqfLevel}</text>`
    : ''
}
</svg>
`;
}

/**
 * The credential baked in an SVG, as any OB 3.0 tool reads it: the JSON of
 * the `openbadges:credential` element's CDATA, or the JWT of its `verify`
 * attribute; null when the SVG carries none (or more than one).
 */
export function unbakeSvg(svg: string): object | string | null {
  const elements = [...svg.matchAll(/<openbadges:credential\b([^>]*?)(?:\/>|>([\s\S]*?)<\/openbadges:credential>)/g)];
  if (elements.length !== 1) return null;
  const [, attributes = '', content = ''] = elements[0]!;
  const verify = /\bverify\s*=\s*"([^"]*)"/.exec(attributes)?.[1];
  if (verify) return verify.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  const text = [...content.matchAll(/<!\[CDATA\[([\s\S]*?)\]\]>/g)].map((m) => m[1]).join('');
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === 'object' ? parsed : null;
  } catch {
    return null;
  }
}
