import { employers, learnerByKey } from '@tauliah/demo-data';
import { codesOf, startTestSubgraph, type GraphQLResponse, type TestSubgraph, type Who } from '@tauliah/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { employersService } from '../src/index.ts';
import {
  asLearner,
  CONFIRM,
  daysFromToday,
  DECLINE,
  demoEmploymentOf,
  elektronikHr,
  END,
  kopiOwner,
  perisianAdmin,
  perisianHr,
  perisianSystem,
  RECORD,
  record,
  today,
} from './employment-support.ts';

let graph: TestSubgraph<typeof employersService.tables>;

beforeAll(async () => {
  graph = await startTestSubgraph(employersService);
});
afterAll(() => graph?.stop());

/** What the learner sees of their employment, and what a funder with their ELIGIBILITY consent is told, as the gateway asks. */
const LEARNER_VIEW = `query($r: [_Any!]!) {
  _entities(representations: $r) { ... on Learner { employment { id status current until } currentEmployer { id } eligibilityEmployer { id } } }
}`;
async function learnerView(key: string) {
  const id = learnerByKey(key).id;
  const data = await graph.client.ok(LEARNER_VIEW, { as: asLearner(key), variables: { r: [{ __typename: 'Learner', id, consentedScopes: ['ELIGIBILITY'] }] } });
  return data._entities[0] as { employment: Array<{ id: string; status: string; current: boolean; until: string | null }>; currentEmployer: { id: string } | null; eligibilityEmployer: { id: string } | null };
}

const mutate = (query: string, who: Who | undefined, variables: Record<string, unknown>) => graph.client.query(query, { as: who, variables });

/** The employment rows of a learner, straight from the table. */
async function rowsOf(learnerId: string) {
  return graph.connection.query<{ id: string; employer_id: string; confirmed_by_learner: boolean; declined_at: string | null; until: string | null }>(
    'select id, employer_id, confirmed_by_learner, declined_at, until from employers.employment where learner_id = $1 order by created_at',
    [learnerId],
  );
}

function expectCode(response: GraphQLResponse, code: string, message?: RegExp) {
  expect(codesOf(response), JSON.stringify(response.errors)).toEqual([code]);
  if (message) expect(response.errors![0]!.message).toMatch(message);
}

