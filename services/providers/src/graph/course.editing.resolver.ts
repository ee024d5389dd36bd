import { Conflict, Forbidden, NotFound, parseInput, rules } from '@tauliah/core';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../context.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { course, courseSkill, skill, type CourseRow } from '../db/schema.ts';
import { mayManageCourses, owningProvider } from '../policy.ts';
import { Course, toCourse } from './course.ts';
import { CourseInput, courseSchema, type ValidCourse } from './course.editing.inputs.ts';
import { assertNoProblems } from './problems.ts';

const courseId = rules.uuid('course id');

/**
 * Providers manage their own catalogue: their staff, a partner system acting
 * for them, or an administrator. A course is created as a DRAFT, published
 * into the public catalogue, and retired when no longer offered.
 */
@Resolver(() => Course)
export class CourseEditingResolver {
  @Authorized('PROVIDER_STAFF', 'PARTNER', 'ADMIN')
  @Mutation(() => Course, {
    description: 'Adds a DRAFT course. The code is unique per provider, so a retried call answers CONFLICT instead of creating a second course.',
  })
  async createCourse(@Arg('input', () => CourseInput) input: CourseInput, @Ctx() { viewer, db }: Context): Promise<Course> {
    const owner = owningProvider(viewer, input.providerId, 'courses');
    const valid = parseInput(courseSchema, input);
    await assertSkillsExist(valid.skillCodes!, { db });
    try {
      const row = await db.transaction(async (tx) => {
        const [created] = await tx.insert(course).values({ ...courseValues(valid), providerId: owner }).returning();
        await tx.insert(courseSkill).values(valid.skillCodes!.map((code, position) => ({ courseId: created!.id, skillCode: code, position })));
        return created!;
      });
      return toCourse(row);
    } catch (error) {
      if (isUniqueViolation(error, 'course_provider_code_key')) {
        throw new Conflict(`This provider already has a course ${valid.code}.`, { field: 'input.code' });
      }
      throw error;
    }
  }

  @Authorized('PROVIDER_STAFF', 'PARTNER', 'ADMIN')
  @Mutation(() => Course, { description: 'Changes a draft or published course; fields left out keep their value. A retired course is frozen.' })
  async updateCourse(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => CourseInput) input: CourseInput,
    @Ctx() context: Context,
  ): Promise<Course> {
    const existing = await managedCourse(id, context);
    if (existing.status === 'RETIRED') throw new Conflict(`Course ${existing.code} is retired and can no longer change.`);
    const skills = input.skillCodes ?? (await context.loaders.skillsOfCourse.load(existing.id)).map((s) => s.skill.code);
    const merged = { ...existing, ...definedFields(input), skillCodes: skills };
    const valid = parseInput(courseSchema, merged, 'input');
    await assertSkillsExist(valid.skillCodes!, context);
    try {
      const row = await context.db.transaction(async (tx) => {
        const [updated] = await tx
          .update(course)
          .set({ ...courseValues(valid), updatedAt: sql`now()` })
          .where(and(eq(course.id, existing.id), inArray(course.status, ['DRAFT', 'PUBLISHED'])))
          .returning();
        if (!updated) throw new Conflict(`Course ${existing.code} was retired meanwhile.`);
        if (input.skillCodes) {
          await tx.delete(courseSkill).where(eq(courseSkill.courseId, existing.id));
          await tx.insert(courseSkill).values(valid.skillCodes!.map((code, position) => ({ courseId: existing.id, skillCode: code, position })));
        }
        return updated;
      });
      return toCourse(row);
    } catch (error) {
      if (isUniqueViolation(error, 'course_provider_code_key')) throw new Conflict(`This provider already has a course ${valid.code}.`, { field: 'input.code' });
      throw error;
    }
  }

  @Authorized('PROVIDER_STAFF', 'PARTNER', 'ADMIN')
  @Mutation(() => Course, { description: 'Puts a draft into the public catalogue. Publishing a published course again changes nothing.' })
  async publishCourse(@Arg('id', () => ID) id: string, @Ctx() context: Context): Promise<Course> {
    const existing = await managedCourse(id, context);
    if (existing.status === 'PUBLISHED') return toCourse(existing);
    // Conditional on DRAFT in the database, so a publish racing a retirement cannot resurrect the course.
    const [row] = await context.db
      .update(course)
      .set({ status: 'PUBLISHED', publishedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(eq(course.id, existing.id), eq(course.status, 'DRAFT')))
      .returning();
    if (!row) throw new Conflict(`Course ${existing.code} is retired; a retired course is not published again.`);
    return toCourse(row);
  }

  @Authorized('PROVIDER_STAFF', 'PARTNER', 'ADMIN')
  @Mutation(() => Course, {
    description: 'Takes a course out of the catalogue for good. It stays readable by id for the pathways and credentials that name it. Idempotent.',
  })
  async retireCourse(@Arg('id', () => ID) id: string, @Ctx() context: Context): Promise<Course> {
    const existing = await managedCourse(id, context);
    if (existing.status === 'RETIRED') return toCourse(existing);
    const [row] = await context.db
      .update(course)
      .set({ status: 'RETIRED', publishedAt: sql`coalesce(${course.publishedAt}, now())`, updatedAt: sql`now()` })
      .where(eq(course.id, existing.id))
      .returning();
    return toCourse(row!);
  }
}

/** A course the viewer may manage, or NOT_FOUND (a draft of another provider does not exist for you) / FORBIDDEN. */
export async function managedCourse(id: string, { viewer, loaders }: Context): Promise<CourseRow> {
  const row = await loaders.course.load(parseInput(courseId, id, 'id'));
  if (!row || (row.status === 'DRAFT' && !mayManageCourses(viewer, row.providerId))) throw new NotFound('Course', id);
  if (!mayManageCourses(viewer, row.providerId)) throw new Forbidden("You may only manage your own provider's courses.");
  return row;
}

async function assertSkillsExist(codes: string[], { db }: Pick<Context, 'db'>): Promise<void> {
  const found = new Set((await db.select({ code: skill.code }).from(skill).where(inArray(skill.code, codes))).map((s) => s.code));
  const problems = codes.flatMap((code, i) => (found.has(code) ? [] : [{ field: `input.skillCodes.${i}`, message: `${code} is not a skill in the taxonomy` }]));
  assertNoProblems(problems);
}

/** The input fields the caller actually gave (GraphQL leaves the others undefined). */
function definedFields(input: CourseInput): Partial<CourseInput> {
  const { providerId: _ignored, ...rest } = input;
  return Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
}

function courseValues(c: ValidCourse) {
  return {
    code: c.code!,
    title: c.title!,
    description: c.description!,
    credits: c.credits ?? null,
    notionalHours: c.notionalHours!,
    mqfLevel: c.mqfLevel ?? null,
    learningOutcomes: c.learningOutcomes!,
    feeSen: c.feeSen!,
    deliveryMode: c.deliveryMode!,
    accreditation: c.accreditation!,
    assessment: c.assessment!,
    validityMonths: c.validityMonths ?? null,
  };
}
