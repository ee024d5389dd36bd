import { bdse, btel, courseId, providers } from '@tauliah/demo-data';
import { codesOf, startTestSubgraph, type TestSubgraph } from '@tauliah/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providersService } from '../src/index.ts';

let graph: TestSubgraph<typeof providersService.tables>;

beforeAll(async () => {
  graph = await startTestSubgraph(providersService);
});
afterAll(() => graph?.stop());

const RECORD = `mutation($input: RecordCreditRecognitionInput!) { recordCreditRecognition(input: $input) {
  id courseId recognisedCourseId creditsGranted approvedBy approvedAt withdrawnAt provider { slug } course { code } recognisedCourse { code provider { slug } }
} }`;
const WITHDRAW = `mutation($id: ID!) { withdrawCreditRecognition(id: $id) { id withdrawnAt withdrawnBy } }`;
const RECOGNITIONS = `query($id: ID!) { pathway(id: $id) { recognitions { courseId recognisedCourseId creditsGranted } } }`;
const cs1010AsSe1101 = { courseId: courseId('SE1101'), recognisedCourseId: courseId('CS1010'), creditsGranted: 4 };

async function refusedFields(input: Record<string, unknown>) {
  const response = await graph.client.query(RECORD, { as: 'PROVIDER_STAFF', variables: { input } });
  expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
  return (response.errors![0]!.extensions!.problems as Array<{ field: string }>).map((p) => p.field);
}

describe('credit recognition between providers', () => {
  let recognitionId: string;

  it("records that the public university's CS1010 counts as BDSE's SE1101, with who approved it and when", async () => {
    const { recordCreditRecognition } = await graph.client.ok(RECORD, { as: 'PROVIDER_STAFF', variables: { input: cs1010AsSe1101 } });
    recognitionId = recordCreditRecognition.id;
    expect(recordCreditRecognition).toMatchObject({
      creditsGranted: 4,
      approvedBy: 'staff:utn:registrar',
      withdrawnAt: null,
      provider: { slug: 'utn' },
      course: { code: 'SE1101' },
      recognisedCourse: { code: 'CS1010', provider: { slug: 'uas' } },
    });
    expect(Date.now() - Date.parse(recordCreditRecognition.approvedAt)).toBeLessThan(60_000);
  });

  it("shows it on the pathways holding the course, for progress to honour, and not on others", async () => {
    expect((await graph.client.ok(RECOGNITIONS, { variables: { id: bdse.id } })).pathway.recognitions).toEqual([cs1010AsSe1101]);
    expect((await graph.client.ok(RECOGNITIONS, { variables: { id: btel.id } })).pathway.recognitions).toEqual([]);
    const course = await graph.client.ok(`{ course(id: "${courseId('SE1101')}") { creditRecognitions { recognisedCourse { code } creditsGranted } } }`);
    expect(course.course.creditRecognitions).toEqual([{ recognisedCourse: { code: 'CS1010' }, creditsGranted: 4 }]);
  });

  it('finds the pathways a holder of the recognised course has credits in', async () => {
    const data = await graph.client.ok(`{ pathways(courseIds: ["${courseId('CS1010')}"]) { code } }`);
    expect(data.pathways).toEqual([{ code: 'BDSE' }]);
    expect((await graph.client.ok(`{ pathways(courseIds: ["${courseId('EE1101')}", "${courseId('SE2401')}"]) { code } }`)).pathways).toEqual([{ code: 'BDSE' }, { code: 'BTEL' }]);
  });

  it('returns the standing recognition when a partner retries, and CONFLICT when the credits differ', async () => {
    const retry = await graph.client.ok(RECORD, { as: 'PARTNER', variables: { input: cs1010AsSe1101 } });
    expect(retry.recordCreditRecognition.id).toBe(recognitionId);
    const differing = await graph.client.query(RECORD, { as: 'PARTNER', variables: { input: { ...cs1010AsSe1101, creditsGranted: 5 } } });
    expect(codesOf(differing)).toEqual(['CONFLICT']);
  });

  it('stops counting once withdrawn, keeps the record, and may be recorded afresh', async () => {
    const { withdrawCreditRecognition } = await graph.client.ok(WITHDRAW, { as: 'PROVIDER_STAFF', variables: { id: recognitionId } });
    expect(withdrawCreditRecognition).toMatchObject({ withdrawnBy: 'staff:utn:registrar' });
    expect((await graph.client.ok(WITHDRAW, { as: 'PROVIDER_STAFF', variables: { id: recognitionId } })).withdrawCreditRecognition).toEqual(withdrawCreditRecognition);
    expect((await graph.client.ok(RECOGNITIONS, { variables: { id: bdse.id } })).pathway.recognitions).toEqual([]);
    const again = await graph.client.ok(RECORD, { as: 'PROVIDER_STAFF', variables: { input: { ...cs1010AsSe1101, creditsGranted: 5 } } });
    expect(again.recordCreditRecognition.id).not.toBe(recognitionId);
  });
});

describe('refusing a recognition', () => {
  it('refuses one of your own courses, more credits than the course carries, and a course that is not credit-bearing', async () => {
    expect(await refusedFields({ ...cs1010AsSe1101, recognisedCourseId: courseId('SE1102') })).toEqual(['input.recognisedCourseId']);
    expect(await refusedFields({ ...cs1010AsSe1101, creditsGranted: 6 })).toEqual(['input.creditsGranted']);
    expect(await refusedFields({ ...cs1010AsSe1101, courseId: courseId('SE1101'), recognisedCourseId: '00000000-0000-4000-8000-000000000000' })).toEqual(['input.recognisedCourseId']);
    const akt = { role: 'PROVIDER_STAFF', sub: 'staff:akt:trainer', providerId: providers.trainingProvider.id } as const;
    const response = await graph.client.query(RECORD, { as: akt, variables: { input: { courseId: courseId('AKT-PCB'), recognisedCourseId: courseId('EE2103'), creditsGranted: 1 } } });
    expect(response.errors![0]!.extensions!.problems).toEqual([{ field: 'input.courseId', message: 'AKT-PCB is not credit-bearing, so no credits can be granted towards it' }]);
  });

  it('refuses malformed input, listing every field', async () => {
    expect(await refusedFields({ courseId: 'SE1101', recognisedCourseId: 'CS1010', creditsGranted: 0 })).toEqual([
      'input.courseId',
      'input.recognisedCourseId',
      'input.creditsGranted',
    ]);
  });

  it("lets only the recognising provider record or withdraw it", async () => {
    const uasStaff = { role: 'PROVIDER_STAFF', sub: 'staff:uas:registrar', providerId: providers.publicUniversity.id } as const;
    expect(codesOf(await graph.client.query(RECORD, { as: uasStaff, variables: { input: cs1010AsSe1101 } }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.client.query(RECORD, { as: 'EMPLOYER', variables: { input: cs1010AsSe1101 } }))).toEqual(['FORBIDDEN']);
    const { recordCreditRecognition } = await graph.client.ok(RECORD, { as: 'ADMIN', variables: { input: { ...cs1010AsSe1101, courseId: courseId('SE1102') } } });
    expect(codesOf(await graph.client.query(WITHDRAW, { as: uasStaff, variables: { id: recordCreditRecognition.id } }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.client.query(WITHDRAW, { as: 'ADMIN', variables: { id: '00000000-0000-4000-8000-000000000000' } }))).toEqual(['NOT_FOUND']);
  });
});
