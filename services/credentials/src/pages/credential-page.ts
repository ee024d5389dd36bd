import type { Check, DocumentFormat } from '@tauliah/credentials-vc';
import { html, layout, type Html } from './html.ts';
import { formatDate, plainCheck, STRINGS, type Lang, type Strings } from './i18n.ts';

export interface VerificationView {
  verified: boolean;
  format: DocumentFormat | null;
  checks: Check[];
}

/** What the credential page shows, gathered by view.ts from the credential's row, its frozen document and a live verification. */
export interface CredentialPageView {
  id: string;
  /** The address the QR code carries: the credential's id URL (with the share token when opened through a share link). */
  pageUrl: string;
  qrDataUrl: string;
  /** Links relative to this server: the downloads, the QR, and this page (for the language switch). */
  links: { self: string; jsonLd: string; jwt: string; badge: string; qr: string };
  linkedInUrl: string;
  title: string;
  code: string | null;
  description: string | null;
  outcomes: string[];
  skills: Array<{ code: string; name: string | null }>;
  credits: number | null;
  mqfLevel: number | null;
  issuer: { name: string; website: string | null; did: string | null; mqaRegistration: string | null; inGoodStanding: boolean };
  issuedAt: Date;
  expiresAt: Date | null;
  status: 'ACTIVE' | 'SUSPENDED' | 'REVOKED' | 'EXPIRED';
  statusReason: string | null;
  replacedBy: string | null;
  /** Shown only for a PUBLIC credential whose holder published it, or through a share link: null otherwise. */
  holderName: string | null;
  /** Set when the page was opened through a share link. */
  share: { expiresAt: Date } | null;
  /** Null for a record issued before signing existed: there is nothing to verify. */
  verification: VerificationView | null;
  checkedAt: Date;
}

const withLang = (href: string, lang: Lang) => `${href}${href.includes('?') ? '&' : '?'}lang=${lang}`;
const other = (lang: Lang): Lang => (lang === 'ms' ? 'en' : 'ms');

const time = (date: Date, lang: Lang) => {
  const myt = new Date(date.getTime() + 8 * 3600_000);
  return `${formatDate(date, lang)}, ${String(myt.getUTCHours()).padStart(2, '0')}:${String(myt.getUTCMinutes()).padStart(2, '0')} MYT`;
};

/** The list of checks with a plain-language line each (the check's own message under "technical details"). */
export function checksList(checks: Check[], lang: Lang): Html {
  const t = STRINGS[lang];
  return html`<ul class="checks">${checks.map(
    (c) =>
      html`<li data-check="${c.check}" data-passed="${String(c.passed)}"><span class="mark ${c.passed ? 'ok' : 'bad'}">${c.passed ? `✓ ${t.passed}` : `✗ ${t.failed}`}</span><div><p style="margin:0">${plainCheck(c, lang)}</p><details><summary>${t.technical}</summary><span lang="en">${c.check}: ${c.message}</span></details></div></li>`,
  )}</ul>`;
}

/** The outcome banner: Verified, or Not verified. */
export function resultBanner(verification: VerificationView, t: Strings): Html {
  return verification.verified
    ? html`<section class="banner ok" data-result="verified" aria-labelledby="result"><p class="big" id="result">✓ ${t.verified}</p><p>${t.verifiedLead}</p></section>`
    : html`<section class="banner bad" data-result="not-verified" aria-labelledby="result"><p class="big" id="result">✗ ${t.notVerified}</p><p>${t.notVerifiedLead}</p></section>`;
}

function statusBanner(view: CredentialPageView, t: Strings, lang: Lang): Html | null {
  const reason = view.statusReason ? html`<p>${t.reason}: ${view.statusReason}</p>` : null;
  if (view.status === 'REVOKED') return html`<section class="banner bad" data-status="REVOKED" role="alert"><p class="big">${t.revoked}</p><p>${t.revokedLead}</p>${reason}</section>`;
  if (view.status === 'SUSPENDED') return html`<section class="banner bad" data-status="SUSPENDED" role="alert"><p class="big">${t.suspended}</p><p>${t.suspendedLead}</p>${reason}</section>`;
  if (view.status === 'EXPIRED') return html`<section class="banner warn" data-status="EXPIRED" role="alert"><p class="big">${t.expired}</p><p>${t.expiredLead(formatDate(view.expiresAt!, lang))}</p></section>`;
  return null;
}

function replacedBanner(view: CredentialPageView, t: Strings, lang: Lang): Html | null {
  if (!view.replacedBy) return null;
  return html`<section class="banner warn" data-status="REPLACED" role="alert"><p class="big">${t.replaced}</p><p>${t.replacedLead}</p><p><a href="${withLang(`/credentials/${view.replacedBy}`, lang)}">${t.replacedLink}</a></p></section>`;
}

