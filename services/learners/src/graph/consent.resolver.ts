import { NotFound, parseInput, requirePrincipal, rules } from '@tauliah/core';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { z } from 'zod';
import { announceConsentRevoked } from '../consent/announce.ts';
import { consentExpiry, recordConsentGrant } from '../consent/grant.ts';
import type { Context } from '../context.ts';
import { consentGrant, type ConsentGrantRow } from '../db/schema.ts';
import { assertScope, learnerScopes } from '../policy.ts';
import { ConsentGrant, ConsentScope, GranteeKind, GrantConsentInput } from './consent.ts';
import { Learner } from './learner.ts';

const grantSchema = z.object({
  granteeKind: z.nativeEnum(GranteeKind),
  granteeId: rules.uuid('organisation id'),
  scopes: z
    .array(z.nativeEnum(ConsentScope))
    .min(1, 'must name at least one scope')
    .transform((scopes) => [...new Set(scopes)]),
  expiresAt: consentExpiry,
});

export const toConsentGrant = (row: ConsentGrantRow, now = new Date()): ConsentGrant => ({
  ...row,
  granteeKind: row.granteeKind as GranteeKind,
  scopes: row.scopes as ConsentScope[],
  active: !row.revokedAt && row.expiresAt > now,
});

@Resolver(() => Learner)
export class ConsentResolver {
  @FieldResolver(() => [ConsentGrant], { nullable: true, description: 'The learner\'s consent grants, newest first. Only the learner and administrators see them.' })
  async consents(@Root() learner: Learner, @Ctx() { viewer, db }: Context) {
    // IDENTITY is the learner's and administrators' alone: neither grants nor enrolments give it.
    assertScope(learnerScopes(viewer, learner.id, { grants: [], enrolment: null }), 'IDENTITY', 'consents');
    const rows = await db.select().from(consentGrant).where(eq(consentGrant.learnerId, learner.id)).orderBy(asc(consentGrant.grantedAt));
    return rows.reverse().map((r) => toConsentGrant(r));
  }

  @FieldResolver(() => [ConsentScope], {
    description:
      "What this learner consented to share with the viewer's organisation (active grants only); the learner and administrators hold every scope. Other services read it to honour consent.",
  })
  consentedScopes(@Root() learner: Learner, @Ctx() { loaders }: Context): readonly ConsentScope[] | Promise<readonly ConsentScope[]> {
    return loaders.viewerAccess.read(learner.id, (access) => access.consentedScopes);
  }

  /** A new grant of its own beside any earlier one to the same organisation, announced with it (consent/announce.ts). */
  @Authorized('LEARNER')
  @Mutation(() => ConsentGrant, { description: 'The signed-in learner lets one organisation see named parts of their data until expiresAt.' })
  async grantConsent(@Arg('input', () => GrantConsentInput) rawInput: GrantConsentInput, @Ctx() { viewer, db, loaders }: Context) {
    const { subject } = requirePrincipal(viewer);
    const input = parseInput(grantSchema, rawInput);
    if (!(await loaders.learner.load(subject))) throw new NotFound('Learner', subject);
    const row = await db.transaction((tx) =>
      recordConsentGrant(tx, { learnerId: subject, granteeKind: input.granteeKind, granteeId: input.granteeId, scopes: input.scopes, expiresAt: input.expiresAt }),
    );
    return toConsentGrant(row);
  }

  /** Announced only when it revokes: a second revocation, like an unknown id, changes nothing and records nothing. */
  @Authorized('LEARNER')
  @Mutation(() => ConsentGrant, { description: 'Withdraws a consent at once. Revoking twice is harmless.' })
  async revokeConsent(@Arg('id', () => ID) id: string, @Ctx() { viewer, db }: Context) {
    const { subject } = requirePrincipal(viewer);
    parseInput(rules.uuid('consent id'), id, 'id');
    const row = await db.transaction(async (tx) => {
      const [revoked] = await tx
        .update(consentGrant)
        .set({ revokedAt: sql`now()` })
        .where(and(eq(consentGrant.id, id), eq(consentGrant.learnerId, subject), isNull(consentGrant.revokedAt)))
        .returning();
      if (revoked) {
        await announceConsentRevoked(tx, revoked);
        return revoked;
      }
      const [existing] = await tx.select().from(consentGrant).where(and(eq(consentGrant.id, id), eq(consentGrant.learnerId, subject)));
      if (!existing) throw new NotFound('ConsentGrant', id);
      return existing;
    });
    return toConsentGrant(row);
  }
}
