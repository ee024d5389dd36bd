import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { bdse, bdseCourses, courseId, learnerByKey, providers, staffAdminOf } from '@tauliah/demo-data';
import { codesOf, eventually, type Who } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outsideLoader, validateOb3 } from '../../services/credentials/test/signed-support.ts';

// A BDSE learner's stacked exit awards, through the gateway: issued by the pathway's provider from the events of
// the credentials that complete each stage (one of them another provider's, recognised by the pathway), counted
// only from what that provider may read, suspended when a credential they rest on is revoked, reinstated after.

let graph: TestGraph;
const daniel = learnerByKey('daniel');
const asDaniel: Who = { role: 'LEARNER', sub: daniel.id };
const staffOf = (providerId: string): Who => ({ role: 'PROVIDER_STAFF', sub: staffAdminOf(providerId), providerId });
const odl = staffOf(providers.odl.id);
const university = staffOf(providers.publicUniversity.id);

const ISSUE = `mutation($input: IssueCredentialInput!) { issueCredential(input: $input) { id } }`;
const REVOKE = `mutation($id: ID!, $reason: String!) { revokeCredential(id: $id, reason: $reason) { id status } }`;
const RECOGNISE = `mutation($input: RecordCreditRecognitionInput!) { recordCreditRecognition(input: $input) { id } }`;
const CONSENT = `mutation($input: GrantConsentInput!) { grantConsent(input: $input) { id } }`;
const SET_VISIBILITY = `mutation($id: ID!, $visibility: CredentialVisibility!) { setCredentialVisibility(id: $id, visibility: $visibility) { id } }`;
const AWARDS = `{ me { credentials { id title status course { code } award { pathway { id code } stagePosition constituents { id title issuer { id } } } } } }`;
const CREDENTIAL = `query($id: ID!) { credential(id: $id) { id status issuer { id } award { stagePosition constituents { id } } document(format: DATA_INTEGRITY) } }`;
const VERIFY = `query($id: ID!) { verifyCredential(id: $id, format: DATA_INTEGRITY) { verified checks { check passed } } }`;
const EXIT_AWARDS = `query($pathwayId: ID!, $learnerId: ID!) { pathway(id: $pathwayId) { progress(learnerId: $learnerId) { exitAwards { stagePosition award credential { id status } } } } }`;

interface Held {
  id: string;
  title: string;
  status: string;
  course: { code: string } | null;
  award: { pathway: { id: string; code: string }; stagePosition: number; constituents: Array<{ id: string; title: string; issuer: { id: string } }> } | null;
}

const held = async (): Promise<Held[]> => (await graph.gateway.ok(AWARDS, { as: asDaniel })).me.credentials;
const awardOf = async (stage: number) => (await held()).find((c) => c.award?.stagePosition === stage);
const issue = async (as: Who, code: string): Promise<string> => (await graph.gateway.ok(ISSUE, { as, variables: { input: { learnerId: daniel.id, courseId: courseId(code) } } })).issueCredential.id;
const awardRows = async (stage: number) =>
  graph.connection.query<{ id: string; status: string }>(`select id, status from credentials.credential where holder_id = $1 and award_pathway_id = $2 and award_stage_position = $3`, [
    daniel.id,
    bdse.id,
    stage,
  ]);

const credentials: Record<string, string> = {};

beforeAll(async () => {
  graph = await startTestGraph();
  // The first year but one course, from the pathway's own provider: stages 1 and 2 complete, stage 3 needs SE1301.
  for (const code of [...bdseCourses[0]!, ...bdseCourses[1]!, bdseCourses[2]![1]!].map((c) => c.code)) credentials[code] = await issue(odl, code);
  // The pathway's provider recognises another provider's databases course as its own.
  await graph.gateway.ok(RECOGNISE, { as: odl, variables: { input: { courseId: courseId('SE1301'), recognisedCourseId: courseId('DS2001'), creditsGranted: 3 } } });
  await eventually(
    async () =>
      (await graph.connection.query(`select 1 from credentials.pathway_copy where pathway_id = $1 and definition->'recognitions' @> $2::jsonb`, [bdse.id, JSON.stringify([{ recognisedCourseId: courseId('DS2001') }])])).length > 0,
    'credentials keeps the pathway with its new recognition',
  );
});
afterAll(() => graph?.stop());

