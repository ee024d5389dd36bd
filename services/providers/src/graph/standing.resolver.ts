import { Forbidden, NotFound, parseInput, providerStandingEvent, recordEvent, rules, type Viewer } from '@tauliah/core';
import { and, eq } from 'drizzle-orm';
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import { outbox, provider as providerTable, type ProviderRow } from '../db/schema.ts';
import { seesSuspension } from '../policy.ts';
import { Provider, toProvider } from './provider.ts';

const providerId = rules.uuid('provider id');
const suspensionReason = rules.nonEmpty(1000);

/**
 * A provider's standing as an issuer: platform administrators suspend and
 * reinstate it (policy.ts says what a suspended provider may not do), and
 * each change is announced (provider.standing) in the same transaction, so
 * credentials tells what was issued in good standing from what was not. Its
 * standing is public, since verifiers rely on it; when and why it was
 * suspended is for its own staff and administrators.
 */
@Resolver(() => Provider)
export class ProviderStandingResolver {
  @FieldResolver(() => Date, { nullable: true, description: "When it was suspended; null while in good standing. Only for the provider's own staff and administrators." })
  suspendedAt(@Root() provider: Provider, @Ctx() { viewer }: Context): Date | null {
    assertSeesSuspension(viewer, provider, 'suspendedAt');
    return provider.suspendedAt;
  }

  @FieldResolver(() => String, { nullable: true, description: "Why it was suspended; null while in good standing. Only for the provider's own staff and administrators." })
  suspensionReason(@Root() provider: Provider, @Ctx() { viewer }: Context): string | null {
    assertSeesSuspension(viewer, provider, 'suspensionReason');
    return provider.suspensionReason;
  }

  @Authorized('ADMIN')
  @Mutation(() => Provider, {
    description:
      'Suspends a provider, with a reason: it issues no credentials, publishes no courses and grants no credit until reinstated; what it issued before stays valid. Suspending a suspended provider changes nothing (the first suspension, its time and reason, stand). Platform administrators only.',
  })
  async suspendProvider(@Arg('id', () => ID) id: string, @Arg('reason', () => String) reason: string, @Ctx() { db }: Context): Promise<Provider> {
    const valid = parseInput(providerId, id, 'id');
    const why = parseInput(suspensionReason, reason, 'reason');
    const changedAt = new Date();
    const suspended = await db.transaction(async (tx) => {
      const [row] = await tx
        .update(providerTable)
        .set({ inGoodStanding: false, suspendedAt: changedAt, suspensionReason: why })
        .where(and(eq(providerTable.id, valid), eq(providerTable.inGoodStanding, true)))
        .returning();
      if (row) await recordEvent(tx, outbox, providerStandingEvent, { providerId: row.id, inGoodStanding: false, changedAt: changedAt.toISOString() });
      return row;
    });
    return toProvider(suspended ?? (await current(db, valid, id)));
  }

  @Authorized('ADMIN')
  @Mutation(() => Provider, { description: 'Restores a suspended provider to good standing. Reinstating a provider in good standing changes nothing. Platform administrators only.' })
  async reinstateProvider(@Arg('id', () => ID) id: string, @Ctx() { db }: Context): Promise<Provider> {
    const valid = parseInput(providerId, id, 'id');
    const reinstated = await db.transaction(async (tx) => {
      const [row] = await tx
        .update(providerTable)
        .set({ inGoodStanding: true, suspendedAt: null, suspensionReason: null })
        .where(and(eq(providerTable.id, valid), eq(providerTable.inGoodStanding, false)))
        .returning();
      if (row) await recordEvent(tx, outbox, providerStandingEvent, { providerId: row.id, inGoodStanding: true, changedAt: new Date().toISOString() });
      return row;
    });
    return toProvider(reinstated ?? (await current(db, valid, id)));
  }
}

function assertSeesSuspension(viewer: Viewer, provider: Provider, field: string): void {
  if (!seesSuspension(viewer, provider.id)) throw new Forbidden(`Only the provider's own staff and platform administrators may read ${field}.`);
}

/** The provider as it stands, when a change found nothing to change; NOT_FOUND when there is none. */
async function current(db: Context['db'], id: string, asGiven: string): Promise<ProviderRow> {
  const [row] = await db.select().from(providerTable).where(eq(providerTable.id, id));
  if (!row) throw new NotFound('Provider', asGiven);
  return row;
}