describe('recording employment', () => {
  it('records a PENDING employment that counts nowhere until the learner confirms it', async () => {
    const daniel = learnerByKey('daniel');
    const recorded = await record(graph.client, perisianHr, { learnerId: daniel.id, jobTitle: '  Junior Developer ', since: '2026-03-02' });
    expect(recorded).toMatchObject({
      jobTitle: 'Junior Developer',
      since: '2026-03-02',
      until: null,
      confirmedByLearner: false,
      status: 'PENDING',
      current: true,
      employer: { id: employers.software.id },
      learner: { id: daniel.id },
    });
    const seen = await learnerView('daniel');
    expect(seen.employment).toEqual([{ id: recorded.id, status: 'PENDING', current: true, until: null }]);
    expect(seen.currentEmployer).toBeNull();
    expect(seen.eligibilityEmployer).toBeNull();
    const [row] = await graph.connection.query<{ recorded_by: string }>('select recorded_by from employers.employment where id = $1', [recorded.id]);
    expect(row!.recorded_by).toBe(perisianHr.sub);
  });

  it('answers a learner id that belongs to no one exactly as one that does', async () => {
    const nobody = randomUUID();
    const known = learnerByKey('nurul').id;
    const shapeOf = (answer: Record<string, unknown>) => JSON.stringify({ ...answer, id: 'ID', recordedAt: 'AT', learner: 'LEARNER' });
    const forNobody = await mutate(RECORD, perisianHr, { input: { learnerId: nobody, jobTitle: 'Intern', since: '2026-02-02' } });
    const forNurul = await mutate(RECORD, perisianHr, { input: { learnerId: known, jobTitle: 'Intern', since: '2026-02-02' } });
    expect(forNobody.errors).toBeUndefined();
    expect(forNurul.errors).toBeUndefined();
    expect(shapeOf(forNobody.data!.recordEmployment)).toBe(shapeOf(forNurul.data!.recordEmployment));
    expect(forNobody.data!.recordEmployment.learner).toEqual({ id: nobody });
  });

  it('refuses bad input, every problem with its field, and records nothing', async () => {
    const arjun = learnerByKey('arjun').id;
    const bad = await mutate(RECORD, perisianHr, { input: { learnerId: 'not-a-uuid', jobTitle: ' ', since: daysFromToday(1) } });
    expectCode(bad, 'BAD_USER_INPUT');
    const fields = (bad.errors![0]!.extensions!.problems as Array<{ field: string }>).map((p) => p.field).sort();
    expect(fields).toEqual(['input.jobTitle', 'input.learnerId', 'input.since']);
    for (const since of ['2026-02-30', '02/03/2026', '2026-2-3', daysFromToday(40)]) {
      expectCode(await mutate(RECORD, perisianHr, { input: { learnerId: arjun, jobTitle: 'Intern', since } }), 'BAD_USER_INPUT', /input\.since/);
    }
    expectCode(await mutate(RECORD, perisianHr, { input: { learnerId: arjun, jobTitle: 'x'.repeat(201), since: '2026-01-01' } }), 'BAD_USER_INPUT', /input\.jobTitle/);
    expectCode(await mutate(RECORD, perisianHr, { input: { learnerId: arjun, jobTitle: 'Intern', since: '2026-01-01' }, key: ' ' }), 'BAD_USER_INPUT', /idempotencyKey/);
    expect(await rowsOf(arjun)).toEqual([]);
    // Today itself is the latest first day.
    expect((await record(graph.client, perisianHr, { learnerId: arjun, since: today() })).status).toBe('PENDING');
  });

  it('is a CONFLICT naming the open record when the employer records the same learner again; other employers may record them', async () => {
    const meiling = learnerByKey('meiling').id;
    const first = await record(graph.client, perisianHr, { learnerId: meiling, jobTitle: 'QA Engineer' });
    for (const who of [perisianHr, perisianSystem, perisianAdmin]) {
      const again = await mutate(RECORD, who, { input: { learnerId: meiling, jobTitle: 'Senior QA Engineer', since: '2026-06-01' } });
      expectCode(again, 'CONFLICT', new RegExp(`open record of this learner: employment ${first.id} .*endEmployment`));
      expect(again.errors![0]!.extensions).toMatchObject({ employmentId: first.id });
    }
    await record(graph.client, elektronikHr, { learnerId: meiling, jobTitle: 'Technician' });
    expect((await rowsOf(meiling)).map((r) => r.employer_id)).toEqual([employers.software.id, employers.electronics.id]);
  });

  it('records once per idempotency key, and refuses the key for another record', async () => {
    const siti = learnerByKey('siti').id;
    const input = { learnerId: siti, jobTitle: 'Data Analyst', since: '2025-11-03' };
    const first = (await graph.client.ok(RECORD, { as: perisianSystem, variables: { input, key: 'hr-sync-0001' } })).recordEmployment;
    const again = (await graph.client.ok(RECORD, { as: perisianSystem, variables: { input, key: 'hr-sync-0001' } })).recordEmployment;
    expect(again).toEqual(first);
    // The key is the employer's: its staff retrying the partner system's call get the same record.
    expect((await graph.client.ok(RECORD, { as: perisianHr, variables: { input, key: 'hr-sync-0001' } })).recordEmployment.id).toBe(first.id);
    const other = await mutate(RECORD, perisianSystem, { input: { ...input, since: '2025-11-04' }, key: 'hr-sync-0001' });
    expectCode(other, 'CONFLICT', /idempotency key hr-sync-0001 was already used/);
    expect(other.errors![0]!.extensions).toMatchObject({ field: 'idempotencyKey', employmentId: first.id });
    // Another employer's key of the same name is its own.
    expect((await graph.client.ok(RECORD, { as: elektronikHr, variables: { input, key: 'hr-sync-0001' } })).recordEmployment.id).not.toBe(first.id);
    expect(await rowsOf(siti)).toHaveLength(2);
  });

  it("is for an employer's own staff and partner systems only", async () => {
    const hafiz = learnerByKey('hafiz').id;
    const input = { learnerId: hafiz, jobTitle: 'Barista', since: '2026-01-05' };
    for (const who of ['LEARNER', 'FUNDER', 'ADMIN', 'PROVIDER_STAFF', 'PARTNER'] as const) {
      expectCode(await mutate(RECORD, who, { input }), 'FORBIDDEN');
    }
    expectCode(await mutate(RECORD, undefined, { input }), 'UNAUTHENTICATED');
    // A token naming the employer whose subject has no staff account there.
    expectCode(await mutate(RECORD, { role: 'EMPLOYER', sub: 'staff:perisian:stranger', employerId: employers.software.id }, { input }), 'FORBIDDEN', /not a staff account/);
    expect(await rowsOf(hafiz)).toEqual([]);
  });

  it('stops a staff member recording once removed', async () => {
    const temp = { role: 'EMPLOYER', sub: 'staff:kopi:temp', employerId: employers.cafe.id } as const;
    const ADD = `mutation($input: EmployerStaffInput!) { addEmployerStaff(input: $input) { subject } }`;
    await graph.client.ok(ADD, { as: kopiOwner, variables: { input: { subject: temp.sub, name: 'Temp Staff', email: 'temp@kopi.example.my', kind: 'PERSON', role: 'STAFF' } } });
    const recorded = await record(graph.client, temp, { learnerId: learnerByKey('farah').id });
    await graph.client.ok(`mutation { removeEmployerStaff(subject: "${temp.sub}") { subject } }`, { as: kopiOwner });
    expectCode(await mutate(RECORD, temp, { input: { learnerId: learnerByKey('kumar').id, jobTitle: 'Barista', since: '2026-01-05' } }), 'FORBIDDEN', /not a staff account/);
    expectCode(await mutate(END, temp, { id: recorded.id, until: today() }), 'FORBIDDEN', /not a staff account/);
  });
});

