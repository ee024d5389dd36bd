import { courseByCode, learners, providers } from '@tauliah/demo-data';
import { codesOf, type Who } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unbakeSvg } from '../../services/credentials/src/pages/badge.ts';

/**
 * The credential page and the documents behind it, as anyone without an
 * account reaches them: a PUBLIC credential by its id URL, any other through
 * a share link its holder made (and only while it lives); the holder's name
 * only where the holder published it; the "check a file" page.
 */
let graph: TestGraph;
// A learner with no credentials yet: a learner holds one credential per course.
const holder = learners[8]!;
const other = learners[5]!;
const asHolder = { role: 'LEARNER' as const, sub: holder.id };

const ISSUE = `mutation($input: IssueCredentialInput!) { issueCredential(input: $input) { id jwt: document(format: VC_JWT) image } }`;
const VISIBILITY = `mutation($id: ID!, $visibility: CredentialVisibility!) { setCredentialVisibility(id: $id, visibility: $visibility) { id visibility } }`;
const SHARE = `mutation($id: ID!, $expiresAt: DateTimeISO!) { createCredentialShareLink(credentialId: $id, expiresAt: $expiresAt) { id url expiresAt active } }`;
const UNSHARE = `mutation($id: ID!) { revokeCredentialShareLink(id: $id) { id url active revokedAt } }`;
const LINKS = `query($id: ID!) { credential(id: $id) { id shareLinks { id url active expiresAt revokedAt } } }`;

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.stop());

const origin = () => new URL(graph.subgraph.credentials.url).origin;
const onServer = (url: string) => `${origin()}${new URL(url).pathname}${new URL(url).search}`;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const page = (path: string, headers: Record<string, string> = {}) => fetch(`${origin()}${path}`, { headers: { accept: 'text/html', 'accept-language': 'en', ...headers } });

async function issue(code: string, visibility: 'PUBLIC' | 'PRIVATE' | 'EMPLOYERS') {
  const { issueCredential } = await graph.gateway.ok(ISSUE, { as: 'PROVIDER_STAFF', variables: { input: { learnerId: holder.id, courseId: courseByCode.get(code)!.id } } });
  await graph.gateway.ok(VISIBILITY, { as: asHolder, variables: { id: issueCredential.id, visibility } });
  return issueCredential as { id: string; jwt: string; image: string | null };
}

