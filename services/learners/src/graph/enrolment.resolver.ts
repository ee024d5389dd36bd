import { actingProviderId, BadInput, Forbidden, NotFound, parseInput, requirePrincipal, rules, type Principal } from '@tauliah/core';
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import type { EnrolmentRowOutcome, LearnerRow } from '../db/schema.ts';
import { enrol, requestHashOf, type EnrolmentAnswer, type EnrolmentItem } from '../enrolment/enrol.ts';
import { endEnrolment } from '../enrolment/end.ts';
import { visibleEnrolments } from '../policy.ts';
import { EnrolledStudent, Enrolment, EnrolmentBatch, EnrolmentOutcome, EnrolmentResult, EnrolmentRowResult, toEnrolment } from './enrolment.ts';
import { enrolLearnerSchema, EnrolLearnerInput, idempotencyKeySchema, MAX_ENROLMENTS_PER_REQUEST, studentNumberSchema } from './enrolment.inputs.ts';
import { Learner, toLearner } from './learner.ts';

const enrolmentIdSchema = rules.uuid('enrolment id');

/** The rows an enrolment just wrote answer the request's reads of them: 10,000 of each need not be read back. */
function prime(loaders: Context['loaders'], written: EnrolmentAnswer['written']): void {
  for (const row of written.learners) loaders.learner.prime(row.id, row);
  for (const row of written.enrolments) loaders.enrolment.prime(row.id, row);
}

/** The provider the caller enrols for: staff of it, or a partner system acting for it. */
function enrollingProvider(principal: Principal): string {
  const providerId = actingProviderId(principal);
  if (!providerId) throw new Forbidden('Only staff of a provider, or a partner system acting for one, may enrol learners: your token acts for no provider.');
  return providerId;
}

