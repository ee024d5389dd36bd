import { Cacheable, Conflict, isUniqueViolation, NotFound, pageSize, parseInput, rules, selectsPath, selectsTotalCount } from '@tauliah/core';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { z } from 'zod';
import { assertSkillsExist, courseValues, definedFields, managedCourse } from '../catalogue/editing.ts';
import { cataloguePage, decodeCourseCursor } from '../catalogue/search.ts';
import type { Context } from '../context.ts';
import { course, courseSkill, type CourseRow } from '../db/schema.ts';
import { assertInGoodStanding, canSeeCourse, listableCourses, owningProvider } from '../policy.ts';
import { Course, CourseConnection, toCourse, toCourseConnection, type CoursePage } from './course.ts';
import { CourseFilter, courseFilterSchema, CourseInput, courseSchema } from './course.inputs.ts';
import { Provider } from './provider.ts';
import { CreditRecognition } from './recognition.ts';
import { providerOf } from './provider.resolver.ts';
import { Skill, toSkill } from './skill.ts';

const courseId = rules.uuid('course id');
/** Ids per coursesById request: a page, like the catalogue's largest. */
export const MAX_COURSES_BY_ID = 100;
const courseIds = z.array(courseId).max(MAX_COURSES_BY_ID, `ids: at most ${MAX_COURSES_BY_ID} course ids per request.`);

/**
 * The course catalogue, and its editing by providers: their staff, a partner
 * system acting for them, or an administrator. A course is created as a
 * DRAFT, published into the public catalogue, and retired when no longer offered.
 */
@Resolver(() => Course)
export class CourseResolver {
  @Cacheable()
  @Query(() => Course, { description: "One course. Drafts exist only for their provider's staff and partners and for administrators." })
  async course(@Arg('id', () => ID) id: string, @Ctx() { viewer, loaders }: Context): Promise<Course> {
    const row = await loaders.course.load(parseInput(courseId, id, 'id'));
    if (!row || !canSeeCourse(viewer, row)) throw new NotFound('Course', id);
    return toCourse(row);
  }

  @Cacheable()
  @Query(() => [Course], {
    description: `Courses by id, in the order asked (at most ${MAX_COURSES_BY_ID}), each once: those you may see (as course(id)); an unknown id, or a draft you may not see, is left out. For an app that already holds ids (what a learner was recommended, a saved list) and wants them in one request.`,
  })
  async coursesById(@Arg('ids', () => [ID]) ids: string[], @Ctx() { viewer, loaders }: Context): Promise<Course[]> {
    const valid = parseInput(courseIds, ids, 'ids');
    const rows = await loaders.course.loadMany([...new Set(valid)]);
    return rows.filter((row): row is CourseRow => !!row && !(row instanceof Error) && canSeeCourse(viewer, row)).map(toCourse);
  }

  @Cacheable()
  @Query(() => CourseConnection, { description: 'The course catalogue, ordered by code then id, filtered and paged (first: 1–100, default 20).' })
  async courses(
    @Arg('filter', () => CourseFilter, { nullable: true }) rawFilter: CourseFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() { viewer, db, loaders }: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<CoursePage> {
    const filter = parseInput(courseFilterSchema, rawFilter ?? {}, 'filter');
    const limit = pageSize(first);
    const cursor = decodeCourseCursor(after);
    const read = { total: selectsTotalCount(info), providers: selectsPath(info, ['edges', 'node', 'provider']), skills: selectsPath(info, ['edges', 'node', 'skills']) };
    const { rows, total, providers, skills } = await cataloguePage(db, listableCourses(viewer), filter, { limit, after: cursor }, read);
    // The page read its courses' providers and skills: their fields ask nothing more.
    for (const row of providers) loaders.provider.prime(row.id, row);
    for (const [courseId, taught] of skills) loaders.skillsOfCourse.prime(courseId, taught.map((row) => ({ courseId, skill: row })));
    return toCourseConnection(rows, limit, total);
  }

  @FieldResolver(() => Provider)
  async provider(@Root() course: CourseRow, @Ctx() context: Context): Promise<Provider> {
    return providerOf(course, context);
  }

  @FieldResolver(() => [CreditRecognition], { description: "Other providers' courses that count as this one (standing credit recognitions), oldest first." })
  async creditRecognitions(@Root() course: CourseRow, @Ctx() { loaders }: Context): Promise<CreditRecognition[]> {
    return loaders.recognitionsOfCourse.load(course.id);
  }

  @FieldResolver(() => [Skill], { description: 'The skills the course teaches, its main skill first.' })
  async skills(@Root() course: CourseRow, @Ctx() { loaders }: Context): Promise<Skill[]> {
    return (await loaders.skillsOfCourse.load(course.id)).map((row) => toSkill(row.skill));
  }

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
    const taught = (await context.loaders.skillsOfCourse.load(existing.id)).map((s) => s.skill.code);
    const merged = { ...existing, ...definedFields(input), skillCodes: input.skillCodes ?? taught };
    const valid = parseInput(courseSchema, merged, 'input');
    // A skill retired since the course was written may stay on it; only a newly added one must be in use.
    await assertSkillsExist(valid.skillCodes!, context, taught);
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
      // The answer's skills are read again: this request loaded the ones the course had.
      context.loaders.skillsOfCourse.clear(existing.id);
      return toCourse(row);
    } catch (error) {
      if (isUniqueViolation(error, 'course_provider_code_key')) throw new Conflict(`This provider already has a course ${valid.code}.`, { field: 'input.code' });
      throw error;
    }
  }

  @Authorized('PROVIDER_STAFF', 'PARTNER', 'ADMIN')
  @Mutation(() => Course, { description: 'Puts a draft into the public catalogue. Publishing a published course again changes nothing. A suspended provider publishes nothing (FORBIDDEN).' })
  async publishCourse(@Arg('id', () => ID) id: string, @Ctx() context: Context): Promise<Course> {
    const existing = await managedCourse(id, context);
    if (existing.status === 'PUBLISHED') return toCourse(existing);
    const row = await context.db.transaction(async (tx) => {
      // A suspended provider puts nothing new in the catalogue (policy.ts).
      await assertInGoodStanding(tx, existing.providerId, 'publish courses');
      // Conditional on DRAFT in the database, so a publish racing a retirement cannot resurrect the course.
      const [published] = await tx
        .update(course)
        .set({ status: 'PUBLISHED', publishedAt: sql`now()`, updatedAt: sql`now()` })
        .where(and(eq(course.id, existing.id), eq(course.status, 'DRAFT')))
        .returning();
      return published;
    });
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

export const courseReference = {
  Course: {
    /** Other subgraphs (funding, employers, credentials) resolve courses in one batch; a draft stays hidden from those who may not see it. */
    __resolveReference: async ({ id }: { id: string }, { viewer, loaders }: Context) => {
      const row = await loaders.course.load(id);
      return row && canSeeCourse(viewer, row) ? toCourse(row) : null;
    },
  },
};
