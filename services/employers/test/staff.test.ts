import { demoId, employers, employerStaff, personas } from '@tauliah/demo-data';
import { codesOf, startTestSubgraph, type GraphQLResponse, type TestSubgraph, type Who } from '@tauliah/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { employersService } from '../src/index.ts';

let graph: TestSubgraph<typeof employersService.tables>;

beforeAll(async () => {
  graph = await startTestSubgraph(employersService);
});
afterAll(() => graph?.stop());

const softwareAdmin = 'EMPLOYER' as const; // staff:perisian:hiring, an ADMIN of Perisian Cemerlang
const softwareStaff = { role: 'EMPLOYER', sub: 'staff:perisian:hr', employerId: employers.software.id } as const;
const softwarePartner = { role: 'PARTNER', sub: 'system:perisian-hr', employerId: employers.software.id } as const;
const electronicsAdmin = { role: 'EMPLOYER', sub: 'staff:elektronik:hr', employerId: employers.electronics.id } as const;
const person = (sub: string, employerId: string) => ({ role: 'EMPLOYER', sub, employerId }) as const;

const STAFF = `query($id: ID!, $first: Int, $after: String) {
  employer(id: $id) { name staff(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { subject name email kind role addedBy employer { id } } } } }
}`;
const MINE = `{ myEmployerAccount { subject name kind role employer { id name } } }`;
const ADD = `mutation($input: EmployerStaffInput!, $employerId: ID) {
  addEmployerStaff(input: $input, employerId: $employerId) { subject name email kind role addedBy addedAt employer { id } }
}`;
const CHANGE = `mutation($subject: String!, $role: EmployerStaffRole!, $employerId: ID) {
  changeEmployerStaffRole(subject: $subject, role: $role, employerId: $employerId) { subject role }
}`;
const REMOVE = `mutation($subject: String!, $employerId: ID) { removeEmployerStaff(subject: $subject, employerId: $employerId) { subject role } }`;

const account = (subject: string, over: Record<string, unknown> = {}) => ({
  subject,
  name: 'Siti Aminah binti Yusof',
  email: 'siti.aminah@example.my',
  kind: 'PERSON',
  role: 'STAFF',
  ...over,
});

const staffOf = async (employerId: string, as: Who = 'ADMIN') =>
  (await graph.client.ok(STAFF, { as, variables: { id: employerId, first: 100 } })).employer.staff.edges.map(
    (e: { node: { subject: string; role: string } }) => `${e.node.subject} ${e.node.role}`,
  );

/** A new employer for a test that changes staff, with the given admins (added by a platform administrator). */
let employerCount = 0;
async function employerWithAdmins(...subjects: string[]): Promise<string> {
  employerCount += 1;
  const id = demoId(`employer:staff-test:${employerCount}`);
  await graph.db.insert(employersService.tables.employer).values({
    id,
    registrationNumber: `2025010${String(employerCount).padStart(5, '0')} (TEST-${employerCount})`,
    name: `Syarikat Ujian ${employerCount} Sdn Bhd`,
    sector: 'Manufacturing',
    size: 'SMALL',
    employeeCount: 20,
    state: 'Perak',
    hrdCorpRegistered: false,
  });
  for (const subject of subjects) {
    await graph.client.ok(ADD, { as: 'ADMIN', variables: { employerId: id, input: account(subject, { role: 'ADMIN' }) } });
  }
  return id;
}