@Resolver(() => Enrolment)
export class EnrolmentResolver {
  @Authorized('PROVIDER_STAFF', 'PARTNER')
  @Mutation(() => EnrolmentResult, {
    description:
      'Enrols a student with your provider under your student number. When the NRIC (or passport number and nationality) and date of birth are those of a registered learner, that learner is enrolled (LINKED); otherwise a new learner is registered (ENROLLED). Pass an idempotencyKey so a retry enrols nobody twice.',
  })
  async enrolLearner(
    @Arg('input', () => EnrolLearnerInput) rawInput: EnrolLearnerInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: 'A key of your choosing: a retry with it answers the first call, which was done once.' })
    rawKey: string | null,
    @Ctx() { viewer, db, config, loaders }: Context,
  ): Promise<EnrolmentResult> {
    const principal = requirePrincipal(viewer);
    const providerId = enrollingProvider(principal);
    const row = parseInput(enrolLearnerSchema, rawInput);
    const key = rawKey == null ? null : parseInput(idempotencyKeySchema, rawKey, 'idempotencyKey');
    const { results, replayed, written } = await enrol(db, config, {
      providerId,
      subject: principal.subject,
      items: [{ row }],
      idempotency: key ? { key, requestHash: requestHashOf([rawInput as unknown as Record<string, unknown>], config.PII_HASH_KEY) } : null,
      single: true,
    });
    prime(loaders, written);
    // A single enrolment's refusal was thrown: its one result is an enrolment.
    const [result] = results as [Extract<EnrolmentRowOutcome, { code: null }>];
    const [learner, enrolment] = await Promise.all([loaders.learner.load(result.learnerId), loaders.enrolment.load(result.enrolmentId)]);
    return { outcome: result.outcome as EnrolmentOutcome, replayed, learner: toLearner(learner!), enrolment: toEnrolment(enrolment!) };
  }

  @Authorized('PROVIDER_STAFF', 'PARTNER')
  @Mutation(() => EnrolmentBatch, {
    description: `Enrols up to ${MAX_ENROLMENTS_PER_REQUEST.toLocaleString('en')} students at once, as enrolLearner does each, and answers each row: ENROLLED, LINKED or an error. A retry with the same idempotencyKey answers the same results and enrols nobody twice.`,
  })
  async enrolLearners(
    @Arg('input', () => [EnrolLearnerInput]) input: EnrolLearnerInput[],
    @Arg('idempotencyKey', () => String) rawKey: string,
    @Ctx() { viewer, db, config, loaders }: Context,
  ): Promise<EnrolmentBatch> {
    const principal = requirePrincipal(viewer);
    const providerId = enrollingProvider(principal);
    const key = parseInput(idempotencyKeySchema, rawKey, 'idempotencyKey');
    if (input.length === 0 || input.length > MAX_ENROLMENTS_PER_REQUEST) {
      throw new BadInput(`input must list 1 to ${MAX_ENROLMENTS_PER_REQUEST.toLocaleString('en')} students; got ${input.length.toLocaleString('en')}.`, { field: 'input' });
    }
    const items = input.map((raw, index): EnrolmentItem => {
      try {
        return { row: parseInput(enrolLearnerSchema, raw, `input.${index}`) };
      } catch (error) {
        if (error instanceof BadInput) return { refused: { code: 'BAD_USER_INPUT', message: error.message } };
        throw error;
      }
    });
    const requestHash = requestHashOf(input as unknown as Array<Record<string, unknown>>, config.PII_HASH_KEY);
    const { results, replayed, written } = await enrol(db, config, { providerId, subject: principal.subject, items, idempotency: { key, requestHash }, single: false });
    prime(loaders, written);
    return {
      idempotencyKey: key,
      replayed,
      enrolled: results.filter((r) => r.outcome === 'ENROLLED').length,
      linked: results.filter((r) => r.outcome === 'LINKED').length,
      failed: results.filter((r) => r.code).length,
      results: results.map((r, index) => ({
        index,
        outcome: r.outcome as EnrolmentOutcome | null,
        learnerId: r.learnerId,
        enrolmentId: r.enrolmentId,
        error: r.code ? { code: r.code, message: r.message } : null,
      })),
    };
  }

  @Authorized('PROVIDER_STAFF', 'PARTNER')
  @Query(() => Learner, {
    nullable: true,
    description:
      "The learner your provider enrolled under this student number, while that enrolment is ACTIVE; null otherwise (never enrolled by you, or ended). Staff of a provider and its partner systems only: a student records system needs no learner ids.",
  })
  async learnerByStudentNumber(@Arg('studentNumber', () => String) studentNumber: string, @Ctx() { viewer, loaders }: Context): Promise<Learner | null> {
    const number = parseInput(studentNumberSchema, studentNumber, 'studentNumber');
    if (!actingProviderId(viewer)) return null;
    const enrolment = await loaders.enrolmentByStudentNumber.load(number);
    const row = enrolment && (await loaders.learner.load(enrolment.learnerId));
    return row ? toLearner(row) : null;
  }

  @Authorized('PROVIDER_STAFF', 'PARTNER')
  @Query(() => [EnrolledStudent], {
    description:
      "learnerByStudentNumber for many numbers at once (up to 10,000): the learners your provider enrolled under these numbers, while those enrolments are ACTIVE, in the order asked. A number that names nobody of yours is left out, whoever else may use it.",
  })
  async studentsByNumber(
    @Arg('studentNumbers', () => [String]) studentNumbers: string[],
    @Ctx() { viewer, loaders }: Context,
  ): Promise<EnrolledStudent[]> {
    if (studentNumbers.length > MAX_ENROLMENTS_PER_REQUEST) {
      throw new BadInput(`Ask for at most ${MAX_ENROLMENTS_PER_REQUEST} student numbers at once; this asked for ${studentNumbers.length}.`, { field: 'studentNumbers' });
    }
    const numbers = studentNumbers.map((n, i) => parseInput(studentNumberSchema, n, `studentNumbers[${i}]`));
    if (!actingProviderId(viewer)) return [];
    const enrolments = await Promise.all(numbers.map((n) => loaders.enrolmentByStudentNumber.load(n)));
    const learners = await Promise.all(enrolments.map(async (e) => (e ? loaders.learner.load(e.learnerId) : null)));
    return enrolments.flatMap((e, i) => {
      const row = learners[i];
      return e && row ? [{ studentNumber: e.studentNumber, learner: toLearner(row) }] : [];
    });
  }

  @Authorized('LEARNER')
  @Mutation(() => Enrolment, {
    description: 'The signed-in learner ends one of their enrolments: from now on that provider sees only what they consented to. Ending one already ended answers it as it is.',
  })
  async endMyEnrolment(@Arg('enrolmentId', () => ID) id: string, @Ctx() { viewer, db }: Context): Promise<Enrolment> {
    const { subject } = requirePrincipal(viewer);
    const row = await endEnrolment(db, parseInput(enrolmentIdSchema, id, 'enrolmentId'), { learnerId: subject, subject });
    return toEnrolment(row);
  }

  @Authorized('PROVIDER_STAFF', 'PARTNER')
  @Mutation(() => Enrolment, {
    description: "Ends one of your provider's enrolments (the student left or graduated): from now on you see only what the learner consented to. Ending one already ended answers it as it is.",
  })
  async endEnrolment(@Arg('enrolmentId', () => ID) id: string, @Ctx() { viewer, db }: Context): Promise<Enrolment> {
    const principal = requirePrincipal(viewer);
    const providerId = actingProviderId(principal);
    const enrolmentId = parseInput(enrolmentIdSchema, id, 'enrolmentId');
    if (!providerId) throw new NotFound('Enrolment', enrolmentId);
    return toEnrolment(await endEnrolment(db, enrolmentId, { providerId, subject: principal.subject }));
  }
}

@Resolver(() => EnrolmentRowResult)
export class EnrolmentRowResultResolver {
  @FieldResolver(() => Learner, { nullable: true, description: 'The learner enrolled: new (ENROLLED) or already registered (LINKED).' })
  async learner(@Root() result: EnrolmentRowResult, @Ctx() { loaders }: Context): Promise<Learner | null> {
    const row = result.learnerId ? await loaders.learner.load(result.learnerId) : null;
    return row && toLearner(row);
  }

  @FieldResolver(() => Enrolment, { nullable: true })
  async enrolment(@Root() result: EnrolmentRowResult, @Ctx() { loaders }: Context): Promise<Enrolment | null> {
    const row = result.enrolmentId ? await loaders.enrolment.load(result.enrolmentId) : null;
    return row && toEnrolment(row);
  }
}

@Resolver(() => Learner)
export class LearnerEnrolmentsResolver {
  @FieldResolver(() => [Enrolment], {
    nullable: true,
    description:
      "The learner's enrolments with providers, oldest first, ended ones too. The learner and administrators see all of them; a provider the learner is enrolled with sees its own.",
  })
  async enrolments(@Root() learner: LearnerRow, @Ctx() { viewer, loaders }: Context): Promise<Enrolment[]> {
    const [all, own] = await Promise.all([loaders.enrolmentsOfLearner.load(learner.id), loaders.enrolmentWithViewer.load(learner.id)]);
    const visible = visibleEnrolments(viewer, learner.id, all, own);
    if (!visible) throw new Forbidden('You may not read enrolments of this learner: only the learner, administrators and a provider they are enrolled with (its own) may.');
    return visible.map(toEnrolment);
  }
}
