import { demoId, employers, jobRoles, learnerByKey } from '@tauliah/demo-data';
import { codesOf, startTestSubgraph, type GraphQLResponse, type TestSubgraph, type Who } from '@tauliah/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { learnersService } from '../src/index.ts';

/**
 * The learner's side of contact requests, on the learners subgraph alone:
 * reading them, accepting (which grants consent the way grantConsent does)
 * and declining, with the events recorded in the outbox. Employers send them
 * through the gateway (test/e2e/contact-requests.test.ts): a request reads its
 * job role through the graph, so here they are written as an employer's
 * requestContact leaves them.
 */
let graph: TestSubgraph<typeof learnersService.tables>;
const DAY = 86_400_000;
const learner = (key: string) => learnerByKey(key);
const asLearner = (key: string): Who => ({ role: 'LEARNER', sub: learner(key).id });
const perisian = employers.software.id;
const role = jobRoles.find((r) => r.employerId === perisian)!.id;

beforeAll(async () => {
  graph = await startTestSubgraph(learnersService);
});
afterAll(() => graph?.stop());

/** A request from Perisian to the learner, as requestContact stores it; `expiresInDays` negative for one already lapsed. */
async function requested(key: string, { scopes = ['CONTACT', 'PROFILE'], expiresInDays = 30, employerId = perisian } = {}): Promise<string> {
  const [row] = await graph.connection.query<{ id: string }>(
    `insert into learners.contact_request (learner_id, employer_id, job_role_id, message, scopes, requested_by_subject, expires_at)
     values ($1, $2, $3, 'We would like to talk about a role.', $4, 'staff:perisian:hr', now() + make_interval(days => $5::int)) returning id`,
    [learner(key).id, employerId, role, scopes, expiresInDays],
  );
  return row!.id;
}

const INBOX = `query($status: ContactRequestStatus) { me { contactRequests(status: $status) { totalCount edges { node { id status scopes message employer { id } jobRole { id } expiresAt answeredAt consent { id scopes active } } } } } }`;
const ACCEPT = `mutation($id: ID!, $expiresAt: DateTimeISO) { acceptContactRequest(id: $id, expiresAt: $expiresAt) { id status answeredAt mayAskAgainAt consent { id granteeKind granteeId scopes expiresAt active } } }`;
const DECLINE = `mutation($id: ID!) { declineContactRequest(id: $id) { id status answeredAt mayAskAgainAt consent { id } } }`;
const REVOKE = `mutation($id: ID!) { revokeConsent(id: $id) { id } }`;

interface OutboxRow {
  subject: string;
  payload: Record<string, unknown>;
}
/** The events recorded since `after` (an outbox position), oldest first. */
const eventsSince = (after: number) =>
  graph.connection.query<OutboxRow>(`select subject, payload from learners.outbox where position > $1 order by position`, [after]);
const lastPosition = async () => Number((await graph.connection.query<{ p: string | null }>('select max(position)::text as p from learners.outbox'))[0]!.p ?? 0);
const withoutId = (response: GraphQLResponse, id: string) => ({ codes: codesOf(response), message: response.errors?.[0]?.message.replace(id, '<id>') });

describe('the demo data', () => {
  it('has Aisyah opted in, with a request from Perisian waiting for her, and announces neither', async () => {
    const me = (await graph.client.ok(`{ me { talentHeadline { region } contactRequests { edges { node { id status employer { id } } } } } }`, { as: 'LEARNER' })).me;
    expect(me.talentHeadline).toEqual({ region: 'Selangor' });
    expect(me.contactRequests.edges).toEqual([{ node: { id: demoId('contact-request:aisyah:perisian'), status: 'PENDING', employer: { id: perisian } } }]);
    expect(await graph.connection.query(`select 1 from learners.outbox where subject like 'learners.contact-request.%'`)).toEqual([]);
  });
});

