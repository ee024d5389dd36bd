import { courseByCode, credentials as demoCredentials, demoId, learners, providers, staffAdminOf, type DemoLearner } from '@tauliah/demo-data';
import { codesOf } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jwtPayload, validateOb3 } from '../../services/credentials/test/signed-support.ts';

let graph: TestGraph;
// A learner holds one credential per course: each test issues courses its learners do not hold yet.
const odlCourse = courseByCode.get('SE2402')!;
const partnerCourse = courseByCode.get('SE2401')!;
const cohortCourse = courseByCode.get('EE2114')!;
const slotsCourse = courseByCode.get('EE2113')!;
const holdsInDemo = (learner: DemoLearner, courseId: string) => demoCredentials.some((c) => c.learnerId === learner.id && c.courseId === courseId);
const otherProviderCourse = [...courseByCode.values()].find((c) => c.providerId !== providers.odl.id)!;
const draftCourse = courseByCode.get('SE1102')!;
const learner = learners[0]!;

const ISSUE = `mutation($input: IssueCredentialInput!) {
  issueCredential(input: $input) { id title credits mqfLevel status expiresAt holder { id } issuer { id did issuedCount } skills { code }
    jwt: document(format: VC_JWT) di: document(format: DATA_INTEGRITY) }
}`;
const COHORT = `mutation($input: [IssueCredentialInput!]!, $key: String!) {
  issueCredentials(input: $input, idempotencyKey: $key) { idempotencyKey issued failed results { index credential { id holder { id } } error { code message } } }
}`;
const VERIFY_DOCUMENT = `query($document: JSON!) { verifyCredentialDocument(document: $document) { verified checks { check passed } } }`;

beforeAll(async () => {
  graph = await startTestGraph();
  // A course still in draft: issuing on it must be refused.
  await graph.connection.query(`update providers.course set status = 'DRAFT' where id = $1`, [draftCourse.id]);
});
afterAll(() => graph?.stop());

/** Credentials for courses: a stacked award an issuance completes arrives on its own, and is not what these tests count. */
const credentialCount = async () => Number((await graph.connection.query<{ n: string }>('select count(*) as n from credentials.credential where course_id is not null'))[0]!.n);

