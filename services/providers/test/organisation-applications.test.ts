import { personas, providers } from '@tauliah/demo-data';
import { codesOf, startTestSubgraph, type TestSubgraph } from '@tauliah/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providersService } from '../src/index.ts';
import { pendingApplication } from '../src/seed.ts';
import { aFunder, anEmployer, APPLY, apply, aProvider, decide, LIST, MINE, ONE, refusedFields, someone } from './applications.support.ts';

let graph: TestSubgraph<typeof providersService.tables>;

beforeAll(async () => {
  graph = await startTestSubgraph(providersService);
});
afterAll(() => graph?.stop());

const applicationsOf = async (subject: string) =>
  (await graph.connection.query<{ id: string }>('select id from providers.organisation_application where applicant_subject = $1', [subject])).map((r) => r.id);

describe('an organisation applying to join', () => {
  it("records a training provider's application, pending, from anyone signed in, its numbers as regulators print them", async () => {
    const applicant = someone();
    const input = aProvider({ mqaRegistration: ' mqa-kk 0912 ', hrdCorpTrainingProviderNumber: 'hrdc-tp-771234' });
    const application = await apply(graph.client, input, applicant);
    expect(application).toMatchObject({
      kind: 'PROVIDER',
      name: input.name,
      state: 'Perak',
      website: input.website,
      providerKind: 'TRAINING_PROVIDER',
      mqaRegistration: 'MQA-KK 0912',
      hrdCorpTrainingProviderNumber: 'HRDC-TP-771234',
      registrationNumber: null,
      sector: null,
      administrator: input.administrator,
      applicantSubject: applicant.sub,
      status: 'PENDING',
      reason: null,
      decidedAt: null,
      organisationId: null,
    });
    expect(Date.now() - Date.parse(application.createdAt as string)).toBeLessThan(60_000);
  });

  it("records an employer's SSM number and company facts, and a funder's registration number", async () => {
    const employer = await apply(graph.client, anEmployer({ registrationNumber: '202401000777  (1550321-x)' }), 'EMPLOYER');
    expect(employer).toMatchObject({
      kind: 'EMPLOYER',
      registrationNumber: '202401000777 (1550321-X)',
      sector: 'Manufacturing',
      size: 'SMALL',
      employeeCount: 42,
      providerKind: null,
      mqaRegistration: null,
      applicantSubject: personas.EMPLOYER.sub,
      status: 'PENDING',
    });
    const funder = await apply(graph.client, aFunder({ registrationNumber: 'ppm-002-02-12345678' }), 'FUNDER');
    expect(funder).toMatchObject({ kind: 'FUNDER', registrationNumber: 'PPM-002-02-12345678', sector: null, size: null, employeeCount: null, hrdCorpEmployerNumber: null });
  });

  it('refuses the public, recording nothing', async () => {
    const input = aProvider();
    const response = await graph.client.query(APPLY, { variables: { input } });
    expect(codesOf(response)).toEqual(['UNAUTHENTICATED']);
    expect(await graph.connection.query('select 1 from providers.organisation_application where name = $1', [input.name])).toEqual([]);
  });

  it("refuses details given for another kind of organisation, naming each field", async () => {
    const as = { as: someone() };
    const provider = await graph.client.query(APPLY, { ...as, variables: { input: aProvider({ registrationNumber: '202401009999', sector: 'Education', size: 'SMALL' }) } });
    expect(refusedFields(provider)).toEqual(['input.registrationNumber', 'input.sector', 'input.size']);
    const employer = await graph.client.query(APPLY, { ...as, variables: { input: anEmployer({ providerKind: 'TRAINING_PROVIDER', mqaRegistration: 'MQA-X1' }) } });
    expect(refusedFields(employer)).toEqual(['input.providerKind', 'input.mqaRegistration']);
    const funder = await graph.client.query(APPLY, { ...as, variables: { input: aFunder({ employeeCount: 12, hrdCorpTrainingProviderNumber: 'HRDC-TP-1' }) } });
    expect(refusedFields(funder)).toEqual(['input.hrdCorpTrainingProviderNumber', 'input.employeeCount']);
  });

  it("refuses an application without its kind's details, or with details in the wrong form", async () => {
    const refused = async (input: Record<string, unknown>) => refusedFields(await graph.client.query(APPLY, { as: someone(), variables: { input } }));
    expect(await refused(aProvider({ hrdCorpTrainingProviderNumber: null }))).toEqual(['input.mqaRegistration']);
    expect(await refused(aProvider({ providerKind: null }))).toEqual(['input.providerKind']);
    expect(await refused(anEmployer({ sector: null, size: null, employeeCount: null }))).toEqual(['input.sector', 'input.size', 'input.employeeCount']);
    expect(await refused(anEmployer({ registrationNumber: '1321456-K' }))).toEqual(['input.registrationNumber']);
    expect(await refused(anEmployer({ employeeCount: -1 }))).toEqual(['input.employeeCount']);
    expect(await refused(aFunder({ registrationNumber: null }))).toEqual(['input.registrationNumber']);
    expect(await refused(aFunder({ registrationNumber: 'PPM; drop table' }))).toEqual(['input.registrationNumber']);
    expect(await refused(aProvider({ state: 'Atlantis', website: 'ftp://files.example.my', name: '  ' }))).toEqual(['input.name', 'input.state', 'input.website']);
    expect(await refused(aProvider({ administrator: { subject: 'has spaces', name: 'Siti', email: 'not-an-email' } }))).toEqual([
      'input.administrator.subject',
      'input.administrator.email',
    ]);
  });

  it('refuses a second application from the same organisation while the first is pending, in the database too', async () => {
    const first = aProvider({ mqaRegistration: 'MQA-PA1001' });
    await apply(graph.client, first);
    const sameHrd = await graph.client.query(APPLY, { as: someone(), variables: { input: aProvider({ hrdCorpTrainingProviderNumber: first.hrdCorpTrainingProviderNumber }) } });
    expect(codesOf(sameHrd)).toEqual(['CONFLICT']);
    expect(sameHrd.errors![0]!.extensions!.field).toBe('input.hrdCorpTrainingProviderNumber');
    const sameMqa = await graph.client.query(APPLY, { as: someone(), variables: { input: aProvider({ mqaRegistration: 'mqa-pa1001' }) } });
    expect(codesOf(sameMqa)).toEqual(['CONFLICT']);

    const employer = anEmployer();
    await apply(graph.client, employer);
    const again = await graph.client.query(APPLY, { as: someone(), variables: { input: anEmployer({ registrationNumber: employer.registrationNumber }) } });
    expect(codesOf(again)).toEqual(['CONFLICT']);
    expect(again.errors![0]!.message).toContain(`registrationNumber ${employer.registrationNumber} is already pending`);
    // The number is an employer's: a funder of the same number is another organisation.
    await apply(graph.client, aFunder({ registrationNumber: employer.registrationNumber }));

    // Written around the service, the partial unique index still refuses it.
    await expect(
      graph.connection.query(
        `insert into providers.organisation_application (kind, name, state, registration_number, sector, size, employee_count, administrator_subject, administrator_name, administrator_email, applicant_subject)
         values ('EMPLOYER', 'Twin', 'Johor', $1, 'Retail', 'MICRO', 3, 'x', 'x', 'x@example.my', 'x')`,
        [employer.registrationNumber],
      ),
    ).rejects.toThrow(/organisation_application_pending_registration_key/);
  });

  it('refuses a provider whose MQA registration or HRD Corp number is already registered, naming that provider', async () => {
    const mqa = await graph.client.query(APPLY, { as: someone(), variables: { input: aProvider({ mqaRegistration: providers.odl.mqaRegistration }) } });
    expect(codesOf(mqa)).toEqual(['CONFLICT']);
    expect(mqa.errors![0]!.extensions).toMatchObject({ field: 'input.mqaRegistration', organisationId: providers.odl.id });
    const hrd = await graph.client.query(APPLY, {
      as: someone(),
      variables: { input: aProvider({ hrdCorpTrainingProviderNumber: providers.trainingProvider.hrdCorpRegistration.toLowerCase() }) },
    });
    expect(codesOf(hrd)).toEqual(['CONFLICT']);
    expect(hrd.errors![0]!.extensions).toMatchObject({ field: 'input.hrdCorpTrainingProviderNumber', organisationId: providers.trainingProvider.id });
  });

  it('answers a retry with the same idempotency key with the first application, recorded once, even when the retries race', async () => {
    const applicant = someone();
    const input = aProvider();
    const first = await apply(graph.client, input, applicant, 'join-1');
    const retried = await apply(graph.client, input, applicant, 'join-1');
    expect(retried).toEqual(first);
    const racing = await Promise.all([1, 2, 3].map(() => apply(graph.client, aProvider({ ...input, hrdCorpTrainingProviderNumber: 'HRDC-TP-RACE1' }), applicant, 'join-2')));
    expect(new Set(racing.map((a) => a.id)).size).toBe(1);
    expect((await applicationsOf(applicant.sub)).sort()).toEqual([first.id, racing[0]!.id].sort());

    // The key names one application: another under it is refused, and without a key a repeat is the pending duplicate.
    const reused = await graph.client.query(APPLY, { as: applicant, variables: { input: { ...input, name: 'Another name' }, key: 'join-1' } });
    expect(codesOf(reused)).toEqual(['CONFLICT']);
    expect(reused.errors![0]!.extensions!.field).toBe('idempotencyKey');
    expect(codesOf(await graph.client.query(APPLY, { as: applicant, variables: { input } }))).toEqual(['CONFLICT']);
    // Keys are the applicant's own: someone else's key of the same name is theirs.
    await apply(graph.client, aProvider(), someone(), 'join-1');
    expect(await applicationsOf(applicant.sub)).toHaveLength(2);
  });
});

