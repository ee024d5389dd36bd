import { BadInput, Conflict, Forbidden, isUniqueViolation, isUuid, NotFound, parseInput, requirePrincipal, rules, selectsBeyondId } from '@tauliah/core';
import { eq, sql } from 'drizzle-orm';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, Field, FieldResolver, ID, Info, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import { learner, type LearnerRow } from '../db/schema.ts';
import { identityDocument, type IdentityDocument } from '../identity/documents.ts';
import { maskedNric, sealNricLast4 } from '../identity/nric.ts';
import { announcePreferences } from '../preferences/announce.ts';
import { announceResidence } from '../residence/announce.ts';
import { Learner, toLearner, Visible } from './learner.ts';
import { registerLearnerSchema, RegisterLearnerInput, UpdateMyProfileInput, updateMyProfileSchema } from './learner.inputs.ts';

const registerIdSchema = rules.uuid('learner id');

/** A funder asks about up to this many learners at once (eligibility checks). */
export const MAX_LEARNERS_PER_QUERY = 10_000;

@ObjectType()
class LearnerRegistration {
  @Field(() => Learner)
  learner!: Learner;

  @Field(() => Boolean, { description: 'False when the learner was registered already and this call repeated the registration.' })
  created!: boolean;
}

@Resolver(() => Learner)
export class LearnerResolver {
  @Authorized('LEARNER')
  @Query(() => Learner, { nullable: true, description: 'The signed-in learner; null until they have registered.' })
  async me(@Ctx() { viewer, loaders }: Context): Promise<Learner | null> {
    const row = await loaders.learner.load(requirePrincipal(viewer).subject);
    return row && toLearner(row);
  }

  @Authorized()
  @Query(() => Learner, { description: 'One learner. Which fields you see depends on who you are and what the learner consented to.' })
  async learner(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context): Promise<Learner> {
    const row = await loaders.learner.load(parseInput(registerIdSchema, id, 'id'));
    if (!row) throw new NotFound('Learner', id);
    return toLearner(row);
  }

  @Authorized()
  @Query(() => [Learner], {
    nullable: 'items',
    description: `Many learners at once (up to ${MAX_LEARNERS_PER_QUERY}), in the order asked; null where an id is unknown.`,
  })
  async learners(@Arg('ids', () => [ID]) ids: string[], @Ctx() { loaders }: Context, @Info() info: GraphQLResolveInfo): Promise<Array<Learner | null>> {
    if (ids.length > MAX_LEARNERS_PER_QUERY) {
      throw new BadInput(`ids may name at most ${MAX_LEARNERS_PER_QUERY} learners; got ${ids.length}.`, { field: 'ids' });
    }
    // Well-formed ids (a funder's batch of 10,000, nearly always) bypass the schema; one that is not is refused as the schema words it.
    const valid = ids.every((id) => isUuid(id)) ? ids : ids.map((id) => parseInput(registerIdSchema, id, 'ids'));
    // Asked for more than ids, the fields will need the viewer's access to every learner: worked out alongside the rows, all at once.
    const [rows] = await Promise.all([loaders.learner.loadMany(valid), selectsBeyondId(info) ? loaders.viewerAccess.prepare(valid) : null]);
    return rows.map((row) => (row instanceof Error ? null : row && toLearner(row)));
  }

  @FieldResolver(() => String, { nullable: true, description: 'The NRIC masked to its last four digits; the number itself is never stored, and those digits only encrypted.' })
  @Visible('IDENTITY')
  nricMasked(@Root() row: LearnerRow, @Ctx() { config }: Context): string | null {
    return maskedNric(row, config.PII_ENCRYPTION_KEY);
  }

