import { credentialIssuedEvent, credentialRenewedEvent, CredentialVisibility, type EventData, type EventEnvelope } from '@tauliah/core';
import { startTestSubgraph, type TestSubgraph } from '@tauliah/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { courseHolders, courseSequence, guidanceCredential, heldCourse } from '../src/db/schema.ts';
import { applyCredentialIssued, applyCredentialRenewed, applyCredentialRevoked } from '../src/guidance/ledger.ts';
import { rebuildGuidance } from '../src/guidance/rebuild.ts';
import { MIN_SIMILAR_LEARNERS, sequencesTo, similarLearners } from '../src/guidance/similar.ts';
import { learnersService } from '../src/index.ts';

let graph: TestSubgraph<typeof learnersService.tables>;

beforeAll(async () => {
  graph = await startTestSubgraph(learnersService, { seed: false });
});
afterAll(() => graph?.stop());
beforeEach(async () => {
  for (const table of [courseSequence, courseHolders, heldCourse, guidanceCredential]) await graph.db.delete(table);
});

type Facts = EventData<typeof credentialIssuedEvent>;
let version = 0;
const at = (day: number) => new Date(Date.UTC(2026, 0, day)).toISOString();
/** An event as the credentials service records it; only its credential, learner, course and time matter here. */
function event<T extends Facts>(data: Omit<T, 'issuerId' | 'visibility'>, day: number): EventEnvelope<T> {
  return { id: randomUUID(), subject: 'credentials.credential.x', version: ++version, occurredAt: at(day), data: { issuerId: randomUUID(), visibility: CredentialVisibility.PRIVATE, ...data } as T };
}
const issued = (credentialId: string, learnerId: string, courseId: string, day: number) => applyCredentialIssued(graph.db, event({ credentialId, learnerId, courseId }, day));
const revoked = (credentialId: string, learnerId: string, courseId: string, day: number) => applyCredentialRevoked(graph.db, event({ credentialId, learnerId, courseId }, day));
const renewed = (credentialId: string, replacesCredentialId: string, learnerId: string, courseId: string, day: number) =>
  applyCredentialRenewed(graph.db, event<EventData<typeof credentialRenewedEvent>>({ credentialId, learnerId, courseId, replacesCredentialId }, day));

/** Every count, in a stable order: what the events built, to compare with a rebuild. */
async function counts() {
  const pairs = await graph.db.select().from(courseSequence);
  const holders = await graph.db.select().from(courseHolders);
  const held = await graph.db.select().from(heldCourse);
  const key = (o: object) => JSON.stringify(o);
  return {
    pairs: pairs.map((p) => `${p.courseId}>${p.nextCourseId}=${p.learners}`).sort(),
    holders: holders.filter((h) => h.learners > 0).map((h) => `${h.courseId}=${h.learners}`).sort(),
    held: held.map((h) => key({ l: h.learnerId, c: h.courseId, s: h.since.toISOString() })).sort(),
  };
}
const pairCount = async (from: string, to: string) => (await graph.db.select().from(courseSequence)).find((p) => p.courseId === from && p.nextCourseId === to)?.learners ?? 0;

