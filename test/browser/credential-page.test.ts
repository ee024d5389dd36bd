import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { courseByCode, learners } from '@tauliah/demo-data';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import axe from 'axe-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outsideLoader } from '../../services/credentials/test/signed-support.ts';
import { browserSkipReason, launchBrowser, type OfflinePage, type TestBrowser } from './support.ts';

/**
 * The credential page, its share links, its QR code, its baked badge and the
 * "check a file" page in a real headless Chromium with no network but this
 * machine. Screenshots: test/browser/artifacts/credential-*.png, verify-*.png.
 */
const skip = browserSkipReason();
const learner = learners[3]!;
const jsqrSource = readFileSync(createRequire(import.meta.url).resolve('jsqr/dist/jsQR.js'), 'utf8');

/**
 * The few browser globals the page functions below touch, typed here (the
 * test project has no DOM types). Those functions run in the page: they name
 * its globals through `globalThis`, never anything of this module.
 */
interface Page2d {
  fillStyle: string;
  fillRect(x: number, y: number, w: number, h: number): void;
  drawImage(image: unknown, x: number, y: number, w: number, h: number): void;
  getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
}
interface InPage {
  axe: { run(): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> };
  jsQR: (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
  document: {
    querySelector(selector: string): { decode(): Promise<void> } | null;
    createElement(tag: 'canvas'): { width: number; height: number; getContext(kind: '2d'): Page2d | null };
    documentElement: { scrollWidth: number };
  };
  DOMParser: new () => {
    parseFromString(text: string, type: string): { querySelector(selector: string): unknown; getElementsByTagNameNS(ns: string, name: string): ArrayLike<{ textContent: string | null }> };
  };
}

const ISSUE = `mutation($input: IssueCredentialInput!) { issueCredential(input: $input) { id document(format: DATA_INTEGRITY) jwt: document(format: VC_JWT) } }`;
const VISIBILITY = `mutation($id: ID!, $visibility: CredentialVisibility!) { setCredentialVisibility(id: $id, visibility: $visibility) { id visibility } }`;
const REVOKE = `mutation($id: ID!, $reason: String!) { revokeCredential(id: $id, reason: $reason) { id status } }`;
const SHARE = `mutation($id: ID!, $expiresAt: DateTimeISO!) { createCredentialShareLink(credentialId: $id, expiresAt: $expiresAt) { id url expiresAt } }`;
const UNSHARE = `mutation($id: ID!) { revokeCredentialShareLink(id: $id) { id revokedAt } }`;

describe.skipIf(skip !== undefined)(`the credential page in a browser${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let graph: TestGraph;
  let browser: TestBrowser;
  const asLearner = () => ({ role: 'LEARNER' as const, sub: learner.id });
  beforeAll(async () => {
    graph = await startTestGraph();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await graph?.stop();
  });

  const origin = () => new URL(graph.subgraph.credentials.url).origin;
  /** A document URL minted under the configured base, on the server under test (path and query kept). */
  const onServer = (url: string) => `${origin()}${new URL(url).pathname}${new URL(url).search}`;

  async function issue(code: string, visibility: 'PUBLIC' | 'PRIVATE') {
    const { issueCredential } = await graph.gateway.ok(ISSUE, {
      as: 'PROVIDER_STAFF',
      variables: { input: { learnerId: learner.id, courseId: courseByCode.get(code)!.id } },
    });
    await graph.gateway.ok(VISIBILITY, { as: asLearner(), variables: { id: issueCredential.id, visibility } });
    return issueCredential as { id: string; document: { id: string }; jwt: string };
  }

  /** axe-core's serious and critical violations on the page, as "rule: target" lines. */
  async function seriousViolations(page: Page): Promise<string[]> {
    await page.evaluate(axe.source);
    const results = await page.evaluate(async () => {
      const { axe: inPageAxe } = globalThis as unknown as InPage;
      return (await inPageAxe.run()).violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
    });
    return results.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.targets.join(', ')}`);
  }

  /** The page's QR code, drawn onto a canvas and read back with jsQR. */
  async function decodeQr(page: Page): Promise<string | null> {
    await page.evaluate(jsqrSource);
    return page.evaluate(async () => {
      const { document, jsQR } = globalThis as unknown as InPage;
      const img = document.querySelector('.qr img')!;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 400;
      const context = canvas.getContext('2d')!;
      context.fillStyle = '#fff';
      context.fillRect(0, 0, 400, 400);
      context.drawImage(img, 0, 0, 400, 400);
      const pixels = context.getImageData(0, 0, 400, 400);
      return jsQR(pixels.data, 400, 400)?.data ?? null;
    });
  }

  async function open(url: string): Promise<OfflinePage & { status: number }> {
    const tab = await browser.offlinePage();
    const response = await tab.page.goto(url);
    return { ...tab, status: response!.status() };
  }

  const checksOf = (page: Page) => page.locator('ul.checks li').evaluateAll((items) => items.map((li) => `${li.getAttribute('data-check')}:${li.getAttribute('data-passed')}`));

  it('shows a PUBLIC credential as Verified with its checks, its QR decodes to its address, axe finds nothing serious; revoked, it says Revoked', async () => {
    const { id, document: signed } = await issue('SE1301', 'PUBLIC');
    const tab = await open(`${origin()}/credentials/${id}`);
    const { page } = tab;
    expect(tab.status).toBe(200);
    await expect.poll(() => page.locator('[data-result]').innerText()).toContain('Verified');
    expect(await checksOf(page)).toEqual(['PROOF', 'ISSUER_KEY', 'KEY_STANDING', 'ISSUER_KNOWN', 'VALIDITY', 'STATUS'].map((c) => `${c}:true`));
    expect(await page.locator('ul.checks').innerText()).toContain('The signature is valid');
    expect(await page.locator('h1').innerText()).toBe(courseByCode.get('SE1301')!.title);
    // PUBLIC by the holder's own act: their name is shown.
    expect(await page.locator('[data-holder]').innerText()).toBe(learner.fullName);
    const qr = await decodeQr(page);
    expect(qr).toBe(signed.id);
    expect(new URL(qr!).pathname).toBe(new URL(page.url()).pathname);
    expect(await seriousViolations(page)).toEqual([]);
    await tab.screenshot('credential-public');
    // Narrow, like a phone: nothing sticks out sideways.
    await page.setViewportSize({ width: 375, height: 800 });
    expect(await page.evaluate(() => (globalThis as unknown as InPage).document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await tab.screenshot('credential-public-phone');
    await page.setViewportSize({ width: 1280, height: 800 });

    // Malay, by the switch link.
    await page.locator('nav a[hreflang="ms"]').click();
    await expect.poll(() => page.locator('[data-result]').innerText()).toContain('Disahkan');
    expect(await page.locator('html').getAttribute('lang')).toBe('ms');
    await tab.screenshot('credential-public-ms');

    await graph.gateway.ok(REVOKE, { as: 'PROVIDER_STAFF', variables: { id, reason: 'Assessment misconduct' } });
    await page.goto(`${origin()}/credentials/${id}`);
    expect(await page.locator('[data-status]').innerText()).toContain('REVOKED');
    expect(await page.locator('[data-status]').innerText()).toContain('Assessment misconduct');
    expect(await page.locator('[data-result]').innerText()).toContain('Not verified');
    expect(await checksOf(page)).toContain('STATUS:false');
    expect(await page.locator('li[data-check="STATUS"]').innerText()).toContain('The issuer has revoked it.');
    expect(await seriousViolations(page)).toEqual([]);
    await tab.screenshot('credential-revoked');
    expect(tab.blocked).toEqual([]);
    expect(tab.errors).toEqual([]);
  });

  it('refuses a PRIVATE credential to the public like an unknown one, and shows it through a share link until revoked', async () => {
    const { id } = await issue('SE1302', 'PRIVATE');
    const anonymous = await open(`${origin()}/credentials/${id}`);
    expect(anonymous.status).toBe(404);
    expect(await anonymous.page.locator('[data-result]').getAttribute('data-result')).toBe('not-available');
    const refusedText = await anonymous.page.locator('main').innerText();
    expect(refusedText).not.toContain(learner.fullName);
    expect(refusedText).not.toContain(courseByCode.get('SE1302')!.title);
    expect(await seriousViolations(anonymous.page)).toEqual([]);
    await anonymous.screenshot('credential-private-refused');
    // No existence oracle: an id that was never issued gets the same page.
    await anonymous.page.goto(`${origin()}/credentials/00000000-0000-4000-8000-000000000000`);
    expect(await anonymous.page.locator('main').innerText()).toBe(refusedText);

    const expiresAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const { createCredentialShareLink: link } = await graph.gateway.ok(SHARE, { as: asLearner(), variables: { id, expiresAt } });
    expect(link.url).toMatch(new RegExp(`/credentials/${id}\\?share=[A-Za-z0-9_-]{43}$`));
    const shared = await open(onServer(link.url));
    const { page } = shared;
    expect(shared.status).toBe(200);
    await expect.poll(() => page.locator('[data-result]').innerText()).toContain('Verified');
    expect(await page.locator('[data-share]').innerText()).toContain('share link');
    expect(await page.locator('[data-holder]').innerText()).toBe(learner.fullName);
    // The QR carries the link, and the downloads work through it.
    expect(new URL((await decodeQr(page))!).search).toBe(new URL(link.url).search);
    for (const selector of ['a[download$=".jsonld"]', 'a[download$=".jwt"]', 'a[download^="badge-"]']) {
      const href = new URL((await page.locator(selector).getAttribute('href'))!, page.url());
      expect((await fetch(href)).status, selector).toBe(200);
    }
    expect(await seriousViolations(page)).toEqual([]);
    await shared.screenshot('credential-shared');

    await graph.gateway.ok(UNSHARE, { as: asLearner(), variables: { id: link.id } });
    const after = await page.goto(onServer(link.url));
    expect(after!.status()).toBe(404);
    expect(await page.locator('main').innerText()).toBe(refusedText);
    expect(shared.blocked).toEqual([]);
  });

  it('the baked badge unbakes with the browser\'s XML parser and verifies with Digital Bazaar', async () => {
    const { id } = await issue('SE2101', 'PUBLIC');
    const svg = await (await fetch(`${origin()}/credentials/${id}/badge.svg`)).text();
    const tab = await open(`${origin()}/verify`);
    const unbaked = await tab.page.evaluate((text) => {
      const { DOMParser } = globalThis as unknown as InPage;
      const xml = new DOMParser().parseFromString(text, 'image/svg+xml');
      if (xml.querySelector('parsererror')) return null;
      const elements = xml.getElementsByTagNameNS('https://purl.imsglobal.org/ob/v3p0', 'credential');
      return elements.length === 1 ? elements[0]!.textContent : null;
    }, svg);
    const credential = JSON.parse(unbaked!) as { id: string };
    expect(credential.id).toMatch(new RegExp(`/credentials/${id}$`));
    const result = await vc.verifyCredential({
      credential,
      suite: new DataIntegrityProof({ cryptosuite }),
      documentLoader: outsideLoader(graph.subgraph.credentials.url),
      checkStatus: async () => ({ verified: true }),
    });
    expect(result.verified, JSON.stringify(result.error)).toBe(true);
  });

  it('checks a pasted VC-JWT and a dropped badge file on the "check a file" page', async () => {
    const { id, jwt } = await issue('SE2102', 'PRIVATE');
    const tab = await open(`${origin()}/verify`);
    const { page } = tab;
    expect(await seriousViolations(page)).toEqual([]);
    await tab.screenshot('verify-form');
    await page.locator('textarea#document').fill(jwt);
    await page.locator('form button[type="submit"]').click();
    await expect.poll(() => page.locator('[data-result]').innerText()).toContain('Verified');
    expect(await page.locator('main').innerText()).toContain('VC-JWT');
    expect(await checksOf(page)).toEqual(['PROOF', 'ISSUER_KEY', 'KEY_STANDING', 'ISSUER_KNOWN', 'VALIDITY', 'STATUS'].map((c) => `${c}:true`));
    expect(await seriousViolations(page)).toEqual([]);
    await tab.screenshot('verify-result');

    // A badge file, its credential changed after baking: the proof fails.
    await graph.gateway.ok(VISIBILITY, { as: asLearner(), variables: { id, visibility: 'PUBLIC' } });
    const svg = await (await fetch(`${origin()}/credentials/${id}/badge.svg`)).text();
    await page.goto(`${origin()}/verify`);
    await page.locator('input#file').setInputFiles({ name: 'badge.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(svg.replace('"validFrom":"', '"validFrom":"1')) });
    await page.locator('form button[type="submit"]').click();
    await expect.poll(() => page.locator('[data-result]').innerText()).toContain('Not verified');
    expect(await checksOf(page)).toContain('PROOF:false');
    await page.goto(`${origin()}/verify`);
    await page.locator('input#file').setInputFiles({ name: 'badge.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(svg) });
    await page.locator('form button[type="submit"]').click();
    await expect.poll(() => page.locator('[data-result]').innerText()).toContain('Verified');
    expect(tab.blocked).toEqual([]);
    expect(tab.errors).toEqual([]);
  });
});
