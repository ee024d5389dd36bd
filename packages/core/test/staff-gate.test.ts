import { describe, expect, it } from 'vitest';
import { createLogger, createStaffGate, type GraphAnswer, type InternalGraph, type StaffStanding, type Viewer } from '../src/index.ts';

const employerId = '53894476-704e-5859-8f14-e007794aa4ac';
const log = createLogger({ level: 'silent' });
const person = (subject: string): Viewer => ({ kind: 'principal', role: 'EMPLOYER', subject, employerId });
const refusal = (subject: string) => ({
  message: `The token's subject "${subject}" is not a staff account of employer ${employerId}; an admin of that employer can add it with addEmployerStaff.`,
  extensions: { code: 'FORBIDDEN' },
});

/**
 * The graph as the employers subgraph answers `myEmployerAccount` for the
 * caller (the real answers are tested end to end): staff get their standing,
 * anyone else the refusal. Counts the questions.
 */
function employersGraph(staff: Map<string, StaffStanding>) {
  let asked = 0;
  const graphFor = (subject: string): InternalGraph => ({
    async query<T>(): Promise<GraphAnswer<T>> {
      asked += 1;
      const standing = staff.get(subject);
      return (standing ? { data: { myEmployerAccount: standing }, errors: [] } : { data: null, errors: [refusal(subject)] }) as GraphAnswer<T>;
    },
  });
  return { graphFor, asked: () => asked };
}

async function outcome(run: Promise<void>): Promise<string> {
  try {
    await run;
    return 'admitted';
  } catch (error) {
    const { extensions, message } = error as { extensions: { code: string; http?: { status: number } }; message: string };
    return `${extensions.code} (HTTP ${extensions.http?.status}): ${message}`;
  }
}

describe('the staff check of services that do not keep the accounts', () => {
  it('reuses a confirmed account for 30 seconds, then asks again', async () => {
    let clock = 0;
    const staff = new Map<string, StaffStanding>([['staff:a', { role: 'STAFF', kind: 'PERSON' }]]);
    const graph = employersGraph(staff);
    const gate = createStaffGate({ now: () => clock });
    await gate.admit(person('staff:a'), { graph: graph.graphFor('staff:a'), log });
    clock = 29_999;
    await gate.admit(person('staff:a'), { graph: graph.graphFor('staff:a'), log });
    expect(graph.asked()).toBe(1);

    staff.delete('staff:a');
    clock = 30_000;
    expect(await outcome(gate.admit(person('staff:a'), { graph: graph.graphFor('staff:a'), log }))).toBe(`FORBIDDEN (HTTP 200): ${refusal('staff:a').message}`);
    expect(graph.asked()).toBe(2);
  });

  it('never remembers a refusal', async () => {
    const staff = new Map<string, StaffStanding>();
    const graph = employersGraph(staff);
    const gate = createStaffGate();
    for (let i = 0; i < 3; i += 1) {
      expect(await outcome(gate.admit(person('staff:b'), { graph: graph.graphFor('staff:b'), log }))).toMatch(/^FORBIDDEN \(HTTP 200\): .*addEmployerStaff/);
    }
    expect(graph.asked()).toBe(3);
    staff.set('staff:b', { role: 'ADMIN', kind: 'PERSON' });
    expect(await outcome(gate.admit(person('staff:b'), { graph: graph.graphFor('staff:b'), log }))).toBe('admitted');
  });

  it('remembers a bounded number of accounts, forgetting the oldest first', async () => {
    const staff = new Map<string, StaffStanding>(['x', 'y', 'z'].map((s) => [s, { role: 'STAFF', kind: 'PERSON' }]));
    const graph = employersGraph(staff);
    const gate = createStaffGate({ maxEntries: 2 });
    for (const subject of ['x', 'y', 'z', 'z', 'y']) await gate.admit(person(subject), { graph: graph.graphFor(subject), log });
    expect(graph.asked()).toBe(3);
    await gate.admit(person('x'), { graph: graph.graphFor('x'), log });
    expect(graph.asked()).toBe(4);
  });

  it('asks once for concurrent first requests with the same token', async () => {
    const graph = employersGraph(new Map([['staff:c', { role: 'STAFF', kind: 'PERSON' }]]));
    const gate = createStaffGate();
    await Promise.all(Array.from({ length: 5 }, () => gate.admit(person('staff:c'), { graph: graph.graphFor('staff:c'), log })));
    expect(graph.asked()).toBe(1);
  });

  it('fails the request, without remembering, when the employers service cannot answer', async () => {
    let calls = 0;
    const down: InternalGraph = {
      async query<T>(): Promise<GraphAnswer<T>> {
        calls += 1;
        if (calls === 1) throw new Error('connect ECONNREFUSED 10.0.0.7:4000');
        return { data: null, errors: [{ message: 'The employers service is unavailable.', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }] };
      },
    };
    const gate = createStaffGate();
    for (let i = 0; i < 2; i += 1) {
      const result = await outcome(gate.admit(person('staff:d'), { graph: down, log }));
      expect(result).toMatch(new RegExp(`^SUBGRAPH_UNAVAILABLE \\(HTTP 503\\): Could not confirm .* staff account of ${employerId}.* Try again`));
      expect(result).not.toMatch(/ECONNREFUSED|10\.0\.0\.7/);
    }
    expect(calls).toBe(2);
  });

  it('refuses a remembered account used with a token of the other kind', async () => {
    const graph = employersGraph(new Map([['system:hr', { role: 'STAFF', kind: 'SYSTEM' }]]));
    const gate = createStaffGate();
    const partner: Viewer = { kind: 'principal', role: 'PARTNER', subject: 'system:hr', employerId };
    await gate.admit(partner, { graph: graph.graphFor('system:hr'), log });
    // The employers service would refuse it too; here the answer for the PARTNER token is not reused for an EMPLOYER one.
    expect(await outcome(gate.admit(person('system:hr'), { graph: graph.graphFor('system:hr'), log }))).toMatch(
      /FORBIDDEN .*is a SYSTEM staff account of .* a token with role EMPLOYER needs a PERSON account/,
    );
  });

  it('leaves the public, learners and platform administrators alone, without asking', async () => {
    const graph = employersGraph(new Map());
    const gate = createStaffGate();
    const others: Viewer[] = [
      { kind: 'public' },
      { kind: 'principal', role: 'LEARNER', subject: employerId },
      { kind: 'principal', role: 'ADMIN', subject: 'admin:1' },
      // A claim the role does not act with counts for nothing.
      { kind: 'principal', role: 'ADMIN', subject: 'admin:2', providerId: employerId, employerId, funderId: employerId },
      { kind: 'principal', role: 'LEARNER', subject: employerId, funderId: employerId },
    ];
    for (const viewer of others) await gate.admit(viewer, { graph: graph.graphFor('nobody'), log });
    expect(graph.asked()).toBe(0);
  });
});

