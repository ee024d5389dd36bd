import { employers, jobRoles, learnerByKey, providers } from '@tauliah/demo-data';
import { codesOf, eventually, type GraphQLResponse, type Who } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../../packages/core/test/webhooks/receiver.ts';

/**
 * Issue 14, "Employers reach candidates", through the gateway: a learner opts
 * in to being found with a headline, talent search shows it to employers, an
 * employer sends a contact request about one of its job roles, the learner
 * accepts (granting the consent asked for, which the employer's webhook hears
 * of) or declines (which keeps that employer from asking again for 90 days),
 * and the employer follows the answers. Requests are rate-limited per employer.
 */
let graph: TestGraph;
let receiver: Receiver;

beforeAll(async () => {
  graph = await startTestGraph();
  receiver = await startReceiver();
});
afterAll(async () => {
  await graph?.stop();
  await receiver?.close();
});

const DAY = 86_400_000;
const learner = (key: string) => learnerByKey(key);
const asLearner = (key: string): Who => ({ role: 'LEARNER', sub: learner(key).id });
const perisianHr: Who = { role: 'EMPLOYER', sub: 'staff:perisian:hr', employerId: employers.software.id };
const perisianSystem: Who = { role: 'PARTNER', sub: 'system:perisian-hr', employerId: employers.software.id };
const perisianAdmin: Who = 'EMPLOYER';
const elektronikHr: Who = { role: 'EMPLOYER', sub: 'staff:elektronik:hr', employerId: employers.electronics.id };
const kopiOwner: Who = { role: 'EMPLOYER', sub: 'staff:kopi:owner', employerId: employers.cafe.id };
const fullStackRole = jobRoles.find((r) => r.title === 'Junior Full-Stack Software Engineer')!;
const technicianRole = jobRoles.find((r) => r.title === 'Junior Electronic Technician')!;
const embeddedDraft = jobRoles.find((r) => !r.published)!;
const unknownId = '00000000-0000-4000-8000-0000000000e1';

const SET_HEADLINE = `mutation($input: TalentHeadlineInput!) { setTalentHeadline(input: $input) { talentHeadline { text } } }`;
const CLEAR_HEADLINE = `mutation { clearTalentHeadline { id } }`;
const TALENT = `query($skills: [String!]!) {
  talentSearch(skills: $skills, first: 100) { edges { node { learner { id talentHeadline { text region skills } } matchedSkills { code } } } }
}`;
const REQUEST = `mutation($learnerId: ID!, $jobRoleId: ID!, $message: String!, $scopes: [ConsentScope!]!, $key: String) {
  requestContact(learnerId: $learnerId, jobRoleId: $jobRoleId, message: $message, scopes: $scopes, idempotencyKey: $key) {
    id status scopes message requestedAt expiresAt answeredAt mayAskAgainAt employer { id name } jobRole { id title } learner { id talentHeadline { text } }
  }
}`;
const INBOX = `query($status: ContactRequestStatus, $first: Int, $after: String) {
  me { contactRequests(status: $status, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id status message scopes expiresAt employer { id name } jobRole { id title } consent { id } } }
  } }
}`;
const SENT = `query($status: ContactRequestStatus, $first: Int, $after: String) {
  myContactRequests(status: $status, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id status answeredAt mayAskAgainAt learner { id } consent { id granteeKind granteeId scopes expiresAt active } } }
  }
}`;
const ACCEPT = `mutation($id: ID!, $expiresAt: DateTimeISO) { acceptContactRequest(id: $id, expiresAt: $expiresAt) { id status answeredAt consent { id granteeKind granteeId scopes expiresAt active } } }`;
const DECLINE = `mutation($id: ID!) { declineContactRequest(id: $id) { id status answeredAt mayAskAgainAt consent { id } } }`;
const PROFILE = `query($id: ID!) { learner(id: $id) { id fullName state email phone dateOfBirth } }`;