describe('who reads an application', () => {
  it('shows applicants their own applications, newest first, with the outcome, and no one else', async () => {
    const applicant = someone();
    const older = await apply(graph.client, aProvider(), applicant);
    const newer = await apply(graph.client, aFunder(), applicant);
    expect(codesOf(await decide(graph.client, older.id, 'REJECT', 'The MQA registration could not be verified.'))).toEqual([]);
    const mine = (await graph.client.ok(MINE, { as: applicant })).myOrganisationApplications;
    expect(mine).toEqual([
      { id: newer.id, status: 'PENDING', reason: null, organisationId: null },
      { id: older.id, status: 'REJECTED', reason: 'The MQA registration could not be verified.', organisationId: null },
    ]);
    expect((await graph.client.ok(MINE, { as: someone() })).myOrganisationApplications).toEqual([]);
    expect(codesOf(await graph.client.query(MINE))).toEqual(['UNAUTHENTICATED']);
  });

  it('lets the applicant and administrators read one application; to anyone else it does not exist', async () => {
    const applicant = someone();
    const input = aProvider();
    const { id } = await apply(graph.client, input, applicant);
    const expected = { id, status: 'PENDING', administrator: { subject: input.administrator.subject, email: input.administrator.email } };
    expect((await graph.client.ok(ONE, { as: applicant, variables: { id } })).organisationApplication).toEqual(expected);
    expect((await graph.client.ok(ONE, { as: 'ADMIN', variables: { id } })).organisationApplication).toEqual(expected);
    for (const other of [someone(), 'PROVIDER_STAFF', 'EMPLOYER', 'FUNDER'] as const) {
      const response = await graph.client.query(ONE, { as: other, variables: { id } });
      expect(codesOf(response)).toEqual(['NOT_FOUND']);
      expect(response.errors![0]!.message).toBe(`OrganisationApplication ${id} does not exist.`);
    }
    expect(codesOf(await graph.client.query(ONE, { variables: { id } }))).toEqual(['UNAUTHENTICATED']);
  });

  it('lists applications to administrators only, oldest first, by status and kind, a page at a time', async () => {
    const employer = await apply(graph.client, anEmployer());
    await apply(graph.client, anEmployer());
    const all = (await graph.client.ok(LIST, { as: 'ADMIN', variables: { first: 100 } })).organisationApplications;
    expect(all.edges[0].node).toMatchObject({ id: pendingApplication.id, name: pendingApplication.name, status: 'PENDING' });
    expect(all.totalCount).toBe(all.edges.length);

    const employers = (await graph.client.ok(LIST, { as: 'ADMIN', variables: { status: 'PENDING', kind: 'EMPLOYER' } })).organisationApplications;
    expect(employers.edges.every(({ node }: { node: { kind: string; status: string } }) => node.kind === 'EMPLOYER' && node.status === 'PENDING')).toBe(true);
    expect(employers.edges.map(({ node }: { node: { id: string } }) => node.id)).toContain(employer.id);

    const pages: string[] = [];
    let after: string | null = null;
    do {
      const page: { edges: Array<{ node: { id: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } = (
        await graph.client.ok(LIST, { as: 'ADMIN', variables: { first: 2, after } })
      ).organisationApplications;
      pages.push(...page.edges.map((e) => e.node.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(pages).toEqual(all.edges.map(({ node }: { node: { id: string } }) => node.id));

    expect(refusedFields(await graph.client.query(LIST, { as: 'ADMIN', variables: { after: 'bm90IGEgY3Vyc29y' } }))).toEqual(['after']);
    expect(refusedFields(await graph.client.query(LIST, { as: 'ADMIN', variables: { first: 101 } }))).toEqual(['first']);
    for (const who of ['PROVIDER_STAFF', 'EMPLOYER', 'FUNDER', 'LEARNER'] as const) expect(codesOf(await graph.client.query(LIST, { as: who }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.client.query(LIST))).toEqual(['UNAUTHENTICATED']);
  });

  it('keeps the seeded demo application pending for an administrator to decide', async () => {
    const seeded = (await graph.client.ok(ONE, { as: { role: 'LEARNER', sub: pendingApplication.applicantSubject }, variables: { id: pendingApplication.id } })).organisationApplication;
    expect(seeded).toMatchObject({ id: pendingApplication.id, status: 'PENDING', administrator: { subject: pendingApplication.applicantSubject } });
  });
});
