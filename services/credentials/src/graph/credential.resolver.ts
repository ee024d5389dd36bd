import { Forbidden, NotFound, parseInput } from '@tauliah/core';
import { and, eq, sql } from 'drizzle-orm';
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import { credential, credentialRecord, type CredentialRow } from '../db/schema.ts';
import { maySeeCredential, mayChangeVisibility, maySeeStudentNumber } from '../policy.ts';
import { Credential, CredentialVisibility, toCredential } from './credential.ts';
import { credentialIdSchema, credentialIdsSchema, MAX_CREDENTIALS_PER_QUERY } from './credential.inputs.ts';
import { Skill } from './references.ts';
import { refreshTalentProofs } from '../talent/proofs.ts';
import { credentialUrl } from '../signing/documents.ts';
import { holderNameToPublish } from './holder-name.ts';
import { publicBaseOf } from '../signing/issuers.ts';
import { settleAwards } from '../awards/settle.ts';

/** The credential if it exists and the viewer may see it; otherwise null, never a hint that it exists. */
async function visibleCredential({ viewer, loaders }: Context, id: string): Promise<CredentialRow | null> {
  const row = await loaders.credential.load(id);
  return row && maySeeCredential(viewer, row) ? row : null;
}

@Resolver(() => Credential)
export class CredentialResolver {
  @Query(() => Credential, {
    description: 'One credential, if you may see it: its holder, its issuer, administrators, employers when shared with them, anyone when public.',
  })
  async credential(@Arg('id', () => ID) id: string, @Ctx() context: Context): Promise<Credential> {
    const row = await visibleCredential(context, parseInput(credentialIdSchema, id, 'id'));
    if (!row) throw new NotFound('Credential', id);
    return toCredential(row);
  }

  @Authorized()
  @Query(() => [Credential], {
    nullable: 'items',
    description: `Many credentials at once (up to ${MAX_CREDENTIALS_PER_QUERY}), in the order asked; null where an id is unknown or not visible to you.`,
  })
  async credentials(@Arg('ids', () => [ID]) ids: string[], @Ctx() context: Context): Promise<Array<Credential | null>> {
    const valid = parseInput(credentialIdsSchema, ids, 'ids');
    const rows = await Promise.all(valid.map((id) => visibleCredential(context, id)));
    return rows.map((row) => row && toCredential(row));
  }

  @FieldResolver(() => [Skill], { description: 'The skills this credential verifies, as taught by the course at issuance.' })
  async skills(@Root() { id }: Credential, @Ctx() { loaders }: Context): Promise<Skill[]> {
    const rows = await loaders.skillsOfCredential.load(id);
    return rows.map((row) => ({ code: row.skillCode }));
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "The issuer's own student number for the holder, as given when it issued by student number; null when it issued by learner id. " +
      'For the issuer (its staff and partner systems), the holder and administrators; null for anyone else.',
  })
  async studentNumber(@Root() { id }: Credential, @Ctx() { viewer, loaders }: Context): Promise<string | null> {
    const row = await loaders.credential.load(id);
    return row && maySeeStudentNumber(viewer, row) ? row.studentNumber : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "The credential's badge: an SVG drawn from the achievement with the signed credential baked in as Open Badges 3.0 specifies (the openbadges:credential element), for posting anywhere; any OB 3.0 tool can unbake and verify it. Opens for anyone while PUBLIC, else through a share link (add its ?share=). Null for a record issued before signing existed.",
  })
  async image(@Root() { id }: Credential, @Ctx() { loaders, config }: Context): Promise<string | null> {
    const row = await loaders.credential.load(id);
    if (!row?.subjectId) return null;
    const issuer = await loaders.issuer.load(row.issuerId);
    return `${credentialUrl(issuer?.baseUrl ?? publicBaseOf(config), row.id)}/badge.svg`;
  }

  @Authorized('LEARNER')
  @Mutation(() => Credential, { description:
      'The holder chooses who may see one of their credentials. Made PUBLIC, its public page shows their name as it is now; made anything else, that name is erased. ' +
      "Pathway providers' exit awards are settled again at once: a provider counts a credential it did not issue only while it is PUBLIC (or the learner grants it CREDENTIALS)." })
  async setCredentialVisibility(
    @Arg('id', () => ID) id: string,
    @Arg('visibility', () => CredentialVisibility) visibility: CredentialVisibility,
    @Ctx() context: Context,
  ): Promise<Credential> {
    const row = await visibleCredential(context, parseInput(credentialIdSchema, id, 'id'));
    // Someone who may not see the credential learns no more than "not found".
    if (!row) throw new NotFound('Credential', id);
    if (!mayChangeVisibility(context.viewer, row)) throw new Forbidden('Only the holder of a credential may change who sees it.');
    // Made PUBLIC by its holder: their name, read as them now, goes on its public page; hidden again, it is erased.
    const publicHolderName = visibility === CredentialVisibility.PUBLIC ? await holderNameToPublish(context, row.holderId) : null;
    const updated = await context.db.transaction(async (tx) => {
      const [changed] = await tx
        .update(credential)
        .set({ visibility, publicHolderName, updatedAt: sql`now()` })
        .where(and(eq(credential.id, row.id), eq(credential.holderId, row.holderId)))
        .returning(credentialRecord);
      // Hidden from employers means out of talent search in the same commit.
      await refreshTalentProofs(tx, [row.holderId]);
      return changed!;
    });
    // What the pathway providers may read changed: their exit awards are settled again now (no event announces a visibility).
    // The change stands either way; an award left unsettled by a failure here is settled at the learner's next credential event.
    await settleAwards(context.db, context.config, row.holderId).catch((error: unknown) =>
      context.log.error({ err: error, credentialId: row.id }, 'settling exit awards after a visibility change failed'),
    );
    return toCredential(updated);
  }
}

export const credentialReference = {
  Credential: {
    // Another subgraph handing out a credential reference does not widen who may see it.
    __resolveReference: async ({ id }: { id: string }, context: Context) => {
      const row = await visibleCredential(context, id);
      return row && toCredential(row);
    },
  },
};