describe('a learner reading her contact requests', () => {
  it('sees who asks, about which job role, for what, and until when', async () => {
    const id = await requested('siti');
    const inbox = (await graph.client.ok(INBOX, { as: asLearner('siti') })).me.contactRequests;
    expect(inbox.totalCount).toBe(1);
    expect(inbox.edges[0].node).toMatchObject({
      id,
      status: 'PENDING',
      scopes: ['CONTACT', 'PROFILE'],
      message: 'We would like to talk about a role.',
      employer: { id: perisian },
      jobRole: { id: role },
      answeredAt: null,
      consent: null,
    });
    // Another learner's inbox does not hold it.
    expect((await graph.client.ok(INBOX, { as: asLearner('hafiz') })).me.contactRequests.totalCount).toBe(0);
  });

  it('reads a whole page of learners’ requests in the same statements, however many learners', async () => {
    await requested('hafiz');
    await requested('hafiz', { employerId: employers.electronics.id });
    const MANY = `query($ids: [ID!]!) { learners(ids: $ids) { id contactRequests(first: 1) { totalCount pageInfo { hasNextPage } edges { node { id } } } } }`;
    const ids = (keys: string[]) => keys.map((k) => learner(k).id);
    const one = await graph.statementsDuring(() => graph.client.ok(MANY, { as: 'ADMIN', variables: { ids: ids(['hafiz']) } }));
    const three = await graph.statementsDuring(() => graph.client.ok(MANY, { as: 'ADMIN', variables: { ids: ids(['hafiz', 'siti', 'grace']) } }));
    expect(three.statements).toBe(one.statements);
    const pages = three.result.learners.map((l: { contactRequests: { edges: unknown[]; pageInfo: { hasNextPage: boolean } } }) => [l.contactRequests.edges.length, l.contactRequests.pageInfo.hasNextPage]);
    expect(pages).toEqual([
      [1, true],
      [1, false],
      [0, false],
    ]);
  });
});

describe('accepting a request', () => {
  it('grants the employer the scopes it asked for until the chosen expiry, and records consent.granted and the answer, nothing personal', async () => {
    const id = await requested('grace', { scopes: ['CONTACT', 'CREDENTIALS', 'PROFILE'] });
    const before = await lastPosition();
    const expiresAt = new Date(Date.now() + 45 * DAY).toISOString();
    const accepted = (await graph.client.ok(ACCEPT, { as: asLearner('grace'), variables: { id, expiresAt } })).acceptContactRequest;
    expect(accepted).toMatchObject({
      id,
      status: 'ACCEPTED',
      mayAskAgainAt: null,
      consent: { granteeKind: 'EMPLOYER', granteeId: perisian, scopes: ['CONTACT', 'CREDENTIALS', 'PROFILE'], expiresAt, active: true },
    });
    const consentId = accepted.consent.id;
    expect(await eventsSince(before)).toEqual([
      {
        subject: 'learners.consent.granted',
        payload: { consentId, learnerId: learner('grace').id, granteeKind: 'EMPLOYER', granteeId: perisian, scopes: ['CONTACT', 'CREDENTIALS', 'PROFILE'], expiresAt },
      },
      {
        subject: 'learners.contact-request.answered',
        payload: { contactRequestId: id, learnerId: learner('grace').id, employerId: perisian, jobRoleId: role, answer: 'ACCEPTED', consentId },
      },
    ]);
    // The grant is one of her consents like any other: the employer now reads what it covers.
    const mine = await graph.client.ok(`{ me { consents { id granteeId scopes } } }`, { as: asLearner('grace') });
    expect(mine.me.consents).toContainEqual({ id: consentId, granteeId: perisian, scopes: ['CONTACT', 'CREDENTIALS', 'PROFILE'] });
    const employer = await graph.client.ok(`query($id: ID!) { learner(id: $id) { fullName email } }`, { as: 'EMPLOYER', variables: { id: learner('grace').id } });
    expect(employer.learner).toEqual({ fullName: learner('grace').fullName, email: learner('grace').email });

    // Accepting again is a retry: the same answer, no second consent, no second event.
    const position = await lastPosition();
    expect((await graph.client.ok(ACCEPT, { as: asLearner('grace'), variables: { id } })).acceptContactRequest).toEqual(accepted);
    expect(await eventsSince(position)).toEqual([]);

    // Revoking the consent shows on the request: the employer reads no more.
    await graph.client.ok(REVOKE, { as: asLearner('grace'), variables: { id: consentId } });
    const inbox = (await graph.client.ok(INBOX, { as: asLearner('grace'), variables: { status: 'ACCEPTED' } })).me.contactRequests;
    expect(inbox.edges[0].node.consent).toEqual({ id: consentId, scopes: ['CONTACT', 'CREDENTIALS', 'PROFILE'], active: false });
  });

  it('lasts 90 days unless she chooses, and never beyond what grantConsent allows', async () => {
    const id = await requested('meiling');
    const tooLong = await graph.client.query(ACCEPT, { as: asLearner('meiling'), variables: { id, expiresAt: new Date(Date.now() + 732 * DAY).toISOString() } });
    expect(codesOf(tooLong)).toEqual(['BAD_USER_INPUT']);
    expect(tooLong.errors![0]!.message).toBe('Invalid expiresAt: expiresAt must be at most two years ahead.');
    const accepted = (await graph.client.ok(ACCEPT, { as: asLearner('meiling'), variables: { id } })).acceptContactRequest;
    expect(Math.abs(Date.parse(accepted.consent.expiresAt) - (Date.now() + 90 * DAY))).toBeLessThan(60_000);
  });
});