const ask = (as: Who, key: string, overrides: Record<string, unknown> = {}) =>
  graph.gateway.query(REQUEST, {
    as,
    variables: {
      learnerId: learner(key).id,
      jobRoleId: fullStackRole.id,
      message: `Hello! We are hiring a Junior Full-Stack Software Engineer and your credentials caught our eye.\nWould you like to talk?`,
      scopes: ['PROFILE', 'CONTACT'],
      ...overrides,
    },
  });

async function optIn(key: string, text = `${learner(key).fullName.split(' ')[0]}: open to work`) {
  await graph.gateway.ok(SET_HEADLINE, { as: asLearner(key), variables: { input: { text } } });
}

const requestsTo = async (key: string): Promise<number> =>
  (await graph.connection.query<{ n: number }>('select count(*)::int as n from learners.contact_request where learner_id = $1', [learner(key).id]))[0]!.n;

/** A NOT_FOUND's message with the id it names taken out: what two refusals must share to be indistinguishable. */
const withoutId = (response: GraphQLResponse, id: string) => ({ codes: codesOf(response), message: response.errors?.[0]?.message.replace(id, '<id>'), data: response.data });

describe('a learner found in talent search with her headline', () => {
  it('shows employers the headline of a learner who opted in, and null, without an error, for those who did not', async () => {
    await graph.gateway.ok(SET_HEADLINE, {
      as: asLearner('siti'),
      variables: { input: { text: 'Cloud and DevOps, five BDSE stages done', region: 'Johor', skills: ['CLOUD-DEVOPS', 'SW-TESTING'] } },
    });
    for (const employer of [perisianHr, perisianSystem, elektronikHr]) {
      const response = await graph.gateway.query(TALENT, { as: employer, variables: { skills: ['CLOUD-DEVOPS'] } });
      expect(response.errors).toBeUndefined();
      const found = new Map(response.data!.talentSearch.edges.map((e: { node: { learner: { id: string; talentHeadline: unknown } } }) => [e.node.learner.id, e.node.learner.talentHeadline]));
      expect(found.get(learner('siti').id)).toEqual({ text: 'Cloud and DevOps, five BDSE stages done', region: 'Johor', skills: ['CLOUD-DEVOPS', 'SW-TESTING'] });
      // Hafiz and Grace prove the skill too, but never opted in: found by their skills, with no headline.
      expect(found.get(learner('hafiz').id)).toBeNull();
      expect(found.get(learner('grace').id)).toBeNull();
    }
  });
});

