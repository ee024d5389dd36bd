import { createLogger, organisationApprovedEvent, type EventData, type EventEnvelope } from '@tauliah/core';
import { employers, funders } from '@tauliah/demo-data';
import { codesOf, eventually, startTestSubgraph, type TestSubgraph } from '@tauliah/testing';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyOrganisationApproved } from '../src/events/organisation-approved.ts';
import { fundingService } from '../src/index.ts';

let graph: TestSubgraph<typeof fundingService.tables>;
beforeAll(async () => {
  graph = await startTestSubgraph(fundingService);
});
afterAll(() => graph?.stop());

type Approved = EventEnvelope<EventData<typeof organisationApprovedEvent>>;
let version = 0;
/** An organisation.approved event as the providers service's relay publishes it. */
function approved(data: Partial<Approved['data']> = {}): Approved {
  version += 1;
  return {
    id: randomUUID(),
    subject: organisationApprovedEvent.subject,
    version,
    occurredAt: new Date().toISOString(),
    data: organisationApprovedEvent.data.parse({
      applicationId: randomUUID(),
      kind: 'FUNDER',
      organisationId: randomUUID(),
      name: 'Yayasan Negeri Sembilan',
      registrationNumber: `PPM-${version}-2026`,
      state: 'Negeri Sembilan',
      employer: null,
      administrator: { subject: `oidc|yns-${version}`, name: 'Nor Aziah binti Ismail', email: `Aziah.${version}@yns.example.org.my` },
      ...data,
    }),
  };
}

const FUNDER = `query($id: ID!) { funder(id: $id) { id name kind registrationNumber staff { edges { node { subject name email kind role addedBy } } } } }`;
const adminOf = (event: Approved) => ({ role: 'FUNDER', sub: event.data.administrator.subject, funderId: event.data.organisationId }) as const;
const funderRows = async (id: string) => graph.connection.query<{ name: string }>('select name from funding.funder where id = $1', [id]);
const quiet = createLogger({ level: 'silent' });

/** Lines a logger wrote, as JSON: what an operator would read. */
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { log: createLogger({ level: 'info', destination: sink }), lines };
}

describe('a funder whose application to join was approved', () => {
  const event = approved({ name: 'Yayasan Pendidikan Negeri Sembilan', registrationNumber: ' PPM-001-05-12345678 ' });

  it('is created from the event, with its first ADMIN staff account, and its admin can act for it', async () => {
    await graph.events.publish(event);
    await eventually(async () => (await funderRows(event.data.organisationId)).length > 0, 'the consumer to create the funder');

    const admin = adminOf(event);
    const data = await graph.client.ok(FUNDER, { as: admin, variables: { id: event.data.organisationId } });
    expect(data.funder).toEqual({
      id: event.data.organisationId,
      name: 'Yayasan Pendidikan Negeri Sembilan',
      kind: 'OTHER',
      registrationNumber: 'PPM-001-05-12345678',
      staff: {
        edges: [
          {
            node: {
              subject: event.data.administrator.subject,
              name: 'Nor Aziah binti Ismail',
              email: event.data.administrator.email.toLowerCase(),
              kind: 'PERSON',
              role: 'ADMIN',
              addedBy: `application:${event.data.applicationId}`,
            },
          },
        ],
      },
    });

    // Its admin adds an officer and defines the foundation's first bursary.
    const added = await graph.client.ok(
      `mutation { addFunderStaff(input: { subject: "oidc|yns-officer", name: "Kamal bin Yusof", email: "kamal@yns.example.org.my", kind: PERSON, role: STAFF }) { subject role addedBy } }`,
      { as: admin },
    );
    expect(added.addFunderStaff).toEqual({ subject: 'oidc|yns-officer', role: 'STAFF', addedBy: event.data.administrator.subject });
    const scheme = {
      code: 'YPNS-B40-2027', name: 'Biasiswa Mikro Negeri Sembilan', description: 'Micro-credential bursaries for B40 learners of Negeri Sembilan.', kind: 'B40_AID',
      budgetSen: 20_000_000, perLearnerCapSen: 150_000, coPaymentPercent: 0, validFrom: '2027-01-01', validUntil: '2027-12-31', rules: [{ kind: 'AGE_RANGE', min: 17 }],
    };
    const defined = await graph.client.ok(`mutation($input: DefineSchemeInput!) { defineScheme(input: $input) { code funder { id kind } } }`, {
      as: { role: 'FUNDER', sub: 'oidc|yns-officer', funderId: event.data.organisationId },
      variables: { input: scheme },
    });
    expect(defined.defineScheme).toEqual({ code: 'YPNS-B40-2027', funder: { id: event.data.organisationId, kind: 'OTHER' } });
  });

  it('may not define HRD Corp grants, whose claims draw on employers\' levy, nor record levy payments', async () => {
    const admin = adminOf(event);
    const input = {
      code: 'YPNS-HRDC', name: 'Not ours', description: 'x', kind: 'HRD_CORP_GRANT', budgetSen: 1_000_000, perLearnerCapSen: 100_000, coPaymentPercent: 0,
      validFrom: '2027-01-01', validUntil: '2027-12-31', rules: [],
    };
    expect(codesOf(await graph.client.query(`mutation($input: DefineSchemeInput!) { defineScheme(input: $input) { id } }`, { as: admin, variables: { input } }))).toEqual(['FORBIDDEN']);
    const levy = `mutation { recordLevyPayment(input: { employerId: "${employers.cafe.id}", month: "2026-01", amountSen: 1000 }) { id } }`;
    expect(codesOf(await graph.client.query(levy, { as: admin }))).toEqual(['FORBIDDEN']);
  });

  it('is applied once: a redelivery changes nothing, even after its staff changed', async () => {
    const admin = adminOf(event);
    await graph.client.ok(
      `mutation { addFunderStaff(input: { subject: "oidc|yns-director", name: "Dato' Rahim bin Salleh", email: "rahim@yns.example.org.my", kind: PERSON, role: ADMIN }) { subject } }`,
      { as: admin },
    );
    await graph.client.ok(`mutation($subject: String!) { removeFunderStaff(subject: $subject) { subject } }`, {
      as: { role: 'FUNDER', sub: 'oidc|yns-director', funderId: event.data.organisationId },
      variables: { subject: event.data.administrator.subject },
    });
    // The same approval again, as a broker redelivers it (or a relay republishes it under a new message id).
    expect(await applyOrganisationApproved(graph.db, event, quiet)).toBe('ALREADY_CREATED');
    expect(await applyOrganisationApproved(graph.db, { ...event, id: randomUUID() }, quiet)).toBe('ALREADY_CREATED');
    const staff = await graph.connection.query<{ subject: string }>('select subject from funding.staff_account where funder_id = $1 order by subject', [event.data.organisationId]);
    expect(staff.map((s) => s.subject)).toEqual(['oidc|yns-director', 'oidc|yns-officer']);
    expect(codesOf(await graph.client.query(FUNDER, { as: admin, variables: { id: event.data.organisationId } }))).toEqual(['FORBIDDEN']);
  });
});

