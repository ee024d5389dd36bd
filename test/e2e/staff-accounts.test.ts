import { employers, funders, personas, providers, staffAdminOf } from '@tauliah/demo-data';
import { codesOf, type GraphQLResponse, type Who } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let graph: TestGraph;
/** How long services other than the owner trust a confirmed staff account here (30 s by default; shorter so the test sees it end). */
const STAFF_CHECK_TTL_MS = 2_000;

beforeAll(async () => {
  graph = await startTestGraph({ settings: { STAFF_CHECK_TTL_MS: String(STAFF_CHECK_TTL_MS) } });
});
afterAll(() => graph?.stop());

type Claim = 'providerId' | 'employerId' | 'funderId';

/**
 * Every organisation kind, with one of its demo organisations that has a
 * single ADMIN (and another of its kind), and a query of another service
 * that any of its staff may make (which that service admits only after
 * asking the owner).
 */
const KINDS = [
  {
    type: 'Provider',
    noun: 'provider',
    claim: 'providerId' as Claim,
    role: 'PROVIDER_STAFF',
    organisation: providers.trainingProvider,
    other: providers.publicUniversity,
    systems: true,
    elsewhere: `{ funder(id: "${funders.b40.id}") { name } }`,
  },
  {
    type: 'Employer',
    noun: 'employer',
    claim: 'employerId' as Claim,
    role: 'EMPLOYER',
    organisation: employers.cafe,
    other: employers.electronics,
    systems: true,
    elsewhere: `{ provider(id: "${providers.odl.id}") { name } }`,
  },
  {
    type: 'Funder',
    noun: 'funder',
    claim: 'funderId' as Claim,
    role: 'FUNDER',
    organisation: funders.b40,
    other: funders.hrdCorp,
    systems: false,
    elsewhere: `{ provider(id: "${providers.odl.id}") { name } }`,
  },
] as const;

