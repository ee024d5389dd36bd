import { NotFound, pageSize, parseInput, rules } from '@tauliah/core';
import { and } from 'drizzle-orm';
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { cataloguePage, decodeCourseCursor, filterConditions } from '../catalogue.ts';
import type { Context } from '../context.ts';
import type { CourseRow } from '../db/schema.ts';
import { canSeeCourse, listableCourses } from '../policy.ts';
import { Course, CourseConnection, toCourse, toCourseConnection } from './course.ts';
import { CourseFilter, courseFilterSchema } from './course.inputs.ts';
import { Provider } from './provider.ts';
import { CreditRecognition } from './recognition.ts';
import { providerOf } from './provider.resolver.ts';
import { Skill } from './skill.ts';

const courseId = rules.uuid('course id');

@Resolver(() => Course)
export class CourseResolver {
  @Query(() => Course, { description: "One course. Drafts exist only for their provider's staff and partners and for administrators." })
  async course(@Arg('id', () => ID) id: string, @Ctx() { viewer, loaders }: Context): Promise<Course> {
    const row = await loaders.course.load(parseInput(courseId, id, 'id'));
    if (!row || !canSeeCourse(viewer, row)) throw new NotFound('Course', id);
    return toCourse(row);
  }

  @Query(() => CourseConnection, { description: 'The course catalogue, ordered by code then id, filtered and paged (first: 1–100, default 20).' })
  async courses(
    @Arg('filter', () => CourseFilter, { nullable: true }) rawFilter: CourseFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() { viewer, db }: Context,
  ): Promise<CourseConnection> {
    const filter = parseInput(courseFilterSchema, rawFilter ?? {}, 'filter');
    const limit = pageSize(first);
    const cursor = decodeCourseCursor(after);
    const where = and(listableCourses(viewer), ...filterConditions(db, filter));
    const { rows, total } = await cataloguePage(db, where, { limit, after: cursor });
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
    return (await loaders.skillsOfCourse.load(course.id)).map((row) => row.skill);
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
