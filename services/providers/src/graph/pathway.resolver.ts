import { Cacheable, Forbidden, NotFound, parseInput, rules } from '@tauliah/core';
import { and, asc, eq, inArray, isNull, or } from 'drizzle-orm';
import { z } from 'zod';
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import { creditRecognition, pathway as pathwayTable, pathwayStage, stageCourse, type PathwayRow, type PathwayStageRow } from '../db/schema.ts';
import { assertCourses, savePathway } from '../pathways/editing.ts';
import { canSeeCourse, mayManageCourses, owningProvider } from '../policy.ts';
import { Course, toCourse } from './course.ts';
import { PathwayInput, pathwaySchema } from './pathway.inputs.ts';
import { Pathway, PathwayStage } from './pathway.ts';
import { Provider } from './provider.ts';
import { CreditRecognition } from './recognition.ts';
import { providerOf } from './provider.resolver.ts';

const pathwayId = rules.uuid('pathway id');
const providerId = rules.uuid('provider id');
const courseIds = z.array(rules.uuid('course id')).max(1000, 'may name at most 1,000 courses');

/** Pathways with a stage course among `ids`, or with a standing recognition of one of `ids` towards a stage course. */
function pathwaysCrediting(db: Context['db'], ids: string[]) {
  const recognised = db
    .select({ courseId: creditRecognition.courseId })
    .from(creditRecognition)
    .where(and(inArray(creditRecognition.recognisedCourseId, ids), isNull(creditRecognition.withdrawnAt)));
  return db
    .select({ pathwayId: pathwayStage.pathwayId })
    .from(stageCourse)
    .innerJoin(pathwayStage, eq(pathwayStage.id, stageCourse.stageId))
    .where(or(inArray(stageCourse.courseId, ids), inArray(stageCourse.courseId, recognised)));
}

/** Pathways, and their definition by a provider: its staff, a partner system acting for it, or an administrator. */
@Resolver(() => Pathway)
export class PathwayResolver {
  @Cacheable()
  @Query(() => Pathway, { description: 'One pathway.' })
  async pathway(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context): Promise<Pathway> {
    const row = await loaders.pathway.load(parseInput(pathwayId, id, 'id'));
    if (!row) throw new NotFound('Pathway', id);
    return row;
  }

  @Cacheable()
  @Query(() => [Pathway], {
    description: "Every pathway by code, or one provider's, or those a holder of any of `courseIds` has credits in (a stage course, or a course recognised as one).",
  })
  async pathways(
    @Arg('providerId', () => ID, { nullable: true }) rawProviderId: string | null,
    @Arg('courseIds', () => [ID], { nullable: true }) rawCourseIds: string[] | null,
    @Ctx() { db, loaders }: Context,
  ): Promise<Pathway[]> {
    const ids = rawCourseIds == null ? null : parseInput(courseIds, rawCourseIds, 'courseIds');
    const conditions = [
      rawProviderId == null ? undefined : eq(pathwayTable.providerId, parseInput(providerId, rawProviderId, 'providerId')),
      ids == null ? undefined : inArray(pathwayTable.id, pathwaysCrediting(db, ids)),
    ];
    if (ids == null && rawProviderId != null) return loaders.pathwaysOfProvider.load(rawProviderId);
    return db.select().from(pathwayTable).where(and(...conditions)).orderBy(asc(pathwayTable.code), asc(pathwayTable.id));
  }

  @FieldResolver(() => Provider)
  async provider(@Root() pathway: PathwayRow, @Ctx() context: Context): Promise<Provider> {
    return providerOf(pathway, context);
  }

  @FieldResolver(() => [PathwayStage], { description: 'The stages in order.' })
  async stages(@Root() pathway: Pathway, @Ctx() { loaders }: Context): Promise<PathwayStage[]> {
    return loaders.stagesOfPathway.load(pathway.id);
  }

  @FieldResolver(() => [CreditRecognition], {
    description: "Standing credit recognitions towards this pathway's courses: other providers' courses that count as one of them (progress honours these).",
  })
  async recognitions(@Root() pathway: Pathway, @Ctx() { loaders }: Context): Promise<CreditRecognition[]> {
    return (await loaders.recognitionsOfPathway.load(pathway.id)).map((row) => row.recognition);
  }

  @Authorized('PROVIDER_STAFF', 'PARTNER', 'ADMIN')
  @Mutation(() => Pathway, { description: 'Defines a pathway. The code is unique per provider: a retried call answers CONFLICT, never a second pathway.' })
  async createPathway(@Arg('input', () => PathwayInput) input: PathwayInput, @Ctx() context: Context): Promise<Pathway> {
    const owner = owningProvider(context.viewer, input.providerId, 'pathways');
    const valid = parseInput(pathwaySchema, input);
    await assertCourses(valid, context);
    return savePathway(context, valid, { providerId: owner });
  }

  @Authorized('PROVIDER_STAFF', 'PARTNER', 'ADMIN')
  @Mutation(() => Pathway, { description: 'Replaces a pathway\'s definition and stages with the one given. Progress is always computed from the current definition.' })
  async updatePathway(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => PathwayInput) input: PathwayInput,
    @Ctx() context: Context,
  ): Promise<Pathway> {
    const existing = await context.loaders.pathway.load(parseInput(pathwayId, id, 'id'));
    if (!existing) throw new NotFound('Pathway', id);
    if (!mayManageCourses(context.viewer, existing.providerId)) throw new Forbidden("You may only manage your own provider's pathways.");
    const valid = parseInput(pathwaySchema, input);
    await assertCourses(valid, context);
    return savePathway(context, valid, existing);
  }
}

@Resolver(() => PathwayStage)
export class PathwayStageResolver {
  @FieldResolver(() => [Course], { description: 'Every one of these is needed to complete the stage.' })
  async requiredCourses(@Root() stage: PathwayStageRow, @Ctx() context: Context): Promise<Course[]> {
    return stageCourses(stage, 'REQUIRED', context);
  }

  @FieldResolver(() => [Course], { description: 'Courses that count towards minimumCredits.' })
  async electiveCourses(@Root() stage: PathwayStageRow, @Ctx() context: Context): Promise<Course[]> {
    return stageCourses(stage, 'ELECTIVE', context);
  }

  // The ids alone, as scalars, are what the credentials subgraph @requires to compute progress.
  @FieldResolver(() => [ID], { description: 'The ids of requiredCourses, in order.' })
  async requiredCourseIds(@Root() stage: PathwayStageRow, @Ctx() context: Context): Promise<string[]> {
    return (await stageCourses(stage, 'REQUIRED', context)).map((c) => c.id);
  }

  @FieldResolver(() => [ID], { description: 'The ids of electiveCourses, in order.' })
  async electiveCourseIds(@Root() stage: PathwayStageRow, @Ctx() context: Context): Promise<string[]> {
    return (await stageCourses(stage, 'ELECTIVE', context)).map((c) => c.id);
  }
}

async function stageCourses(stage: PathwayStageRow, kind: 'REQUIRED' | 'ELECTIVE', { viewer, loaders }: Context): Promise<Course[]> {
  const rows = await loaders.coursesOfStage.load(stage.id);
  return rows.filter((row) => row.kind === kind && canSeeCourse(viewer, row.course)).map((row) => toCourse(row.course));
}

export const pathwayReference = {
  Pathway: {
    __resolveReference: ({ id }: { id: string }, { loaders }: Context) => loaders.pathway.load(id),
  },
};
