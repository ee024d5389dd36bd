import { skillRetiredEvent, type EventData, type EventEnvelope } from '@tauliah/core';
import { codesOf, eventually, startTestSubgraph } from '@tauliah/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySkillRetired } from '../src/events/skill-retired.ts';
import { credentialsService } from '../src/index.ts';
import { skillGap, type Proof } from '../src/talent/gap.ts';
import { refreshTalentProofs } from '../src/talent/proofs.ts';
import { skillsInUse } from '../src/talent/successions.ts';
import { insertCredentials, type CredentialsGraph } from './support.ts';

let graph: CredentialsGraph;

beforeAll(async () => {
  graph = await startTestSubgraph(credentialsService);
});
afterAll(() => graph?.stop());

type Retired = EventEnvelope<EventData<typeof skillRetiredEvent>>;
const retired = (code: string, successorCode: string, version: number): Retired => ({
  id: randomUUID(),
  subject: skillRetiredEvent.subject,
  version,
  occurredAt: new Date().toISOString(),
  data: skillRetiredEvent.data.parse({ code, successorCode }),
});
const retire = (code: string, successorCode: string, version: number) => applySkillRetired(graph.db, retired(code, successorCode, version));

/** Codes of their own for each test, so no test sees another's successions. */
let run = 0;
const codes = <K extends string>(...names: K[]): Record<K, string> => {
  run += 1;
  return Object.fromEntries(names.map((name) => [name, `S${run}-${name}`])) as Record<K, string>;
};

/** The stored succession of a code: [successor the event named, skill in use it counts as, version]. */
async function stored(code: string): Promise<[string, string, number] | undefined> {
  const [row] = await graph.connection.query<{ successor_code: string; current_code: string; version: string | number }>(
    'select successor_code, current_code, version from credentials.skill_succession where code = $1',
    [code],
  );
  return row && [row.successor_code, row.current_code, Number(row.version)];
}

/** The skill in use each code counts as. */
async function inUse(...asked: string[]): Promise<string[]> {
  const found = await skillsInUse(graph.db, asked);
  return asked.map((code) => found.get(code)!.current);
}