describe('approvals funding does not act on', () => {
  it('ignores an approved EMPLOYER: the employers service creates it', async () => {
    const employer = approved({
      kind: 'EMPLOYER',
      employer: { sector: 'Manufacturing', size: 'SMALL', employeeCount: 40, hrdCorpEmployerNumber: null },
    });
    expect(await applyOrganisationApproved(graph.db, employer, quiet)).toBe('NOT_THIS_KIND');
    expect(await funderRows(employer.data.organisationId)).toEqual([]);
  });

  it('creates nothing for a registration number another funder holds, and logs an error naming the application', async () => {
    const first = approved({ registrationNumber: 'ROS-PPM-2026-777' });
    expect(await applyOrganisationApproved(graph.db, first, quiet)).toBe('CREATED');
    const second = approved({ registrationNumber: 'ROS-PPM-2026-777', name: 'Another body' });
    const { log, lines } = capturingLogger();
    expect(await applyOrganisationApproved(graph.db, second, log)).toBe('REGISTRATION_NUMBER_TAKEN');
    expect(await funderRows(second.data.organisationId)).toEqual([]);
    const staff = await graph.connection.query('select 1 from funding.staff_account where funder_id = $1', [second.data.organisationId]);
    expect(staff).toEqual([]);
    expect(lines).toEqual([
      expect.objectContaining({ level: 50, applicationId: second.data.applicationId, msg: expect.stringContaining(`application ${second.data.applicationId}`) }),
    ]);
  });
});

describe('funderByRegistrationNumber', () => {
  const LOOKUP = `query($number: String!) { funderByRegistrationNumber(registrationNumber: $number) { id name kind } }`;

  it('answers a platform administrator the funder under a number, or null when none joined under it', async () => {
    const event = approved({ registrationNumber: 'LZS-2026-0042', name: 'Lembaga Zakat Contoh' });
    expect(await applyOrganisationApproved(graph.db, event, quiet)).toBe('CREATED');
    const found = await graph.client.ok(LOOKUP, { as: 'ADMIN', variables: { number: ' LZS-2026-0042 ' } });
    expect(found.funderByRegistrationNumber).toEqual({ id: event.data.organisationId, name: 'Lembaga Zakat Contoh', kind: 'OTHER' });
    expect((await graph.client.ok(LOOKUP, { as: 'ADMIN', variables: { number: 'LZS-2026-9999' } })).funderByRegistrationNumber).toBeNull();
  });

  it('is for platform administrators only, and refuses an empty number', async () => {
    const variables = { number: 'LZS-2026-0042' };
    for (const who of ['FUNDER', 'LEARNER', 'EMPLOYER', 'PROVIDER_STAFF', { role: 'FUNDER', sub: 'officer:b40', funderId: funders.b40.id }] as const) {
      expect(codesOf(await graph.client.query(LOOKUP, { as: who, variables }))).toEqual(['FORBIDDEN']);
    }
    expect(codesOf(await graph.client.query(LOOKUP, { variables }))).toEqual(['UNAUTHENTICATED']);
    expect(codesOf(await graph.client.query(LOOKUP, { as: 'ADMIN', variables: { number: '   ' } }))).toEqual(['BAD_USER_INPUT']);
  });

  it('leaves the funders that predate applications without a registration number', async () => {
    const data = await graph.client.ok(`query($id: ID!) { funder(id: $id) { registrationNumber } }`, { variables: { id: funders.hrdCorp.id } });
    expect(data.funder.registrationNumber).toBeNull();
  });
});