describe('an employer reaching a candidate who accepts', () => {
  let requestId: string;

  it('cannot read her profile before she consents', async () => {
    const before = await graph.gateway.query(PROFILE, { as: perisianHr, variables: { id: learner('siti').id } });
    expect(codesOf(before)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    expect(before.data?.learner).toEqual({ id: learner('siti').id, fullName: null, state: null, email: null, phone: null, dateOfBirth: null });
  });

  it('sends her a contact request about one of its published job roles; a retry with the same key answers the same request', async () => {
    const first = await ask(perisianHr, 'siti', { key: 'perisian-siti-1', scopes: ['CONTACT', 'PROFILE', 'CONTACT'] });
    expect(first.errors).toBeUndefined();
    const request = first.data!.requestContact;
    expect(request).toMatchObject({
      status: 'PENDING',
      scopes: ['CONTACT', 'PROFILE'],
      answeredAt: null,
      mayAskAgainAt: null,
      employer: { id: employers.software.id, name: 'Perisian Cemerlang Sdn Bhd' },
      jobRole: { id: fullStackRole.id, title: fullStackRole.title },
      learner: { id: learner('siti').id, talentHeadline: { text: 'Cloud and DevOps, five BDSE stages done' } },
    });
    expect(Date.parse(request.expiresAt) - Date.parse(request.requestedAt)).toBe(30 * DAY);
    requestId = request.id;
    const retried = await ask(perisianHr, 'siti', { key: 'perisian-siti-1', scopes: ['CONTACT', 'PROFILE', 'CONTACT'] });
    expect(retried.data?.requestContact).toEqual(request);
    expect(await requestsTo('siti')).toBe(1);
  });

  it('shows her the request in her inbox, with who asks and about what', async () => {
    const inbox = (await graph.gateway.ok(INBOX, { as: asLearner('siti') })).me.contactRequests;
    expect(inbox.totalCount).toBe(1);
    expect(inbox.edges[0].node).toMatchObject({
      id: requestId,
      status: 'PENDING',
      scopes: ['CONTACT', 'PROFILE'],
      message: expect.stringContaining('\nWould you like to talk?'),
      employer: { name: 'Perisian Cemerlang Sdn Bhd' },
      jobRole: { title: fullStackRole.title },
      consent: null,
    });
  });

  it('grants the consent asked for when she accepts, which the employer’s webhook hears of', async () => {
    const registered = await graph.gateway.ok(
      `mutation($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id } } }`,
      { as: perisianAdmin, variables: { input: { url: `${receiver.origin}/tauliah`, eventTypes: ['CONSENT_GRANTED'], description: 'Perisian HR' } } },
    );
    const accepted = (await graph.gateway.ok(ACCEPT, { as: asLearner('siti'), variables: { id: requestId } })).acceptContactRequest;
    expect(accepted).toMatchObject({ id: requestId, status: 'ACCEPTED', consent: { granteeKind: 'EMPLOYER', granteeId: employers.software.id, scopes: ['CONTACT', 'PROFILE'], active: true } });
    // Ninety days unless she chooses.
    expect(Math.abs(Date.parse(accepted.consent.expiresAt) - (Date.now() + 90 * DAY))).toBeLessThan(60_000);
    // Accepting again is a retry: the same answer, no second consent.
    expect((await graph.gateway.ok(ACCEPT, { as: asLearner('siti'), variables: { id: requestId } })).acceptContactRequest).toEqual(accepted);

    const secret = registered.createWebhookEndpoint.secret as string;
    const hooks = () => receiver.received.map((r) => new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as { type: string; data: Record<string, unknown> });
    await eventually(() => hooks().some((h) => h.data.consentId === accepted.consent.id), 'the consent reached the employer’s endpoint');
    expect(hooks().filter((h) => h.data.consentId === accepted.consent.id)).toEqual([
      {
        type: 'consent.granted',
        timestamp: expect.any(String),
        data: { consentId: accepted.consent.id, learnerId: learner('siti').id, granteeKind: 'EMPLOYER', granteeId: employers.software.id, scopes: ['CONTACT', 'PROFILE'], expiresAt: accepted.consent.expiresAt },
      },
    ]);
    const events = await graph.connection.query<{ subject: string; payload: Record<string, unknown> }>(
      `select subject, payload from learners.outbox where payload->>'contactRequestId' = $1`,
      [requestId],
    );
    expect(events).toEqual([
      {
        subject: 'learners.contact-request.answered',
        payload: { contactRequestId: requestId, learnerId: learner('siti').id, employerId: employers.software.id, jobRoleId: fullStackRole.id, answer: 'ACCEPTED', consentId: accepted.consent.id },
      },
    ]);
  });

  it('lets the employer read what she consented to, and still not her date of birth', async () => {
    const siti = learner('siti');
    for (const employer of [perisianHr, perisianSystem]) {
      const after = await graph.gateway.query(PROFILE, { as: employer, variables: { id: siti.id } });
      expect(after.data?.learner).toEqual({ id: siti.id, fullName: siti.fullName, state: siti.state, email: siti.email, phone: siti.phone, dateOfBirth: null });
      expect(codesOf(after)).toEqual(['FORBIDDEN']);
    }
    // Another employer holds nothing of hers.
    expect(codesOf(await graph.gateway.query(PROFILE, { as: elektronikHr, variables: { id: siti.id } }))).toEqual(Array(5).fill('FORBIDDEN'));
    // Talent search now shows Perisian her name beside her headline.
    const found = await graph.gateway.query(`query { talentSearch(skills: ["CLOUD-DEVOPS"], first: 100) { edges { node { learner { id fullName talentHeadline { text } } } } } }`, {
      as: perisianHr,
    });
    const edges = found.data!.talentSearch.edges as Array<{ node: { learner: { id: string } } }>;
    const at = edges.findIndex((e) => e.node.learner.id === siti.id);
    expect(edges[at]!.node.learner).toEqual({ id: siti.id, fullName: siti.fullName, talentHeadline: { text: 'Cloud and DevOps, five BDSE stages done' } });
    // The others found are still refused their names, each its own error; hers is not among them.
    expect(found.errors!.length).toBe(edges.length - 1);
    expect(found.errors!.map((e) => e.path![2])).not.toContain(at);
  });

  it('shows the employer the answer and the consent in its list, to its staff and its partner system alike', async () => {
    for (const employer of [perisianHr, perisianSystem]) {
      const sent = (await graph.gateway.ok(SENT, { as: employer, variables: { status: 'ACCEPTED' } })).myContactRequests;
      const mine = sent.edges.find((e: { node: { id: string } }) => e.node.id === requestId);
      expect(mine.node).toMatchObject({ status: 'ACCEPTED', mayAskAgainAt: null, learner: { id: learner('siti').id }, consent: { scopes: ['CONTACT', 'PROFILE'], active: true } });
    }
    // Elektronik sees none of Perisian's requests.
    expect((await graph.gateway.ok(SENT, { as: elektronikHr })).myContactRequests.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(requestId);
  });

  it('refuses the other answer once she answered', async () => {
    const response = await graph.gateway.query(DECLINE, { as: asLearner('siti'), variables: { id: requestId } });
    expect(codesOf(response)).toEqual(['CONFLICT']);
    expect(response.errors![0]!.message).toContain('revokeConsent');
  });
});

describe('a candidate who declines', () => {
  let declined: { id: string; answeredAt: string; mayAskAgainAt: string };

  it('keeps the employer from asking again for 90 days, and tells it from when it may', async () => {
    await optIn('hafiz');
    const request = (await ask(perisianHr, 'hafiz')).data!.requestContact;
    declined = (await graph.gateway.ok(DECLINE, { as: asLearner('hafiz'), variables: { id: request.id } })).declineContactRequest;
    expect(declined).toMatchObject({ id: request.id, status: 'DECLINED', consent: null });
    expect(Date.parse(declined.mayAskAgainAt) - Date.parse(declined.answeredAt)).toBe(90 * DAY);
    // Declining again changes nothing; accepting now is refused.
    expect((await graph.gateway.ok(DECLINE, { as: asLearner('hafiz'), variables: { id: request.id } })).declineContactRequest).toEqual(declined);
    expect(codesOf(await graph.gateway.query(ACCEPT, { as: asLearner('hafiz'), variables: { id: request.id } }))).toEqual(['CONFLICT']);

    const again = await ask(perisianSystem, 'hafiz', { jobRoleId: fullStackRole.id, message: 'Please reconsider.' });
    expect(codesOf(again)).toEqual(['CONFLICT']);
    expect(again.errors![0]!.message).toContain(`you may ask them again from ${declined.mayAskAgainAt}`);
    expect(again.errors![0]!.extensions).toMatchObject({ contactRequestId: request.id, mayAskAgainAt: declined.mayAskAgainAt });
    expect(await requestsTo('hafiz')).toBe(1);

    const sent = (await graph.gateway.ok(SENT, { as: perisianHr, variables: { status: 'DECLINED' } })).myContactRequests;
    expect(sent.edges.map((e: { node: unknown }) => e.node)).toContainEqual(expect.objectContaining({ id: request.id, status: 'DECLINED', mayAskAgainAt: declined.mayAskAgainAt, consent: null }));
    const events = await graph.connection.query<{ payload: { answer: string; consentId: null } }>(`select payload from learners.outbox where payload->>'contactRequestId' = $1`, [request.id]);
    expect(events.map((e) => [e.payload.answer, e.payload.consentId])).toEqual([['DECLINED', null]]);
  });

  it('does not keep another employer from asking', async () => {
    const other = await ask(elektronikHr, 'hafiz', { jobRoleId: technicianRole.id });
    expect(other.errors).toBeUndefined();
    expect(other.data!.requestContact).toMatchObject({ status: 'PENDING', employer: { id: employers.electronics.id } });
  });

  it('lets the employer ask again once the 90 days are over', async () => {
    await graph.connection.query(`update learners.contact_request set answered_at = now() - interval '91 days', created_at = now() - interval '92 days' where id = $1`, [declined.id]);
    const again = await ask(perisianHr, 'hafiz', { message: 'Three months on: we are hiring again.' });
    expect(again.errors).toBeUndefined();
    expect(again.data!.requestContact.status).toBe('PENDING');
  });
});

describe('requests that are not answered', () => {
  it('expire after 30 days: the learner can no longer accept, and the employer may ask again', async () => {
    await optIn('meiling');
    const request = (await ask(perisianHr, 'meiling')).data!.requestContact;
    expect(codesOf(await ask(perisianHr, 'meiling', { message: 'Just checking in.' }))).toEqual(['CONFLICT']);
    await graph.connection.query(`update learners.contact_request set created_at = now() - interval '31 days', expires_at = now() - interval '1 day' where id = $1`, [request.id]);
    const inbox = (await graph.gateway.ok(INBOX, { as: asLearner('meiling'), variables: { status: 'EXPIRED' } })).me.contactRequests;
    expect(inbox.edges.map((e: { node: { id: string; status: string } }) => [e.node.id, e.node.status])).toEqual([[request.id, 'EXPIRED']]);
    expect((await graph.gateway.ok(INBOX, { as: asLearner('meiling'), variables: { status: 'PENDING' } })).me.contactRequests.totalCount).toBe(0);
    const late = await graph.gateway.query(ACCEPT, { as: asLearner('meiling'), variables: { id: request.id } });
    expect(codesOf(late)).toEqual(['CONFLICT']);
    expect(late.errors![0]!.message).toContain('expired');

    const again = await ask(perisianHr, 'meiling', { message: 'A new opening.' });
    expect(again.errors).toBeUndefined();
    const statuses = (await graph.gateway.ok(INBOX, { as: asLearner('meiling') })).me.contactRequests.edges.map((e: { node: { id: string; status: string } }) => [e.node.id, e.node.status]);
    expect(statuses).toEqual([
      [again.data!.requestContact.id, 'PENDING'],
      [request.id, 'EXPIRED'],
    ]);
  });

  it('stay the learner’s to answer after she opts out, though nobody may send her a new one', async () => {
    await optIn('kumar');
    const request = (await ask(elektronikHr, 'kumar', { jobRoleId: technicianRole.id })).data!.requestContact;
    await graph.gateway.ok(CLEAR_HEADLINE, { as: asLearner('kumar') });
    const blocked = await ask(perisianHr, 'kumar');
    const unknown = await ask(perisianHr, 'kumar', { learnerId: unknownId });
    expect(withoutId(blocked, learner('kumar').id)).toEqual(withoutId(unknown, unknownId));
    const accepted = await graph.gateway.ok(ACCEPT, { as: asLearner('kumar'), variables: { id: request.id, expiresAt: new Date(Date.now() + 14 * DAY).toISOString() } });
    expect(accepted.acceptContactRequest).toMatchObject({ status: 'ACCEPTED', consent: { granteeId: employers.electronics.id } });
  });
});

describe('refusals', () => {
  it('answers a learner who never opted in exactly as one who does not exist', async () => {
    const notOptedIn = await ask(perisianHr, 'daniel');
    const unknown = await ask(perisianHr, 'daniel', { learnerId: unknownId });
    expect(codesOf(notOptedIn)).toEqual(['NOT_FOUND']);
    expect(withoutId(notOptedIn, learner('daniel').id)).toEqual(withoutId(unknown, unknownId));
    expect(notOptedIn.errors![0]!.message).not.toContain(learner('daniel').fullName);
    expect(await requestsTo('daniel')).toBe(0);
  });

  it('lets only an employer’s staff or its partner systems ask', async () => {
    await optIn('grace');
    const odlPartner: Who = { role: 'PARTNER', sub: 'system:utn-student-records', providerId: providers.odl.id };
    for (const who of [asLearner('siti'), 'PROVIDER_STAFF', odlPartner, 'FUNDER', 'ADMIN'] as Who[]) {
      expect(codesOf(await ask(who, 'grace'))).toEqual(['FORBIDDEN']);
      expect(codesOf(await graph.gateway.query(SENT, { as: who }))).toEqual(['FORBIDDEN']);
    }
    expect(codesOf(await ask(undefined as unknown as Who, 'grace'))).toEqual(['UNAUTHENTICATED']);
    // Someone who is no staff of the employer its token names is refused before anything is read.
    const impostor: Who = { role: 'EMPLOYER', sub: 'staff:nobody', employerId: employers.software.id };
    expect(codesOf(await ask(impostor, 'grace'))).toEqual(['FORBIDDEN']);
    expect(await requestsTo('grace')).toBe(0);
  });

  it('refuses bad input, naming what is wrong, and writes nothing', async () => {
    const bad = async (overrides: Record<string, unknown>, expected: string) => {
      const response = await ask(perisianHr, 'grace', overrides);
      expect(codesOf(response), expected).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0]!.message).toContain(expected);
    };
    await bad({ message: '   ' }, 'input.message must not be empty');
    await bad({ message: 'x'.repeat(1001) }, 'input.message must be at most 1000 characters; got 1001');
    await bad({ message: 'Apply at <a href="https://example.com">our site</a>' }, 'input.message must be plain text, without markup');
    await bad({ scopes: [] }, 'input.scopes must name at least one scope');
    await bad({ scopes: ['PROFILE', 'PERSONAL'] }, 'input.scopes may not include PERSONAL: an employer may ask for PROFILE, CONTACT, CREDENTIALS only');
    await bad({ scopes: ['ELIGIBILITY'] }, 'input.scopes may not include ELIGIBILITY');
    await bad({ learnerId: 'grace' }, 'input.learnerId must be a learner id (a UUID)');
    await bad({ jobRoleId: technicianRole.id }, "jobRoleId names another employer's job role");
    expect(codesOf(await ask(perisianHr, 'grace', { key: '' }))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await ask(perisianHr, 'grace', { jobRoleId: unknownId }))).toEqual(['NOT_FOUND']);
    // A draft role, even the employer's own: the learner could not read it.
    const draft = await ask(elektronikHr, 'grace', { jobRoleId: embeddedDraft.id });
    expect(codesOf(draft)).toEqual(['BAD_USER_INPUT']);
    expect(draft.errors![0]!.message).toContain('publish it first');
    expect(await requestsTo('grace')).toBe(0);
  });

  it('refuses a second request while one waits, and an idempotency key reused for another request', async () => {
    const first = (await ask(perisianSystem, 'grace', { key: 'grace-1' })).data!.requestContact;
    const waiting = await ask(perisianHr, 'grace', { key: 'grace-2' });
    expect(codesOf(waiting)).toEqual(['CONFLICT']);
    expect(waiting.errors![0]!.extensions).toMatchObject({ contactRequestId: first.id });
    const reused = await ask(perisianSystem, 'grace', { key: 'grace-1', message: 'Something else entirely.' });
    expect(codesOf(reused)).toEqual(['CONFLICT']);
    expect(reused.errors![0]!.message).toContain('idempotency key grace-1 was already used for another contact request');
    // The key belongs to the employer: its staff retrying what its partner system sent gets the same request.
    expect((await ask(perisianHr, 'grace', { key: 'grace-1' })).data!.requestContact.id).toBe(first.id);
    expect(await requestsTo('grace')).toBe(1);
  });

  it('shows a learner’s requests to her and administrators only, and her answers only to her', async () => {
    const LEARNER_REQUESTS = `query($id: ID!) { learner(id: $id) { id contactRequests { totalCount } } }`;
    const grace = learner('grace').id;
    expect((await graph.gateway.ok(LEARNER_REQUESTS, { as: 'ADMIN', variables: { id: grace } })).learner.contactRequests.totalCount).toBe(1);
    for (const who of [perisianHr, perisianSystem, 'PROVIDER_STAFF', 'FUNDER', asLearner('siti')] as Who[]) {
      expect(codesOf(await graph.gateway.query(LEARNER_REQUESTS, { as: who, variables: { id: grace } }))).toEqual(['FORBIDDEN']);
    }
    const [request] = await graph.connection.query<{ id: string }>('select id from learners.contact_request where learner_id = $1', [grace]);
    for (const [who, code] of [
      [asLearner('siti'), 'NOT_FOUND'],
      [perisianHr, 'FORBIDDEN'],
      ['ADMIN', 'FORBIDDEN'],
    ] as Array<[Who, string]>) {
      expect(codesOf(await graph.gateway.query(ACCEPT, { as: who, variables: { id: request!.id } }))).toEqual([code]);
      expect(codesOf(await graph.gateway.query(DECLINE, { as: who, variables: { id: request!.id } }))).toEqual([code]);
    }
    const tooLong = await graph.gateway.query(ACCEPT, { as: asLearner('grace'), variables: { id: request!.id, expiresAt: new Date(Date.now() + 800 * DAY).toISOString() } });
    expect(codesOf(tooLong)).toEqual(['BAD_USER_INPUT']);
    expect(tooLong.errors![0]!.message).toContain('expiresAt must be at most two years ahead');
    expect(codesOf(await graph.gateway.query(ACCEPT, { as: asLearner('grace'), variables: { id: request!.id, expiresAt: new Date(Date.now() - DAY).toISOString() } }))).toEqual(['BAD_USER_INPUT']);
    expect((await graph.gateway.ok(INBOX, { as: asLearner('grace'), variables: { status: 'PENDING' } })).me.contactRequests.totalCount).toBe(1);
  });
});

