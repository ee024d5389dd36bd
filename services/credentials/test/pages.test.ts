import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { buildOpenBadgeCredential, createDocumentLoader, didDocument, generateIssuerKey, signDataIntegrity } from '@tauliah/credentials-vc';
import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { bakedBadgeSvg, OB3_BAKING_NAMESPACE, unbakeSvg, wrap } from '../src/pages/badge.ts';
import { renderCredentialPage, renderNotAvailablePage, type CredentialPageView } from '../src/pages/credential-page.ts';
import { documentFrom, formFields } from '../src/pages/forms.ts';
import { formatDate, pickLang, plainCheck } from '../src/pages/i18n.ts';
import { linkedInAddUrl } from '../src/pages/linkedin.ts';
import { qrSvg } from '../src/pages/qr.ts';
import { wantsHtml } from '../src/pages/routes.ts';
import { renderVerifyPage } from '../src/pages/verify-page.ts';
import { credentialLinks, outcomesOf } from '../src/pages/view.ts';

const ID = '0b8e7b8e-6f1c-4a53-9a57-1f1d2c3b4a59';
const PAGE_URL = `https://tauliah.example.my/credentials/${ID}`;
const CHECKS = (['PROOF', 'ISSUER_KEY', 'KEY_STANDING', 'ISSUER_KNOWN', 'VALIDITY', 'STATUS'] as const).map((check) => ({ check, passed: true, message: `${check} ok` }));

function view(overrides: Partial<CredentialPageView> = {}): CredentialPageView {
  return {
    id: ID,
    pageUrl: PAGE_URL,
    qrDataUrl: 'data:image/svg+xml;base64,AAAA',
    links: credentialLinks(ID, null),
    linkedInUrl: 'https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME',
    title: 'Programming with Python',
    code: 'SE1101',
    description: 'Write, test and debug <small> Python programs.',
    outcomes: ['Write functions', 'Use lists & dictionaries'],
    skills: [{ code: 'PROG-FUND', name: 'Programming fundamentals' }],
    credits: 5,
    mqfLevel: 4,
    issuer: { name: 'Open Digital Learning', website: 'https://odl.example.my', did: 'did:web:tauliah.example.my:issuers:x', mqaRegistration: null, inGoodStanding: true },
    issuedAt: new Date('2025-06-01T00:00:00Z'),
    expiresAt: new Date('2027-06-01T00:00:00Z'),
    status: 'ACTIVE',
    statusReason: null,
    replacedBy: null,
    holderName: null,
    share: null,
    verification: { verified: true, format: 'DATA_INTEGRITY', checks: CHECKS },
    checkedAt: new Date('2026-01-02T03:04:00Z'),
    ...overrides,
  };
}

describe('the language of a page', () => {
  it('follows ?lang=, then Accept-Language by preference, else Malay', () => {
    expect(pickLang('en', 'ms')).toBe('en');
    expect(pickLang('ms', 'en-GB')).toBe('ms');
    expect(pickLang(null, 'en-GB,en;q=0.9')).toBe('en');
    expect(pickLang(null, 'fr-FR, ms-MY;q=0.8, en;q=0.9')).toBe('en');
    expect(pickLang(null, 'fr, ms;q=0.5')).toBe('ms');
    expect(pickLang(null, undefined)).toBe('ms');
    expect(pickLang('de', 'en')).toBe('en');
  });

  it('writes dates in Malaysian time, in words', () => {
    // 20:00 UTC on 31 May is already 1 June in Malaysia.
    expect(formatDate(new Date('2025-05-31T20:00:00Z'), 'ms')).toBe('1 Jun 2025');
    expect(formatDate(new Date('2025-08-15T00:00:00Z'), 'en')).toBe('15 August 2025');
    expect(formatDate(new Date('2025-08-15T00:00:00Z'), 'ms')).toBe('15 Ogos 2025');
  });
});