describe("a BDSE learner's stacked exit awards", () => {
  it('arrive for the stages their provider issued every credential of, as Professional Certificates naming those credentials', async () => {
    await eventually(async () => (await held()).filter((c) => c.award).length === 2, 'the first two Professional Certificates arrive');
    const first = (await awardOf(1))!;
    expect(first).toMatchObject({ title: bdse.stages[0]!.exitAward, status: 'ACTIVE', course: null, award: { pathway: { id: bdse.id, code: 'BDSE' }, stagePosition: 1 } });
    expect(first.award!.constituents.map((c) => c.id).sort()).toEqual([credentials.SE1101, credentials.SE1102].sort());
    // The second stacks on the first: its evidence is every credential of both stages.
    expect((await awardOf(2))!.award!.constituents).toHaveLength(4);
    expect(await awardOf(3)).toBeUndefined();
  });

  it("does not tell the pathway's provider of a private credential of another provider's through an award", async () => {
    credentials.DS2001 = await issue(university, 'DS2001');
    // Settling again at once (a visibility change settles in its request) counts only what the provider may read.
    await graph.gateway.ok(SET_VISIBILITY, { as: asDaniel, variables: { id: credentials.SE1101, visibility: 'PRIVATE' } });
    expect(await awardOf(3)).toBeUndefined();
    const progress = (await graph.gateway.ok(EXIT_AWARDS, { as: odl, variables: { pathwayId: bdse.id, learnerId: daniel.id } })).pathway.progress;
    expect(progress.exitAwards.map((a: { stagePosition: number }) => a.stagePosition)).toEqual([1, 2]);
    expect(await awardRows(3)).toEqual([]);
  });

  it('completes the third stage with the recognised credential once the learner lets the provider read it, and issues its award once', async () => {
    await graph.gateway.ok(CONSENT, {
      as: asDaniel,
      variables: { input: { granteeKind: 'PROVIDER', granteeId: providers.odl.id, scopes: ['CREDENTIALS'], expiresAt: new Date(Date.now() + 90 * 86_400_000).toISOString() } },
    });
    await eventually(async () => (await awardOf(3)) !== undefined, 'the Professional Certificate in Full-Stack Development arrives');
    const third = (await awardOf(3))!;
    expect(third).toMatchObject({ title: 'Professional Certificate in Full-Stack Development', status: 'ACTIVE' });
    expect(third.award!.constituents).toContainEqual(expect.objectContaining({ id: credentials.DS2001, issuer: { id: providers.publicUniversity.id } }));
    expect(third.award!.constituents).toHaveLength(6);

    // The event redelivered, and several at once: still one award.
    const [event] = await graph.connection.query<{ position: number; payload: unknown; created_at: Date }>(
      `select position, payload, created_at from credentials.outbox where subject = 'credentials.credential.issued' and payload->>'credentialId' = $1`,
      [credentials.DS2001],
    );
    await Promise.all(
      [1, 2, 3].map(() =>
        graph.events.publish({ id: randomUUID(), subject: 'credentials.credential.issued', version: event!.position, occurredAt: new Date(event!.created_at).toISOString(), data: event!.payload }),
      ),
    );
    await graph.gateway.ok(SET_VISIBILITY, { as: asDaniel, variables: { id: credentials.SE1101, visibility: 'EMPLOYERS' } });
    expect(await awardRows(3)).toHaveLength(1);
    const progress = (await graph.gateway.ok(EXIT_AWARDS, { as: asDaniel, variables: { pathwayId: bdse.id, learnerId: daniel.id } })).pathway.progress;
    expect(progress.exitAwards.find((a: { stagePosition: number }) => a.stagePosition === 3).credential).toEqual({ id: third.id, status: 'ACTIVE' });
  });

  it('is a signed OB 3.0 Certificate that validates against the schema and verifies with an outside verifier, its evidence the constituents as signed', async () => {
    const third = (await awardOf(3))!;
    const { credential } = await graph.gateway.ok(CREDENTIAL, { as: asDaniel, variables: { id: third.id } });
    const document = credential.document;
    expect(validateOb3(document), JSON.stringify(validateOb3.errors)).toBe(true);
    expect(document.credentialSubject.achievement).toMatchObject({ achievementType: 'Certificate', name: 'Professional Certificate in Full-Stack Development' });
    expect(document.credentialSubject.achievement.alignment).toContainEqual(expect.objectContaining({ targetType: 'ext:Pathway', targetCode: 'BDSE' }));
    expect(document.issuer.id).toContain(providers.odl.id);
    const recognised = (await graph.gateway.ok(CREDENTIAL, { as: asDaniel, variables: { id: credentials.DS2001 } })).credential.document;
    expect(document.evidence.map((e: { id: string }) => e.id)).toContain(recognised.id);
    const outside = await vc.verifyCredential({
      credential: document,
      suite: new DataIntegrityProof({ cryptosuite }),
      documentLoader: outsideLoader(graph.subgraph.credentials.url),
      checkStatus: async () => ({ verified: true }),
    });
    expect(outside.verified, JSON.stringify(outside.error)).toBe(true);
    expect((await graph.gateway.ok(VERIFY, { as: asDaniel, variables: { id: third.id } })).verifyCredential.verified).toBe(true);
    // Another provider sees neither the award nor that it exists.
    expect(codesOf(await graph.gateway.query(CREDENTIAL, { as: university, variables: { id: third.id } }))).toEqual(['NOT_FOUND']);
  });

  it("is suspended when the recognised credential is revoked, and the pathway's provider hears of it", async () => {
    const third = (await awardOf(3))!;
    await graph.gateway.ok(REVOKE, { as: university, variables: { id: credentials.DS2001, reason: 'Assessment misconduct' } });
    await eventually(async () => (await awardOf(3))?.status === 'SUSPENDED', 'the third award is suspended');
    expect((await awardOf(2))!.status).toBe('ACTIVE');
    const verification = (await graph.gateway.ok(VERIFY, { as: asDaniel, variables: { id: third.id } })).verifyCredential;
    expect(verification.verified).toBe(false);
    expect(verification.checks).toContainEqual({ check: 'STATUS', passed: false });
    const told = await graph.connection.query<{ payload: Record<string, unknown> }>(`select payload from credentials.outbox where subject = 'credentials.credential.suspended' and payload->>'credentialId' = $1`, [third.id]);
    expect(told.map((e) => e.payload)).toEqual([expect.objectContaining({ issuerId: providers.odl.id, learnerId: daniel.id, courseId: null, award: { pathwayId: bdse.id, stagePosition: 3 } })]);
    // Suspended because its stage is incomplete, it is not the issuer's to reinstate by hand.
    expect(codesOf(await graph.gateway.query(`mutation($id: ID!) { reinstateCredential(id: $id) { id } }`, { as: odl, variables: { id: third.id } }))).toEqual(['CONFLICT']);
  });

  it('is reinstated when the stage is complete again, with a credential for the course itself', async () => {
    const third = (await awardOf(3))!;
    credentials.SE1301 = await issue(odl, 'SE1301');
    await eventually(async () => (await awardOf(3))?.status === 'ACTIVE', 'the third award is reinstated');
    expect((await awardOf(3))!.id).toBe(third.id);
    expect(await awardRows(3)).toHaveLength(1);
    expect((await graph.gateway.ok(VERIFY, { as: asDaniel, variables: { id: third.id } })).verifyCredential.verified).toBe(true);
    const reinstated = await graph.connection.query(`select 1 from credentials.outbox where subject = 'credentials.credential.reinstated' and payload->>'credentialId' = $1`, [third.id]);
    expect(reinstated).toHaveLength(1);
  });
});