describe('confirming employment', () => {
  it('makes the employer current for the learner and for eligibility once confirmed; confirming again changes nothing', async () => {
    const recorded = await record(graph.client, kopiOwner, { learnerId: learnerByKey('grace').id, jobTitle: 'Barista', since: '2025-08-01' });
    expect((await learnerView('grace')).currentEmployer).toBeNull();
    const confirmed = (await graph.client.ok(CONFIRM, { as: asLearner('grace'), variables: { id: recorded.id } })).confirmEmployment;
    expect(confirmed).toMatchObject({ id: recorded.id, status: 'CONFIRMED', confirmedByLearner: true, current: true });
    const seen = await learnerView('grace');
    expect(seen.currentEmployer).toEqual({ id: employers.cafe.id });
    expect(seen.eligibilityEmployer).toEqual({ id: employers.cafe.id });
    expect((await graph.client.ok(CONFIRM, { as: asLearner('grace'), variables: { id: recorded.id } })).confirmEmployment).toEqual(confirmed);
  });

  it('is NOT_FOUND to anyone but the learner it names, exactly like an unknown id', async () => {
    const recorded = await record(graph.client, kopiOwner, { learnerId: learnerByKey('karhoe').id });
    const other = await mutate(CONFIRM, asLearner('zainab'), { id: recorded.id });
    const unknown = await mutate(CONFIRM, asLearner('zainab'), { id: randomUUID() });
    expectCode(other, 'NOT_FOUND');
    expectCode(unknown, 'NOT_FOUND');
    expect(other.errors![0]!.message).toBe(`Employment ${recorded.id} does not exist.`);
    expectCode(await mutate(DECLINE, asLearner('zainab'), { id: recorded.id }), 'NOT_FOUND');
    for (const who of [kopiOwner, 'ADMIN', 'FUNDER'] as const) expectCode(await mutate(CONFIRM, who, { id: recorded.id }), 'FORBIDDEN');
    expectCode(await mutate(CONFIRM, asLearner('karhoe'), { id: 'nope' }), 'BAD_USER_INPUT');
    expect((await rowsOf(learnerByKey('karhoe').id))[0]).toMatchObject({ confirmed_by_learner: false, declined_at: null });
  });

  it('refuses a second current employer, naming the employment to end first', async () => {
    const priya = demoEmploymentOf('priya');
    const offer = await record(graph.client, perisianHr, { learnerId: priya.learnerId, jobTitle: 'Test Engineer', since: daysFromToday(-3) });
    const refused = await mutate(CONFIRM, asLearner('priya'), { id: offer.id });
    expectCode(refused, 'CONFLICT', new RegExp(`employed by ${employers.electronics.name} \\(employment ${priya.id}, .*\\).*endEmployment`));
    expect(refused.errors![0]!.extensions).toMatchObject({ currentEmploymentId: priya.id });
    expect((await learnerView('priya')).currentEmployer).toEqual({ id: employers.electronics.id });

    // She records her last day at Elektronik Jaya (yesterday), then confirms the new job.
    await graph.client.ok(END, { as: asLearner('priya'), variables: { id: priya.id, until: daysFromToday(-4) } });
    expect((await graph.client.ok(CONFIRM, { as: asLearner('priya'), variables: { id: offer.id } })).confirmEmployment.status).toBe('CONFIRMED');
    const seen = await learnerView('priya');
    expect(seen.currentEmployer).toEqual({ id: employers.software.id });
    expect(seen.eligibilityEmployer).toEqual({ id: employers.software.id });
  });
});

