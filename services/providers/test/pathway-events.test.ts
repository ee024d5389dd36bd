import { parseEvent, pathwayDefinedEvent, type EventData } from '@tauliah/core';
import { bdse, btel, courseId, providers } from '@tauliah/demo-data';
import { codesOf, startTestSubgraph, type TestSubgraph } from '@tauliah/testing';
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providersService } from '../src/index.ts';

// providers.pathway.defined: every change to a pathway, or to the recognitions towards its courses, announces the
// pathway whole in its transaction; the credentials service keeps the copy it issues exit awards from.

let graph: TestSubgraph<typeof providersService.tables>;
type Definition = EventData<typeof pathwayDefinedEvent>;

beforeAll(async () => {
  graph = await startTestSubgraph(providersService);
});
afterAll(() => graph?.stop());

const CREATE = `mutation($input: PathwayInput!) { createPathway(input: $input) { id } }`;
const UPDATE = `mutation($id: ID!, $input: PathwayInput!) { updatePathway(id: $id, input: $input) { id } }`;
const RECORD = `mutation($input: RecordCreditRecognitionInput!) { recordCreditRecognition(input: $input) { id } }`;
const WITHDRAW = `mutation($id: ID!) { withdrawCreditRecognition(id: $id) { id } }`;

/** The pathway.defined events recorded for a pathway, oldest first, read back as a consumer parses them. */
async function announced(pathwayId: string): Promise<Definition[]> {
  const rows = await graph.connection.query<{ id: string; position: number; payload: unknown; created_at: Date }>(
    `select id, position, payload, created_at from providers.outbox where subject = $1 and payload->>'pathwayId' = $2 order by position`,
    [pathwayDefinedEvent.subject, pathwayId],
  );
  return rows.map(
    (r) => parseEvent(pathwayDefinedEvent, JSON.stringify({ id: r.id, subject: pathwayDefinedEvent.subject, version: Number(r.position), occurredAt: new Date(r.created_at).toISOString(), data: r.payload })).data,
  );
}

const stages = [
  { title: 'Foundations', requiredCourseIds: [courseId('SE1101'), courseId('SE1102')], exitAward: 'Professional Certificate in Programming Fundamentals' },
  { title: 'Diploma year', requiredCourseIds: [courseId('SE1201')], exitAward: 'Certified Professional Diploma in Web Engineering', exitJobRoleTitle: 'Web Developer' },
];
const input = (code: string, overrides: Record<string, unknown> = {}) => ({
  code,
  title: 'Web engineering',
  description: 'Two stages.',
  targetProgramme: 'Bachelor of Software Engineering (Hons)',
  targetProgrammeCredits: 120,
  stages,
  ...overrides,
});

describe('providers.pathway.defined', () => {
  it('announces a pathway created, with its stages, award types and courses, and again when updated', async () => {
    const { createPathway } = await graph.client.ok(CREATE, { as: 'PROVIDER_STAFF', variables: { input: input('WEB-ENG') } });
    const [created] = await announced(createPathway.id);
    expect(created).toMatchObject({
      pathwayId: createPathway.id,
      providerId: providers.odl.id,
      code: 'WEB-ENG',
      targetProgrammeCredits: 120,
      apelThresholdPercent: 50,
      recognitions: [],
      stages: [
        { position: 1, awardType: 'Certificate', exitJobRoleTitle: null, minimumCredits: null, requiredCourseIds: stages[0]!.requiredCourseIds, electiveCourseIds: [] },
        { position: 2, awardType: 'Diploma', exitAward: 'Certified Professional Diploma in Web Engineering', exitJobRoleTitle: 'Web Developer' },
      ],
    });
    await graph.client.ok(UPDATE, { as: 'PROVIDER_STAFF', variables: { id: createPathway.id, input: input('WEB-ENG', { stages: [stages[0]] }) } });
    const all = await announced(createPathway.id);
    expect(all).toHaveLength(2);
    expect(all[1]!.stages).toHaveLength(1);
  });

  it('announces nothing for a change that was refused', async () => {
    const before = (await graph.connection.query(`select 1 from providers.outbox where subject = $1`, [pathwayDefinedEvent.subject])).length;
    const refused = await graph.client.query(CREATE, { as: 'PROVIDER_STAFF', variables: { input: input('BDSE') } });
    expect(codesOf(refused)).toEqual(['CONFLICT']);
    expect(codesOf(await graph.client.query(UPDATE, { as: 'PROVIDER_STAFF', variables: { id: randomUUID(), input: input('NOPE') } }))).toEqual(['NOT_FOUND']);
    expect((await graph.connection.query(`select 1 from providers.outbox where subject = $1`, [pathwayDefinedEvent.subject])).length).toBe(before);
  });

  it('announces every pathway naming a course when a recognition towards it is recorded or withdrawn', async () => {
    const recognition = { courseId: courseId('SE1301'), recognisedCourseId: courseId('DS2001'), creditsGranted: 3 };
    const { recordCreditRecognition } = await graph.client.ok(RECORD, { as: 'PROVIDER_STAFF', variables: { input: recognition } });
    expect((await announced(bdse.id)).at(-1)!.recognitions).toEqual([recognition]);
    // BTEL does not name SE1301: it hears nothing.
    expect(await announced(btel.id)).toEqual([]);
    // A retry records no second recognition, and announces nothing again.
    await graph.client.ok(RECORD, { as: 'PROVIDER_STAFF', variables: { input: recognition } });
    expect(await announced(bdse.id)).toHaveLength(1);
    await graph.client.ok(WITHDRAW, { as: 'PROVIDER_STAFF', variables: { id: recordCreditRecognition.id } });
    await graph.client.ok(WITHDRAW, { as: 'PROVIDER_STAFF', variables: { id: recordCreditRecognition.id } });
    const all = await announced(bdse.id);
    expect(all).toHaveLength(2);
    expect(all[1]!.recognitions).toEqual([]);
  });

  it('is announced for the pathways that existed before, by the migration, exactly as a change would announce them', async () => {
    const migration = await readFile(new URL('../src/db/migrations/0011_announce_pathways.sql', import.meta.url), 'utf8');
    await graph.connection.query(`delete from providers.outbox where subject = $1`, [pathwayDefinedEvent.subject]);
    await graph.connection.query(migration);
    const fromMigration = await announced(bdse.id);
    expect(fromMigration).toHaveLength(1);
    // The same pathway announced by a change (updating it to what it is): the same definition.
    const { pathway } = await graph.client.ok(
      `query($id: ID!) { pathway(id: $id) { code title description targetProgramme targetProgrammeCredits apelThresholdPercent stages { title requiredCourseIds electiveCourseIds minimumCredits exitAward exitJobRoleTitle } } }`,
      { variables: { id: btel.id } },
    );
    await graph.client.ok(UPDATE, { as: 'PROVIDER_STAFF', variables: { id: btel.id, input: pathway } });
    const [migrated, changed] = await announced(btel.id);
    const { definedAt: _a, ...fromSql } = migrated!;
    const { definedAt: _b, ...fromCode } = changed!;
    expect(fromSql).toEqual(fromCode);
    expect(fromSql.stages.map((s) => s.awardType)).toEqual(['Certificate', 'Certificate', 'Diploma']);
  });
});