/** The credential page, server-side and complete: no script, no asset from elsewhere. */
export function renderCredentialPage(view: CredentialPageView, lang: Lang): string {
  const t = STRINGS[lang];
  const fact = (label: string, value: Html | string | null) => html`<dt>${label}</dt><dd>${value}</dd>`;
  const body = html`
${view.share ? html`<p class="banner warn" data-share="true">${t.sharedVia(formatDate(view.share.expiresAt, lang))}</p>` : null}
<p class="muted" style="margin:1rem 0 0">${t.credentialTitle}</p>
<h1>${view.title}</h1>
${statusBanner(view, t, lang)}
${replacedBanner(view, t, lang)}
${view.verification ? resultBanner(view.verification, t) : null}
${
  view.verification
    ? html`<section class="card" aria-labelledby="checks-heading"><h2 id="checks-heading">${t.checksHeading}</h2>${checksList(view.verification.checks, lang)}<p class="muted">${t.checkedAt(time(view.checkedAt, lang))}</p></section>`
    : null
}
<section class="card" aria-labelledby="achievement-heading">
<h2 id="achievement-heading">${t.achievement}</h2>
<dl class="facts">
${fact(t.holder, view.holderName ? html`<span data-holder>${view.holderName}</span>` : html`<span class="muted">${t.holderHidden}</span>`)}
${view.code ? fact(t.code, view.code) : null}
${view.description ? fact(t.description, view.description) : null}
${view.outcomes.length ? fact(t.outcomes, html`<ul class="plain">${view.outcomes.map((o) => html`<li>${o}</li>`)}</ul>`) : null}
${view.skills.length ? fact(t.skills, html`<ul class="plain">${view.skills.map((s) => html`<li>${s.name ?? s.code} <span class="muted">(${s.code})</span></li>`)}</ul>`) : null}
${view.credits !== null ? fact(t.credits, t.creditsValue(view.credits)) : null}
${view.mqfLevel !== null ? fact(t.mqfLevel, t.mqfValue(view.mqfLevel)) : null}
${fact(t.issued, formatDate(view.issuedAt, lang))}
${fact(t.expires, view.expiresAt ? formatDate(view.expiresAt, lang) : t.noExpiry)}
</dl>
</section>
<section class="card" aria-labelledby="issuer-heading">
<h2 id="issuer-heading">${t.issuer}</h2>
<dl class="facts">
${fact(t.issuer, view.issuer.website ? html`<a href="${view.issuer.website}" rel="noopener">${view.issuer.name}</a>` : view.issuer.name)}
${fact(t.mqaRegistration, view.issuer.mqaRegistration ?? html`<span class="muted">${t.mqaNotStored}</span>`)}
${view.issuer.did ? fact('DID', html`<code>${view.issuer.did}</code>`) : null}
</dl>
${view.issuer.inGoodStanding ? null : html`<p class="banner bad">${t.issuerStandingBad}</p>`}
</section>
<section class="card" aria-labelledby="downloads-heading">
<h2 id="downloads-heading">${t.downloads}</h2>
<div class="actions">
${view.verification ? html`<a class="button" href="${view.links.jsonLd}" download="credential-${view.id}.jsonld">${t.downloadJsonLd}</a><a class="button" href="${view.links.jwt}" download="credential-${view.id}.jwt">${t.downloadJwt}</a><a class="button" href="${view.links.badge}" download="badge-${view.id}.svg">${t.downloadBadge}</a>` : null}
<a class="button primary" href="${view.linkedInUrl}" rel="noopener">${t.linkedin}</a>
</div>
</section>
<section class="card" aria-labelledby="qr-heading">
<h2 id="qr-heading">${t.qrHeading}</h2>
<div class="qr"><img src="${view.qrDataUrl}" alt="${t.qrAlt}" width="180" height="180" data-qr-url="${view.pageUrl}"><div><p>${t.qrHelp}</p><a class="button" href="${view.links.qr}" download="qr-${view.id}.svg">${t.downloadQr}</a></div></div>
</section>`;
  return layout({
    lang,
    title: `${view.title} — ${t.credentialTitle} — ${t.siteName}`,
    switchLang: { href: withLang(view.links.self, other(lang)), label: t.otherLangLabel, lang: other(lang) },
    skip: t.skip,
    siteName: t.siteName,
    footer: html`<a href="${withLang('/verify', lang)}">${t.checkFileLink}</a>`,
    body,
  });
}

/**
 * What anyone not allowed to see a credential gets, and what an unknown id
 * gets: the same words and the same status, so the page is no oracle of
 * which ids exist or who holds them.
 */
export function renderNotAvailablePage(lang: Lang, self: string): string {
  const t = STRINGS[lang];
  return layout({
    lang,
    title: `${t.notAvailableTitle} — ${t.siteName}`,
    switchLang: { href: withLang(self, other(lang)), label: t.otherLangLabel, lang: other(lang) },
    skip: t.skip,
    siteName: t.siteName,
    footer: html`<a href="${withLang('/verify', lang)}">${t.checkFileLink}</a>`,
    body: html`<h1>${t.notAvailableTitle}</h1><section class="banner warn" data-result="not-available"><p>${t.notAvailable}</p></section>`,
  });
}
