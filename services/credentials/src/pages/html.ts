import type { Lang } from './i18n.ts';

/** Text made safe for HTML element content and quoted attribute values. */
export const esc = (value: string | number | boolean | null | undefined): string =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Markup built by these helpers: already escaped, passed through as is. */
export class Html {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

/** A template tag escaping every interpolation except Html (and arrays of it). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new Html(out);
}
const render = (value: unknown): string => {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return esc(value as string | number | boolean);
};
export const raw = (markup: string) => new Html(markup);

/**
 * Every page's security headers: nothing but our own origin and inline
 * styles; no script at all (the pages work without JavaScript), no framing.
 */
export const PAGE_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** System fonts only: nothing is fetched from elsewhere. Readable on a phone; colours meet WCAG AA contrast. */
const CSS = `
:root{color-scheme:light;--fg:#1a1a1a;--muted:#4a4a4a;--line:#d0d0d0;--ok:#0b6b2f;--ok-bg:#e7f5ec;--bad:#a3001b;--bad-bg:#fdecee;--warn:#7a4a00;--warn-bg:#fff4e0;--link:#0b4f9c}
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,sans-serif;font-size:1rem;line-height:1.5;color:var(--fg);background:#f6f6f4}
a{color:var(--link)}
a:focus,button:focus,textarea:focus,input:focus{outline:3px solid #f5a623;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0}.skip:focus{left:8px;background:#fff;padding:8px}
header.site,footer.site{max-width:48rem;margin:0 auto;padding:.75rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;justify-content:space-between;align-items:center}
header.site .brand{font-weight:700;font-size:1.1rem;text-decoration:none;color:var(--fg)}
footer.site{color:var(--muted);font-size:.9rem}
main{max-width:48rem;margin:0 auto;padding:0 1rem 2rem}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:1rem 1.25rem;margin:1rem 0}
h1{font-size:1.6rem;line-height:1.25;margin:.25rem 0 .5rem}
h2{font-size:1.2rem;margin:0 0 .5rem}
.banner{border-radius:8px;padding:1rem 1.25rem;margin:1rem 0;border:2px solid}
.banner p{margin:.25rem 0}
.banner .big{font-size:1.5rem;font-weight:800;letter-spacing:.02em;margin:0}
.banner.ok{background:var(--ok-bg);border-color:var(--ok);color:var(--ok)}
.banner.bad{background:var(--bad-bg);border-color:var(--bad);color:var(--bad)}
.banner.warn{background:var(--warn-bg);border-color:var(--warn);color:var(--warn)}
ul.checks{list-style:none;padding:0;margin:0}
ul.checks li{display:flex;gap:.75rem;padding:.5rem 0;border-top:1px solid var(--line)}
ul.checks li:first-child{border-top:0}
.mark{flex:0 0 auto;font-weight:700;min-width:5.5rem}
.mark.ok{color:var(--ok)}.mark.bad{color:var(--bad)}
details{margin-top:.25rem;color:var(--muted);font-size:.9rem;overflow-wrap:anywhere}
dl.facts{display:grid;grid-template-columns:minmax(8rem,max-content) 1fr;gap:.35rem 1rem;margin:0}
dl.facts dt{font-weight:600;color:var(--muted)}dl.facts dd{margin:0;overflow-wrap:anywhere}
@media (max-width:30rem){dl.facts{grid-template-columns:1fr}dl.facts dd{margin-bottom:.5rem}}
ul.plain{margin:.25rem 0;padding-left:1.25rem}
.muted{color:var(--muted)}
.actions{display:flex;flex-wrap:wrap;gap:.5rem}
.button,button{display:inline-block;padding:.6rem 1rem;border-radius:6px;border:1px solid var(--link);background:#fff;color:var(--link);text-decoration:none;font:inherit;cursor:pointer;min-height:44px}
.button.primary,button{background:var(--link);color:#fff}
.qr{display:flex;flex-wrap:wrap;gap:1rem;align-items:center}
.qr img{width:180px;height:180px;background:#fff}
textarea{width:100%;min-height:12rem;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85rem;padding:.5rem;border:1px solid #767676;border-radius:6px}
label{font-weight:600;display:block;margin:.75rem 0 .25rem}
input[type=file]{font:inherit}
`;

export interface LayoutOptions {
  lang: Lang;
  title: string;
  /** The same page in the other language (the switch link), with its label. */
  switchLang: { href: string; label: string; lang: Lang };
  skip: string;
  siteName: string;
  footer?: Html;
  body: Html;
}

/** A whole page: one document, inline CSS, no script and no asset from anywhere else. */
export function layout(o: LayoutOptions): string {
  return `<!doctype html>${html`<html lang="${o.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${o.title}</title>
<style>${raw(CSS)}</style>
</head>
<body>
<a class="skip" href="#main">${o.skip}</a>
<header class="site">
<a class="brand" href="/verify">${o.siteName}</a>
<nav aria-label="${o.lang === 'ms' ? 'Bahasa' : 'Language'}"><a href="${o.switchLang.href}" lang="${o.switchLang.lang}" hreflang="${o.switchLang.lang}">${o.switchLang.label}</a></nav>
</header>
<main id="main">
${o.body}
</main>
<footer class="site">${o.footer ?? ''}</footer>
</body>
</html>`.value}`;
}