describe('racing calls', () => {
  it('records one open record however many calls race, and one per idempotency key', async () => {
    const learnerId = randomUUID();
    const input = { learnerId, jobTitle: 'Cashier', since: '2026-01-05' };
    const plain = await Promise.all([1, 2, 3].map(() => mutate(RECORD, kopiOwner, { input })));
    expect(plain.map((r) => codesOf(r)[0] ?? 'OK').sort()).toEqual(['CONFLICT', 'CONFLICT', 'OK']);
    const keyed = await Promise.all([1, 2, 3].map(() => mutate(RECORD, elektronikHr, { input, key: `race-${learnerId}` })));
    expect(keyed.every((r) => r.errors === undefined)).toBe(true);
    expect(new Set(keyed.map((r) => r.data!.recordEmployment.id)).size).toBe(1);
    expect(await rowsOf(learnerId)).toHaveLength(2);
  });

  it('confirms one of two offers confirmed at the same moment; the other is a CONFLICT', async () => {
    const learnerId = learnerByKey('arjun').id;
    const offers = [await record(graph.client, elektronikHr, { learnerId, jobTitle: 'Technician' }), await record(graph.client, kopiOwner, { learnerId, jobTitle: 'Barista' })];
    const answers = await Promise.all(offers.map((offer) => mutate(CONFIRM, asLearner('arjun'), { id: offer.id })));
    expect(answers.map((r) => codesOf(r)[0] ?? r.data!.confirmEmployment.status).sort()).toEqual(['CONFIRMED', 'CONFLICT']);
    expect((await rowsOf(learnerId)).filter((r) => r.confirmed_by_learner)).toHaveLength(1);
  });
});

describe('declining employment', () => {
  it('keeps a declined record as DECLINED: never pending again, never counting, never confirmed or ended', async () => {
    const james = learnerByKey('james').id;
    const recorded = await record(graph.client, elektronikHr, { learnerId: james, jobTitle: 'Line Leader' });
    const declined = (await graph.client.ok(DECLINE, { as: asLearner('james'), variables: { id: recorded.id } })).declineEmployment;
    expect(declined).toMatchObject({ id: recorded.id, status: 'DECLINED', confirmedByLearner: false, current: false });
    expect((await graph.client.ok(DECLINE, { as: asLearner('james'), variables: { id: recorded.id } })).declineEmployment).toEqual(declined);
    expectCode(await mutate(CONFIRM, asLearner('james'), { id: recorded.id }), 'CONFLICT', /You declined employment/);
    expectCode(await mutate(END, elektronikHr, { id: recorded.id, until: today() }), 'CONFLICT', /The learner declined employment/);
    expect((await learnerView('james')).currentEmployer).toBeNull();
    // The declined record is not open: recording the learner again (a new call, not a retry) makes a new one.
    expect((await graph.client.ok(RECORD, { as: elektronikHr, variables: { input: { learnerId: james, jobTitle: 'Line Leader', since: '2026-01-05' } } })).recordEmployment).toMatchObject({
      status: 'PENDING',
    });
    expect((await rowsOf(james)).map((r) => r.declined_at !== null)).toEqual([true, false]);
  });

  it('answers a retried recording with the declined record', async () => {
    const input = { learnerId: learnerByKey('ravi').id, jobTitle: 'Assembler', since: '2026-01-05' };
    const first = (await graph.client.ok(RECORD, { as: elektronikHr, variables: { input, key: 'ravi-1' } })).recordEmployment;
    await graph.client.ok(DECLINE, { as: asLearner('ravi'), variables: { id: first.id } });
    const retried = (await graph.client.ok(RECORD, { as: elektronikHr, variables: { input, key: 'ravi-1' } })).recordEmployment;
    expect(retried).toMatchObject({ id: first.id, status: 'DECLINED' });
  });

  it('is a CONFLICT for a confirmed record, which is ended instead', async () => {
    const faizal = demoEmploymentOf('faizal');
    expectCode(await mutate(DECLINE, asLearner('faizal'), { id: faizal.id }), 'CONFLICT', /confirmed employment .* endEmployment/);
    expect((await learnerView('faizal')).currentEmployer).toEqual({ id: employers.software.id });
  });
});

