import { employers } from '@tauliah/demo-data';
import { codesOf, eventually } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aFunder, anEmployer, apply, aProvider, decide, someone } from './applications.support.ts';

/**
 * Joining as an employer or a funder crosses services: providers keeps the
 * application and asks the owning service, through the gateway as the
 * deciding administrator, whether it has the organisation already; approval
 * is announced (organisation.approved) and the owning service creates it.
 */
let graph: TestGraph;

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.stop());

const approvedEvents = (applicationId: string) =>
  graph.connection.query<{ payload: unknown }>(`select payload from providers.outbox where subject = 'providers.organisation.approved' and payload->>'applicationId' = $1`, [applicationId]);
const statusOf = async (id: string) => (await graph.connection.query<{ status: string }>('select status from providers.organisation_application where id = $1', [id]))[0]!.status;

/** What the owning service answers for a registration number, asked as an administrator. */
async function registered(kind: 'employer' | 'funder', registrationNumber: string): Promise<string | null> {
  const field = `${kind}ByRegistrationNumber`;
  const data = await graph.gateway.ok(`query($n: String!) { ${field}(registrationNumber: $n) { id } }`, { as: 'ADMIN', variables: { n: registrationNumber } });
  return (data[field] as { id: string } | null)?.id ?? null;
}

describe('an employer or a funder joining, across the graph', () => {
  it('approves an employer: announces it with what the employers service records, which then creates it with its first ADMIN', async () => {
    const input = anEmployer({ size: 'MEDIUM', employeeCount: 180 });
    const { id } = await apply(graph.gateway, input);
    const approved = await decide(graph.gateway, id, 'APPROVE', 'SSM and HRD Corp registrations verified.');
    expect(codesOf(approved)).toEqual([]);
    const { organisationId, status } = approved.data!.decideOrganisationApplication as { organisationId: string; status: string };
    expect(status).toBe('APPROVED');
    expect(await approvedEvents(id)).toEqual([
      {
        payload: {
          applicationId: id,
          kind: 'EMPLOYER',
          organisationId,
          name: input.name,
          registrationNumber: input.registrationNumber,
          state: 'Johor',
          employer: { sector: 'Manufacturing', size: 'MEDIUM', employeeCount: 180, hrdCorpEmployerNumber: input.hrdCorpEmployerNumber },
          administrator: input.administrator,
        },
      },
    ]);

    await eventually(async () => (await registered('employer', input.registrationNumber)) === organisationId, 'the employers service has the new employer');
    const admin = { role: 'EMPLOYER', sub: input.administrator.subject, employerId: organisationId } as const;
    expect((await graph.gateway.ok(`{ myEmployerAccount { role kind } }`, { as: admin })).myEmployerAccount).toEqual({ role: 'ADMIN', kind: 'PERSON' });
  });

  it('approves a funder likewise, announcing no employer facts', async () => {
    const input = aFunder();
    const { id } = await apply(graph.gateway, input);
    const approved = (await decide(graph.gateway, id, 'APPROVE')).data!.decideOrganisationApplication as { organisationId: string };
    expect(await approvedEvents(id)).toEqual([
      {
        payload: {
          applicationId: id,
          kind: 'FUNDER',
          organisationId: approved.organisationId,
          name: input.name,
          registrationNumber: input.registrationNumber,
          state: 'Kedah',
          employer: null,
          administrator: input.administrator,
        },
      },
    ]);
    await eventually(async () => (await registered('funder', input.registrationNumber)) === approved.organisationId, 'the funding service has the new funder');
    const officer = { role: 'FUNDER', sub: input.administrator.subject, funderId: approved.organisationId } as const;
    expect((await graph.gateway.ok(`{ myFunderAccount { role } }`, { as: officer })).myFunderAccount).toEqual({ role: 'ADMIN' });
  });

  it('does not approve an employer the employers service already has: CONFLICT naming it, still pending, nothing announced', async () => {
    const { id } = await apply(graph.gateway, anEmployer({ registrationNumber: employers.software.registrationNumber }));
    const refused = await decide(graph.gateway, id, 'APPROVE');
    expect(codesOf(refused)).toEqual(['CONFLICT']);
    expect(refused.errors![0]!.extensions!.organisationId).toBe(employers.software.id);
    expect(await statusOf(id)).toBe('PENDING');
    expect(await approvedEvents(id)).toEqual([]);
  });

  it('does not approve a funder the funding service already has', async () => {
    const input = aFunder();
    const existing = randomUUID();
    // A funder that joined before applications were kept here.
    await graph.connection.query(`insert into funding.funder (id, name, kind, registration_number) values ($1, 'Tabung Lama', 'OTHER', $2)`, [existing, input.registrationNumber]);
    const { id } = await apply(graph.gateway, input);
    const refused = await decide(graph.gateway, id, 'APPROVE');
    expect(codesOf(refused)).toEqual(['CONFLICT']);
    expect(refused.errors![0]!.extensions!.organisationId).toBe(existing);
    expect(await approvedEvents(id)).toEqual([]);
  });

  it('approves a provider whose first admin then acts for it through the gateway', async () => {
    const input = aProvider();
    const applicant = someone();
    const { id } = await apply(graph.gateway, input, applicant);
    const { organisationId } = (await decide(graph.gateway, id, 'APPROVE')).data!.decideOrganisationApplication as { organisationId: string };
    const admin = { role: 'PROVIDER_STAFF', sub: input.administrator.subject, providerId: organisationId } as const;
    const added = await graph.gateway.ok(`mutation($input: ProviderStaffInput!) { addProviderStaff(input: $input) { subject addedBy } }`, {
      as: admin,
      variables: { input: { subject: `staff:${id}`, name: 'Farid Osman', email: 'farid@joining.example.my', kind: 'PERSON', role: 'STAFF' } },
    });
    expect(added.addProviderStaff).toEqual({ subject: `staff:${id}`, addedBy: input.administrator.subject });
    const mine = await graph.gateway.ok(`{ myOrganisationApplications { id status organisationId } }`, { as: applicant });
    expect(mine.myOrganisationApplications).toEqual([{ id, status: 'APPROVED', organisationId }]);
  });
});