describe('the credential page', () => {
  it('shows the result, each check in plain words, the achievement and the issuer, escaped', () => {
    const page = renderCredentialPage(view(), 'en');
    expect(page).toMatch(/^<!doctype html><html lang="en">/);
    expect(page).toContain('data-result="verified"');
    expect(page).toContain('✓ Verified');
    for (const c of CHECKS) expect(page).toContain(`data-check="${c.check}" data-passed="true"`);
    expect(page).toContain(plainCheck(CHECKS[0]!, 'en'));
    expect(page).toContain('Programming with Python');
    expect(page).toContain('Write, test and debug &lt;small&gt; Python programs.');
    expect(page).toContain('<li>Use lists &amp; dictionaries</li>');
    expect(page).toContain('Programming fundamentals');
    expect(page).toContain('5 MQA credits');
    expect(page).toContain('Level 4');
    expect(page).toContain('Open Digital Learning');
    expect(page).toContain('MQA registration');
    expect(page).toContain('1 June 2025');
    expect(page).toContain('1 June 2027');
    expect(page).toContain(`href="/credentials/${ID}?format=jsonld"`);
    expect(page).toContain(`href="/credentials/${ID}?format=jwt"`);
    expect(page).toContain(`href="/credentials/${ID}/badge.svg"`);
    expect(page).toContain(`href="/credentials/${ID}/qr.svg"`);
    expect(page).toContain('Add to LinkedIn profile');
    expect(page).toContain(`data-qr-url="${PAGE_URL}"`);
    // The switch to Malay keeps the page.
    expect(page).toContain(`href="/credentials/${ID}?lang=ms"`);
  });

  it('speaks Malay', () => {
    const page = renderCredentialPage(view(), 'ms');
    expect(page).toContain('<html lang="ms">');
    expect(page).toContain('✓ Disahkan');
    expect(page).toContain('Tandatangan sah');
    expect(page).toContain('5 kredit MQA');
    expect(page).toContain('Tambah ke profil LinkedIn');
  });

  it('loads nothing from anywhere and runs no script', () => {
    const page = renderCredentialPage(view(), 'en');
    expect(page).not.toMatch(/<script|<link|@import|url\(|src="http/i);
    expect(page).toContain('font-family:system-ui');
  });

  it('says REVOKED, SUSPENDED, EXPIRED and REPLACED prominently, with the reason', () => {
    const revoked = renderCredentialPage(view({ status: 'REVOKED', statusReason: 'Assessment misconduct', verification: { verified: false, format: 'DATA_INTEGRITY', checks: CHECKS.map((c) => (c.check === 'STATUS' ? { ...c, passed: false, message: 'Revoked by the issuer.' } : c)) } }), 'en');
    expect(revoked).toContain('data-status="REVOKED"');
    expect(revoked).toMatch(/<p class="big">REVOKED<\/p>/);
    expect(revoked).toContain('Reason: Assessment misconduct');
    expect(revoked).toContain('data-result="not-verified"');
    expect(revoked).toContain('The issuer has revoked it.');
    expect(renderCredentialPage(view({ status: 'SUSPENDED' }), 'ms')).toContain('DIGANTUNG');
    expect(renderCredentialPage(view({ status: 'EXPIRED' }), 'en')).toContain('This credential expired on 1 June 2027.');
    const replaced = renderCredentialPage(view({ replacedBy: '11111111-2222-4333-8444-555555555555' }), 'en');
    expect(replaced).toContain('data-status="REPLACED"');
    expect(replaced).toContain('href="/credentials/11111111-2222-4333-8444-555555555555?lang=en"');
    expect(renderCredentialPage(view(), 'en')).not.toContain('data-status=');
  });

  it("names the holder only when given their name, and says when opened through a share link", () => {
    expect(renderCredentialPage(view(), 'en')).toContain('The holder&#39;s name is not shown.');
    const shared = renderCredentialPage(view({ holderName: 'Nur Aisyah', share: { expiresAt: new Date('2026-12-31T00:00:00Z') }, links: credentialLinks(ID, 'tok') }), 'en');
    expect(shared).toContain('<span data-holder>Nur Aisyah</span>');
    expect(shared).toContain('through a share link from the holder, valid until 31 December 2026');
    // Downloads and the language switch keep working through the link.
    expect(shared).toContain(`href="/credentials/${ID}?format=jsonld&amp;share=tok"`);
    expect(shared).toContain(`href="/credentials/${ID}/badge.svg?share=tok"`);
    expect(shared).toContain(`href="/credentials/${ID}?share=tok&amp;lang=ms"`);
  });

  it('answers a credential it may not show exactly like an unknown one', () => {
    const page = renderNotAvailablePage('en', `/credentials/${ID}`);
    expect(page).toContain('data-result="not-available"');
    expect(page).not.toContain(ID.slice(0, 8) + '"');
    expect(renderNotAvailablePage('en', '/credentials/x')).toBe(renderNotAvailablePage('en', '/credentials/x'));
  });

  it('reads learning outcomes from the frozen criteria narrative', () => {
    expect(outcomesOf('Assessed against the learning outcomes:\n- Write functions\n- Use lists')).toEqual(['Write functions', 'Use lists']);
    expect(outcomesOf('Completed and passed the assessment of X.')).toEqual([]);
  });
});

describe('which requests get the page', () => {
  const url = new URL(`http://x/credentials/${ID}`);
  it('a browser gets the page; a verifier keeps the document', () => {
    expect(wantsHtml('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', url)).toBe(true);
    expect(wantsHtml('application/ld+json', url)).toBe(false);
    expect(wantsHtml('*/*', url)).toBe(false);
    expect(wantsHtml(undefined, url)).toBe(false);
    expect(wantsHtml('application/vc+jwt', url)).toBe(false);
    expect(wantsHtml('application/vc+ld+json, text/html;q=0.5', url)).toBe(false);
    expect(wantsHtml('text/html', new URL(`${url.href}?format=jsonld`))).toBe(false);
  });
});

describe('the LinkedIn link', () => {
  it("fills LinkedIn's add-certification parameters", () => {
    const link = new URL(linkedInAddUrl({ name: 'Programming with Python', organizationName: 'ODL', issuedAt: new Date('2025-06-01T00:00:00Z'), expiresAt: new Date('2027-11-01T00:00:00Z'), certUrl: PAGE_URL, certId: ID }));
    expect(link.origin + link.pathname).toBe('https://www.linkedin.com/profile/add');
    expect(Object.fromEntries(link.searchParams)).toEqual({
      startTask: 'CERTIFICATION_NAME',
      name: 'Programming with Python',
      organizationName: 'ODL',
      issueYear: '2025',
      issueMonth: '6',
      expirationYear: '2027',
      expirationMonth: '11',
      certUrl: PAGE_URL,
      certId: ID,
    });
  });
});

/** Paints the SVG `qrcode` draws (a white square, then one path of horizontal runs "Mx y.5hN m..") into RGBA pixels, `scale` per module. */
function rasterise(svg: string, scale = 6): { data: Uint8ClampedArray; width: number; height: number } {
  const size = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)![1]);
  const width = size * scale;
  const data = new Uint8ClampedArray(width * width * 4).fill(255);
  const d = /<path[^>]*stroke="#000000"[^>]*d="([^"]+)"/.exec(svg)![1]!;
  let x = 0;
  let y = 0;
  for (const [, command, a, b] of d.matchAll(/([MmHh])\s*(-?[\d.]+)(?:[ ,](-?[\d.]+))?/g)) {
    if (command === 'M') [x, y] = [Number(a), Number(b)];
    else if (command === 'm') [x, y] = [x + Number(a), y + Number(b)];
    else {
      const run = Number(a);
      for (let col = x; col < x + run; col++) {
        for (let py = Math.floor(y - 0.5) * scale; py < (Math.floor(y - 0.5) + 1) * scale; py++) {
          for (let px = col * scale; px < (col + 1) * scale; px++) data.fill(0, (py * width + px) * 4, (py * width + px) * 4 + 3);
        }
      }
      x += run;
    }
  }
  return { data, width, height: width };
}