describe('what learners went on to complete, kept from credential events', () => {
  const [python, web, databases] = [randomUUID(), randomUUID(), randomUUID()];

  it('counts a learner who took one course and then another, once however often the event is heard', async () => {
    const learner = randomUUID();
    const first = randomUUID();
    const second = randomUUID();
    expect(await issued(first, learner, python, 1)).toBe(true);
    expect(await issued(second, learner, web, 2)).toBe(true);
    expect(await issued(second, learner, web, 2)).toBe(false);
    expect(await issued(first, learner, python, 1)).toBe(false);
    expect(await pairCount(python, web)).toBe(1);
    expect(await pairCount(web, python)).toBe(0);
  });

  it('orders the pair by when each was achieved, whichever event is heard first', async () => {
    const learner = randomUUID();
    await issued(randomUUID(), learner, databases, 5);
    await issued(randomUUID(), learner, python, 1);
    expect(await pairCount(python, databases)).toBe(1);
    expect(await pairCount(databases, python)).toBe(0);
  });

  it('takes a revoked credential out of every pair it made, and ignores an issuance heard after its revocation', async () => {
    const learner = randomUUID();
    const credential = randomUUID();
    await issued(randomUUID(), learner, python, 1);
    await issued(credential, learner, web, 2);
    await issued(randomUUID(), learner, databases, 3);
    expect(await revoked(credential, learner, web, 4)).toBe(true);
    expect(await revoked(credential, learner, web, 4)).toBe(false);
    expect(await pairCount(python, web)).toBe(0);
    expect(await pairCount(web, databases)).toBe(0);
    expect(await pairCount(python, databases)).toBe(1);

    const late = randomUUID();
    expect(await revoked(late, learner, web, 6)).toBe(false);
    expect(await issued(late, learner, web, 5)).toBe(false);
    expect(await pairCount(python, web)).toBe(0);
  });

  it('lets a renewal replace its credential without counting the course again, in its first place', async () => {
    const learner = randomUUID();
    const original = randomUUID();
    await issued(original, learner, python, 1);
    await issued(randomUUID(), learner, web, 2);
    const renewal = randomUUID();
    expect(await renewed(renewal, original, learner, python, 40)).toBe(true);
    expect(await renewed(renewal, original, learner, python, 40)).toBe(false);
    expect(await pairCount(python, web)).toBe(1);
    expect(await pairCount(web, python)).toBe(0);
    // The replaced credential no longer holds the course: revoking the renewal takes it away.
    await revoked(renewal, learner, python, 41);
    expect(await pairCount(python, web)).toBe(0);
    expect((await similarLearners(graph.db, learner)).held).toEqual([web]);
  });

  it('ignores a stacked award, which completes no course', async () => {
    const facts = { credentialId: randomUUID(), learnerId: randomUUID(), courseId: null as unknown as string };
    expect(await applyCredentialIssued(graph.db, event(facts, 1))).toBe(false);
    expect(await graph.db.select().from(guidanceCredential)).toEqual([]);
  });

  it('rebuilds from its ledger exactly what the events built', async () => {
    const learners = Array.from({ length: 6 }, () => randomUUID());
    const courses = Array.from({ length: 5 }, () => randomUUID());
    const credentials: Array<{ id: string; learner: string; course: string }> = [];
    for (const [l, learner] of learners.entries()) {
      for (let k = 0; k < 4; k++) {
        const id = randomUUID();
        const course = courses[(l + k * (l % 2 ? 1 : 2)) % courses.length]!;
        if (credentials.some((c) => c.learner === learner && c.course === course)) continue;
        credentials.push({ id, learner, course });
        // Heard out of order: later credentials first for odd learners.
        await issued(id, learner, course, l % 2 ? 20 - k : k + 1);
      }
    }
    await revoked(credentials[2]!.id, credentials[2]!.learner, credentials[2]!.course, 30);
    const renewedOne = credentials[5]!;
    await renewed(randomUUID(), renewedOne.id, renewedOne.learner, renewedOne.course, 31);
    const incremental = await counts();
    expect(incremental.pairs.length).toBeGreaterThan(0);
    await rebuildGuidance(graph.db);
    expect(await counts()).toEqual(incremental);
  });

  it(`shows a learner what at least ${MIN_SIMILAR_LEARNERS} others holding their course went on to, never fewer`, async () => {
    const me = randomUUID();
    await issued(randomUUID(), me, python, 1);
    for (let n = 0; n < MIN_SIMILAR_LEARNERS; n++) {
      const other = randomUUID();
      await issued(randomUUID(), other, python, 1);
      await issued(randomUUID(), other, web, 2);
      if (n < MIN_SIMILAR_LEARNERS - 1) await issued(randomUUID(), other, databases, 3);
    }
    const similar = await similarLearners(graph.db, me);
    expect(similar.held).toEqual([python]);
    expect(similar.sequences).toEqual([{ courseId: python, nextCourseId: web, learners: MIN_SIMILAR_LEARNERS, holders: MIN_SIMILAR_LEARNERS + 1 }]);
    expect(await sequencesTo(graph.db, [python], [web, databases])).toEqual(similar.sequences);
  });
});