describe('declining a request', () => {
  it('records the answer, grants nothing, and says when the employer may ask again', async () => {
    const id = await requested('nurul');
    const before = await lastPosition();
    const declined = (await graph.client.ok(DECLINE, { as: asLearner('nurul'), variables: { id } })).declineContactRequest;
    expect(declined).toMatchObject({ id, status: 'DECLINED', consent: null });
    expect(Date.parse(declined.mayAskAgainAt) - Date.parse(declined.answeredAt)).toBe(90 * DAY);
    expect((await eventsSince(before)).map((e) => [e.subject, e.payload.answer, e.payload.consentId])).toEqual([['learners.contact-request.answered', 'DECLINED', null]]);
    expect((await graph.connection.query('select 1 from learners.consent_grant where learner_id = $1 and grantee_id = $2', [learner('nurul').id, perisian])).length).toBe(0);
    const again = await lastPosition();
    expect((await graph.client.ok(DECLINE, { as: asLearner('nurul'), variables: { id } })).declineContactRequest).toEqual(declined);
    expect(codesOf(await graph.client.query(ACCEPT, { as: asLearner('nurul'), variables: { id } }))).toEqual(['CONFLICT']);
    expect(await eventsSince(again)).toEqual([]);
  });
});

describe('what cannot be answered', () => {
  it('is an expired request: EXPIRED without a write, and neither accepted nor declined', async () => {
    const id = await requested('kumar', { expiresInDays: -1 });
    const inbox = (await graph.client.ok(INBOX, { as: asLearner('kumar') })).me.contactRequests;
    expect(inbox.edges.map((e: { node: { id: string; status: string } }) => [e.node.id, e.node.status])).toEqual([[id, 'EXPIRED']]);
    expect((await graph.client.ok(INBOX, { as: asLearner('kumar'), variables: { status: 'PENDING' } })).me.contactRequests.totalCount).toBe(0);
    const before = await lastPosition();
    for (const mutation of [ACCEPT, DECLINE]) {
      const response = await graph.client.query(mutation, { as: asLearner('kumar'), variables: { id } });
      expect(codesOf(response)).toEqual(['CONFLICT']);
      expect(response.errors![0]!.message).toContain('expired');
    }
    expect(await eventsSince(before)).toEqual([]);
    expect((await graph.connection.query<{ status: string }>('select status from learners.contact_request where id = $1', [id]))[0]!.status).toBe('PENDING');
  });

  it('is someone else’s request, answered as one that does not exist', async () => {
    const id = await requested('karhoe');
    const unknown = '00000000-0000-4000-8000-0000000000c1';
    for (const mutation of [ACCEPT, DECLINE]) {
      const theirs = await graph.client.query(mutation, { as: asLearner('zainab'), variables: { id } });
      expect(codesOf(theirs)).toEqual(['NOT_FOUND']);
      expect(withoutId(theirs, id)).toEqual(withoutId(await graph.client.query(mutation, { as: asLearner('zainab'), variables: { id: unknown } }), unknown));
    }
    expect(codesOf(await graph.client.query(ACCEPT, { as: asLearner('zainab'), variables: { id: 'not-an-id' } }))).toEqual(['BAD_USER_INPUT']);
    expect((await graph.client.ok(INBOX, { as: asLearner('karhoe'), variables: { status: 'PENDING' } })).me.contactRequests.totalCount).toBe(1);
  });

  it('gets one answer when accept and decline arrive at once', async () => {
    const id = await requested('ravi');
    const before = await lastPosition();
    const answers = await Promise.all([ACCEPT, DECLINE, ACCEPT, DECLINE].map((mutation) => graph.client.query(mutation, { as: asLearner('ravi'), variables: { id } })));
    const [stored] = await graph.connection.query<{ status: string }>('select status from learners.contact_request where id = $1', [id]);
    const won = answers.filter((a) => !a.errors);
    expect(won.length).toBeGreaterThanOrEqual(1);
    expect(won.every((a) => Object.values(a.data!)[0]!.status === stored!.status)).toBe(true);
    expect(answers.filter((a) => a.errors).every((a) => codesOf(a).join() === 'CONFLICT')).toBe(true);
    const events = await eventsSince(before);
    expect(events.filter((e) => e.subject === 'learners.contact-request.answered')).toHaveLength(1);
    expect(events.filter((e) => e.subject === 'learners.consent.granted')).toHaveLength(stored!.status === 'ACCEPTED' ? 1 : 0);
  });
});

