import { rules } from '@tauliah/core';
import { Field, ID, InputType, Int } from 'type-graphql';
import { z } from 'zod';

@InputType({ description: 'One stage: required courses, and/or a minimum of credits from elective courses.' })
export class PathwayStageInput {
  @Field(() => String)
  title!: string;

  @Field(() => [ID], { nullable: true, description: 'Every one of these is needed.' })
  requiredCourseIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Courses counting towards minimumCredits.' })
  electiveCourseIds?: string[] | null;

  @Field(() => Int, { nullable: true, description: 'Credits needed from the electives.' })
  minimumCredits?: number | null;

  @Field(() => String, { description: 'The award on completing the stage, e.g. "Professional Certificate in Web Development".' })
  exitAward!: string;

  @Field(() => String, { nullable: true, description: 'The job a learner may leave for at this stage.' })
  exitJobRoleTitle?: string | null;
}

@InputType({ description: 'A whole pathway; its stages are taken in the order given.' })
export class PathwayInput {
  @Field(() => ID, { nullable: true, description: 'Defaults to the provider your token acts for (administrators must give it). Ignored on update.' })
  providerId?: string | null;

  @Field(() => String, { description: 'Unique within the provider, e.g. "BDSE".' })
  code!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String)
  description!: string;

  @Field(() => String, { description: 'The programme the pathway leads into.' })
  targetProgramme!: string;

  @Field(() => Int, { description: "That programme's total credits." })
  targetProgrammeCredits!: number;

  @Field(() => Int, { nullable: true, description: "APEL.M threshold in percent of the programme credits, from 50 (MQA's minimum, and the default) to 100." })
  apelThresholdPercent?: number | null;

  @Field(() => [PathwayStageInput])
  stages!: PathwayStageInput[];
}

/** MQA (APEL.M, 2023): a learner may be admitted with at least half the programme's credits earned through micro-credentials, never less. */
export const MQA_APEL_M_MINIMUM_PERCENT = 50;

const courseIds = z.array(rules.uuid('course id')).max(100, 'may list at most 100 courses');

const stageSchema = z
  .object({
    title: rules.nonEmpty(200),
    requiredCourseIds: courseIds.nullish().transform((ids) => ids ?? []),
    electiveCourseIds: courseIds.nullish().transform((ids) => ids ?? []),
    minimumCredits: z.number().int().min(1, 'must be at least 1').nullish().transform((n) => n ?? null),
    exitAward: rules.nonEmpty(200),
    exitJobRoleTitle: rules.nonEmpty(200).nullish().transform((t) => t ?? null),
  })
  .superRefine((stage, ctx) => {
    if (stage.requiredCourseIds.length === 0 && stage.minimumCredits == null) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['requiredCourseIds'], message: 'a stage needs required courses or a minimum of elective credits' });
    }
    if (stage.minimumCredits != null && stage.electiveCourseIds.length === 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['electiveCourseIds'], message: 'must list the courses minimumCredits is earned from' });
    }
    if (stage.minimumCredits == null && stage.electiveCourseIds.length > 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['minimumCredits'], message: 'is required when the stage lists elective courses' });
    }
  });

export const pathwaySchema = z
  .object({
    code: z.string().trim().toUpperCase().regex(/^[A-Z0-9][A-Z0-9-]{1,19}$/, 'must be a pathway code such as BDSE (letters, digits, -)'),
    title: rules.nonEmpty(200),
    description: rules.nonEmpty(2000),
    targetProgramme: rules.nonEmpty(200),
    targetProgrammeCredits: z.number().int().min(1, 'must be at least 1').max(1000, 'must be at most 1,000'),
    apelThresholdPercent: z
      .number()
      .int('must be a whole percentage')
      .min(MQA_APEL_M_MINIMUM_PERCENT, `must be at least ${MQA_APEL_M_MINIMUM_PERCENT}: MQA's APEL.M guidelines admit a learner with no less than ${MQA_APEL_M_MINIMUM_PERCENT}% of the programme's credits earned through micro-credentials`)
      .max(100, 'must be at most 100 (percent of the programme credits)')
      .nullish()
      .transform((p) => p ?? MQA_APEL_M_MINIMUM_PERCENT),
    stages: z.array(stageSchema).min(1, 'must have at least one stage').max(30, 'may have at most 30 stages'),
  })
  .superRefine((pathway, ctx) => {
    // Stages run in one direction: a course met again in a later stage (or twice in one) would
    // send a learner back to a stage already passed, a cycle. Each course appears once.
    const seen = new Map<string, string>();
    pathway.stages.forEach((stage, s) => {
      for (const kind of ['requiredCourseIds', 'electiveCourseIds'] as const) {
        stage[kind].forEach((id, i) => {
          const where = `stages.${s}.${kind}.${i}`;
          const earlier = seen.get(id);
          if (earlier) ctx.addIssue({ code: z.ZodIssueCode.custom, path: where.split('.'), message: `repeats the course at ${earlier}: a pathway may not loop back to a course (cycle)` });
          else seen.set(id, where);
        });
      }
    });
  });

export type ValidPathway = z.infer<typeof pathwaySchema>;
