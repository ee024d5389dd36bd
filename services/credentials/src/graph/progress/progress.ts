import { Field, Int, ObjectType } from 'type-graphql';
import { Course, Learner } from '../references.ts';
import { Pathway } from './pathway.ts';

@ObjectType({ description: 'How far one stage of a pathway is done, and what it still needs.' })
export class PathwayStageProgress {
  @Field(() => Int)
  position!: number;

  @Field(() => String)
  title!: string;

  @Field(() => Boolean, { description: 'Every required course held and the minimum of elective credits reached.' })
  complete!: boolean;

  @Field(() => Int, { description: "Credits the learner holds towards this stage's courses." })
  creditsEarned!: number;

  @Field(() => [Course], { description: 'Required courses not yet held (nor recognised).' })
  missingCourses!: Course[];

  @Field(() => Int, { description: 'Elective credits still needed to reach the stage minimum (0 when none).' })
  creditsStillNeeded!: number;

  @Field(() => String)
  exitAward!: string;

  @Field(() => String, { nullable: true })
  exitJobRoleTitle!: string | null;
}

@ObjectType({ description: 'An exit point reached: the award of a completed stage, and the job it leads to.' })
export class PathwayExitAward {
  /** Whose progress and which pathway: for finding the award credential. */
  learnerId!: string;
  pathwayId!: string;

  @Field(() => Int, { description: 'The stage it completes.' })
  stagePosition!: number;

  @Field(() => String)
  award!: string;

  @Field(() => String, { nullable: true })
  jobRoleTitle!: string | null;
}

@ObjectType({ description: 'One pathway course counted towards progress, held directly or through a recognised equivalent.' })
export class PathwayCreditEarned {
  @Field(() => Course)
  course!: Course;

  @Field(() => Int)
  credits!: number;

  @Field(() => Course, { nullable: true, description: "Another provider's course recognised as this one, when that is how it was earned." })
  recognisedCourse!: Course | null;
}

@ObjectType({ description: "A learner's progress along a pathway, computed from their active credentials and the pathway's recognitions." })
export class PathwayProgress {
  @Field(() => Pathway)
  pathway!: Pathway;

  @Field(() => Learner)
  learner!: Learner;

  @Field(() => Int, { description: "Credits earned on the pathway's courses: active credentials, each course once, recognised equivalents at their granted credits." })
  creditsEarned!: number;

  @Field(() => Int, { description: "The target programme's total credits." })
  creditsRequired!: number;

  @Field(() => Int, { description: 'creditsEarned as a whole percentage of creditsRequired, rounded down, at most 100.' })
  percent!: number;

  @Field(() => [PathwayStageProgress])
  stages!: PathwayStageProgress[];

  @Field(() => [Course], { description: 'What to take next: the missing courses of the first incomplete stage, then its electives if credits are still needed.' })
  nextCourses!: Course[];

  @Field(() => [PathwayExitAward], { description: 'Exit awards reached: a stage complete along with every stage before it.' })
  exitAwards!: PathwayExitAward[];

  @Field(() => [PathwayCreditEarned])
  earned!: PathwayCreditEarned[];

  @Field(() => Int, { description: 'Credits APEL.M needs: apelThresholdPercent of creditsRequired, rounded up.' })
  apelCreditsNeeded!: number;

  @Field(() => Boolean, { description: 'APEL.M: admissible to the target programme through micro-credentials.' })
  apelEligible!: boolean;

  @Field(() => String, { description: 'The rule that decided apelEligible, with the figures.' })
  apelRule!: string;
}
