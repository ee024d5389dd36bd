import {
  BadInput,
  Conflict,
  Forbidden,
  NotFound,
  actingProviderId,
  isUniqueViolation,
  rules,
  parseInput,
  requirePrincipal,
} from '@tauliah/core';
import { and, eq, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { Arg, Authorized, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import { learner, type LearnerRow } from '../db/schema.ts';
import { hashNric, maskedNric, sealNricLast4 } from '../identity/nric.ts';
import { announceEnrolment, announcePreferences } from '../preferences/announce.ts';
import { announceResidence } from '../residence/announce.ts';
import { Learner, toLearner, Visible } from './learner.ts';
import { nricDigits, registerLearnerSchema, RegisterLearnerInput, UpdateMyProfileInput, updateMyProfileSchema } from './learner.inputs.ts';

const registerIdSchema = rules.uuid('learner id');

/** A funder asks about up to this many learners at once (eligibility checks). */
export const MAX_LEARNERS_PER_QUERY = 10_000;

@ObjectType()
class LearnerRegistration {
  @Field(() => Learner)
  learner!: Learner;

  @Field(() => Boolean, { description: 'False when an earlier call with the same idempotency key created the learner.' })
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
  async learners(@Arg('ids', () => [ID]) ids: string[], @Ctx() { loaders }: Context): Promise<Array<Learner | null>> {
    if (ids.length > MAX_LEARNERS_PER_QUERY) {
      throw new BadInput(`ids may name at most ${MAX_LEARNERS_PER_QUERY} learners; got ${ids.length}.`, { field: 'ids' });
    }
    const valid = ids.map((id) => parseInput(registerIdSchema, id, 'ids'));
    const rows = await loaders.learner.loadMany(valid);
    return rows.map((row) => (row instanceof Error ? null : row && toLearner(row)));
  }

  @FieldResolver(() => String, { nullable: true, description: 'The NRIC masked to its last four digits; the number itself is never stored, and those digits only encrypted.' })
  @Visible('IDENTITY')
  nricMasked(@Root() row: LearnerRow, @Ctx() { config }: Context): string | null {
    return maskedNric(row, config.PII_ENCRYPTION_KEY);
  }

  @Authorized('LEARNER', 'PROVIDER_STAFF', 'PARTNER', 'ADMIN')
  @Mutation(() => LearnerRegistration, {
    description:
      'Registers a learner. A LEARNER registers themselves under their token subject; provider staff, a partner acting for a provider, or an administrator enrol a learner (pass an idempotencyKey so a retry creates nobody twice).',
  })
  async registerLearner(
    @Arg('input', () => RegisterLearnerInput) rawInput: RegisterLearnerInput,
    @Ctx() { viewer, db, config, loaders }: Context,
  ): Promise<LearnerRegistration> {
    const principal = requirePrincipal(viewer);
    const input = parseInput(registerLearnerSchema, rawInput);
    if (principal.role === 'PARTNER' && !principal.providerId) {
      throw new Forbidden('Only a partner acting for a provider may enrol learners.');
    }
    const self = principal.role === 'LEARNER';
    // PDPA: sharing the state with employers is the learner's consent to give, not their enroller's.
    if (!self && input.shareStateInTalentSearch) {
      throw new Forbidden(
        'Only the learner may choose to be found by their state in talent search: enrol them without shareStateInTalentSearch, and they can turn it on themselves with updateMyProfile.',
      );
    }
    // Who sees the credentials issued to a learner is theirs to choose too, never their issuer's or enroller's.
    if (!self && input.credentialVisibility) {
      throw new Forbidden(
        'Only the learner may choose who sees the credentials issued to them: enrol them without credentialVisibility (it stays PRIVATE), and they can change it themselves with updateMyProfile.',
      );
    }
    const registeredBySubject = principal.subject;
    if (!self && input.idempotencyKey) {
      const [previous] = await db
        .select()
        .from(learner)
        .where(and(eq(learner.registeredBySubject, registeredBySubject), eq(learner.idempotencyKey, input.idempotencyKey)));
      if (previous) return { learner: toLearner(sameRegistration(previous, input)), created: false };
    }
    const id = self ? principal.subject : randomUUID();
    if (self && (await loaders.learner.load(id))) throw new Conflict('You are already registered: use updateMyProfile to change your details.');
    const nric = input.nric ? nricDigits(input.nric) : null;
    try {
      const row = await db.transaction(async (tx) => {
        const [created] = await tx
          .insert(learner)
          .values({
            id,
            fullName: input.fullName,
            email: input.email,
            phone: input.phone ?? null,
            dateOfBirth: input.dateOfBirth,
            citizenship: input.citizenship,
            nricHash: nric && hashNric(nric, config.PII_HASH_KEY),
            nricLast4Sealed: nric && sealNricLast4(nric.slice(-4), id, config.PII_ENCRYPTION_KEY),
            state: input.state ?? null,
            shareStateInTalentSearch: input.shareStateInTalentSearch ?? false,
            credentialVisibility: input.credentialVisibility ?? 'PRIVATE',
            registeredByProviderId: self ? null : (actingProviderId(viewer) ?? null),
            registeredBySubject,
            idempotencyKey: self ? null : (input.idempotencyKey ?? null),
          })
          .returning();
        await announceResidence(tx, created!);
        await announcePreferences(tx, created!);
        await announceEnrolment(tx, created!);
        return created!;
      });
      return { learner: toLearner(row), created: true };
    } catch (error) {
      if (isUniqueViolation(error, 'learner_email_key')) throw new Conflict(`A learner with email ${input.email} is already registered.`, { field: 'email' });
      if (isUniqueViolation(error, 'learner_nric_hash_key')) throw new Conflict('A learner with this NRIC is already registered.', { field: 'nric' });
      if (isUniqueViolation(error, 'learner_idempotency_key')) {
        throw new Conflict('Another request with this idempotencyKey is in progress; retry it.', { field: 'idempotencyKey' });
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
    try {
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
    } catch (error) {
      if (isUniqueViolation(error, 'learner_email_key')) throw new Conflict(`Another learner already uses ${input.email}.`, { field: 'email' });
      throw error;
    }
  }
}

/** A retried enrolment must describe the same person; a different one under the same key is a client bug. */
function sameRegistration(previous: LearnerRow, input: { email: string; dateOfBirth: string }): LearnerRow {
  if (previous.email !== input.email || previous.dateOfBirth !== input.dateOfBirth) {
    throw new Conflict('This idempotencyKey was already used to enrol a different learner.', { field: 'idempotencyKey' });
  }
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
