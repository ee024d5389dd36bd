import { employers, learnerByKey, learners, providers } from '@tauliah/demo-data';
import { codesOf, startTestSubgraph, type TestSubgraph, type Who } from '@tauliah/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { learnersService } from '../src/index.ts';

let graph: TestSubgraph<typeof learnersService.tables>;
const siti = learnerByKey('siti');
const daniel = learnerByKey('daniel');
const aisyah = learnerByKey('aisyah');
const james = learnerByKey('james');
const self = (key: string): Who => ({ role: 'LEARNER', sub: learnerByKey(key).id });

beforeAll(async () => {
  graph = await startTestSubgraph(learnersService);
});
afterAll(() => graph?.stop());

const SET = `mutation($input: TalentHeadlineInput!) { setTalentHeadline(input: $input) { id talentHeadline { text region skills updatedAt } } }`;
const CLEAR = `mutation { clearTalentHeadline { id talentHeadline { text } } }`;
const HEADLINE = `query($id: ID!) { learner(id: $id) { id talentHeadline { text region skills } } }`;
const ENTITIES = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Learner { id talentHeadline { text region skills } } } }`;

const headline = { text: '  Junior full-stack developer: Python, React and PostgreSQL  ', region: 'Johor', skills: ['prog-fund', 'WEB-FRONTEND', 'PROG-FUND'] };
const shown = { text: 'Junior full-stack developer: Python, React and PostgreSQL', region: 'Johor', skills: ['PROG-FUND', 'WEB-FRONTEND'] };

/** Every kind of viewer but the learner, and what each reads of an opted-in learner's headline. */
const viewers: Array<[string, Who, 'sees' | 'null']> = [
  ['an employer’s staff', { role: 'EMPLOYER', sub: 'staff:perisian:hr', employerId: employers.software.id }, 'sees'],
  ['another employer’s admin', { role: 'EMPLOYER', sub: 'staff:elektronik:hr', employerId: employers.electronics.id }, 'sees'],
  ['a partner system acting for an employer', { role: 'PARTNER', sub: 'system:perisian-hr', employerId: employers.software.id }, 'sees'],
  ['a platform administrator', 'ADMIN', 'sees'],
  ['another learner', self('daniel'), 'null'],
  ['the provider she is enrolled with', { role: 'PROVIDER_STAFF', sub: 'staff:odl:registrar', providerId: providers.odl.id }, 'null'],
  ['a partner system acting for that provider', { role: 'PARTNER', sub: 'system:utn-student-records', providerId: providers.odl.id }, 'null'],
  ['a funder', 'FUNDER', 'null'],
];

describe('a learner opting in to being found with a headline', () => {
  it('is off until she sets it: nobody reads a headline, and nobody gets an error for asking', async () => {
    for (const [, who] of [...viewers, ['herself', self('siti')] as const]) {
      const response = await graph.client.query(HEADLINE, { as: who, variables: { id: siti.id } });
      expect(response.errors).toBeUndefined();
      expect(response.data?.learner.talentHeadline).toBeNull();
    }
  });

  it('stores her own words, trimmed, with skill codes in upper case and once each, and shows them to her', async () => {
    const set = (await graph.client.ok(SET, { as: self('siti'), variables: { input: headline } })).setTalentHeadline;
    expect(set).toMatchObject({ id: siti.id, talentHeadline: shown });
    expect(Date.parse(set.talentHeadline.updatedAt)).not.toBeNaN();
    const mine = await graph.client.ok(`{ me { talentHeadline { text region skills } } }`, { as: self('siti') });
    expect(mine.me.talentHeadline).toEqual(shown);
  });

  it.each(viewers)('then shows it to %s only if they act for an employer or administer the platform', async (_, who, expected) => {
    const response = await graph.client.query(HEADLINE, { as: who, variables: { id: siti.id } });
    expect(response.errors).toBeUndefined();
    expect(response.data?.learner.talentHeadline).toEqual(expected === 'sees' ? shown : null);
  });

  it('shows nothing to a caller without a token, even through _entities', async () => {
    const response = await graph.client.query(ENTITIES, { variables: { reps: [{ __typename: 'Learner', id: siti.id }] } });
    expect(response.data?._entities).toEqual([{ id: siti.id, talentHeadline: null }]);
  });

  it('changes when she sets it again, region and skills optional', async () => {
    const input = { text: 'Looking for a first job in web development' };
    const changed = (await graph.client.ok(SET, { as: self('siti'), variables: { input } })).setTalentHeadline.talentHeadline;
    expect(changed).toMatchObject({ text: input.text, region: null, skills: [] });
    const employer = await graph.client.ok(HEADLINE, { as: 'EMPLOYER', variables: { id: siti.id } });
    expect(employer.learner.talentHeadline).toEqual({ text: input.text, region: null, skills: [] });
  });

  it('is gone for employers once she clears it: null again, exactly as before she opted in; clearing twice changes nothing', async () => {
    await graph.client.ok(SET, { as: self('daniel'), variables: { input: { text: 'Daniel, finishing SPM' } } });
    expect((await graph.client.ok(CLEAR, { as: self('daniel') })).clearTalentHeadline).toEqual({ id: daniel.id, talentHeadline: null });
    expect((await graph.client.ok(CLEAR, { as: self('daniel') })).clearTalentHeadline).toEqual({ id: daniel.id, talentHeadline: null });
    const cleared = await graph.client.query(HEADLINE, { as: 'EMPLOYER', variables: { id: daniel.id } });
    const never = await graph.client.query(HEADLINE, { as: 'EMPLOYER', variables: { id: james.id } });
    expect(cleared.errors).toBeUndefined();
    expect(cleared.data?.learner).toEqual({ id: daniel.id, talentHeadline: null });
    expect(never.data?.learner).toEqual({ id: james.id, talentHeadline: null });
    expect((await graph.connection.query(`select 1 from learners.talent_headline where learner_id = $1`, [daniel.id])).length).toBe(0);
  });

  it('reads the headlines of a whole page of learners in one statement, however many', async () => {
    await graph.client.ok(SET, { as: self('hafiz'), variables: { input: { text: 'Software engineer, six stages into BDSE' } } });
    const reps = (keys: string[]) => keys.map((key) => ({ __typename: 'Learner', id: learnerByKey(key).id }));
    const few = await graph.statementsDuring(() => graph.client.ok(ENTITIES, { as: 'EMPLOYER', variables: { reps: reps(['siti', 'hafiz']) } }));
    const all = await graph.statementsDuring(() => graph.client.ok(ENTITIES, { as: 'EMPLOYER', variables: { reps: learners.map((l) => ({ __typename: 'Learner', id: l.id })) } }));
    expect(all.statements).toBe(few.statements);
    const found = (all.result._entities as Array<{ id: string; talentHeadline: unknown }>).filter((l) => l.talentHeadline !== null).map((l) => l.id);
    // Aisyah's is the demo data's.
    expect(found.sort()).toEqual([siti.id, learnerByKey('hafiz').id, aisyah.id].sort());
  });
});

describe('refusals', () => {
  const refused = async (input: Record<string, unknown>) => {
    const response = await graph.client.query(SET, { as: self('nurul'), variables: { input } });
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    return response.errors![0]!.message;
  };

  it('refuses a headline that is empty, too long, more than one line, marked up or hiding control characters', async () => {
    expect(await refused({ text: '   ' })).toContain('input.text must not be empty');
    expect(await refused({ text: 'x'.repeat(141) })).toContain('input.text must be at most 140 characters; got 141');
    expect(await refused({ text: 'First line\nsecond line' })).toContain('input.text must be one line');
    expect(await refused({ text: 'Hire me <script>alert(1)</script>' })).toContain('input.text must be plain text, without markup');
    expect(await refused({ text: 'Developer\u202Eesrever' })).toContain('input.text must not contain control or text-direction characters');
    expect(await refused({ text: 'Developer\u0007' })).toContain('input.text must not contain control or text-direction characters');
    // 140 characters as PostgreSQL counts them (code points), emoji included.
    const full = `${'🚀'.repeat(10)}${'x'.repeat(130)}`;
    const set = await graph.client.ok(SET, { as: self('nurul'), variables: { input: { text: full } } });
    expect(set.setTalentHeadline.talentHeadline.text).toBe(full);
  });

  it('refuses a region that is not a Malaysian state, more than ten skills, and a skill that is not a code', async () => {
    expect(await refused({ text: 'Fine', region: 'Singapore' })).toContain('input.region must be one of Johor');
    const eleven = Array.from({ length: 11 }, (_, i) => `SKILL-${i}`);
    expect(await refused({ text: 'Fine', skills: eleven })).toContain('input.skills may name at most 10 skills');
    expect(await refused({ text: 'Fine', skills: ['PROG-FUND', 'web frontend'] })).toContain('input.skills.1 must be a skill code such as PROG-FUND');
  });

  it('lets only a learner set or clear their own headline', async () => {
    for (const who of ['EMPLOYER', 'PROVIDER_STAFF', 'FUNDER', 'PARTNER', 'ADMIN'] as const) {
      expect(codesOf(await graph.client.query(SET, { as: who, variables: { input: { text: 'Not mine' } } }))).toEqual(['FORBIDDEN']);
      expect(codesOf(await graph.client.query(CLEAR, { as: who }))).toEqual(['FORBIDDEN']);
    }
    expect(codesOf(await graph.client.query(SET, { variables: { input: { text: 'Nobody' } } }))).toEqual(['UNAUTHENTICATED']);
  });
});
