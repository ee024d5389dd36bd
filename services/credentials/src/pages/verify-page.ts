import { checksList, resultBanner, type VerificationView } from './credential-page.ts';
import { html, layout } from './html.ts';
import { STRINGS, type Lang } from './i18n.ts';

export type VerifyOutcome =
  | { kind: 'result'; verification: VerificationView; name: string | null; issuer: string | null }
  | { kind: 'too-large' }
  | { kind: 'empty' }
  | { kind: 'unreadable' };

/**
 * The "check a file" page: a form (paste, or choose a file; works without
 * JavaScript) and, after a POST, the same checks as the credential page.
 */
export function renderVerifyPage(lang: Lang, maxBytes: number, outcome: VerifyOutcome | null = null, status = 200): { status: number; body: string } {
  const t = STRINGS[lang];
  const kib = Math.floor(maxBytes / 1024);
  const other: Lang = lang === 'ms' ? 'en' : 'ms';
  let result = null;
  if (outcome?.kind === 'result') {
    const { verification } = outcome;
    result = html`<section class="card" aria-labelledby="result-heading"><h2 id="result-heading">${t.verifyResult}</h2>
${outcome.name ? html`<p><strong>${outcome.name}</strong>${outcome.issuer ? html` — ${outcome.issuer}` : null}</p>` : null}
${resultBanner(verification, t)}
${verification.format ? html`<p class="muted">${t.verifyFormat(verification.format === 'VC_JWT' ? 'VC-JWT' : 'JSON-LD (Data Integrity)')}</p>` : null}
${checksList(verification.checks, lang)}
</section>`;
  } else if (outcome) {
    const message = outcome.kind === 'too-large' ? t.verifyTooLarge(kib) : outcome.kind === 'empty' ? t.verifyEmpty : t.verifyUnreadable;
    result = html`<section class="banner bad" role="alert" data-result="${outcome.kind}"><p>${message}</p></section>`;
  }
  const body = html`<h1>${t.verifyTitle}</h1>
<p>${t.verifyLead}</p>
${result}
<form class="card" method="post" action="/verify?lang=${lang}" enctype="multipart/form-data">
<label for="document">${t.verifyField}</label>
<textarea id="document" name="document" spellcheck="false" aria-describedby="document-help"></textarea>
<p id="document-help" class="muted">${t.verifyHelp(kib)} ${t.verifyNothingStored}</p>
<label for="file">${t.verifyFileField}</label>
<input id="file" name="file" type="file" accept=".json,.jsonld,.jwt,.txt,.svg,application/json,application/ld+json,image/svg+xml,text/plain">
<p><button type="submit">${t.verifySubmit}</button></p>
</form>`;
  return {
    status,
    body: layout({
      lang,
      title: `${t.verifyTitle} — ${t.siteName}`,
      switchLang: { href: `/verify?lang=${other}`, label: t.otherLangLabel, lang: other },
      skip: t.skip,
      siteName: t.siteName,
      body,
    }),
  };
}
