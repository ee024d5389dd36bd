import { Directive, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

/** Owned by providers: a recommendation names a course by its id. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Course {
  @Field(() => ID)
  id!: string;
}

/** Owned by providers: the skills taxonomy. */
@ObjectType()
@Directive('@key(fields: "code")')
export class Skill {
  @Field(() => String)
  code!: string;
}

/** Owned by funding. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Scheme {
  @Field(() => ID)
  id!: string;
}

export enum RecommendationReasonKind {
  MISSING_SKILL = 'MISSING_SKILL',
  PATHWAY_REQUIRED = 'PATHWAY_REQUIRED',
  PATHWAY_ELECTIVE = 'PATHWAY_ELECTIVE',
  PATHWAY_LATER_STAGE = 'PATHWAY_LATER_STAGE',
  SIMILAR_LEARNERS = 'SIMILAR_LEARNERS',
  INTEREST = 'INTEREST',
  BUILDS_ON_CREDENTIAL = 'BUILDS_ON_CREDENTIAL',
  MQF_PROGRESSION = 'MQF_PROGRESSION',
  FUNDING = 'FUNDING',
}
registerEnumType(RecommendationReasonKind, {
  name: 'RecommendationReasonKind',
  description: 'Why a course is recommended. Stable: partner apps may switch on it (an icon, a badge) and show the detail sentence.',
  valuesConfig: {
    MISSING_SKILL: { description: 'It teaches a skill the goal job role requires and the learner does not prove at the level asked, at or above that level (skill, mqfLevel).' },
    PATHWAY_REQUIRED: { description: "It is a required course of the goal pathway's next stage: the first stage not complete, which the stages after it wait for (stagePosition)." },
    PATHWAY_ELECTIVE: { description: 'It is an elective of the next stage, which still needs elective credits (stagePosition).' },
    PATHWAY_LATER_STAGE: { description: 'It is a required course of the stage after the next one: to take once the next stage is complete (stagePosition).' },
    SIMILAR_LEARNERS: {
      description: `Learners who hold a course the learner holds went on to complete it (course: the course held; learners: how many). Counted over issued credentials, and shown only when at least a few learners did.`,
    },
    INTEREST: { description: 'It teaches a skill the learner declared an interest in (skill).' },
    BUILDS_ON_CREDENTIAL: { description: "It teaches a skill one of the learner's credentials proves, at a higher MQF level (skill; course: the credential's course)." },
    MQF_PROGRESSION: { description: "Its MQF level against the learner's highest: one step up counts for it; far above, or below, against it (mqfLevel)." },
    FUNDING: { description: 'A scheme the learner is eligible for pays for it (scheme, coveredSen).' },
  },
});

@ObjectType({ description: 'One reason a course is recommended: a kind to switch on, a sentence to show, and the facts behind it (only those of its kind are set).' })
export class RecommendationReason {
  @Field(() => RecommendationReasonKind)
  kind!: RecommendationReasonKind;

  @Field(() => String, { description: 'The reason as a sentence, for people.' })
  detail!: string;

  @Field(() => Float, { description: 'How much it added to the score (negative: it counted against).' })
  weight!: number;

  @Field(() => Skill, { nullable: true })
  skill!: Skill | null;

  @Field(() => Course, { nullable: true, description: 'SIMILAR_LEARNERS: the course you hold that those learners held; BUILDS_ON_CREDENTIAL: the course of the credential it builds on.' })
  course!: Course | null;

  @Field(() => Int, { nullable: true, description: 'The pathway stage, from 1.' })
  stagePosition!: number | null;

  @Field(() => Int, { nullable: true, description: 'SIMILAR_LEARNERS: how many learners went on to complete it.' })
  learners!: number | null;

  @Field(() => Scheme, { nullable: true })
  scheme!: Scheme | null;

  @Field(() => Int, { nullable: true, description: 'FUNDING: what the scheme would pay, in sen.' })
  coveredSen!: number | null;

  @Field(() => Int, { nullable: true, description: "The course's MQF level." })
  mqfLevel!: number | null;
}

@ObjectType({ description: 'A course recommended to a learner, where it ranks, and why.' })
export class CourseRecommendation {
  @Field(() => Int, { description: 'From 1, best first.' })
  rank!: number;

  @Field(() => Course)
  course!: Course;

  @Field(() => Float, { description: 'The sum of the reasons’ weights: what the ranking follows (ties go to the cheaper course).' })
  score!: number;

  @Field(() => String, { description: 'Why, in one or two sentences for people: the weightiest reasons and what the learner would pay.' })
  summary!: string;

  @Field(() => [RecommendationReason], { description: 'Every reason, weightiest first.' })
  reasons!: RecommendationReason[];

  @Field(() => Int, { description: 'The course fee in sen.' })
  feeSen!: number;

  @Field(() => Int, { description: 'What the best scheme the learner is eligible for would pay, in sen (0 when none).' })
  coveredSen!: number;

  @Field(() => Int, { description: 'What would be left for the learner to pay, in sen: the fee less coveredSen.' })
  amountToPaySen!: number;

  @Field(() => Scheme, { nullable: true, description: 'That scheme; null when no scheme the learner is eligible for funds the course.' })
  fundedBy!: Scheme | null;
}

@InputType({ description: 'What the learner is aiming for: exactly one of a job role or a pathway.' })
export class RecommendationGoalInput {
  @Field(() => ID, { nullable: true, description: "A published job role: courses for the skills it requires that you do not prove yet." })
  jobRoleId?: string | null;

  @Field(() => ID, { nullable: true, description: "A pathway: its next stage's courses in order, then the stage after." })
  pathwayId?: string | null;
}