describe.each(KINDS)('staff accounts of a $noun', ({ type, noun, claim, role, organisation, other, systems, elsewhere }) => {
  const id = organisation.id;
  const admin = staffAdminOf(id);
  const person = (sub: string, organisationId: string = id): Who => ({ role, sub, [claim]: organisationId });
  const partner = (sub: string): Who => ({ role: 'PARTNER', sub, [claim]: id });
  const MINE = `{ my${type}Account { subject role kind ${noun} { id } } }`;
  const STAFF = `query($id: ID!) { ${noun}(id: $id) { staff(first: 100) { totalCount edges { node { subject role kind } } } } }`;
  const ADD = `mutation($input: ${type}StaffInput!, $id: ID) { add${type}Staff(input: $input, ${noun}Id: $id) { subject name role kind addedBy ${noun} { id } } }`;
  const CHANGE = `mutation($subject: String!, $role: ${type}StaffRole!, $id: ID) { change${type}StaffRole(subject: $subject, role: $role, ${noun}Id: $id) { subject role } }`;
  const REMOVE = `mutation($subject: String!, $id: ID) { remove${type}Staff(subject: $subject, ${noun}Id: $id) { subject role } }`;
  const account = (subject: string, over: Record<string, unknown> = {}) => ({ subject, name: 'Nor Azlina binti Ahmad', email: 'azlina@example.my', kind: 'PERSON', role: 'STAFF', ...over });
  const staffList = async () =>
    (await graph.gateway.ok(STAFF, { as: 'ADMIN', variables: { id } }))[noun].staff.edges.map((e: { node: { subject: string; role: string } }) => `${e.node.subject} ${e.node.role}`);

  /** The whole refusal of a token whose subject has no account, as a partner developer sees it: the reason and the remedy, nothing internal. */
  function expectNotStaff(response: GraphQLResponse, subject: string, remedy = `add${type}Staff`) {
    expect(response.status).toBe(200);
    expect(response.errors).toEqual([
      {
        message: `The token's subject "${subject}" is not a staff account of ${noun} ${id}; an admin of that ${noun} can add it with ${remedy}.`,
        extensions: { code: 'FORBIDDEN' },
      },
    ]);
    expect(JSON.stringify(response)).not.toMatch(/Context creation|stack|serviceName|staff_account|http:\/\//);
  }

  it('refuses a token whose subject is not a staff account, at the owner and elsewhere, with the remedy', async () => {
    const stranger = person(`staff:${noun}:stranger`);
    expectNotStaff(await graph.gateway.query(MINE, { as: stranger }), `staff:${noun}:stranger`);
    expectNotStaff(await graph.gateway.query(elsewhere, { as: stranger }), `staff:${noun}:stranger`);
    // The demo admin of this organisation does not act for another one of its kind.
    const borrowed = await graph.gateway.query(MINE, { as: person(admin, other.id) });
    expect(codesOf(borrowed)).toEqual(['FORBIDDEN']);
    expect(borrowed.errors![0]!.message).toContain(`"${admin}" is not a staff account of ${noun} ${other.id}`);
  });

  it("lets its ADMIN add staff, who act for it at once everywhere; adding the same account again is a retry, other details a CONFLICT", async () => {
    const clerk = `staff:${noun}:clerk`;
    const added = (await graph.gateway.ok(ADD, { as: person(admin), variables: { input: account(clerk) } }))[`add${type}Staff`];
    expect(added).toEqual({ subject: clerk, name: 'Nor Azlina binti Ahmad', role: 'STAFF', kind: 'PERSON', addedBy: admin, [noun]: { id } });
    expect((await graph.gateway.ok(ADD, { as: person(admin), variables: { input: account(clerk) } }))[`add${type}Staff`]).toEqual(added);
    const conflict = await graph.gateway.query(ADD, { as: person(admin), variables: { input: account(clerk, { role: 'ADMIN' }) } });
    expect(codesOf(conflict)).toEqual(['CONFLICT']);
    expect(conflict.errors![0]!.message).toContain(`change${type}StaffRole`);

    expect((await graph.gateway.ok(MINE, { as: person(clerk) }))[`my${type}Account`]).toEqual({ subject: clerk, role: 'STAFF', kind: 'PERSON', [noun]: { id } });
    await graph.gateway.ok(elsewhere, { as: person(clerk) });
    // Its staff read the staff list; a STAFF account may not change it.
    expect((await graph.gateway.ok(STAFF, { as: person(clerk), variables: { id } }))[noun].staff.totalCount).toBeGreaterThanOrEqual(2);
    const refused = await graph.gateway.query(ADD, { as: person(clerk), variables: { input: account(`staff:${noun}:sneaky`) } });
    expect(codesOf(refused)).toEqual(['FORBIDDEN']);
    expect(refused.errors![0]!.message).toMatch(/has role STAFF: only its ADMIN staff accounts may add, change or remove staff/);
    expect(await staffList()).not.toContain(`staff:${noun}:sneaky STAFF`);
  });

  it('changes roles but never demotes or removes the last ADMIN', async () => {
    const deputy = `staff:${noun}:deputy`;
    for (const response of [
      await graph.gateway.query(CHANGE, { as: person(admin), variables: { subject: admin, role: 'STAFF' } }),
      await graph.gateway.query(REMOVE, { as: person(admin), variables: { subject: admin } }),
      await graph.gateway.query(REMOVE, { as: 'ADMIN', variables: { subject: admin, id } }),
    ]) {
      expect(codesOf(response)).toEqual(['CONFLICT']);
      expect(response.errors![0]!.message).toMatch(new RegExp(`"${admin}" is the last ADMIN staff account of ${noun} ${id} and cannot be (made STAFF|removed): make another account ADMIN first`));
    }
    await graph.gateway.ok(ADD, { as: person(admin), variables: { input: account(deputy) } });
    expect((await graph.gateway.ok(CHANGE, { as: person(admin), variables: { subject: deputy, role: 'ADMIN' } }))[`change${type}StaffRole`]).toEqual({ subject: deputy, role: 'ADMIN' });
    // Two admins: the first may step down, after which the deputy is the last.
    await graph.gateway.ok(CHANGE, { as: person(admin), variables: { subject: admin, role: 'STAFF' } });
    expect(codesOf(await graph.gateway.query(CHANGE, { as: person(deputy), variables: { subject: deputy, role: 'STAFF' } }))).toEqual(['CONFLICT']);
    expect(codesOf(await graph.gateway.query(CHANGE, { as: person(admin), variables: { subject: admin, role: 'ADMIN' } }))).toEqual(['FORBIDDEN']);
    await graph.gateway.ok(CHANGE, { as: person(deputy), variables: { subject: admin, role: 'ADMIN' } });
    expect((await staffList()).filter((s: string) => s.endsWith(' ADMIN')).sort()).toEqual([`${admin} ADMIN`, `${deputy} ADMIN`].sort());
  });

  it('lets a platform administrator manage the staff of any one, naming it', async () => {
    const named = await graph.gateway.query(ADD, { as: 'ADMIN', variables: { input: account(`staff:${noun}:by-platform`) } });
    expect(codesOf(named)).toEqual(['BAD_USER_INPUT']);
    expect(named.errors![0]!.extensions).toMatchObject({ field: `${noun}Id` });
    const added = (await graph.gateway.ok(ADD, { as: 'ADMIN', variables: { id, input: account(`staff:${noun}:by-platform`, { role: 'ADMIN' }) } }))[`add${type}Staff`];
    expect(added).toMatchObject({ role: 'ADMIN', addedBy: personas.ADMIN.sub, [noun]: { id } });
    expect((await graph.gateway.ok(REMOVE, { as: 'ADMIN', variables: { id, subject: `staff:${noun}:by-platform` } }))[`remove${type}Staff`]).toEqual({
      subject: `staff:${noun}:by-platform`,
      role: 'ADMIN',
    });
    // The organisation's own admin manages only its own.
    const notOwn = await graph.gateway.query(ADD, { as: person(admin), variables: { id: other.id, input: account('staff:x') } });
    expect(codesOf(notOwn)).toEqual(['FORBIDDEN']);
    expect(notOwn.errors![0]!.message).toBe(`Your token acts for ${noun} ${id}; you may manage only its staff accounts.`);
    // The staff list is for the organisation's own staff and platform administrators.
    for (const who of ['LEARNER', ...KINDS.filter((k) => k.noun !== noun).map((k) => k.role)] as Who[]) {
      expect(codesOf(await graph.gateway.query(STAFF, { as: who, variables: { id } })), JSON.stringify(who)).toEqual(['FORBIDDEN']);
    }
  });

  it('ends a removed account at once at the owner, and elsewhere once the confirmed answer expires', async () => {
    const leaver = `staff:${noun}:leaver`;
    await graph.gateway.ok(ADD, { as: person(admin), variables: { input: account(leaver) } });
    const confirmedAt = Date.now();
    await graph.gateway.ok(elsewhere, { as: person(leaver) });

    await graph.gateway.ok(REMOVE, { as: person(admin), variables: { subject: leaver } });
    expectNotStaff(await graph.gateway.query(MINE, { as: person(leaver) }), leaver);
    let refusedAfterMs = 0;
    while (refusedAfterMs === 0) {
      const response = await graph.gateway.query(elsewhere, { as: person(leaver) });
      const elapsed = Date.now() - confirmedAt;
      if (response.errors) {
        expectNotStaff(response, leaver);
        refusedAfterMs = elapsed;
      } else {
        expect(elapsed, 'admitted after the confirmed answer expired').toBeLessThan(STAFF_CHECK_TTL_MS + 2_000);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    expect(refusedAfterMs).toBeGreaterThanOrEqual(STAFF_CHECK_TTL_MS);
    expect(codesOf(await graph.gateway.query(REMOVE, { as: person(admin), variables: { subject: leaver } }))).toEqual(['NOT_FOUND']);
  });

  if (systems) {
    it('lets a partner system act for it only with a SYSTEM account', async () => {
      const system = `system:${noun}:records`;
      expectNotStaff(await graph.gateway.query(elsewhere, { as: partner(system) }), system, `add${type}Staff (kind SYSTEM)`);
      // A person's account does not serve a partner system's token, nor the other way round.
      const asPartner = await graph.gateway.query(MINE, { as: partner(admin) });
      expect(codesOf(asPartner)).toEqual(['FORBIDDEN']);
      expect(asPartner.errors![0]!.message).toMatch(/is a PERSON staff account .* a token with role PARTNER needs a SYSTEM account/);
      await graph.gateway.ok(ADD, { as: person(admin), variables: { input: account(system, { kind: 'SYSTEM', name: 'Records system' }) } });
      expect((await graph.gateway.ok(MINE, { as: partner(system) }))[`my${type}Account`]).toMatchObject({ kind: 'SYSTEM', role: 'STAFF' });
      await graph.gateway.ok(elsewhere, { as: partner(system) });
      const asPerson = await graph.gateway.query(MINE, { as: person(system) });
      expect(asPerson.errors![0]!.message).toMatch(new RegExp(`is a SYSTEM staff account .* a token with role ${role} needs a PERSON account`));
    });
  } else {
    it('has no partner systems: only PERSON accounts, for its officers', async () => {
      const system = await graph.gateway.query(ADD, { as: person(admin), variables: { input: account(`system:${noun}:records`, { kind: 'SYSTEM' }) } });
      expect(codesOf(system)).toEqual(['BAD_USER_INPUT']);
      expect(system.errors![0]!.message).toMatch(/Value "SYSTEM" does not exist in "FunderStaffKind" enum/);
      expect(await staffList()).not.toContain(`system:${noun}:records STAFF`);
    });
  }
});

describe('the demo personas', () => {
  it('are staff accounts of the organisations they act for, each of the right kind', async () => {
    const expected: Array<[Who, string, string]> = [
      ['PROVIDER_STAFF', 'myProviderAccount', 'PERSON ADMIN'],
      ['PARTNER', 'myProviderAccount', 'SYSTEM STAFF'],
      ['EMPLOYER', 'myEmployerAccount', 'PERSON ADMIN'],
      ['FUNDER', 'myFunderAccount', 'PERSON ADMIN'],
      [{ role: 'FUNDER', sub: 'officer:b40', funderId: funders.b40.id }, 'myFunderAccount', 'PERSON ADMIN'],
      [{ role: 'PARTNER', sub: 'system:perisian-hr', employerId: employers.software.id }, 'myEmployerAccount', 'SYSTEM STAFF'],
      [{ role: 'PARTNER', sub: 'system:uas-student-records', providerId: providers.publicUniversity.id }, 'myProviderAccount', 'SYSTEM STAFF'],
    ];
    for (const [who, field, standing] of expected) {
      const mine = (await graph.gateway.ok(`{ ${field} { kind role } }`, { as: who }))[field];
      expect(`${mine.kind} ${mine.role}`, JSON.stringify(who)).toBe(standing);
    }
  });
});
