import { courseId, providers } from '@tauliah/demo-data';
import { codesOf, startTestSubgraph, type TestSubgraph } from '@tauliah/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providersService } from '../src/index.ts';

let graph: TestSubgraph<typeof providersService.tables>;

beforeAll(async () => {
  graph = await startTestSubgraph(providersService);
});
afterAll(() => graph?.stop());

const FIELDS = 'id code status credits notionalHours mqfLevel accreditation creditBearing publishedAt provider { slug } skills { code }';
const CREATE = `mutation($input: CourseInput!) { createCourse(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: CourseInput!) { updateCourse(id: $id, input: $input) { ${FIELDS} } }`;
const PUBLISH = `mutation($id: ID!) { publishCourse(id: $id) { ${FIELDS} } }`;
const RETIRE = `mutation($id: ID!) { retireCourse(id: $id) { ${FIELDS} } }`;
const uasStaff = { role: 'PROVIDER_STAFF', sub: 'staff:uas:registrar', providerId: providers.publicUniversity.id } as const;

let sequence = 0;
const aCourse = (overrides: Record<string, unknown> = {}) => ({
  code: `SE39${String(++sequence).padStart(2, '0')}`,
  title: 'Machine Learning Engineering',
  description: 'Training, evaluating and deploying models.',
  credits: 4,
  notionalHours: 160,
  mqfLevel: 5,
  learningOutcomes: ['Train and evaluate a supervised model.'],
  skillCodes: ['PROG-FUND', 'CLOUD-DEVOPS'],
  feeSen: 150_000,
  deliveryMode: 'ONLINE',
  accreditation: 'MQA_PROVISIONAL',
  assessment: 'Project and viva',
  ...overrides,
});

/** The fields named by a BAD_USER_INPUT answer. */
async function refusedFields(query: string, variables: Record<string, unknown>, as: 'PROVIDER_STAFF' | 'ADMIN' = 'PROVIDER_STAFF') {
  const response = await graph.client.query(query, { as, variables });
  expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
  return (response.errors![0]!.extensions!.problems as Array<{ field: string }>).map((p) => p.field);
}

describe("a provider's catalogue", () => {
  it('adds a course as a draft of the provider the staff member works for, with its skills in order', async () => {
    const { createCourse } = await graph.client.ok(CREATE, { as: 'PROVIDER_STAFF', variables: { input: aCourse({ code: 'se3900' }) } });
    expect(createCourse).toMatchObject({
      code: 'SE3900',
      status: 'DRAFT',
      creditBearing: true,
      accreditation: 'MQA_PROVISIONAL',
      publishedAt: null,
      provider: { slug: 'utn' },
      skills: [{ code: 'PROG-FUND' }, { code: 'CLOUD-DEVOPS' }],
    });
    expect((await graph.client.query(`{ course(id: "${createCourse.id}") { code } }`)).data?.course ?? null).toBeNull();
  });

  it('publishes a draft into the public catalogue, and retires it for good', async () => {
    const { createCourse } = await graph.client.ok(CREATE, { as: 'PARTNER', variables: { input: aCourse() } });
    const { publishCourse } = await graph.client.ok(PUBLISH, { as: 'PROVIDER_STAFF', variables: { id: createCourse.id } });
    expect(publishCourse.status).toBe('PUBLISHED');
    expect(publishCourse.publishedAt).not.toBeNull();
    const publicView = await graph.client.ok(`{ courses(filter: { text: "${createCourse.code}" }) { totalCount } }`);
    expect(publicView.courses.totalCount).toBe(1);
    expect((await graph.client.ok(PUBLISH, { as: 'PROVIDER_STAFF', variables: { id: createCourse.id } })).publishCourse.publishedAt).toBe(publishCourse.publishedAt);
    expect((await graph.client.ok(RETIRE, { as: 'PROVIDER_STAFF', variables: { id: createCourse.id } })).retireCourse.status).toBe('RETIRED');
    expect(codesOf(await graph.client.query(PUBLISH, { as: 'PROVIDER_STAFF', variables: { id: createCourse.id } }))).toEqual(['CONFLICT']);
    expect(codesOf(await graph.client.query(UPDATE, { as: 'PROVIDER_STAFF', variables: { id: createCourse.id, input: { title: 'Renamed' } } }))).toEqual(['CONFLICT']);
  });

  it('updates only the fields given, and keeps the MQA rules on the whole course', async () => {
    const { createCourse } = await graph.client.ok(CREATE, { as: 'PROVIDER_STAFF', variables: { input: aCourse() } });
    const { updateCourse } = await graph.client.ok(UPDATE, {
      as: 'PROVIDER_STAFF',
      variables: { id: createCourse.id, input: { credits: 5, notionalHours: 200, skillCodes: ['SW-DESIGN'] } },
    });
    expect(updateCourse).toMatchObject({ credits: 5, notionalHours: 200, mqfLevel: 5, skills: [{ code: 'SW-DESIGN' }] });
    expect(await refusedFields(UPDATE, { id: createCourse.id, input: { credits: 6 } })).toEqual(['input.notionalHours']);
    const notCredit = await graph.client.ok(UPDATE, {
      as: 'PROVIDER_STAFF',
      variables: { id: createCourse.id, input: { accreditation: 'NOT_CREDIT_BEARING', credits: null, notionalHours: 30 } },
    });
    expect(notCredit.updateCourse).toMatchObject({ creditBearing: false, credits: null, notionalHours: 30 });
  });

  it('answers CONFLICT for a code the provider already uses, so a retried creation adds nothing', async () => {
    const input = aCourse();
    await graph.client.ok(CREATE, { as: 'PARTNER', variables: { input } });
    const retry = await graph.client.query(CREATE, { as: 'PARTNER', variables: { input } });
    expect(codesOf(retry)).toEqual(['CONFLICT']);
    expect(codesOf(await graph.client.query(CREATE, { as: 'PROVIDER_STAFF', variables: { input: aCourse({ code: 'SE1101' }) } }))).toEqual(['CONFLICT']);
    // Codes are per provider: another provider may use the same one.
    expect((await graph.client.ok(CREATE, { as: uasStaff, variables: { input: aCourse({ code: 'SE1101' }) } })).createCourse.provider.slug).toBe('uas');
  });
});