describe('ending employment', () => {
  it('ends by the employer; once the last day has passed it counts no more; the same end again changes nothing', async () => {
    const kumar = learnerByKey('kumar').id;
    const recorded = await record(graph.client, perisianSystem, { learnerId: kumar, jobTitle: 'Support Engineer', since: '2024-04-01' });
    await graph.client.ok(CONFIRM, { as: asLearner('kumar'), variables: { id: recorded.id } });
    expect((await learnerView('kumar')).eligibilityEmployer).toEqual({ id: employers.software.id });
    const yesterday = daysFromToday(-1);
    const ended = (await graph.client.ok(END, { as: perisianSystem, variables: { id: recorded.id, until: yesterday } })).endEmployment;
    expect(ended).toMatchObject({ until: yesterday, current: false, status: 'CONFIRMED' });
    const seen = await learnerView('kumar');
    expect(seen).toMatchObject({ currentEmployer: null, eligibilityEmployer: null, employment: [{ id: recorded.id, current: false, until: yesterday }] });
    expect((await graph.client.ok(END, { as: perisianHr, variables: { id: recorded.id, until: yesterday } })).endEmployment).toEqual(ended);
    expect((await graph.client.ok(END, { as: asLearner('kumar'), variables: { id: recorded.id, until: yesterday } })).endEmployment.until).toBe(yesterday);
    const changed = await mutate(END, perisianHr, { id: recorded.id, until: daysFromToday(-2) });
    expectCode(changed, 'CONFLICT', new RegExp(`already ended on ${yesterday}`));
    const [row] = await graph.connection.query<{ ended_by: string }>('select ended_by from employers.employment where id = $1', [recorded.id]);
    expect(row!.ended_by).toBe(perisianSystem.sub);
  });

  it('keeps counting a last day still to come (a notice period), and the last day itself', async () => {
    for (const [key, until] of [['zainab', daysFromToday(30)], ['nurul', today()]] as const) {
      const recorded = await record(graph.client, elektronikHr, { learnerId: learnerByKey(key).id, jobTitle: 'Technician', since: '2023-01-03' });
      await graph.client.ok(CONFIRM, { as: asLearner(key), variables: { id: recorded.id } });
      const ended = (await graph.client.ok(END, { as: asLearner(key), variables: { id: recorded.id, until } })).endEmployment;
      expect(ended).toMatchObject({ current: true, until });
      expect(await learnerView(key)).toMatchObject({ currentEmployer: { id: employers.electronics.id }, eligibilityEmployer: { id: employers.electronics.id } });
    }
  });

  it('refuses an end before the first day, or more than 92 days ahead', async () => {
    const recorded = await record(graph.client, kopiOwner, { learnerId: learnerByKey('aisyah').id, since: '2026-01-05' });
    for (const until of ['2026-01-04', daysFromToday(93), '2026-13-01', 'tomorrow']) {
      expectCode(await mutate(END, kopiOwner, { id: recorded.id, until }), 'BAD_USER_INPUT', /until/);
    }
    // A record the learner never answered may be ended too: it stays unconfirmed.
    const ended = (await graph.client.ok(END, { as: kopiOwner, variables: { id: recorded.id, until: daysFromToday(92) } })).endEmployment;
    expect(ended).toMatchObject({ until: daysFromToday(92), status: 'PENDING' });
  });

  it("is NOT_FOUND to another employer's staff and another learner", async () => {
    const faizal = demoEmploymentOf('faizal');
    for (const who of [elektronikHr, kopiOwner, asLearner('aisyah')]) {
      expectCode(await mutate(END, who, { id: faizal.id, until: daysFromToday(-1) }), 'NOT_FOUND');
    }
    for (const who of ['ADMIN', 'FUNDER', 'PROVIDER_STAFF'] as const) expectCode(await mutate(END, who, { id: faizal.id, until: daysFromToday(-1) }), 'FORBIDDEN');
    expect((await learnerView('faizal')).currentEmployer).toEqual({ id: employers.software.id });
  });
});
