import { personas } from '@tauliah/demo-data';
import { codesOf, startTestSubgraph, type TestSubgraph } from '@tauliah/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providersService } from '../src/index.ts';
import { aFunder, anEmployer, APPLY, apply, aProvider, decide, DECIDE, MINE, refusedFields, someone } from './applications.support.ts';

let graph: TestSubgraph<typeof providersService.tables>;

beforeAll(async () => {
  graph = await startTestSubgraph(providersService);
});
afterAll(() => graph?.stop());

const PROVIDER = `query($id: ID!) { provider(id: $id) { id slug name kind state website mqaRegistration hrdCorpRegistration inGoodStanding } }`;
const STAFF = `query($id: ID!) { provider(id: $id) { staff { edges { node { subject name email kind role addedBy } } } } }`;
const ADD_STAFF = `mutation($input: ProviderStaffInput!) { addProviderStaff(input: $input) { subject role addedBy } }`;
const CREATE_COURSE = `mutation($input: CourseInput!) { createCourse(input: $input) { code provider { id } } }`;

const count = async (sql: string, params: unknown[] = []) => (await graph.connection.query<{ n: number }>(`select count(*)::int as n from ${sql}`, params))[0]!.n;
const outboxRows = () => count('providers.outbox');
const statusOf = async (id: string) => (await graph.connection.query<{ status: string }>('select status from providers.organisation_application where id = $1', [id]))[0]!.status;