  @Authorized('LEARNER')
  @Mutation(() => LearnerRegistration, {
    description:
      "A learner registers themselves, under their token subject. Providers enrol their students with enrolLearner, which also enrols a learner who registered here. A retry of the same registration answers it again (created false).",
  })
  async registerLearner(
    @Arg('input', () => RegisterLearnerInput) rawInput: RegisterLearnerInput,
    @Ctx() { viewer, db, config, loaders }: Context,
  ): Promise<LearnerRegistration> {
    const { subject } = requirePrincipal(viewer);
    if (!isUuid(subject)) throw new Forbidden("Your token's subject is not a learner id (a UUID): sign in with a learner account to register.");
    const input = parseInput(registerLearnerSchema, rawInput);
    const identity = identityDocument(input, config.PII_HASH_KEY);
    const existing = await loaders.learner.load(subject);
    if (existing) return { learner: toLearner(sameRegistration(existing, input, identity)), created: false };
    try {
      const row = await db.transaction(async (tx) => {
        const [created] = await tx
          .insert(learner)
          .values({
            id: subject,
            fullName: input.fullName,
            email: input.email,
            phone: input.phone ?? null,
            dateOfBirth: input.dateOfBirth,
            citizenship: input.citizenship,
            nricHash: identity.nricHash,
            nricLast4Sealed: identity.nricLast4 && sealNricLast4(identity.nricLast4, subject, config.PII_ENCRYPTION_KEY),
            passportHash: identity.passportHash,
            nationality: identity.nationality,
            state: input.state ?? null,
            shareStateInTalentSearch: input.shareStateInTalentSearch ?? false,
            credentialVisibility: input.credentialVisibility ?? 'PRIVATE',
            registeredBySubject: subject,
          })
          .returning();
        await announceResidence(tx, created!);
        await announcePreferences(tx, created!);
        return created!;
      });
      return { learner: toLearner(row), created: true };
    } catch (error) {
      if (isUniqueViolation(error, 'learner_pkey')) throw new Conflict('You are already registered: use updateMyProfile to change your details.');
      // Only a caller who gave this person's identity document and date of birth, both, hears that they are registered.
      if (isUniqueViolation(error, 'learner_nric_key') || isUniqueViolation(error, 'learner_passport_key')) {
        throw new Conflict(
          'A learner with this identity document and date of birth is already registered. If that is you, sign in as that learner (the provider that enrolled you can tell you how) instead of registering again.',
        );
      }
      throw error;
    }
  }

  @Authorized('LEARNER')
  @Mutation(() => Learner, {
    description:
      'The signed-in learner changes their own name, contact details, state, whether employers may find them by their state in talent search, or who may see credentials issued to them from now on.',
  })
  async updateMyProfile(
    @Arg('input', () => UpdateMyProfileInput) rawInput: UpdateMyProfileInput,
    @Ctx() { viewer, db }: Context,
  ): Promise<Learner> {
    const { subject } = requirePrincipal(viewer);
    const input = parseInput(updateMyProfileSchema, rawInput);
    if (Object.keys(input).length === 0) throw new BadInput('Give at least one field to change.');
    const row = await db.transaction(async (tx) => {
      const [updated] = await tx
        .update(learner)
        .set({ ...input, updatedAt: sql`now()` })
        .where(eq(learner.id, subject))
        .returning();
      if (!updated) throw new NotFound('Learner', subject);
      // Recorded after the update, which locks the learner's row: two changes of one learner get positions in commit order,
      // and each event carries what the updated row allows employers' search to know.
      if (input.state !== undefined || input.shareStateInTalentSearch !== undefined) {
        await announceResidence(tx, updated);
      }
      if (input.credentialVisibility !== undefined) await announcePreferences(tx, updated);
      return updated;
    });
    return toLearner(row);
  }
}

/**
 * A signed-in learner who is registered already: a retried registration
 * (the same identity document and date of birth) answers them as they are;
 * anything else is a CONFLICT that says where changes go.
 */
function sameRegistration(previous: LearnerRow, input: { dateOfBirth: string }, identity: IdentityDocument): LearnerRow {
  const same =
    previous.dateOfBirth === input.dateOfBirth && previous.nricHash === identity.nricHash && previous.passportHash === identity.passportHash && previous.nationality === identity.nationality;
  if (!same) throw new Conflict('You are already registered: use updateMyProfile to change your details.');
  return previous;
}

export const learnerReference = {
  Learner: {
    __resolveReference: async ({ id }: { id: string }, { loaders }: Context) => {
      const row = await loaders.learner.load(id);
      return row && toLearner(row);
    },
  },
};