describe('skills retired in favour of others, from the providers service’s events', () => {
  it('records a retirement once: a redelivery changes nothing', async () => {
    const s = codes('OLD', 'NEW');
    const event = retired(s.OLD, s.NEW, 10);
    expect(await applySkillRetired(graph.db, event)).toEqual({ applied: true, looping: [] });
    expect(await applySkillRetired(graph.db, event)).toEqual({ applied: false, looping: [] });
    expect(await stored(s.OLD)).toEqual([s.NEW, s.NEW, 10]);
    expect(await stored(s.NEW)).toBeUndefined();
    expect(await inUse(s.OLD, s.NEW)).toEqual([s.NEW, s.NEW]);
    expect((await skillsInUse(graph.db, [s.NEW])).get(s.NEW)!.provenBy).toEqual([s.NEW, s.OLD].sort());
  });

  it('records codes it has never seen on a credential: one may name them later', async () => {
    const s = codes('NOBODY', 'SUCCESSOR');
    await retire(s.NOBODY, s.SUCCESSOR, 3);
    expect(await stored(s.NOBODY)).toEqual([s.SUCCESSOR, s.SUCCESSOR, 3]);
    const late = randomUUID();
    await holding(late, [s.NOBODY]);
    expect((await search([s.SUCCESSOR])).has(late)).toBe(true);
  });

  it('follows chains to the skill in use, whatever order the links arrive in', async () => {
    const inOrder = codes('A', 'B', 'C');
    await retire(inOrder.A, inOrder.B, 1);
    await retire(inOrder.B, inOrder.C, 2);
    expect(await inUse(inOrder.A, inOrder.B, inOrder.C)).toEqual([inOrder.C, inOrder.C, inOrder.C]);
    expect(await stored(inOrder.A)).toEqual([inOrder.B, inOrder.C, 1]);
    expect((await skillsInUse(graph.db, [inOrder.A])).get(inOrder.A)!.provenBy).toEqual([inOrder.A, inOrder.B, inOrder.C]);

    const reversed = codes('A', 'B', 'C', 'D');
    await retire(reversed.C, reversed.D, 30);
    await retire(reversed.B, reversed.C, 20);
    await retire(reversed.A, reversed.B, 10);
    expect(await inUse(reversed.A, reversed.B, reversed.C, reversed.D)).toEqual([reversed.D, reversed.D, reversed.D, reversed.D]);
  });

  it('keeps the newest retirement of a code: an older one arriving late changes nothing', async () => {
    const s = codes('OLD', 'FIRST', 'SECOND', 'THIRD');
    expect((await retire(s.OLD, s.SECOND, 7)).applied).toBe(true);
    expect((await retire(s.OLD, s.FIRST, 5)).applied).toBe(false);
    expect((await retire(s.OLD, s.FIRST, 7)).applied).toBe(false);
    expect(await stored(s.OLD)).toEqual([s.SECOND, s.SECOND, 7]);
    expect((await retire(s.OLD, s.THIRD, 9)).applied).toBe(true);
    expect(await stored(s.OLD)).toEqual([s.THIRD, s.THIRD, 9]);
    // Re-pointing a code moves what was retired for it, and nothing else.
    const other = codes('THROUGH', 'BESIDE');
    await retire(other.THROUGH, s.OLD, 11);
    await retire(other.BESIDE, s.THIRD, 12);
    expect(await inUse(other.THROUGH, other.BESIDE)).toEqual([s.THIRD, s.THIRD]);
    await retire(s.OLD, s.SECOND, 13);
    expect(await inUse(s.OLD, other.THROUGH, other.BESIDE)).toEqual([s.SECOND, s.SECOND, s.THIRD]);
  });

  it('never loops on successors that lead back: every code on or into the loop counts only as itself, until a later event mends it', async () => {
    const s = codes('A', 'B', 'INTO', 'C', 'SELF');
    expect(await retire(s.A, s.B, 1)).toEqual({ applied: true, looping: [] });
    const loop = await retire(s.B, s.A, 2);
    expect(loop.applied).toBe(true);
    expect(loop.looping).toEqual([s.A, s.B].sort());
    expect((await retire(s.INTO, s.A, 3)).looping).toEqual([s.INTO]);
    expect(await inUse(s.A, s.B, s.INTO)).toEqual([s.A, s.B, s.INTO]);
    expect((await skillsInUse(graph.db, [s.A])).get(s.A)!.provenBy).toEqual([s.A]);

    // A newer retirement of B mends the chain: all three now count as C.
    expect((await retire(s.B, s.C, 4)).looping).toEqual([]);
    expect(await inUse(s.A, s.B, s.INTO)).toEqual([s.C, s.C, s.C]);

    // A skill retired in favour of itself is recorded, and counts as itself.
    expect((await retire(s.SELF, s.SELF, 5)).looping).toEqual([s.SELF]);
    expect(await inUse(s.SELF)).toEqual([s.SELF]);
  });

  it('applies retirements delivered through the broker, and rejects one that breaks the contract', async () => {
    const s = codes('OLD', 'NEW');
    await graph.events.publish({ ...retired(s.OLD, s.NEW, 100), data: { code: s.OLD } });
    await graph.events.publish(retired(s.OLD, s.NEW, 101));
    await eventually(async () => (await stored(s.OLD)) !== undefined, 'the consumer to apply the retirement');
    expect(await stored(s.OLD)).toEqual([s.NEW, s.NEW, 101]);
  });
});

const SEARCH = `query($skills: [String!]!, $match: TalentSkillMatch, $minLevel: Int) {
  talentSearch(skills: $skills, match: $match, minLevel: $minLevel, first: 100) {
    totalCount
    edges { node { learner { id } matchedSkills { code } matchedCount score credentials { id } } }
  }
}`;
interface Found {
  learner: { id: string };
  matchedSkills: Array<{ code: string }>;
  matchedCount: number;
  score: number;
  credentials: Array<{ id: string }>;
}
async function search(skills: string[], options: { match?: 'ALL' | 'ANY'; minLevel?: number } = {}): Promise<Map<string, Found>> {
  const data = await graph.client.ok(SEARCH, { as: 'EMPLOYER', variables: { skills, ...options } });
  return new Map(data.talentSearch.edges.map((e: { node: Found }) => [e.node.learner.id, e.node]));
}

