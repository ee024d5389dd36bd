import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Provider } from '../references.ts';

// Pathways are owned by the providers subgraph. This subgraph declares only the
// parts of a pathway that progress is computed from, as @external fields it
// @requires: the gateway fetches them from providers (with the viewer's token)
// and hands them over in the entity representation.

/** The selection progress needs, for @requires and for reading pathways through the graph (Learner.pathways). */
export const PATHWAY_DEFINITION = `id provider { id } targetProgrammeCredits apelThresholdPercent
  stages { position title exitAward exitJobRoleTitle minimumCredits requiredCourseIds electiveCourseIds }
  recognitions { courseId recognisedCourseId creditsGranted }`;

/** @requires takes the selection without the key. */
export const PATHWAY_REQUIRES = PATHWAY_DEFINITION.replace(/^id /, '').replace(/\s+/g, ' ');

@ObjectType()
export class PathwayStage {
  @Directive('@external')
  @Field(() => Int)
  position!: number;

  @Directive('@external')
  @Field(() => String)
  title!: string;

  @Directive('@external')
  @Field(() => String)
  exitAward!: string;

  @Directive('@external')
  @Field(() => String, { nullable: true })
  exitJobRoleTitle!: string | null;

  @Directive('@external')
  @Field(() => Int, { nullable: true })
  minimumCredits!: number | null;

  @Directive('@external')
  @Field(() => [ID])
  requiredCourseIds!: string[];

  @Directive('@external')
  @Field(() => [ID])
  electiveCourseIds!: string[];
}

@ObjectType()
export class CreditRecognition {
  @Directive('@external')
  @Field(() => ID)
  courseId!: string;

  @Directive('@external')
  @Field(() => ID)
  recognisedCourseId!: string;

  @Directive('@external')
  @Field(() => Int)
  creditsGranted!: number;
}

@ObjectType()
@Directive('@key(fields: "id")')
export class Pathway {
  @Field(() => ID)
  id!: string;

  @Directive('@external')
  @Field(() => Provider)
  provider!: Provider;

  @Directive('@external')
  @Field(() => Int)
  targetProgrammeCredits!: number;

  @Directive('@external')
  @Field(() => Int)
  apelThresholdPercent!: number;

  @Directive('@external')
  @Field(() => [PathwayStage])
  stages!: PathwayStage[];

  @Directive('@external')
  @Field(() => [CreditRecognition])
  recognitions!: CreditRecognition[];
}

/** A pathway's definition as it arrives in a representation or from the graph. */
export type PathwayDefinition = Pick<Pathway, 'id' | 'provider' | 'targetProgrammeCredits' | 'apelThresholdPercent' | 'stages' | 'recognitions'>;