describe('the credential page', () => {
  it('serves the page to a browser and the JSON-LD to a verifier at the same URL', async () => {
    const { id, image } = await issue('SE1301', 'PUBLIC');
    const html = await page(`/credentials/${id}`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('content-security-policy')).toContain("default-src 'none'");
    const body = await html.text();
    expect(body).toContain('data-result="verified"');
    expect(body).toContain(courseByCode.get('SE1301')!.title);
    // The issuer with its MQA registration, as the providers service reported it at issuance.
    expect(body).toContain(providers.odl.mqaRegistration);
    // PUBLIC by the holder's act: the name they had then is on the page.
    expect(body).toContain(`<span data-holder>${holder.fullName}</span>`);
    expect(body).toContain('href="https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&amp;name=');
    const json = await fetch(`${origin()}/credentials/${id}`, { headers: { accept: 'application/ld+json' } });
    expect(json.headers.get('content-type')).toBe('application/vc+ld+json');
    expect(((await json.json()) as { id: string }).id).toMatch(new RegExp(`/credentials/${id}$`));
    expect((await fetch(`${origin()}/credentials/${id}?format=jsonld`, { headers: { accept: 'text/html' } })).headers.get('content-type')).toBe('application/vc+ld+json');
    // Malay by Accept-Language, English by ?lang=.
    expect(await (await page(`/credentials/${id}`, { 'accept-language': 'ms-MY,ms;q=0.9' })).text()).toContain('Disahkan');
    expect(await (await page(`/credentials/${id}?lang=en`, { 'accept-language': 'ms' })).text()).toContain('✓ Verified');
    // Credential.image: the baked badge, whose credential is this one.
    expect(image).toMatch(new RegExp(`/credentials/${id}/badge\\.svg$`));
    const badge = await fetch(onServer(image!));
    expect(badge.headers.get('content-type')).toBe('image/svg+xml');
    expect((unbakeSvg(await badge.text()) as { id: string }).id).toMatch(new RegExp(`/credentials/${id}$`));
    const qr = await fetch(`${origin()}/credentials/${id}/qr.svg`);
    expect(qr.headers.get('content-type')).toBe('image/svg+xml');
    expect(await qr.text()).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });

  it('stops naming the holder, and forgets the name, when the credential stops being PUBLIC', async () => {
    const { id } = await issue('SE1302', 'PUBLIC');
    expect(await (await page(`/credentials/${id}`)).text()).toContain(holder.fullName);
    await graph.gateway.ok(VISIBILITY, { as: asHolder, variables: { id, visibility: 'EMPLOYERS' } });
    const refused = await page(`/credentials/${id}`);
    expect(refused.status).toBe(404);
    expect(await refused.text()).not.toContain(holder.fullName);
    const rows = await graph.connection.query(`select public_holder_name from credentials.credential where id = $1`, [id]);
    expect(JSON.stringify(rows)).not.toContain(holder.fullName);
  });

  it('answers a credential that is not PUBLIC exactly like an unknown id, for the page, the documents, the badge and the QR', async () => {
    const { id } = await issue('SE2101', 'EMPLOYERS');
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const [path, accept] of [['', 'text/html'], ['', 'application/ld+json'], ['?format=jwt', '*/*'], ['/badge.svg', '*/*'], ['/qr.svg', '*/*']] as const) {
      const [mine, none] = await Promise.all([id, unknown].map((x) => fetch(`${origin()}/credentials/${x}${path}`, { headers: { accept } })));
      expect(mine!.status, path).toBe(404);
      expect(none!.status, path).toBe(404);
      expect((await mine!.text()).replaceAll(id, unknown), path).toBe(await none!.text());
    }
  });
});

