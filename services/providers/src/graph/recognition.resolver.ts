import { BadInput, Conflict, Forbidden, isUniqueViolation, NotFound, parseInput, requirePrincipal, rules } from '@tauliah/core';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { managedCourse } from '../catalogue/editing.ts';
import type { Context } from '../context.ts';
import { creditRecognition, type CourseRow, type CreditRecognitionRow } from '../db/schema.ts';
import { announcePathways, pathwaysNaming } from '../pathways/announce.ts';
import { assertInGoodStanding, canSeeCourse, mayManageCourses } from '../policy.ts';
import { Course, toCourse } from './course.ts';
import { Provider } from './provider.ts';
import { providerOf } from './provider.resolver.ts';
import { CreditRecognition, RecordCreditRecognitionInput, recognitionSchema } from './recognition.ts';
import { assertNoProblems, type Problem } from './problems.ts';

@Resolver(() => CreditRecognition)
export class CreditRecognitionResolver {
  @Authorized('PROVIDER_STAFF', 'PARTNER', 'ADMIN')
  @Mutation(() => CreditRecognition, {
    description:
      "Records that another provider's course counts as one of yours. Recording the same standing recognition again (a retry) returns it unchanged; with different credits it is a CONFLICT: withdraw it first. A suspended provider grants no credit (FORBIDDEN).",
  })
  async recordCreditRecognition(
    @Arg('input', () => RecordCreditRecognitionInput) rawInput: RecordCreditRecognitionInput,
    @Ctx() context: Context,
  ): Promise<CreditRecognition> {
    const { subject } = requirePrincipal(context.viewer);
    const input = parseInput(recognitionSchema, rawInput);
    const own = await managedCourse(input.courseId, context).catch((error: unknown) => {
      throw error instanceof NotFound ? new BadInput('input.courseId names no course of yours.', { field: 'input.courseId' }) : error;
    });
    const other = await context.loaders.course.load(input.recognisedCourseId);
    assertRecognisable(own, other, input.creditsGranted, context);
    const values = { providerId: own.providerId, courseId: own.id, recognisedCourseId: other!.id, creditsGranted: input.creditsGranted, approvedBy: subject };
    try {
      return await context.db.transaction(async (tx) => {
        // Credit towards a suspended provider's awards is not granted (policy.ts).
        await assertInGoodStanding(tx, own.providerId, "grant credit for other providers' courses");
        const [row] = await tx.insert(creditRecognition).values(values).returning();
        // Every pathway naming the course now counts the recognised one: each is announced as it now stands.
        await announcePathways(tx, await pathwaysNaming(tx, own.id));
        return row!;
      });
    } catch (error) {
      if (!isUniqueViolation(error, 'credit_recognition_active_key')) throw error;
      const [standing] = await context.db
        .select()
        .from(creditRecognition)
        .where(and(eq(creditRecognition.courseId, own.id), eq(creditRecognition.recognisedCourseId, other!.id), isNull(creditRecognition.withdrawnAt)));
      if (standing && standing.creditsGranted === input.creditsGranted) return standing;
      throw new Conflict(`${other!.code} is already recognised as ${own.code} with ${standing?.creditsGranted} credits; withdraw that recognition first.`, {
        recognitionId: standing?.id,
      });
    }
  }

  @Authorized('PROVIDER_STAFF', 'PARTNER', 'ADMIN')
  @Mutation(() => CreditRecognition, { description: 'Withdraws a recognition: from now on it no longer counts towards progress. Withdrawing twice is harmless.' })
  async withdrawCreditRecognition(@Arg('id', () => ID) id: string, @Ctx() { viewer, db }: Context): Promise<CreditRecognition> {
    const { subject } = requirePrincipal(viewer);
    const [existing] = await db.select().from(creditRecognition).where(eq(creditRecognition.id, parseInput(rules.uuid('recognition id'), id, 'id')));
    if (!existing) throw new NotFound('CreditRecognition', id);
    if (!mayManageCourses(viewer, existing.providerId)) throw new Forbidden("Only the recognising provider may withdraw its recognition.");
    const withdrawn = await db.transaction(async (tx) => {
      const [row] = await tx
        .update(creditRecognition)
        .set({ withdrawnAt: sql`now()`, withdrawnBy: subject })
        .where(and(eq(creditRecognition.id, existing.id), isNull(creditRecognition.withdrawnAt)))
        .returning();
      // Only a withdrawal that happened changes the pathways naming the course.
      if (row) await announcePathways(tx, await pathwaysNaming(tx, row.courseId));
      return row;
    });
    return withdrawn ?? existing;
  }

  @FieldResolver(() => Provider, { description: 'The recognising provider.' })
  async provider(@Root() row: CreditRecognitionRow, @Ctx() context: Context): Promise<Provider> {
    return providerOf(row, context);
  }

  @FieldResolver(() => Course, { nullable: true, description: 'The recognising course (null if it is a draft you may not see).' })
  async course(@Root() row: CreditRecognitionRow, @Ctx() context: Context): Promise<Course | null> {
    return visibleCourse(row.courseId, context);
  }

  @FieldResolver(() => Course, { nullable: true, description: 'The recognised course.' })
  async recognisedCourse(@Root() row: CreditRecognitionRow, @Ctx() context: Context): Promise<Course | null> {
    return visibleCourse(row.recognisedCourseId, context);
  }
}

async function visibleCourse(id: string, { viewer, loaders }: Context): Promise<Course | null> {
  const row = await loaders.course.load(id);
  return row && canSeeCourse(viewer, row) ? toCourse(row) : null;
}

/** Credit transfer goes between providers, from a course that exists, and never grants more than the course is worth. */
function assertRecognisable(own: CourseRow, other: CourseRow | null, creditsGranted: number, { viewer }: Context): void {
  const problems: Problem[] = [];
  if (!other || !canSeeCourse(viewer, other)) problems.push({ field: 'input.recognisedCourseId', message: 'names no course' });
  else if (other.providerId === own.providerId) problems.push({ field: 'input.recognisedCourseId', message: "must be another provider's course" });
  if (own.credits === null) problems.push({ field: 'input.courseId', message: `${own.code} is not credit-bearing, so no credits can be granted towards it` });
  else if (creditsGranted > own.credits) problems.push({ field: 'input.creditsGranted', message: `must be at most ${own.credits}, the credits of ${own.code}` });
  assertNoProblems(problems);
}
