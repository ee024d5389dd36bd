import { createLogger, organisationApprovedEvent, type EventData, type EventEnvelope } from '@tauliah/core';
import { employers, learnerByKey } from '@tauliah/demo-data';
import { codesOf, eventually, startTestSubgraph, type TestSubgraph } from '@tauliah/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyOrganisationApproved } from '../src/events/organisation-approved.ts';
import { employersService } from '../src/index.ts';
import { RECORD } from './employment-support.ts';

let graph: TestSubgraph<typeof employersService.tables>;

beforeAll(async () => {
  graph = await startTestSubgraph(employersService);
});
afterAll(() => graph?.stop());

type Approved = EventEnvelope<EventData<typeof organisationApprovedEvent>>;
let version = 0;

/** An approval as the providers service's relay sends it, parsed by the contract as the consumer parses it. */
function approval(over: { kind?: 'EMPLOYER' | 'FUNDER'; registrationNumber?: string; hrdCorpEmployerNumber?: string | null } = {}): Approved {
  const n = (version += 1);
  const kind = over.kind ?? 'EMPLOYER';
  return {
    id: randomUUID(),
    subject: organisationApprovedEvent.subject,
    version: n,
    occurredAt: new Date().toISOString(),
    data: organisationApprovedEvent.data.parse({
      applicationId: randomUUID(),
      kind,
      organisationId: randomUUID(),
      name: `Syarikat Baharu ${n} Sdn Bhd`,
      registrationNumber: over.registrationNumber ?? `2026010${String(n).padStart(5, '0')} (15${String(n).padStart(5, '0')}-A)`,
      state: 'Perak',
      employer:
        kind === 'EMPLOYER'
          ? { sector: 'Manufacturing', size: 'SMALL', employeeCount: 42, hrdCorpEmployerNumber: over.hrdCorpEmployerNumber === undefined ? `HRDC-${n}` : over.hrdCorpEmployerNumber }
          : null,
      administrator: { subject: `auth0|founder-${n}`, name: 'Lee Siew Ling', email: `Siew.Ling${n}@Baharu.example.MY` },
    }),
  };
}

const silent = createLogger({ level: 'silent' });
/** A logger whose lines a test reads. */
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
  return { log, lines };
}

async function employerRow(id: string) {
  const [row] = await graph.connection.query<Record<string, unknown>>(
    'select registration_number, name, sector, size, employee_count, state, hrd_corp_registered, hrd_corp_employer_number from employers.employer where id = $1',
    [id],
  );
  return row;
}
const staffRows = (id: string) =>
  graph.connection.query<Record<string, unknown>>('select subject, name, email, kind, role, added_by from employers.staff_account where employer_id = $1 order by subject', [id]);

const adminOf = (event: Approved) => ({ role: 'EMPLOYER', sub: event.data.administrator.subject, employerId: event.data.organisationId }) as const;