describe('the rate limit', () => {
  const learnersToAsk = ['karhoe', 'zainab', 'ravi', 'nurul', 'priya', 'james', 'arjun', 'aisyah'];
  let kopiRole: string;

  beforeAll(async () => {
    const role = {
      title: 'Barista with a coding habit',
      occupationCode: 'MASCO 5132',
      description: 'Runs the espresso bar and the ordering app.',
      requiredSkills: [{ skillCode: 'PROG-FUND', minimumLevel: 3 }],
    };
    kopiRole = (await graph.gateway.ok(`mutation($input: JobRoleInput!) { createJobRole(input: $input) { id } }`, { as: kopiOwner, variables: { input: role } })).createJobRole.id;
    await graph.gateway.ok(`mutation($id: ID!) { publishJobRole(id: $id) { id } }`, { as: kopiOwner, variables: { id: kopiRole } });
    for (const key of learnersToAsk) await optIn(key);
    // The employer's earlier requests: 45 in the last 24 hours (20 minutes apart), one just outside them.
    await graph.connection.query(
      `insert into learners.contact_request (learner_id, employer_id, job_role_id, message, scopes, status, requested_by_subject, created_at, expires_at)
       select $1, $2, $3, 'An earlier request', '{PROFILE}', 'EXPIRED', 'staff:kopi:owner',
              case when g = 0 then now() - interval '25 hours' else now() - interval '20 minutes' * g end, now() - interval '1 minute'
       from generate_series(0, 45) g`,
      [learner('farah').id, employers.cafe.id, kopiRole],
    );
  });

  it('lets at most 50 requests through in 24 hours, however many arrive at once, and says when to try again', async () => {
    const answers = await Promise.all(learnersToAsk.map((key, i) => ask(kopiOwner, key, { jobRoleId: kopiRole, key: `kopi-${i}` })));
    const admitted = answers.filter((a) => !a.errors);
    const refused = answers.filter((a) => a.errors);
    expect(admitted).toHaveLength(5);
    expect(refused.map(codesOf)).toEqual([['RATE_LIMITED'], ['RATE_LIMITED'], ['RATE_LIMITED']]);
    const { retryAfterSeconds } = refused[0]!.errors![0]!.extensions as { retryAfterSeconds: number };
    // The extensions a partner reads, as the gateway answers a request over its own budget: code, retryAfterSeconds, and the limit.
    expect(refused[0]!.errors![0]!.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds, limit: 50, windowHours: 24 });
    // Room opens when the oldest request counted (45 × 20 minutes ago) leaves the 24 hours: in 9 h.
    expect(retryAfterSeconds).toBeGreaterThan(32_400 - 120);
    expect(retryAfterSeconds).toBeLessThanOrEqual(32_400);
    expect(refused[0]!.errors![0]!.message).toContain(`Try again in ${retryAfterSeconds} s.`);
    const [counted] = await graph.connection.query<{ n: number }>(`select count(*)::int as n from learners.contact_request where employer_id = $1 and created_at > now() - interval '24 hours'`, [employers.cafe.id]);
    expect(counted!.n).toBe(50);
  });

  it('still answers a retry of a request it let through', async () => {
    const admittedKey = (await graph.connection.query<{ idempotency_key: string; id: string }>(`select idempotency_key, id from learners.contact_request where employer_id = $1 and idempotency_key is not null limit 1`, [employers.cafe.id]))[0]!;
    const index = Number(admittedKey.idempotency_key.replace('kopi-', ''));
    const retried = await ask(kopiOwner, learnersToAsk[index]!, { jobRoleId: kopiRole, key: admittedKey.idempotency_key });
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.requestContact.id).toBe(admittedKey.id);
  });

  it('counts each employer on its own', async () => {
    const other = await ask(elektronikHr, 'ravi', { jobRoleId: technicianRole.id });
    expect(other.errors).toBeUndefined();
  });
});