describe('the QR code', () => {
  it('decodes (with jsQR, an independent decoder) back to the URL it was made of', async () => {
    for (const url of [PAGE_URL, `${PAGE_URL}?share=${'a'.repeat(43)}`]) {
      const svg = await qrSvg(url);
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      const { data, width, height } = rasterise(svg);
      expect(jsQR.default(data, width, height)?.data).toBe(url);
    }
  });
});

describe('the baked badge', () => {
  async function signedCredential(description: string) {
    const did = 'did:web:tauliah.example.my:issuers:11111111-2222-4333-8444-555555555555';
    const { key } = await generateIssuerKey(did);
    const unsigned = buildOpenBadgeCredential({
      id: PAGE_URL,
      issuer: { id: did, name: 'Open Digital Learning' },
      subjectId: 'urn:uuid:22222222-3333-4444-8555-666666666666',
      achievement: { id: 'https://tauliah.example.my/courses/x', code: 'SE1101', name: 'Programming with Python', description, learningOutcomes: ['Write functions'], skills: [], credits: 5, mqfLevel: 4 },
      validFrom: new Date('2025-06-01T00:00:00Z'),
      validUntil: null,
      status: { listUrl: 'https://tauliah.example.my/status-lists/33333333-4444-4555-8666-777777777777', index: 7 },
    });
    const signed = await signDataIntegrity(unsigned, key);
    const documentLoader = createDocumentLoader(async (id) => (id === did ? didDocument(did, [key]) : null));
    return { signed, documentLoader };
  }

  const verifyOutside = async (credential: object, documentLoader: ReturnType<typeof createDocumentLoader>) =>
    vc.verifyCredential({ credential, suite: new DataIntegrityProof({ cryptosuite }), documentLoader, checkStatus: async () => ({ verified: true }) });

  it('carries the signed credential as OB 3.0 baking says, which unbakes and verifies with Digital Bazaar', async () => {
    const { signed, documentLoader } = await signedCredential('Write, test and debug Python programs.');
    const svg = bakedBadgeSvg({ name: 'Programming with Python', issuer: 'Open Digital Learning', mqfLevel: 4, code: 'SE1101' }, signed);
    expect(svg).toContain(`xmlns:openbadges="${OB3_BAKING_NAMESPACE}"`);
    expect(OB3_BAKING_NAMESPACE).toBe('https://purl.imsglobal.org/ob/v3p0');
    // The credential element is the first child of the root, and there is one.
    expect(svg).toMatch(/<svg [^>]*>\n<openbadges:credential><!\[CDATA\[\{/);
    expect(svg.match(/<openbadges:credential/g)).toHaveLength(1);
    expect(svg).toContain('MQF 4');
    expect(svg).toContain('Programming with');
    const unbaked = unbakeSvg(svg) as object;
    expect(unbaked).toEqual(JSON.parse(JSON.stringify(signed)));
    const result = await verifyOutside(unbaked, documentLoader);
    expect(result.verified, JSON.stringify(result.error)).toBe(true);
  });

  it('keeps a credential whose text contains "]]>" intact (split CDATA), and it still verifies', async () => {
    const { signed, documentLoader } = await signedCredential('Escapes ]]> and <tags> & ampersands.');
    const svg = bakedBadgeSvg({ name: 'A <b> ]]> badge', issuer: 'X & Y', mqfLevel: null }, signed);
    expect(svg).not.toContain('<b>');
    expect(svg).toContain(']]]]><![CDATA[>');
    const unbaked = unbakeSvg(svg) as Record<string, unknown>;
    expect(unbaked).toEqual(JSON.parse(JSON.stringify(signed)));
    expect((await verifyOutside(unbaked, documentLoader)).verified).toBe(true);
    // Tampering after baking is caught.
    const tampered = svg.replace('Escapes', 'Forged!');
    expect((await verifyOutside(unbakeSvg(tampered) as object, documentLoader)).verified).toBe(false);
  });

  it('bakes a VC-JWT in the verify attribute, and refuses an SVG without exactly one credential', () => {
    const jwt = 'eyJhbGciOiJFZERTQSJ9.eyJpZCI6IngifQ.c2ln';
    expect(unbakeSvg(bakedBadgeSvg({ name: 'X', issuer: 'Y', mqfLevel: 1 }, jwt))).toBe(jwt);
    expect(unbakeSvg('<svg xmlns="http://www.w3.org/2000/svg"></svg>')).toBeNull();
  });

  it('wraps long names onto a few lines', () => {
    expect(wrap('Advanced Diploma in Industrial Automation and Robotics Engineering', 20, 3)).toEqual(['Advanced Diploma in', 'Industrial', 'Automation and…']);
    expect(wrap('Short', 20, 3)).toEqual(['Short']);
  });
});

describe('the "check a file" form', () => {
  it('reads a pasted document, a chosen file (a file wins) and a baked badge', () => {
    const boundary = '----x';
    const body = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="document"\r\n\r\n{"a":1}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="c.jwt"\r\nContent-Type: text/plain\r\n\r\naaa.bbb.ccc\r\n--${boundary}--\r\n`,
    );
    const fields = formFields(`multipart/form-data; boundary=${boundary}`, body);
    expect(fields.get('document')).toBe('{"a":1}');
    expect(documentFrom(fields)).toEqual({ document: 'aaa.bbb.ccc' });
    expect(documentFrom(formFields('application/x-www-form-urlencoded', Buffer.from('document=%7B%22a%22%3A1%7D')))).toEqual({ document: { a: 1 } });
    const badge = bakedBadgeSvg({ name: 'X', issuer: 'Y', mqfLevel: null }, { id: 'z' });
    expect(documentFrom(new Map([['file', badge]]))).toEqual({ document: { id: 'z' } });
    expect(documentFrom(new Map([['document', '  ']]))).toEqual({ empty: true });
    expect(documentFrom(new Map([['document', 'hello there']]))).toBeNull();
    expect(documentFrom(new Map([['document', '[1,2]']]))).toBeNull();
  });

  it('offers a form that works without JavaScript, in both languages', () => {
    const { body } = renderVerifyPage('ms', 65536);
    expect(body).toContain('<form class="card" method="post" action="/verify?lang=ms" enctype="multipart/form-data">');
    expect(body).toContain('<label for="document">');
    expect(body).toContain('Paling banyak 64 KiB.');
    expect(body).not.toMatch(/<script/i);
    const result = renderVerifyPage('en', 65536, { kind: 'result', verification: { verified: false, format: null, checks: CHECKS.map((c) => ({ ...c, passed: false })) }, name: null, issuer: null });
    expect(result.body).toContain('data-result="not-verified"');
    expect(result.body).toContain('The signature is not valid');
  });
});