/** Credentials straight into the database with skills of the test's own, and their holders' talent proofs rebuilt. */
async function holding(holderId: string, skills: string[], extra: { mqfLevel?: number; visibility?: 'PRIVATE' | 'EMPLOYERS' | 'PUBLIC' } = {}): Promise<string> {
  const [id] = await insertCredentials(graph, [{ holderId, courseId: randomUUID(), skills, ...extra }]);
  await graph.db.transaction((tx) => refreshTalentProofs(tx, [holderId]));
  return id!;
}

describe('talent search once a skill is retired', () => {
  it('finds holders of the retired skill by its successor and the other way round, and by neither before the event', async () => {
    const s = codes('OLD', 'NEW', 'OTHER');
    const [oldHolder, newHolder, both, hidden] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const oldProof = await holding(oldHolder, [s.OLD, s.OTHER], { mqfLevel: 5 });
    await holding(newHolder, [s.NEW], { mqfLevel: 3 });
    await holding(both, [s.OLD]);
    await holding(both, [s.NEW]);
    await holding(hidden, [s.OLD], { visibility: 'PRIVATE' });

    expect([...(await search([s.NEW])).keys()].sort()).toEqual([newHolder, both].sort());
    expect([...(await search([s.OLD])).keys()].sort()).toEqual([oldHolder, both].sort());

    await retire(s.OLD, s.NEW, 1);
    const bySuccessor = await search([s.NEW]);
    expect([...bySuccessor.keys()].sort()).toEqual([oldHolder, newHolder, both].sort());
    expect(bySuccessor.get(oldHolder)).toMatchObject({ matchedSkills: [{ code: s.NEW }], matchedCount: 1, score: 1, credentials: [{ id: oldProof }] });
    // Holding both codes proves one skill once, with both credentials.
    expect(bySuccessor.get(both)).toMatchObject({ matchedCount: 1, score: 1 });
    expect(bySuccessor.get(both)!.credentials).toHaveLength(2);

    // The retired code stands for its successor; asked together they are one skill.
    const byRetired = await search([s.OLD]);
    expect([...byRetired.keys()].sort()).toEqual([...bySuccessor.keys()].sort());
    expect(byRetired.get(newHolder)!.matchedSkills).toEqual([{ code: s.NEW }]);
    const byBoth = await search([s.OLD, s.NEW], { match: 'ALL' });
    expect(byBoth.size).toBe(3);
    expect([...byBoth.values()].every((found) => found.score === 1 && found.matchedCount === 1)).toBe(true);

    // A PRIVATE credential proving the retired skill never counts.
    for (const found of [bySuccessor, byRetired, byBoth]) expect(found.has(hidden)).toBe(false);
  });

  it('matches ALL and ANY across retired codes, at the level the credential proves', async () => {
    const s = codes('OLD', 'NEW', 'OTHER', 'THIRD');
    const [full, partial, low] = [randomUUID(), randomUUID(), randomUUID()];
    await holding(full, [s.OLD, s.OTHER], { mqfLevel: 5 });
    await holding(full, [s.THIRD], { mqfLevel: 5 });
    await holding(partial, [s.NEW, s.OTHER], { mqfLevel: 5 });
    await holding(low, [s.OLD, s.OTHER, s.THIRD], { mqfLevel: 3 });
    await retire(s.OLD, s.NEW, 1);

    expect([...(await search([s.NEW, s.OTHER, s.THIRD], { match: 'ALL' })).keys()].sort()).toEqual([full, low].sort());
    expect([...(await search([s.NEW, s.OTHER, s.THIRD], { match: 'ALL', minLevel: 4 })).keys()]).toEqual([full]);
    const any = await search([s.NEW, s.OTHER, s.THIRD], { match: 'ANY', minLevel: 4 });
    expect([...any.keys()]).toEqual([full, partial]);
    expect(any.get(partial)).toMatchObject({ matchedCount: 2, matchedSkills: [{ code: s.NEW }, { code: s.OTHER }] });
  });

  it('follows a chain of retirements, and costs the same statements as a search of skills never retired', async () => {
    const s = codes('A', 'B', 'C');
    const holder = randomUUID();
    await holding(holder, [s.A]);
    await retire(s.B, s.C, 2);
    expect((await search([s.C])).has(holder)).toBe(false);
    await retire(s.A, s.B, 1);
    expect((await search([s.C])).has(holder)).toBe(true);
    expect((await search([s.B])).get(holder)!.matchedSkills).toEqual([{ code: s.C }]);

    const plain = await graph.statementsDuring(() => search(['WEB-BACKEND', 'DATABASES']));
    const chained = await graph.statementsDuring(() => search([s.C, s.A]));
    expect(chained.statements).toBe(plain.statements);
  });

  it('still refuses bad input and callers who are not employers', async () => {
    expect(codesOf(await graph.client.query(SEARCH, { as: 'EMPLOYER', variables: { skills: ['not a code'] } }))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await graph.client.query(SEARCH, { as: 'LEARNER', variables: { skills: ['WEB-BACKEND'] } }))).toEqual(['FORBIDDEN']);
  });
});

