import { NotFound, parseInput, rules } from '@tauliah/core';
import { and, eq } from 'drizzle-orm';
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import { courseEndorsement } from '../db/schema.ts';
import { employerActingFor } from '../policy.ts';
import { Course, CourseEndorsement } from './endorsement.ts';
import { toEmployer } from './employer.ts';

@Resolver(() => Course)
export class CourseEndorsementResolver {
  @FieldResolver(() => [CourseEndorsement], {
    nullable: true,
    description:
      'Employers that recognise this course, latest first. The public sees those of employers with a published job role. Null, with SUBGRAPH_UNAVAILABLE, while the employers service cannot answer: the course itself still arrives.',
  })
  async endorsements(@Root() course: Course, @Ctx() { viewer, loaders }: Context): Promise<CourseEndorsement[]> {
    const rows = await loaders.endorsementsOfCourse.load(course.id);
    const employers = await loaders.employer.loadMany(rows.map((r) => r.employerId));
    // Like Employer itself: the public sees an employer's profile only behind a published job role.
    const published = viewer.kind === 'principal' ? null : await loaders.publishedEmployer.loadMany(rows.map((r) => r.employerId));
    return rows.flatMap((row, i) => {
      const employer = employers[i];
      if (!employer || employer instanceof Error) return [];
      if (published && !published[i]) return [];
      return [{ employer: toEmployer(employer), endorsedAt: row.createdAt }];
    });
  }

  @Authorized('EMPLOYER', 'PARTNER')
  @Mutation(() => Course, { description: 'Your employer recognises this published course; endorsing it again changes nothing.' })
  async endorseCourse(@Arg('courseId', () => ID) courseId: string, @Ctx() context: Context): Promise<Course> {
    const employerId = employerActingFor(context.viewer);
    const id = parseInput(rules.uuid('course id'), courseId, 'courseId');
    if (!(await context.loaders.visibleCourse.load(id))) throw new NotFound('Course', courseId);
    await context.db.insert(courseEndorsement).values({ employerId, courseId: id }).onConflictDoNothing();
    return { id };
  }

  @Authorized('EMPLOYER', 'PARTNER')
  @Mutation(() => Course, { description: "Withdraws your employer's endorsement of a course; NOT_FOUND if it had none." })
  async withdrawEndorsement(@Arg('courseId', () => ID) courseId: string, @Ctx() context: Context): Promise<Course> {
    const employerId = employerActingFor(context.viewer);
    const id = parseInput(rules.uuid('course id'), courseId, 'courseId');
    const removed = await context.db
      .delete(courseEndorsement)
      .where(and(eq(courseEndorsement.employerId, employerId), eq(courseEndorsement.courseId, id)))
      .returning({ courseId: courseEndorsement.courseId });
    if (removed.length === 0) throw new NotFound('CourseEndorsement', courseId);
    return { id };
  }
}