describe("an employer's staff list", () => {
  it("shows the employer's own staff, people and systems, by name, to any of them", async () => {
    const expected = employerStaff
      .filter((s) => s.organisationId === employers.software.id)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((s) => ({ subject: s.subject, name: s.name, email: s.email, kind: s.kind, role: s.role, addedBy: s.addedBy, employer: { id: employers.software.id } }));
    for (const who of [softwareAdmin, softwareStaff, softwarePartner, 'ADMIN'] as const) {
      const data = await graph.client.ok(STAFF, { as: who, variables: { id: employers.software.id } });
      expect(data.employer.staff.totalCount, JSON.stringify(who)).toBe(expected.length);
      expect(data.employer.staff.edges.map((e: { node: unknown }) => e.node)).toEqual(expected);
    }
  });

  it('pages by name with a cursor', async () => {
    const first = (await graph.client.ok(STAFF, { as: softwareStaff, variables: { id: employers.software.id, first: 2 } })).employer.staff;
    expect(first.edges).toHaveLength(2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = (await graph.client.ok(STAFF, { as: softwareStaff, variables: { id: employers.software.id, first: 2, after: first.pageInfo.endCursor } }))
      .employer.staff;
    expect(rest.pageInfo).toEqual({ hasNextPage: false, endCursor: rest.edges[0].cursor });
    expect([...first.edges, ...rest.edges].map((e: { node: { subject: string } }) => e.node.subject)).toEqual(
      employerStaff.filter((s) => s.organisationId === employers.software.id).sort((a, b) => a.name.localeCompare(b.name)).map((s) => s.subject),
    );
  });

  it("is FORBIDDEN (null) to another employer's staff, funders, learners and the public; the rest of the employer stays visible", async () => {
    for (const who of [electronicsAdmin, 'FUNDER', 'LEARNER', 'PROVIDER_STAFF', undefined] as const) {
      const response = await graph.client.query(STAFF, { as: who, variables: { id: employers.software.id } });
      expect(codesOf(response), JSON.stringify(who)).toEqual(['FORBIDDEN']);
      expect(response.data?.employer).toEqual({ name: employers.software.name, staff: null });
    }
  });

  it('refuses a page size outside 1–100 and a cursor from elsewhere', async () => {
    for (const variables of [{ first: 0 }, { first: 101 }, { after: 'bm90IGEgY3Vyc29y' }, { after: 'WzFd' }]) {
      const response = await graph.client.query(STAFF, { as: softwareAdmin, variables: { id: employers.software.id, ...variables } });
      expect(codesOf(response), JSON.stringify(variables)).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('lists the staff of many employers in the same number of statements as of one', async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Employer { staff(first: 1) { totalCount edges { node { subject employer { name } } } } } } }`;
    const reps = (ids: string[]) => ids.map((id) => ({ __typename: 'Employer', id }));
    const all = Object.values(employers).map((e) => e.id);
    const one = await graph.statementsDuring(() => graph.client.ok(query, { as: 'ADMIN', variables: { r: reps(all.slice(0, 1)) } }));
    const { statements, result: data } = await graph.statementsDuring(() => graph.client.ok(query, { as: 'ADMIN', variables: { r: reps(all) } }));
    expect(statements).toBe(one.statements);
    expect(data._entities.map((e: { staff: { totalCount: number; edges: unknown[] } }) => [e.staff.totalCount, e.staff.edges.length])).toEqual([
      [3, 1],
      [1, 1],
      [1, 1],
    ]);
  });
});

describe('myEmployerAccount', () => {
  it("tells a person or system its own standing at the employer it acts for", async () => {
    expect((await graph.client.ok(MINE, { as: softwareAdmin })).myEmployerAccount).toEqual({
      subject: personas.EMPLOYER.sub,
      name: 'Nurul Izzah binti Kamal',
      kind: 'PERSON',
      role: 'ADMIN',
      employer: { id: employers.software.id, name: employers.software.name },
    });
    expect((await graph.client.ok(MINE, { as: softwareStaff })).myEmployerAccount).toMatchObject({ kind: 'PERSON', role: 'STAFF' });
    expect((await graph.client.ok(MINE, { as: softwarePartner })).myEmployerAccount).toMatchObject({ kind: 'SYSTEM', role: 'STAFF' });
  });

  it('is for tokens acting for an employer only', async () => {
    for (const who of ['ADMIN', 'FUNDER', 'LEARNER', 'PARTNER'] as const) {
      expect(codesOf(await graph.client.query(MINE, { as: who })), who).toEqual(['FORBIDDEN']);
    }
    expect(codesOf(await graph.client.query(MINE))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('adding staff', () => {
  it("lets an employer's ADMIN add a person, who can then act for the employer", async () => {
    const recruiter = person('staff:perisian:recruiter', employers.software.id);
    expect(codesOf(await graph.client.query(MINE, { as: recruiter }))).toEqual(['FORBIDDEN']);
    const added = (await graph.client.ok(ADD, { as: softwareAdmin, variables: { input: account(recruiter.sub, { email: ' Siti.Aminah@Example.MY ' }) } }))
      .addEmployerStaff;
    expect(added).toMatchObject({ subject: recruiter.sub, email: 'siti.aminah@example.my', kind: 'PERSON', role: 'STAFF', addedBy: personas.EMPLOYER.sub });
    expect(added.employer.id).toBe(employers.software.id);
    expect((await graph.client.ok(MINE, { as: recruiter })).myEmployerAccount.role).toBe('STAFF');
    expect(await staffOf(employers.software.id)).toContain(`${recruiter.sub} STAFF`);
  });

  it('changes nothing when the same account is added again, and is a CONFLICT with other details', async () => {
    const input = account('staff:perisian:intern');
    const first = (await graph.client.ok(ADD, { as: softwareAdmin, variables: { input } })).addEmployerStaff;
    const again = (await graph.client.ok(ADD, { as: softwareAdmin, variables: { input } })).addEmployerStaff;
    expect(again).toEqual(first);
    for (const other of [{ role: 'ADMIN' }, { name: 'Someone Else' }, { email: 'other@example.my' }, { kind: 'SYSTEM' }]) {
      const response = await graph.client.query(ADD, { as: softwareAdmin, variables: { input: { ...input, ...other } } });
      expect(codesOf(response), JSON.stringify(other)).toEqual(['CONFLICT']);
      expect(response.errors![0]!.message).toMatch(/already a staff account .*changeEmployerStaffRole/);
    }
    expect((await staffOf(employers.software.id)).filter((s: string) => s.startsWith('staff:perisian:intern '))).toEqual(['staff:perisian:intern STAFF']);
  });

  it('lets one subject be staff of several employers', async () => {
    const consultant = 'staff:consultant:aminah';
    await graph.client.ok(ADD, { as: softwareAdmin, variables: { input: account(consultant) } });
    await graph.client.ok(ADD, { as: electronicsAdmin, variables: { input: account(consultant) } });
    expect((await graph.client.ok(MINE, { as: person(consultant, employers.software.id) })).myEmployerAccount.employer.id).toBe(employers.software.id);
    expect((await graph.client.ok(MINE, { as: person(consultant, employers.electronics.id) })).myEmployerAccount.employer.id).toBe(employers.electronics.id);
  });

  it('refuses STAFF accounts, partner systems without ADMIN, and everyone who does not act for the employer', async () => {
    for (const who of [softwareStaff, softwarePartner]) {
      const response = await graph.client.query(ADD, { as: who, variables: { input: account('staff:perisian:sneaky') } });
      expect(codesOf(response)).toEqual(['FORBIDDEN']);
      expect(response.errors![0]!.message).toMatch(/has role STAFF: only its ADMIN staff accounts may add, change or remove staff/);
    }
    const elsewhere = await graph.client.query(ADD, { as: electronicsAdmin, variables: { input: account('staff:x'), employerId: employers.software.id } });
    expect(codesOf(elsewhere)).toEqual(['FORBIDDEN']);
    expect(elsewhere.errors![0]!.message).toMatch(/acts for employer .* only its staff accounts/);
    for (const who of ['LEARNER', 'FUNDER', 'PROVIDER_STAFF', 'PARTNER'] as const) {
      expect(codesOf(await graph.client.query(ADD, { as: who, variables: { input: account('staff:x'), employerId: employers.software.id } })), who).toEqual([
        'FORBIDDEN',
      ]);
    }
    expect(codesOf(await graph.client.query(ADD, { variables: { input: account('staff:x') } }))).toEqual(['UNAUTHENTICATED']);
    expect(await staffOf(employers.software.id)).not.toContain('staff:perisian:sneaky STAFF');
  });

  it("lets a platform administrator give any employer its first admin, naming the employer", async () => {
    const id = await employerWithAdmins();
    const missing = await graph.client.query(ADD, { as: 'ADMIN', variables: { input: account('staff:ujian:owner', { role: 'ADMIN' }) } });
    expect(codesOf(missing)).toEqual(['BAD_USER_INPUT']);
    expect(missing.errors![0]!.extensions).toMatchObject({ field: 'employerId' });
    const unknown = await graph.client.query(ADD, { as: 'ADMIN', variables: { employerId: demoId('employer:nobody'), input: account('staff:x') } });
    expect(codesOf(unknown)).toEqual(['NOT_FOUND']);
    const added = await graph.client.ok(ADD, { as: 'ADMIN', variables: { employerId: id, input: account('staff:ujian:owner', { role: 'ADMIN' }) } });
    expect(added.addEmployerStaff).toMatchObject({ role: 'ADMIN', addedBy: personas.ADMIN.sub, employer: { id } });
    expect((await graph.client.ok(MINE, { as: person('staff:ujian:owner', id) })).myEmployerAccount.role).toBe('ADMIN');
  });

  it('lists every problem of a bad account with the field it concerns', async () => {
    const bad = {
      subject: 'has spaces',
      name: ' ',
      email: 'not-an-email',
      kind: 'PERSON',
      role: 'STAFF',
    };
    const response = await graph.client.query(ADD, { as: softwareAdmin, variables: { input: bad } });
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    const fields = (response.errors![0]!.extensions!.problems as Array<{ field: string }>).map((p) => p.field);
    expect(fields.sort()).toEqual(['input.email', 'input.name', 'input.subject']);

    const cases: Array<[Record<string, unknown>, string]> = [
      [{ subject: '' }, 'input.subject'],
      [{ subject: 'x'.repeat(256) }, 'input.subject'],
      [{ subject: 'staff:\u00e9' }, 'input.subject'],
      [{ name: 'n'.repeat(201) }, 'input.name'],
      [{ email: 'a@' }, 'input.email'],
    ];
    for (const [over, field] of cases) {
      const one = await graph.client.query(ADD, { as: softwareAdmin, variables: { input: account('staff:perisian:ok', over) } });
      expect(codesOf(one), JSON.stringify(over)).toEqual(['BAD_USER_INPUT']);
      expect((one.errors![0]!.extensions!.problems as Array<{ field: string }>).map((p) => p.field)).toEqual([field]);
    }
    expect(codesOf(await graph.client.query(ADD, { as: 'ADMIN', variables: { employerId: 'nope', input: account('staff:x') } }))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await graph.client.query(ADD, { as: softwareAdmin, variables: { input: account('staff:x', { role: 'OWNER' }) } }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(await staffOf(employers.software.id)).not.toContain('staff:perisian:ok STAFF');
  });
});

describe('changing roles and removing staff', () => {
  it('promotes and demotes, but never demotes the last ADMIN', async () => {
    const id = await employerWithAdmins('staff:a:owner');
    const owner = person('staff:a:owner', id);
    await graph.client.ok(ADD, { as: owner, variables: { input: account('staff:a:clerk') } });
    expect((await graph.client.ok(CHANGE, { as: owner, variables: { subject: 'staff:a:clerk', role: 'ADMIN' } })).changeEmployerStaffRole).toEqual({
      subject: 'staff:a:clerk',
      role: 'ADMIN',
    });
    // Two admins: either may now step down, but not both.
    await graph.client.ok(CHANGE, { as: person('staff:a:clerk', id), variables: { subject: 'staff:a:owner', role: 'STAFF' } });
    const last = await graph.client.query(CHANGE, { as: person('staff:a:clerk', id), variables: { subject: 'staff:a:clerk', role: 'STAFF' } });
    expect(codesOf(last)).toEqual(['CONFLICT']);
    expect(last.errors![0]!.message).toMatch(/last ADMIN staff account .* cannot be made STAFF/);
    expect(codesOf(await graph.client.query(CHANGE, { as: 'ADMIN', variables: { employerId: id, subject: 'staff:a:clerk', role: 'STAFF' } }))).toEqual(['CONFLICT']);
    expect(await staffOf(id)).toEqual(['staff:a:clerk ADMIN', 'staff:a:owner STAFF']);
    // The former owner is STAFF now and may no longer manage staff.
    expect(codesOf(await graph.client.query(CHANGE, { as: owner, variables: { subject: 'staff:a:owner', role: 'ADMIN' } }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.client.query(CHANGE, { as: person('staff:a:clerk', id), variables: { subject: 'staff:nobody', role: 'ADMIN' } }))).toEqual([
      'NOT_FOUND',
    ]);
    expect(codesOf(await graph.client.query(CHANGE, { as: person('staff:a:clerk', id), variables: { subject: ' ', role: 'ADMIN' } }))).toEqual([
      'BAD_USER_INPUT',
    ]);
  });

  it('removes a staff member, whose token the employers service refuses from the next request on', async () => {
    const id = await employerWithAdmins('staff:b:owner');
    const owner = person('staff:b:owner', id);
    const clerk = person('staff:b:clerk', id);
    await graph.client.ok(ADD, { as: owner, variables: { input: account(clerk.sub) } });
    expect((await graph.client.ok(MINE, { as: clerk })).myEmployerAccount.subject).toBe(clerk.sub);

    expect((await graph.client.ok(REMOVE, { as: owner, variables: { subject: clerk.sub } })).removeEmployerStaff).toEqual({ subject: clerk.sub, role: 'STAFF' });
    expectRefusal(await graph.client.query(MINE, { as: clerk }), clerk.sub, id);
    // Every request with the token, even one the public could make.
    expectRefusal(await graph.client.query('{ jobRoles(first: 1) { totalCount } }', { as: clerk }), clerk.sub, id);
    expect(codesOf(await graph.client.query(REMOVE, { as: owner, variables: { subject: clerk.sub } }))).toEqual(['NOT_FOUND']);
  });

  it('never removes the last ADMIN', async () => {
    const id = await employerWithAdmins('staff:c:owner');
    for (const who of [person('staff:c:owner', id), 'ADMIN'] as const) {
      const response = await graph.client.query(REMOVE, { as: who, variables: { subject: 'staff:c:owner', employerId: id } });
      expect(codesOf(response)).toEqual(['CONFLICT']);
      expect(response.errors![0]!.message).toMatch(/last ADMIN staff account of employer .* cannot be removed: make another account ADMIN first/);
    }
    expect(await staffOf(id)).toEqual(['staff:c:owner ADMIN']);
  });

  it('keeps one ADMIN when two admins are removed at the same time', async () => {
    for (let round = 0; round < 4; round += 1) {
      const id = await employerWithAdmins(`staff:d${round}:one`, `staff:d${round}:two`);
      const responses = await Promise.all(
        [`staff:d${round}:one`, `staff:d${round}:two`].map((subject) => graph.client.query(REMOVE, { as: 'ADMIN', variables: { subject, employerId: id } })),
      );
      expect(responses.flatMap(codesOf).sort()).toEqual(['CONFLICT']);
      expect(await staffOf(id)).toHaveLength(1);
    }
  });

  it('keeps one ADMIN when two admins remove each other, or step down, at the same time', async () => {
    const id = await employerWithAdmins('staff:e:one', 'staff:e:two');
    const [one, two] = [person('staff:e:one', id), person('staff:e:two', id)];
    const removals = await Promise.all([
      graph.client.query(REMOVE, { as: one, variables: { subject: two.sub } }),
      graph.client.query(REMOVE, { as: two, variables: { subject: one.sub } }),
    ]);
    // The second waits for the first's lock, then finds its caller gone (FORBIDDEN) or itself the last (CONFLICT).
    expect(removals.filter((r) => !r.errors)).toHaveLength(1);
    expect(removals.flatMap(codesOf)).toHaveLength(1);
    expect(await staffOf(id)).toHaveLength(1);

    const other = await employerWithAdmins('staff:f:one', 'staff:f:two');
    const demotions = await Promise.all(
      ['staff:f:one', 'staff:f:two'].map((subject) => graph.client.query(CHANGE, { as: 'ADMIN', variables: { subject, role: 'STAFF', employerId: other } })),
    );
    expect(demotions.flatMap(codesOf)).toEqual(['CONFLICT']);
    expect((await staffOf(other)).filter((s: string) => s.endsWith(' ADMIN'))).toHaveLength(1);
  });
});

function expectRefusal(response: GraphQLResponse, subject: string, employerId: string) {
  expect(response.status).toBe(200);
  expect(response.data ?? null).toBeNull();
  expect(response.errors).toEqual([
    {
      message: `The token's subject "${subject}" is not a staff account of employer ${employerId}; an admin of that employer can add it with addEmployerStaff.`,
      extensions: { code: 'FORBIDDEN' },
    },
  ]);
}

describe('acting for an employer', () => {
  it('refuses every request of a token whose subject is not a staff account there, with the remedy', async () => {
    const stranger = person('staff:unknown', employers.software.id);
    for (const query of [MINE, '{ jobRoles(first: 1) { totalCount } }', `{ employer(id: "${employers.software.id}") { name } }`]) {
      expectRefusal(await graph.client.query(query, { as: stranger }), stranger.sub, employers.software.id);
      expectRefusal(await graph.direct.query(query, { as: stranger }), stranger.sub, employers.software.id);
    }
    // A staff account of one employer does not act for another.
    expectRefusal(await graph.client.query(MINE, { as: person(softwareStaff.sub, employers.cafe.id) }), softwareStaff.sub, employers.cafe.id);
    const nowhere = demoId('employer:nowhere');
    expectRefusal(await graph.client.query(MINE, { as: person('staff:x', nowhere) }), 'staff:x', nowhere);
  });

  it('needs a SYSTEM account for a partner system and a PERSON account for a person', async () => {
    const asPartner = await graph.client.query(MINE, { as: { role: 'PARTNER', sub: softwareStaff.sub, employerId: employers.software.id } });
    expect(codesOf(asPartner)).toEqual(['FORBIDDEN']);
    expect(asPartner.errors![0]!.message).toMatch(/is a PERSON staff account .* a token with role PARTNER needs a SYSTEM account/);
    const asPerson = await graph.client.query(MINE, { as: person(softwarePartner.sub, employers.software.id) });
    expect(codesOf(asPerson)).toEqual(['FORBIDDEN']);
    expect(asPerson.errors![0]!.message).toMatch(/is a SYSTEM staff account .* a token with role EMPLOYER needs a PERSON account/);
    const unknownSystem = await graph.client.query(MINE, { as: { role: 'PARTNER', sub: 'system:unknown', employerId: employers.software.id } });
    expect(unknownSystem.errors![0]!.message).toMatch(/not a staff account .* add it with addEmployerStaff \(kind SYSTEM\)/);
  });

  it('checks with one statement per request, leaving other tokens alone', async () => {
    const query = '{ jobRoles(first: 5) { totalCount edges { node { title } } } }';
    const cost = async (who: Who | undefined) => (await graph.statementsDuring(() => graph.client.ok(query, { as: who }))).statements;
    const funder = await cost('FUNDER');
    expect(await cost(undefined)).toBe(funder);
    expect(await cost('PARTNER')).toBe(funder);
    expect(await cost(softwareAdmin)).toBe(funder + 1);
  });
});