describe('issuing one credential', () => {
  it("snapshots the course from the graph into a signed credential that verifies in both formats", async () => {
    const data = await graph.gateway.ok(ISSUE, { as: 'PROVIDER_STAFF', variables: { input: { learnerId: learner.id, courseId: odlCourse.id } } });
    const issued = data.issueCredential;
    expect(issued).toMatchObject({ title: odlCourse.title, credits: odlCourse.credits, mqfLevel: odlCourse.mqfLevel, status: 'ACTIVE', holder: { id: learner.id } });
    expect(issued.skills.map((s: { code: string }) => s.code)).toEqual(odlCourse.skills);
    expect(issued.issuer.did).toMatch(/^did:web:localhost%3A4005:issuers:/);
    expect(validateOb3(issued.di), JSON.stringify(validateOb3.errors)).toBe(true);
    expect(validateOb3(jwtPayload(issued.jwt)), JSON.stringify(validateOb3.errors)).toBe(true);
    expect(issued.di.credentialSubject.achievement.criteria.narrative).toContain(odlCourse.learningOutcomes[0]);
    for (const document of [issued.di, issued.jwt]) {
      const result = await graph.gateway.ok(VERIFY_DOCUMENT, { variables: { document } });
      expect(result.verifyCredentialDocument.verified, JSON.stringify(result)).toBe(true);
    }
  });

  it('is for the staff of the course provider or a partner acting for it only', async () => {
    const input = { learnerId: learner.id, courseId: odlCourse.id };
    expect(codesOf(await graph.gateway.query(ISSUE, { as: 'LEARNER', variables: { input } }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.gateway.query(ISSUE, { as: 'ADMIN', variables: { input } }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.gateway.query(ISSUE, { variables: { input } }))).toEqual(['UNAUTHENTICATED']);
    const otherStaff = { role: 'PROVIDER_STAFF' as const, sub: staffAdminOf(otherProviderCourse.providerId), providerId: otherProviderCourse.providerId };
    expect(codesOf(await graph.gateway.query(ISSUE, { as: otherStaff, variables: { input } }))).toEqual(['FORBIDDEN']);
    expect((await graph.gateway.ok(ISSUE, { as: 'PARTNER', variables: { input: { ...input, courseId: partnerCourse.id } } })).issueCredential.status).toBe('ACTIVE');
  });

  it('refuses a draft course, an unknown learner and a malformed id, each with its code', async () => {
    const as = 'PROVIDER_STAFF' as const;
    expect(codesOf(await graph.gateway.query(ISSUE, { as, variables: { input: { learnerId: learner.id, courseId: draftCourse.id } } }))).toEqual(['CONFLICT']);
    expect(codesOf(await graph.gateway.query(ISSUE, { as, variables: { input: { learnerId: randomUUID(), courseId: odlCourse.id } } }))).toEqual(['NOT_FOUND']);
    expect(codesOf(await graph.gateway.query(ISSUE, { as, variables: { input: { learnerId: 'S1234567', courseId: odlCourse.id } } }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('issuing a cohort', () => {
  const good = learners.slice(0, 12).map((l) => ({ learnerId: l.id, courseId: cohortCourse.id, issuedAt: '2024-03-01T00:00:00.000Z' }));
  const bad = [
    { learnerId: 'not-a-uuid', courseId: odlCourse.id },
    { learnerId: randomUUID(), courseId: odlCourse.id },
    { learnerId: learner.id, courseId: otherProviderCourse.id },
    { learnerId: learner.id, courseId: draftCourse.id },
    { learnerId: learner.id, courseId: demoId('course:nowhere') },
    { learnerId: learner.id, courseId: odlCourse.id, issuedAt: '2024-03-01T00:00:00.000Z', expiresAt: '2023-01-01T00:00:00.000Z' },
  ];
  const input = [...good.slice(0, 6), ...bad, ...good.slice(6)];

  it('issues the good rows, refuses each bad one with its code, and a retry issues nothing twice', async () => {
    const before = await credentialCount();
    const first = (await graph.gateway.ok(COHORT, { as: 'PARTNER', variables: { input, key: 'sis-batch-2024-03' } })).issueCredentials;
    expect(first).toMatchObject({ idempotencyKey: 'sis-batch-2024-03', issued: 12, failed: 6 });
    expect(first.results.slice(6, 12).map((r: { error: { code: string } }) => r.error.code)).toEqual([
      'BAD_USER_INPUT',
      'NOT_FOUND',
      'FORBIDDEN',
      'CONFLICT',
      'NOT_FOUND',
      'BAD_USER_INPUT',
    ]);
    expect(first.results.filter((r: { credential: unknown }) => r.credential).map((r: { credential: { holder: { id: string } } }) => r.credential.holder.id)).toEqual(
      good.map((g) => g.learnerId),
    );
    expect(await credentialCount()).toBe(before + 12);

    const retry = (await graph.gateway.ok(COHORT, { as: 'PARTNER', variables: { input, key: 'sis-batch-2024-03' } })).issueCredentials;
    expect(retry).toEqual(first);
    expect(await credentialCount()).toBe(before + 12);

    const changed = await graph.gateway.query(COHORT, { as: 'PARTNER', variables: { input: input.slice(1), key: 'sis-batch-2024-03' } });
    expect(codesOf(changed)).toEqual(['CONFLICT']);
  });

  it('gives the cohort distinct random status slots and dates its credentials when they were earned', async () => {
    const input = learners.slice(0, 12).filter((l) => !holdsInDemo(l, slotsCourse.id)).map((l) => ({ learnerId: l.id, courseId: slotsCourse.id, issuedAt: '2024-03-01T00:00:00.000Z' }));
    const { issueCredentials } = await graph.gateway.ok(COHORT, { as: 'PROVIDER_STAFF', variables: { input, key: 'slots' } });
    const ids = issueCredentials.results.map((r: { credential: { id: string } }) => r.credential.id);
    const rows = await graph.connection.query<{ status_index: number; issued_at: Date }>(
      'select status_index, issued_at from credentials.credential where id = any($1::uuid[])',
      [ids],
    );
    expect(new Set(rows.map((r) => r.status_index)).size).toBe(ids.length);
    expect(rows.map((r) => r.status_index).some((i) => i > 1000)).toBe(true);
    expect(rows.every((r) => new Date(r.issued_at).toISOString() === '2024-03-01T00:00:00.000Z')).toBe(true);
  });

  it('refuses an empty cohort, an oversized one and an empty key', async () => {
    expect(codesOf(await graph.gateway.query(COHORT, { as: 'PARTNER', variables: { input: [], key: 'k' } }))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await graph.gateway.query(COHORT, { as: 'PARTNER', variables: { input: good, key: ' ' } }))).toEqual(['BAD_USER_INPUT']);
    // The count is checked before any item, so short (malformed) items keep the request small.
    const tooMany = Array.from({ length: 10_001 }, () => ({ learnerId: 'x', courseId: 'x' }));
    expect(codesOf(await graph.gateway.query(COHORT, { as: 'PARTNER', variables: { input: tooMany, key: 'big' } }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('a provider that lost its good standing', () => {
  it('issues nothing, and what it issued while in good standing still verifies', async () => {
    const providerId = otherProviderCourse.providerId;
    const staff = { role: 'PROVIDER_STAFF' as const, sub: staffAdminOf(providerId), providerId };
    const held = (await graph.connection.query<{ id: string }>('select id from credentials.credential where issuer_id = $1 limit 1', [providerId]))[0]!.id;
    const VERIFY = `query($id: ID!) { verifyCredential(id: $id, format: VC_JWT) { verified checks { check passed message } } }`;
    expect((await graph.gateway.ok(VERIFY, { as: 'ADMIN', variables: { id: held } })).verifyCredential.verified).toBe(true);

    await graph.connection.query('update providers.provider set in_good_standing = false where id = $1', [providerId]);
    const input = { learnerId: learner.id, courseId: otherProviderCourse.id };
    expect(codesOf(await graph.gateway.query(ISSUE, { as: staff, variables: { input } }))).toEqual(['FORBIDDEN']);
    const result = (await graph.gateway.ok(VERIFY, { as: 'ADMIN', variables: { id: held } })).verifyCredential;
    expect(result.verified).toBe(true);
    expect(result.checks.find((c: { check: string }) => c.check === 'ISSUER_KNOWN').message).toMatch(/while in good standing; it has been suspended since \d{4}-/);
    // Lost at an unknown time (no suspension recorded), nothing of it passes the issuer check.
    await graph.connection.query('update credentials.issuer set suspended_at = null where provider_id = $1', [providerId]);
    const unknown = (await graph.gateway.ok(VERIFY, { as: 'ADMIN', variables: { id: held } })).verifyCredential;
    expect(unknown.checks.filter((c: { passed: boolean }) => !c.passed).map((c: { check: string }) => c.check)).toEqual(['ISSUER_KNOWN']);
  });
});

describe('renewing', () => {
  it('replaces the old credential instead of adding one, so counts see one achievement', async () => {
    // An issuer with no pathways issues no exit awards, so nothing an earlier test's issuance settles joins its count meanwhile
    // (the provider of otherProviderCourse lost its standing above).
    const course = [...courseByCode.values()].find((c) => c.providerId !== providers.odl.id && c.providerId !== otherProviderCourse.providerId)!;
    const staff = { role: 'PROVIDER_STAFF' as const, sub: staffAdminOf(course.providerId), providerId: course.providerId };
    const james = learners.find((l) => l.key === 'james')!;
    expect(demoCredentials.some((c) => c.learnerId === james.id)).toBe(false);
    const issued = (await graph.gateway.ok(ISSUE, { as: staff, variables: { input: { learnerId: james.id, courseId: course.id } } })).issueCredential;
    const countBefore = issued.issuer.issuedCount;
    const RENEW = `mutation($id: ID!, $until: DateTimeISO!) { renewCredential(id: $id, validUntil: $until) { id renewalOf expiresAt issuer { issuedCount } document(format: VC_JWT) } }`;
    const until = new Date(Date.now() + 3 * 365 * 86_400_000).toISOString();
    const renewed = (await graph.gateway.ok(RENEW, { as: staff, variables: { id: issued.id, until } })).renewCredential;
    expect(renewed).toMatchObject({ renewalOf: issued.id, expiresAt: until });
    expect(renewed.issuer.issuedCount).toBe(countBefore);
    const old = await graph.gateway.ok(`{ credential(id: "${issued.id}") { replacedBy } }`, { as: staff });
    expect(old.credential.replacedBy).toBe(renewed.id);
    expect((await graph.gateway.ok(VERIFY_DOCUMENT, { variables: { document: renewed.document } })).verifyCredentialDocument.verified).toBe(true);
    expect(codesOf(await graph.gateway.query(RENEW, { as: staff, variables: { id: issued.id, until } }))).toEqual(['CONFLICT']);
  });
});