interface SentPage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: Array<{ node: { id: string; status: string } }>;
}

describe('listing requests a page at a time', () => {
  it('pages the employer’s requests newest first, filtered by status, and counts them', async () => {
    const all = (await graph.gateway.ok(SENT, { as: perisianHr, variables: { first: 100 } })).myContactRequests;
    const pages: string[] = [];
    let after: string | null = null;
    do {
      const page: SentPage = (await graph.gateway.ok(SENT, { as: perisianHr, variables: { first: 2, after } })).myContactRequests;
      expect(page.totalCount).toBe(all.totalCount);
      pages.push(...page.edges.map((e) => e.node.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(pages).toEqual(all.edges.map((e: { node: { id: string } }) => e.node.id));
    expect(all.totalCount).toBeGreaterThanOrEqual(5);
    const pending = (await graph.gateway.ok(SENT, { as: perisianHr, variables: { status: 'PENDING' } })).myContactRequests;
    expect(pending.edges.every((e: { node: { status: string } }) => e.node.status === 'PENDING')).toBe(true);
    expect(codesOf(await graph.gateway.query(SENT, { as: perisianHr, variables: { after: 'not-a-cursor' } }))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await graph.gateway.query(SENT, { as: perisianHr, variables: { first: 101 } }))).toEqual(['BAD_USER_INPUT']);
  });

  it('costs the same statements for a page of one as for a page of many', async () => {
    const PAGE = `query($first: Int) { myContactRequests(first: $first) { edges { node { id status employer { name } learner { id talentHeadline { text } } } } } }`;
    await graph.gateway.ok(PAGE, { as: perisianHr, variables: { first: 1 } });
    const one = await graph.statementsDuring(() => graph.gateway.ok(PAGE, { as: perisianHr, variables: { first: 1 } }));
    const many = await graph.statementsDuring(() => graph.gateway.ok(PAGE, { as: perisianHr, variables: { first: 100 } }));
    expect(many.result.myContactRequests.edges.length).toBeGreaterThan(1);
    expect(many.statements).toBe(one.statements);
  });
});