describe('the staff check of the service that keeps the accounts', () => {
  it('reads its own table on every request, so a removal counts at once', async () => {
    const staff = new Map<string, StaffStanding>([['staff:e', { role: 'ADMIN', kind: 'PERSON' }]]);
    let reads = 0;
    const gate = createStaffGate({
      check: {
        EMPLOYER: async (principal, employer) => {
          reads += 1;
          return employer === employerId && staff.has(principal.subject) ? undefined : refusal(principal.subject).message;
        },
      },
    });
    const graph = employersGraph(new Map());
    await gate.admit(person('staff:e'), { graph: graph.graphFor('staff:e'), log });
    staff.delete('staff:e');
    expect(await outcome(gate.admit(person('staff:e'), { graph: graph.graphFor('staff:e'), log }))).toBe(`FORBIDDEN (HTTP 200): ${refusal('staff:e').message}`);
    expect(reads).toBe(2);
    expect(graph.asked()).toBe(0);
  });

  it('answers a failed read with a code, not the database error', async () => {
    const gate = createStaffGate({
      check: {
        EMPLOYER: async () => {
          throw new Error('relation "employers.staff_account" does not exist');
        },
      },
    });
    const result = await outcome(gate.admit(person('staff:f'), { graph: employersGraph(new Map()).graphFor('staff:f'), log }));
    expect(result).toMatch(/^SUBGRAPH_UNAVAILABLE \(HTTP 503\): Could not confirm/);
    expect(result).not.toMatch(/relation|staff_account/);
  });

  it('answers its database restarting as SERVICE_UNAVAILABLE, retry shortly, here and in the services that ask it', async () => {
    const gate = createStaffGate({
      check: {
        EMPLOYER: async () => {
          throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.9:5432'), { code: 'ECONNREFUSED' });
        },
      },
    });
    const result = await outcome(gate.admit(person('staff:g'), { graph: employersGraph(new Map()).graphFor('staff:g'), log }));
    expect(result).toMatch(/^SERVICE_UNAVAILABLE \(HTTP 503\): The database is unavailable just now .* Retry it in a few seconds\.$/);
    expect(result).not.toMatch(/ECONNREFUSED|10\.0\.0\.9/);

    // Another service passes that answer on, and remembers nothing.
    let calls = 0;
    const restarting: InternalGraph = {
      async query<T>(): Promise<GraphAnswer<T>> {
        calls += 1;
        return { data: null, errors: [{ message: 'The database is unavailable just now; retry it in a few seconds.', extensions: { code: 'SERVICE_UNAVAILABLE' } }] };
      },
    };
    const asker = createStaffGate();
    for (let i = 0; i < 2; i += 1) {
      expect(await outcome(asker.admit(person('staff:g'), { graph: restarting, log }))).toBe('SERVICE_UNAVAILABLE (HTTP 503): The database is unavailable just now; retry it in a few seconds.');
    }
    expect(calls).toBe(2);
  });
});

