import { courseByCode, demoId, providers } from '@tauliah/demo-data';
import { codesOf, startTestSubgraph, type TestSubgraph } from '@tauliah/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_COURSES_BY_ID } from '../src/graph/course.resolver.ts';
import { course } from '../src/db/schema.ts';
import { providersService } from '../src/index.ts';

let graph: TestSubgraph<typeof providersService.tables>;
const draftId = demoId('course:SE9902-draft');
const [SE1101, SE1102] = [courseByCode.get('SE1101')!.id, courseByCode.get('SE1102')!.id];

beforeAll(async () => {
  graph = await startTestSubgraph(providersService);
  await graph.db.insert(course).values({
    id: draftId,
    providerId: providers.odl.id,
    code: 'SE9902',
    title: 'Quantum Software Testing',
    description: 'Not yet approved by senate.',
    credits: 5,
    notionalHours: 200,
    mqfLevel: 4,
    learningOutcomes: ['Test a quantum program.'],
    feeSen: 120_000,
    deliveryMode: 'ONLINE',
    accreditation: 'MQA_PROVISIONAL',
    assessment: 'Project',
    status: 'DRAFT',
  });
});
afterAll(() => graph?.stop());

const BY_ID = `query($ids: [ID!]!) { coursesById(ids: $ids) { id code status } }`;
const ids = async (list: string[], as?: 'LEARNER' | 'PROVIDER_STAFF') =>
  (await graph.client.ok<{ coursesById: Array<{ id: string }> }>(BY_ID, { as, variables: { ids: list } })).coursesById.map((c) => c.id);

describe('courses by id', () => {
  it('answers in the order asked, each once, leaving out unknown ids', async () => {
    expect(await ids([SE1102, randomUUID(), SE1101, SE1102])).toEqual([SE1102, SE1101]);
  });

  it('leaves a draft out for the public and a learner, and shows it to its provider', async () => {
    expect(await ids([draftId, SE1101])).toEqual([SE1101]);
    expect(await ids([draftId, SE1101], 'LEARNER')).toEqual([SE1101]);
    expect(await ids([draftId, SE1101], 'PROVIDER_STAFF')).toEqual([draftId, SE1101]);
  });

  it(`refuses more than ${MAX_COURSES_BY_ID} ids and ids that are not course ids`, async () => {
    const many = Array.from({ length: MAX_COURSES_BY_ID + 1 }, () => randomUUID());
    expect(codesOf(await graph.client.query(BY_ID, { variables: { ids: many } }))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await graph.client.query(BY_ID, { variables: { ids: ['SE1101'] } }))).toEqual(['BAD_USER_INPUT']);
  });
});