describe('who may read and answer', () => {
  it('refuses everyone but the learner and administrators her requests, and everyone but her the answering', async () => {
    const id = await requested('farah');
    const LEARNER_REQUESTS = `query($id: ID!) { learner(id: $id) { contactRequests { totalCount } } }`;
    expect((await graph.client.ok(LEARNER_REQUESTS, { as: 'ADMIN', variables: { id: learner('farah').id } })).learner.contactRequests.totalCount).toBe(1);
    for (const who of ['EMPLOYER', 'PARTNER', 'PROVIDER_STAFF', 'FUNDER', asLearner('siti')] as Who[]) {
      const response = await graph.client.query(LEARNER_REQUESTS, { as: who, variables: { id: learner('farah').id } });
      expect(codesOf(response)).toEqual(['FORBIDDEN']);
      expect(response.errors![0]!.message).not.toContain(learner('farah').fullName);
    }
    for (const who of ['EMPLOYER', 'PARTNER', 'PROVIDER_STAFF', 'FUNDER', 'ADMIN'] as Who[]) {
      expect(codesOf(await graph.client.query(ACCEPT, { as: who, variables: { id } }))).toEqual(['FORBIDDEN']);
      expect(codesOf(await graph.client.query(DECLINE, { as: who, variables: { id } }))).toEqual(['FORBIDDEN']);
    }
    expect(codesOf(await graph.client.query(ACCEPT, { variables: { id } }))).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses an employer’s request that is malformed before asking anyone anything', async () => {
    const REQUEST = `mutation($learnerId: ID!, $jobRoleId: ID!, $message: String!, $scopes: [ConsentScope!]!) {
      requestContact(learnerId: $learnerId, jobRoleId: $jobRoleId, message: $message, scopes: $scopes) { id } }`;
    const variables = { learnerId: learner('siti').id, jobRoleId: role, message: 'Hello', scopes: ['PROFILE'] };
    const bad = async (overrides: Record<string, unknown>) => {
      const response = await graph.client.query(REQUEST, { as: 'EMPLOYER', variables: { ...variables, ...overrides } });
      expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
      return response.errors![0]!.message;
    };
    expect(await bad({ scopes: ['PERSONAL'] })).toContain('input.scopes may not include PERSONAL');
    expect(await bad({ message: 'Line one\u0000' })).toContain('input.message must not contain control or text-direction characters');
    expect(await bad({ jobRoleId: 'the-junior-role' })).toContain('input.jobRoleId must be a job role id (a UUID)');
    expect(codesOf(await graph.client.query(REQUEST, { as: 'LEARNER', variables }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.client.query(REQUEST, { as: 'PARTNER', variables }))).toEqual(['FORBIDDEN']);
  });
});