/**
 * The graph as the owners answer `my<Type>Account` (the real answers are
 * tested end to end): each field asked gets `answer(field)`, a standing or,
 * with null, the owner's refusal. Records the fields asked.
 */
function ownersGraph(answer: (field: string) => StaffStanding | null) {
  const asked: string[] = [];
  const graph: InternalGraph = {
    async query<T>(query: string): Promise<GraphAnswer<T>> {
      const field = /\{ (my\w+Account) \{/.exec(query)![1]!;
      asked.push(field);
      const standing = answer(field);
      return (standing ? { data: { [field]: standing }, errors: [] } : { data: null, errors: [refusal('someone')] }) as GraphAnswer<T>;
    },
  };
  return { graph, asked };
}

describe('every organisation kind', () => {
  it("asks the owner of the organisation the token acts for, by the owner's own query", async () => {
    const { graph, asked } = ownersGraph((field) => ({ role: 'STAFF', kind: field === 'myFunderAccount' ? 'PERSON' : 'SYSTEM' }));
    const gate = createStaffGate();
    const tokens: Viewer[] = [
      { kind: 'principal', role: 'PARTNER', subject: 'system:sis', providerId: employerId },
      { kind: 'principal', role: 'PARTNER', subject: 'system:hr', employerId },
      { kind: 'principal', role: 'FUNDER', subject: 'officer:1', funderId: employerId },
    ];
    for (const viewer of tokens) await gate.admit(viewer, { graph, log });
    expect(asked).toEqual(['myProviderAccount', 'myEmployerAccount', 'myFunderAccount']);
  });

  it("checks its own kind in its own table and asks the graph for the others'", async () => {
    const { graph, asked } = ownersGraph(() => ({ role: 'STAFF', kind: 'PERSON' }));
    const checked: string[] = [];
    const gate = createStaffGate({
      check: {
        PROVIDER: async (principal) => {
          checked.push(principal.subject);
          return principal.subject === 'staff:known' ? undefined : `"${principal.subject}" is not a staff account of provider ${employerId}.`;
        },
      },
    });
    await gate.admit({ kind: 'principal', role: 'PROVIDER_STAFF', subject: 'staff:known', providerId: employerId }, { graph, log });
    expect(await outcome(gate.admit({ kind: 'principal', role: 'PROVIDER_STAFF', subject: 'staff:gone', providerId: employerId }, { graph, log }))).toBe(
      `FORBIDDEN (HTTP 200): "staff:gone" is not a staff account of provider ${employerId}.`,
    );
    await gate.admit(person('staff:hr'), { graph, log });
    expect(checked).toEqual(['staff:known', 'staff:gone']);
    expect(asked).toEqual(['myEmployerAccount']);
  });

  it('remembers a confirmed account per organisation kind: a provider account does not confirm the same subject at an employer', async () => {
    const { graph, asked } = ownersGraph((field) => (field === 'myEmployerAccount' ? null : { role: 'STAFF', kind: 'SYSTEM' }));
    const gate = createStaffGate();
    await gate.admit({ kind: 'principal', role: 'PARTNER', subject: 'system:shared', providerId: employerId }, { graph, log });
    expect(await outcome(gate.admit({ kind: 'principal', role: 'PARTNER', subject: 'system:shared', employerId }, { graph, log }))).toMatch(/^FORBIDDEN/);
    expect(asked).toEqual(['myProviderAccount', 'myEmployerAccount']);
  });
});