describe('the skills gap once a skill is retired', () => {
  const credential = (id: string, mqfLevel: number) => ({ id, mqfLevel, issuedAt: new Date('2025-01-01T00:00:00Z') }) as Proof['credential'];

  it('meets a requirement with any code that proves its skill, at that credential’s level', async () => {
    const s = codes('OLD', 'NEW');
    await retire(s.OLD, s.NEW, 1);
    const found = await skillsInUse(graph.db, [s.OLD, s.NEW]);
    const provenBy = (code: string) => found.get(code)?.provenBy ?? [code];
    const proofs: Proof[] = [{ credential: credential('c-old', 4), skills: [s.OLD] }];
    const gap = skillGap(
      [
        { skillCode: s.NEW, minimumLevel: 4 },
        { skillCode: s.OLD, minimumLevel: 5 },
      ],
      proofs,
      provenBy,
    );
    expect(gap.held).toEqual([{ skillCode: s.NEW, minimumLevel: 4, level: 4, credential: proofs[0]!.credential }]);
    expect(gap.missing).toEqual([{ skillCode: s.OLD, minimumLevel: 5, heldLevel: 4 }]);

    // A role still listing the retired code is met by the successor; nothing is met without the succession.
    const successor: Proof[] = [{ credential: credential('c-new', 6), skills: [s.NEW] }];
    expect(skillGap([{ skillCode: s.OLD, minimumLevel: 5 }], successor, provenBy).held).toHaveLength(1);
    expect(skillGap([{ skillCode: s.OLD, minimumLevel: 5 }], successor, (code) => [code]).held).toEqual([]);
  });

  it('reads the successions of every role in a response in one statement', async () => {
    const s = codes('OLD', 'NEW', 'OTHER');
    const holder = randomUUID();
    await holding(holder, [s.OLD], { mqfLevel: 4 });
    await retire(s.OLD, s.NEW, 1);
    const GAPS = `query($reps: [_Any!]!, $learner: ID!) {
      _entities(representations: $reps) { ... on JobRole { gapFor(learnerId: $learner) { held { skill { code } level } missing { skill { code } } } } }
    }`;
    const role = (i: number, required: string[]) => ({
      __typename: 'JobRole',
      id: randomUUID(),
      published: true,
      employer: { id: randomUUID() },
      requiredSkills: required.map((code) => ({ skill: { code }, minimumLevel: i % 2 === 0 ? 3 : 4 })),
    });
    const gaps = async (count: number) =>
      graph.statementsDuring(() =>
        graph.client.ok(GAPS, {
          as: { role: 'LEARNER', sub: holder },
          variables: { learner: holder, reps: Array.from({ length: count }, (_, i) => role(i, i % 3 === 0 ? [s.NEW, s.OTHER] : [s.OLD, `${s.OTHER}-${i}`])) },
        }),
      );
    const one = await gaps(1);
    const many = await gaps(12);
    expect(many.statements).toBe(one.statements);
    type Answer = { gapFor: { held: Array<{ skill: { code: string }; level: number }>; missing: Array<{ skill: { code: string } }> } };
    const answers: Answer[] = many.result._entities;
    expect(answers.every((a) => a.gapFor.held.length === 1 && a.gapFor.held[0]!.level === 4 && a.gapFor.missing.length === 1)).toBe(true);
    expect(one.result._entities[0].gapFor.held).toEqual([{ skill: { code: s.NEW }, level: 4 }]);
  });
});