describe('deciding an application to join', () => {
  it('is for platform administrators only', async () => {
    const applicant = someone();
    const { id } = await apply(graph.client, aProvider(), applicant);
    const variables = { id, decision: 'APPROVE', reason: 'Looks fine to me.' };
    for (const who of [applicant, 'PROVIDER_STAFF', 'PARTNER', 'EMPLOYER', 'FUNDER'] as const) {
      expect(codesOf(await graph.client.query(DECIDE, { as: who, variables }))).toEqual(['FORBIDDEN']);
    }
    expect(codesOf(await graph.client.query(DECIDE, { variables }))).toEqual(['UNAUTHENTICATED']);
    expect(await statusOf(id)).toBe('PENDING');
  });

  it('needs a reason, and an application that exists', async () => {
    const { id } = await apply(graph.client, aProvider());
    expect(refusedFields(await decide(graph.client, id, 'REJECT', ''))).toEqual(['reason']);
    expect(refusedFields(await decide(graph.client, id, 'APPROVE', '   '))).toEqual(['reason']);
    expect(refusedFields(await decide(graph.client, 'not-an-id', 'APPROVE'))).toEqual(['id']);
    const unknown = randomUUID();
    expect(codesOf(await decide(graph.client, unknown, 'APPROVE'))).toEqual(['NOT_FOUND']);
    expect(await statusOf(id)).toBe('PENDING');
  });

  it('approves a provider: the provider, in good standing, and its first ADMIN, who can then act for it', async () => {
    const applicant = someone();
    const input = aProvider({ name: 'Akademi Robotik Ipoh', mqaRegistration: 'MQA-KK1201', providerKind: 'INDUSTRY_ACADEMY' });
    const { id } = await apply(graph.client, input, applicant);
    const approved = (await graph.client.ok(DECIDE, { as: 'ADMIN', variables: { id, decision: 'APPROVE', reason: 'MQA and HRD Corp registrations verified.' } }))
      .decideOrganisationApplication;
    expect(approved).toMatchObject({ status: 'APPROVED', reason: 'MQA and HRD Corp registrations verified.' });
    expect(approved.organisationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.now() - Date.parse(approved.decidedAt)).toBeLessThan(60_000);

    const providerId = approved.organisationId as string;
    expect((await graph.client.ok(PROVIDER, { variables: { id: providerId } })).provider).toEqual({
      id: providerId,
      slug: 'akademi-robotik-ipoh',
      name: 'Akademi Robotik Ipoh',
      kind: 'INDUSTRY_ACADEMY',
      state: 'Perak',
      website: input.website,
      mqaRegistration: 'MQA-KK1201',
      hrdCorpRegistration: input.hrdCorpTrainingProviderNumber,
      inGoodStanding: true,
    });
    // The applicant sees the outcome.
    expect((await graph.client.ok(MINE, { as: applicant })).myOrganisationApplications).toEqual([
      { id, status: 'APPROVED', reason: 'MQA and HRD Corp registrations verified.', organisationId: providerId },
    ]);

    // The named administrator is its first ADMIN staff account, added by the deciding administrator ...
    const admin = { role: 'PROVIDER_STAFF', sub: input.administrator.subject, providerId } as const;
    expect((await graph.client.ok(STAFF, { as: admin, variables: { id: providerId } })).provider.staff.edges).toEqual([
      { node: { ...input.administrator, kind: 'PERSON', role: 'ADMIN', addedBy: personas.ADMIN.sub } },
    ]);
    // ... who adds staff with their own token, and that staff member writes courses for the new provider.
    const staff = { subject: `trainer:${id}`, name: 'Lee Wei Jie', email: 'weijie@robotik.example.my', kind: 'PERSON', role: 'STAFF' };
    expect((await graph.client.ok(ADD_STAFF, { as: admin, variables: { input: staff } })).addProviderStaff).toEqual({
      subject: staff.subject,
      role: 'STAFF',
      addedBy: input.administrator.subject,
    });
    const course = {
      code: 'RB1001',
      title: 'Industrial robot programming',
      description: 'Teach pendant and offline programming of six-axis robots.',
      notionalHours: 24,
      learningOutcomes: ['Program a pick-and-place cycle.'],
      skillCodes: ['PROG-FUND'],
      feeSen: 90_000,
      deliveryMode: 'IN_PERSON',
      accreditation: 'NOT_CREDIT_BEARING',
      assessment: 'Practical test',
    };
    const created = await graph.client.ok(CREATE_COURSE, { as: { role: 'PROVIDER_STAFF', sub: staff.subject, providerId }, variables: { input: course } });
    expect(created.createCourse).toEqual({ code: 'RB1001', provider: { id: providerId } });
    // A provider announces nothing: it was made here, with its account, in the approving transaction.
    expect(await count(`providers.outbox where subject = 'providers.organisation.approved' and payload->>'applicationId' = $1`, [id])).toBe(0);
  });

  it("gives a provider a slug of its own when another provider's name makes the same", async () => {
    const slugs: string[] = [];
    for (const _ of [1, 2, 3]) {
      const { id } = await apply(graph.client, aProvider({ name: 'Pusat Latihan Teknikal Kuantan' }));
      const approved = (await decide(graph.client, id, 'APPROVE')).data!.decideOrganisationApplication;
      slugs.push((await graph.client.ok(PROVIDER, { variables: { id: approved.organisationId } })).provider.slug);
    }
    expect(slugs).toEqual(['pusat-latihan-teknikal-kuantan', 'pusat-latihan-teknikal-kuantan-2', 'pusat-latihan-teknikal-kuantan-3']);
  });

  it('rejects with the reason the applicant reads; the organisation may then apply again', async () => {
    const applicant = someone();
    const input = aProvider();
    const { id } = await apply(graph.client, input, applicant);
    const providers = await count('providers.provider');
    const rejected = (await decide(graph.client, id, 'REJECT', 'No HRD Corp registration on record.')).data!.decideOrganisationApplication;
    expect(rejected).toMatchObject({ status: 'REJECTED', reason: 'No HRD Corp registration on record.', organisationId: null });
    expect(await count('providers.provider')).toBe(providers);
    const again = await apply(graph.client, input, applicant);
    expect(again.id).not.toBe(id);
    expect(again.status).toBe('PENDING');
  });

  it('decides once: the same decision again answers it, another is a CONFLICT', async () => {
    const { id } = await apply(graph.client, aProvider());
    const first = (await decide(graph.client, id, 'APPROVE')).data!.decideOrganisationApplication;
    const providers = await count('providers.provider');
    const again = await decide(graph.client, id, 'APPROVE', 'Approving again, with another reason.');
    expect(again.data!.decideOrganisationApplication).toEqual(first);
    expect(codesOf(await decide(graph.client, id, 'REJECT', 'Changed my mind.'))).toEqual(['CONFLICT']);
    expect(await count('providers.provider')).toBe(providers);

    const { id: rejectedId } = await apply(graph.client, aFunder());
    await decide(graph.client, rejectedId, 'REJECT', 'Not a funding body.');
    expect(codesOf(await decide(graph.client, rejectedId, 'APPROVE'))).toEqual(['CONFLICT']);
    expect((await decide(graph.client, rejectedId, 'REJECT', 'Again.')).data!.decideOrganisationApplication.reason).toBe('Not a funding body.');
  });

  it('lets one of two racing decisions win: two approvals make one provider, an approval and a rejection one outcome', async () => {
    const input = aProvider();
    const { id } = await apply(graph.client, input);
    const approvals = await Promise.all([decide(graph.client, id, 'APPROVE'), decide(graph.client, id, 'APPROVE')]);
    expect(approvals.map(codesOf)).toEqual([[], []]);
    const [a, b] = approvals.map((r) => r.data!.decideOrganisationApplication.organisationId as string);
    expect(a).toBe(b);
    expect(await count('providers.provider where hrd_corp_registration = $1', [input.hrdCorpTrainingProviderNumber])).toBe(1);
    expect(await count('providers.staff_account where provider_id = $1', [a])).toBe(1);

    const { id: contested } = await apply(graph.client, aProvider());
    const outcomes = await Promise.all([decide(graph.client, contested, 'APPROVE'), decide(graph.client, contested, 'REJECT')]);
    expect(outcomes.map(codesOf).sort()).toEqual([[], ['CONFLICT']]);
    const winner = outcomes.find((r) => !r.errors)!.data!.decideOrganisationApplication;
    expect(await statusOf(contested)).toBe(winner.status);
    expect(await count('providers.provider where id = $1', [winner.organisationId ?? randomUUID()])).toBe(winner.status === 'APPROVED' ? 1 : 0);
  });

  it('does not make a provider twice: one registered meanwhile is a CONFLICT naming it, and the application stays pending', async () => {
    const input = aProvider({ mqaRegistration: 'MQA-PA7001' });
    const { id } = await apply(graph.client, input);
    const [imported] = await graph.connection.query<{ id: string }>(
      `insert into providers.provider (slug, name, kind, state, hrd_corp_registration) values ('imported-7001', 'Imported Provider', 'TRAINING_PROVIDER', 'Perak', $1) returning id`,
      [input.hrdCorpTrainingProviderNumber],
    );
    const existing = imported!.id;
    const refused = await decide(graph.client, id, 'APPROVE');
    expect(codesOf(refused)).toEqual(['CONFLICT']);
    expect(refused.errors![0]!.extensions!.organisationId).toBe(existing);
    expect(await statusOf(id)).toBe('PENDING');
    expect(await count('providers.provider where mqa_registration = $1', ['MQA-PA7001'])).toBe(0);
    // The administrator rejects it instead.
    expect((await decide(graph.client, id, 'REJECT', `Already registered as provider ${existing}.`)).data!.decideOrganisationApplication.status).toBe('REJECTED');
  });

  it('leaves nothing half-written when the first staff account cannot be made: no provider, still pending', async () => {
    const input = aProvider();
    const { id } = await apply(graph.client, input);
    await graph.connection.query(`alter table providers.staff_account add constraint refuse_founders check (subject not like 'founder:%') not valid`);
    try {
      expect(codesOf(await decide(graph.client, id, 'APPROVE'))).toEqual(['INTERNAL_SERVER_ERROR']);
    } finally {
      await graph.connection.query('alter table providers.staff_account drop constraint refuse_founders');
    }
    expect(await statusOf(id)).toBe('PENDING');
    expect(await count('providers.provider where hrd_corp_registration = $1', [input.hrdCorpTrainingProviderNumber])).toBe(0);
    expect(codesOf(await decide(graph.client, id, 'APPROVE'))).toEqual([]);
  });

  it("asks the owning service before approving an employer or a funder, and approves nothing when it cannot ask", async () => {
    // Alone, this subgraph has no graph to ask whether the employers or funding service already has the company.
    for (const input of [anEmployer(), aFunder()]) {
      const { id } = await apply(graph.client, input);
      const before = await outboxRows();
      expect(codesOf(await decide(graph.client, id, 'APPROVE'))).toEqual(['SUBGRAPH_UNAVAILABLE']);
      expect(await statusOf(id)).toBe('PENDING');
      expect(await outboxRows()).toBe(before);
      // Rejecting needs no one else, and announces nothing.
      expect((await decide(graph.client, id, 'REJECT', 'Registration lapsed.')).data!.decideOrganisationApplication.status).toBe('REJECTED');
      expect(await outboxRows()).toBe(before);
    }
  });

  it('refuses a retried application once it was decided, by its pending duplicate rule only while pending', async () => {
    const applicant = someone();
    const input = aProvider();
    const first = await apply(graph.client, input, applicant, 'apply-once');
    await decide(graph.client, first.id, 'APPROVE');
    // The retry with the key answers the application as it now stands.
    const retried = (await graph.client.ok(APPLY, { as: applicant, variables: { input, key: 'apply-once' } })).applyToJoin;
    expect(retried).toMatchObject({ id: first.id, status: 'APPROVED' });
    // A new application for the provider now registered is refused.
    expect(codesOf(await graph.client.query(APPLY, { as: applicant, variables: { input } }))).toEqual(['CONFLICT']);
  });
});