describe('MQA rules for a course', () => {
  it('requires notional hours of 40 per credit', async () => {
    expect(await refusedFields(CREATE, { input: aCourse({ credits: 3, notionalHours: 100 }) })).toEqual(['input.notionalHours']);
  });

  it('requires credits and an MQF level of an accredited course, and no credits of one that is not credit-bearing', async () => {
    expect(await refusedFields(CREATE, { input: aCourse({ credits: null, mqfLevel: null }) })).toEqual(['input.credits', 'input.mqfLevel']);
    expect(await refusedFields(CREATE, { input: aCourse({ accreditation: 'NOT_CREDIT_BEARING' }) })).toEqual(['input.credits']);
    expect(await refusedFields(CREATE, { input: aCourse({ mqfLevel: 9 }) })).toEqual(['input.mqfLevel']);
  });

  it('requires learning outcomes, an assessment and skills that exist in the taxonomy', async () => {
    const fields = await refusedFields(CREATE, { input: aCourse({ learningOutcomes: [], assessment: '  ', skillCodes: [] }) });
    expect(fields).toEqual(['input.learningOutcomes', 'input.skillCodes', 'input.assessment']);
    expect(await refusedFields(CREATE, { input: aCourse({ skillCodes: ['PROG-FUND', 'UNDERWATER-WELDING'] }) })).toEqual(['input.skillCodes.1']);
  });

  it('lists every missing field of a new course at once', async () => {
    const fields = await refusedFields(CREATE, { input: { code: 'X' } });
    expect(fields).toEqual(expect.arrayContaining(['input.code', 'input.title', 'input.notionalHours', 'input.feeSen', 'input.accreditation']));
  });
});

describe('who manages a catalogue', () => {
  it("refuses another provider's staff, employers and the public", async () => {
    const id = courseId('SE1101');
    expect(codesOf(await graph.client.query(RETIRE, { as: uasStaff, variables: { id } }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.client.query(RETIRE, { as: 'EMPLOYER', variables: { id } }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.client.query(RETIRE, { variables: { id } }))).toEqual(['UNAUTHENTICATED']);
    expect(codesOf(await graph.client.query(CREATE, { as: uasStaff, variables: { input: aCourse({ providerId: providers.odl.id }) } }))).toEqual(['FORBIDDEN']);
  });

  it('lets an administrator add a course for a provider named in the input, and only then', async () => {
    expect(codesOf(await graph.client.query(CREATE, { as: 'ADMIN', variables: { input: aCourse() } }))).toEqual(['BAD_USER_INPUT']);
    const { createCourse } = await graph.client.ok(CREATE, { as: 'ADMIN', variables: { input: aCourse({ providerId: providers.trainingProvider.id }) } });
    expect(createCourse.provider.slug).toBe('akt');
  });

  it('answers NOT_FOUND for an unknown course', async () => {
    expect(codesOf(await graph.client.query(PUBLISH, { as: 'ADMIN', variables: { id: '00000000-0000-4000-8000-000000000000' } }))).toEqual(['NOT_FOUND']);
  });
});
