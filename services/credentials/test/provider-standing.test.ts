import { providerStandingEvent, type EventData, type EventEnvelope } from '@tauliah/core';
import { providers } from '@tauliah/demo-data';
import { startTestSubgraph } from '@tauliah/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyProviderStanding } from '../src/events/provider-standing.ts';
import { credentialsService } from '../src/index.ts';
import type { CredentialsGraph } from './support.ts';

let graph: CredentialsGraph;
beforeAll(async () => {
  graph = await startTestSubgraph(credentialsService);
});
afterAll(() => graph?.stop());

type Standing = EventEnvelope<EventData<typeof providerStandingEvent>>;
const standing = (providerId: string, inGoodStanding: boolean, changedAt: string, version: number): Standing => ({
  id: randomUUID(),
  subject: providerStandingEvent.subject,
  version,
  occurredAt: changedAt,
  data: providerStandingEvent.data.parse({ providerId, inGoodStanding, changedAt }),
});

async function issuerStanding(providerId: string) {
  const [row] = await graph.connection.query<{ in_good_standing: boolean; suspended_at: Date | string | null }>(
    'select in_good_standing, suspended_at from credentials.issuer where provider_id = $1',
    [providerId],
  );
  return row && { inGoodStanding: row.in_good_standing, suspendedAt: row.suspended_at === null ? null : new Date(row.suspended_at).toISOString() };
}

describe("a provider's standing, from the providers service's events", () => {
  it('records the suspension with its time, ignores an older event, and clears it on reinstatement', async () => {
    const odl = providers.odl.id;
    expect(await issuerStanding(odl)).toEqual({ inGoodStanding: true, suspendedAt: null });

    await applyProviderStanding(graph.db, standing(odl, false, '2026-11-02T08:00:00.000Z', 5));
    expect(await issuerStanding(odl)).toEqual({ inGoodStanding: false, suspendedAt: '2026-11-02T08:00:00.000Z' });
    // A reinstatement announced before the suspension, arriving late, changes nothing.
    await applyProviderStanding(graph.db, standing(odl, true, '2026-10-01T08:00:00.000Z', 4));
    expect(await issuerStanding(odl)).toEqual({ inGoodStanding: false, suspendedAt: '2026-11-02T08:00:00.000Z' });

    await applyProviderStanding(graph.db, standing(odl, true, '2026-11-09T08:00:00.000Z', 6));
    expect(await issuerStanding(odl)).toEqual({ inGoodStanding: true, suspendedAt: null });
  });

  it('changes nothing for a provider that has never issued', async () => {
    const stranger = randomUUID();
    await applyProviderStanding(graph.db, standing(stranger, false, '2026-11-02T08:00:00.000Z', 7));
    expect(await issuerStanding(stranger)).toBeUndefined();
  });
});
