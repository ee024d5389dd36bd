import { pathwayDefinedEvent, type EventData } from '@tauliah/core';
import { bdse, learnerByKey, providers } from '@tauliah/demo-data';
import { startTestSubgraph, testConfig } from '@tauliah/testing';
import { and, eq, isNotNull } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settleAwards } from '../src/awards/settle.ts';
import { credential, issuer, pathwayCopy, providerConsent } from '../src/db/schema.ts';
import { applyPathwayDefined } from '../src/events/pathway-defined.ts';
import { computeProgress, creditsByCourse } from '../src/graph/progress/rules.ts';
import { asDefinition } from '../src/awards/pathways.ts';
import { credentialsService } from '../src/index.ts';
import type { CredentialsGraph } from './support.ts';

// Exit awards settled straight from the service's own code, on its database: once under racing settlings, never
// counted towards a stage, only from what the pathway's provider may read, and not while that provider is suspended.

let graph: CredentialsGraph;
const config = testConfig();
const awardsOf = (learnerId: string) =>
  graph.db
    .select({ id: credential.id, stage: credential.awardStagePosition, status: credential.status, visibility: credential.visibility })
    .from(credential)
    .where(and(eq(credential.holderId, learnerId), isNotNull(credential.awardPathwayId)))
    .orderBy(credential.awardStagePosition);

beforeAll(async () => {
  graph = await startTestSubgraph(credentialsService);
  // The seed settles the demo learners' awards; these tests settle them from the start.
  await graph.connection.query('delete from credentials.award_constituent');
  await graph.connection.query('delete from credentials.credential where award_pathway_id is not null');
});
afterAll(() => graph?.stop());

describe('settling exit awards', () => {
  it('issues each reached award once however many settlings race, and settling again changes nothing', async () => {
    const aisyah = learnerByKey('aisyah');
    const results = await Promise.all(Array.from({ length: 5 }, () => settleAwards(graph.db, config, aisyah.id)));
    expect(results.flatMap((r) => r.issued)).toHaveLength(3);
    const awards = await awardsOf(aisyah.id);
    expect(awards.map((a) => [a.stage, a.status])).toEqual([
      [1, 'ACTIVE'],
      [2, 'ACTIVE'],
      [3, 'ACTIVE'],
    ]);
    // Her credentials are shown to employers, her default PRIVATE: an award is first shown no wider than either.
    expect(awards.every((a) => a.visibility === 'PRIVATE')).toBe(true);
    expect(await settleAwards(graph.db, config, aisyah.id)).toEqual({ issued: [], suspended: [], reinstated: [], waiting: [] });
  });

  it('never counts an award towards a stage: it has no course', async () => {
    const aisyah = learnerByKey('aisyah');
    const held = await graph.db.select().from(credential).where(eq(credential.holderId, aisyah.id));
    const [copy] = await graph.db.select().from(pathwayCopy).where(eq(pathwayCopy.pathwayId, bdse.id));
    const now = new Date();
    const withAwards = computeProgress(asDefinition(copy!.definition), aisyah.id, held, now);
    const without = computeProgress(asDefinition(copy!.definition), aisyah.id, held.filter((c) => c.courseId !== null), now);
    expect(withAwards).toEqual(without);
    expect([...creditsByCourse(held, now).keys()]).not.toContain(null);
  });

  it("counts another provider's private credential only while the learner grants the pathway's provider CREDENTIALS", async () => {
    const arjun = learnerByKey('arjun'); // stages 1 and 2, from the pathway's own provider
    const [one] = await graph.db.select().from(credential).where(and(eq(credential.holderId, arjun.id), eq(credential.title, 'Programming with Python')));
    // The course of stage 1 held only through another provider's credential, kept private.
    await graph.db.update(credential).set({ issuerId: providers.publicUniversity.id, visibility: 'PRIVATE' }).where(eq(credential.id, one!.id));
    expect((await settleAwards(graph.db, config, arjun.id)).issued).toEqual([]);
    const consentId = randomUUID();
    await graph.db.insert(providerConsent).values({ consentId, learnerId: arjun.id, providerId: providers.odl.id, scopes: ['CREDENTIALS'], expiresAt: new Date(Date.now() + 86_400_000) });
    expect((await settleAwards(graph.db, config, arjun.id)).issued).toHaveLength(2);
    // The consent revoked, the provider no longer reads what completed stage 1: both awards resting on it are suspended.
    await graph.db.update(providerConsent).set({ revokedAt: new Date() }).where(eq(providerConsent.consentId, consentId));
    expect((await settleAwards(graph.db, config, arjun.id)).suspended).toHaveLength(2);
    expect((await awardsOf(arjun.id)).map((a) => a.status)).toEqual(['SUSPENDED', 'SUSPENDED']);
  });

  it('issues nothing for a suspended provider, and issues on the next settling after it is reinstated', async () => {
    const nurul = learnerByKey('nurul'); // stage 1
    await graph.db.update(issuer).set({ inGoodStanding: false, suspendedAt: new Date() }).where(eq(issuer.providerId, providers.odl.id));
    const waiting = await settleAwards(graph.db, config, nurul.id);
    expect(waiting.issued).toEqual([]);
    expect(waiting.waiting).toEqual([{ pathwayId: bdse.id, stagePosition: 1, reason: 'the provider is suspended' }]);
    await graph.db.update(issuer).set({ inGoodStanding: true, suspendedAt: null }).where(eq(issuer.providerId, providers.odl.id));
    expect((await settleAwards(graph.db, config, nurul.id)).issued).toHaveLength(1);
  });
});

describe('the pathways kept from providers.pathway.defined', () => {
  it('keep the newest definition: an older or repeated event changes nothing', async () => {
    const [kept] = await graph.db.select().from(pathwayCopy).where(eq(pathwayCopy.pathwayId, bdse.id));
    const data: EventData<typeof pathwayDefinedEvent> = { ...kept!.definition, title: 'Renamed', definedAt: new Date().toISOString() };
    const event = (version: number) => ({ id: randomUUID(), subject: pathwayDefinedEvent.subject, version, occurredAt: new Date().toISOString(), data });
    expect(await applyPathwayDefined(graph.db, event(10))).toBe(true);
    expect(await applyPathwayDefined(graph.db, event(10))).toBe(false);
    expect(await applyPathwayDefined(graph.db, { ...event(9), data: { ...data, title: 'Older' } })).toBe(false);
    const [now] = await graph.db.select().from(pathwayCopy).where(eq(pathwayCopy.pathwayId, bdse.id));
    expect(now!.definition.title).toBe('Renamed');
  });
});