describe('share links', () => {
  it('opens one PRIVATE credential (page, documents, badge) for whoever holds the link, until revoked', async () => {
    const { id, jwt } = await issue('SE2102', 'PRIVATE');
    const { id: otherCredential } = await issue('SE1101', 'PRIVATE');
    const { createCredentialShareLink: link } = await graph.gateway.ok(SHARE, { as: asHolder, variables: { id, expiresAt: inDays(30) } });
    expect(link.active).toBe(true);
    const token = new URL(link.url).searchParams.get('share')!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Stored only as a hash.
    const stored = await graph.connection.query(`select * from credentials.credential_share_link where id = $1`, [link.id]);
    expect(JSON.stringify(stored)).not.toContain(token);

    const shown = await fetch(onServer(link.url), { headers: { accept: 'text/html' } });
    expect(shown.status).toBe(200);
    const body = await shown.text();
    expect(body).toContain('data-share="true"');
    expect(body).toContain(holder.fullName);
    expect(body).toContain('data-result="verified"');
    const share = `share=${token}`;
    expect(await (await fetch(`${origin()}/credentials/${id}?format=jwt&${share}`)).text()).toBe(jwt);
    expect((await fetch(`${origin()}/credentials/${id}?format=jsonld&${share}`)).status).toBe(200);
    expect((await fetch(`${origin()}/credentials/${id}/badge.svg?${share}`)).status).toBe(200);
    // That one credential only; a wrong token opens nothing.
    expect((await page(`/credentials/${otherCredential}?${share}`)).status).toBe(404);
    expect((await page(`/credentials/${id}?share=${'A'.repeat(43)}`)).status).toBe(404);

    // The holder sees their links (without the secret); nobody else does.
    const mine = await graph.gateway.ok(LINKS, { as: asHolder, variables: { id } });
    expect(mine.credential.shareLinks).toEqual([expect.objectContaining({ id: link.id, url: null, active: true, revokedAt: null })]);
    const asIssuer = await graph.gateway.ok(LINKS, { as: 'PROVIDER_STAFF', variables: { id } });
    expect(asIssuer.credential.shareLinks).toBeNull();

    // Only the holder revokes it; revoked, it opens nothing and its name is erased.
    expect(codesOf(await graph.gateway.query(UNSHARE, { as: { role: 'LEARNER', sub: other.id }, variables: { id: link.id } }))).toEqual(['NOT_FOUND']);
    const { revokeCredentialShareLink: revoked } = await graph.gateway.ok(UNSHARE, { as: asHolder, variables: { id: link.id } });
    expect(revoked.active).toBe(false);
    expect((await fetch(onServer(link.url), { headers: { accept: 'text/html' } })).status).toBe(404);
    expect((await fetch(`${origin()}/credentials/${id}?format=jwt&${share}`)).status).toBe(404);
    const erased = await graph.connection.query(`select holder_name from credentials.credential_share_link where id = $1`, [link.id]);
    expect(JSON.stringify(erased)).not.toContain(holder.fullName);
  });

  it('stops opening when it expires', async () => {
    const { id } = await issue('SE1102', 'PRIVATE');
    const { createCredentialShareLink: link } = await graph.gateway.ok(SHARE, { as: asHolder, variables: { id, expiresAt: inDays(1) } });
    expect((await fetch(onServer(link.url), { headers: { accept: 'text/html' } })).status).toBe(200);
    await graph.connection.query(`update credentials.credential_share_link set expires_at = now() - interval '1 second' where id = $1`, [link.id]);
    expect((await fetch(onServer(link.url), { headers: { accept: 'text/html' } })).status).toBe(404);
    const mine = await graph.gateway.ok(LINKS, { as: asHolder, variables: { id } });
    expect(mine.credential.shareLinks[0].active).toBe(false);
  });

  it('is made by the holder only, with an expiry in the future and at most a year ahead', async () => {
    const { id } = await issue('SE1201', 'PUBLIC');
    const attempt = (who: Who | undefined, expiresAt: string) => graph.gateway.query(SHARE, { as: who, variables: { id, expiresAt } });
    expect(codesOf(await attempt({ role: 'LEARNER', sub: other.id }, inDays(7)))).toEqual(['NOT_FOUND']);
    expect(codesOf(await attempt('PROVIDER_STAFF', inDays(7)))).toEqual(['FORBIDDEN']);
    expect(codesOf(await attempt(undefined, inDays(7)))).toEqual(['UNAUTHENTICATED']);
    expect(codesOf(await attempt(asHolder, inDays(-1)))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await attempt(asHolder, inDays(367)))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await graph.gateway.query(`mutation($id: ID!) { createCredentialShareLink(credentialId: $id) { id } }`, { as: asHolder, variables: { id } }))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });
});

describe('the "check a file" page', () => {
  it('checks a posted JWT with the same checks, refuses an oversized one, and stores nothing', async () => {
    const { jwt } = await issue('SE1202', 'PRIVATE');
    const form = new FormData();
    form.set('document', jwt);
    const before = await graph.connection.query('select count(*)::int as n from credentials.credential');
    const checked = await fetch(`${origin()}/verify?lang=en`, { method: 'POST', body: form });
    expect(checked.status).toBe(200);
    const body = await checked.text();
    expect(body).toContain('data-result="verified"');
    for (const check of ['PROOF', 'ISSUER_KEY', 'KEY_STANDING', 'ISSUER_KNOWN', 'VALIDITY', 'STATUS']) expect(body).toContain(`data-check="${check}" data-passed="true"`);
    expect(await graph.connection.query('select count(*)::int as n from credentials.credential')).toEqual(before);
    const tampered = new URLSearchParams({ document: `${jwt.slice(0, -4)}AAAA` });
    expect(await (await fetch(`${origin()}/verify`, { method: 'POST', body: tampered })).text()).toContain('data-passed="false"');
    const huge = new FormData();
    huge.set('document', `{"x":"${'a'.repeat(200 * 1024)}"}`);
    expect((await fetch(`${origin()}/verify`, { method: 'POST', body: huge })).status).toBe(413);
    const form2 = await (await fetch(`${origin()}/verify`, { headers: { 'accept-language': 'ms' } })).text();
    expect(form2).toContain('Semak fail kelayakan');
  });
});