describe('an approved application to join as an employer', () => {
  it('creates the employer and its first ADMIN from the event, and that admin acts for it at once', async () => {
    const event = approval();
    await graph.events.publish(event);
    await eventually(async () => (await employerRow(event.data.organisationId)) !== undefined, 'the consumer to create the employer');

    expect(await employerRow(event.data.organisationId)).toEqual({
      registration_number: event.data.registrationNumber,
      name: event.data.name,
      sector: 'Manufacturing',
      size: 'SMALL',
      employee_count: 42,
      state: 'Perak',
      hrd_corp_registered: true,
      hrd_corp_employer_number: event.data.employer!.hrdCorpEmployerNumber,
    });
    expect(await staffRows(event.data.organisationId)).toEqual([
      {
        subject: event.data.administrator.subject,
        name: 'Lee Siew Ling',
        email: event.data.administrator.email.toLowerCase(),
        kind: 'PERSON',
        role: 'ADMIN',
        added_by: `application:${event.data.applicationId}`,
      },
    ]);

    const admin = adminOf(event);
    const mine = await graph.client.ok(`{ myEmployerAccount { role employer { id name hrdCorpRegistered hrdCorpEmployerNumber } } }`, { as: admin });
    expect(mine.myEmployerAccount).toEqual({
      role: 'ADMIN',
      employer: { id: event.data.organisationId, name: event.data.name, hrdCorpRegistered: true, hrdCorpEmployerNumber: event.data.employer!.hrdCorpEmployerNumber },
    });
    const recorded = await graph.client.ok(RECORD, { as: admin, variables: { input: { learnerId: learnerByKey('daniel').id, jobTitle: 'Operator', since: '2026-01-05' } } });
    expect(recorded.recordEmployment.employer.id).toBe(event.data.organisationId);
    const ADD = `mutation($input: EmployerStaffInput!) { addEmployerStaff(input: $input) { subject role } }`;
    await graph.client.ok(ADD, { as: admin, variables: { input: { subject: 'auth0|clerk', name: 'Clerk', email: 'clerk@baharu.example.my', kind: 'PERSON', role: 'STAFF' } } });
    const found = await graph.client.ok(`query($n: String!) { employerByRegistrationNumber(registrationNumber: $n) { id } }`, {
      as: 'ADMIN',
      variables: { n: event.data.registrationNumber },
    });
    expect(found.employerByRegistrationNumber).toEqual({ id: event.data.organisationId });
  });

  it('changes nothing when the approval arrives again, not even an administrator since removed', async () => {
    const event = approval({ hrdCorpEmployerNumber: null });
    expect(await applyOrganisationApproved(graph.db, event, silent)).toBe('CREATED');
    expect(await employerRow(event.data.organisationId)).toMatchObject({ hrd_corp_registered: false, hrd_corp_employer_number: null });
    // The founder hands over to a successor and leaves.
    const successor = { subject: 'auth0|successor', name: 'Successor', email: 'successor@baharu.example.my', kind: 'PERSON', role: 'ADMIN' };
    await graph.client.ok(`mutation($input: EmployerStaffInput!) { addEmployerStaff(input: $input) { subject } }`, { as: adminOf(event), variables: { input: successor } });
    await graph.client.ok(`mutation($s: String!) { removeEmployerStaff(subject: $s) { subject } }`, { as: { role: 'EMPLOYER', sub: successor.subject, employerId: event.data.organisationId }, variables: { s: event.data.administrator.subject } });
    const before = { employer: await employerRow(event.data.organisationId), staff: await staffRows(event.data.organisationId) };

    expect(await applyOrganisationApproved(graph.db, event, silent)).toBe('ALREADY_CREATED');
    await graph.events.publish({ ...event, id: randomUUID() });
    // A marker published after it: once the marker's employer exists, the redelivery was handled too.
    const marker = approval();
    await graph.events.publish(marker);
    await eventually(async () => (await employerRow(marker.data.organisationId)) !== undefined, 'the consumer to catch up');
    expect({ employer: await employerRow(event.data.organisationId), staff: await staffRows(event.data.organisationId) }).toEqual(before);
    expect(codesOf(await graph.client.query(`{ myEmployer { id } }`, { as: adminOf(event) }))).toEqual(['FORBIDDEN']);
  });

  it("ignores a funder's approval: that is the funding service's", async () => {
    const event = approval({ kind: 'FUNDER' });
    expect(await applyOrganisationApproved(graph.db, event, silent)).toBe('NOT_THIS_KIND');
    expect(await employerRow(event.data.organisationId)).toBeUndefined();
    expect(await staffRows(event.data.organisationId)).toEqual([]);
  });

  it('creates nothing when another employer has the registration number, and logs the application for an administrator', async () => {
    const event = approval({ registrationNumber: employers.software.registrationNumber });
    const { log, lines } = capturingLogger();
    expect(await applyOrganisationApproved(graph.db, event, log)).toBe('REGISTRATION_NUMBER_TAKEN');
    expect(await employerRow(event.data.organisationId)).toBeUndefined();
    expect(await staffRows(event.data.organisationId)).toEqual([]);
    expect((await staffRows(employers.software.id)).map((s) => s.subject)).not.toContain(event.data.administrator.subject);
    const errors = lines.filter((line) => line.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ applicationId: event.data.applicationId, organisationId: event.data.organisationId });
    expect(String(errors[0]!.msg)).toContain(event.data.applicationId);
    expect(JSON.stringify(lines)).not.toContain(event.data.administrator.email);

    // Delivered through the broker, it is settled (not retried) and later approvals still flow.
    await graph.events.publish(event);
    const marker = approval();
    await graph.events.publish(marker);
    await eventually(async () => (await employerRow(marker.data.organisationId)) !== undefined, 'the consumer to pass the refused approval');
    expect(await employerRow(event.data.organisationId)).toBeUndefined();
  });
});

describe("an employer's HRD Corp employer number", () => {
  it('is a private fact: its own staff, funders and administrators', async () => {
    const event = approval();
    await applyOrganisationApproved(graph.db, event, silent);
    const query = `query($id: ID!) { employer(id: $id) { name hrdCorpEmployerNumber } }`;
    for (const who of ['FUNDER', 'ADMIN', adminOf(event)] as const) {
      expect((await graph.client.ok(query, { as: who, variables: { id: event.data.organisationId } })).employer.hrdCorpEmployerNumber).toBe(event.data.employer!.hrdCorpEmployerNumber);
    }
    for (const who of ['EMPLOYER', 'LEARNER', 'PROVIDER_STAFF'] as const) {
      const response = await graph.client.query(query, { as: who, variables: { id: event.data.organisationId } });
      expect(codesOf(response), who).toEqual(['FORBIDDEN']);
      expect(response.data?.employer).toEqual({ name: event.data.name, hrdCorpEmployerNumber: null });
    }
  });
});
