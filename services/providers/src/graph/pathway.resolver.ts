import { NotFound, parseInput, rules } from '@tauliah/core';
import { asc, eq } from 'drizzle-orm';
import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import { pathway as pathwayTable, type PathwayRow, type PathwayStageRow } from '../db/schema.ts';
import { canSeeCourse } from '../policy.ts';
import { Course, toCourse } from './course.ts';
import { Pathway, PathwayStage } from './pathway.ts';
import { Provider } from './provider.ts';
import { providerOf } from './provider.resolver.ts';

const pathwayId = rules.uuid('pathway id');
const providerId = rules.uuid('provider id');

@Resolver(() => Pathway)
export class PathwayResolver {
  @Query(() => Pathway, { description: 'One pathway.' })
  async pathway(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context): Promise<Pathway> {
    const row = await loaders.pathway.load(parseInput(pathwayId, id, 'id'));
    if (!row) throw new NotFound('Pathway', id);
    return row;
  }

  @Query(() => [Pathway], { description: "Every pathway by code, or one provider's." })
  async pathways(@Arg('providerId', () => ID, { nullable: true }) rawProviderId: string | null, @Ctx() { db, loaders }: Context): Promise<Pathway[]> {
    if (rawProviderId != null) return loaders.pathwaysOfProvider.load(parseInput(providerId, rawProviderId, 'providerId'));
    return db.select().from(pathwayTable).orderBy(asc(pathwayTable.code), asc(pathwayTable.id));
  }

  @FieldResolver(() => Provider)
  async provider(@Root() pathway: PathwayRow, @Ctx() context: Context): Promise<Provider> {
    return providerOf(pathway, context);
  }

  @FieldResolver(() => [PathwayStage], { description: 'The stages in order.' })
  async stages(@Root() pathway: Pathway, @Ctx() { loaders }: Context): Promise<PathwayStage[]> {
    return loaders.stagesOfPathway.load(pathway.id);
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
