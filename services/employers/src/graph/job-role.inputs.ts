import { rules } from '@tauliah/core';
import { Field, ID, InputType, Int } from 'type-graphql';
import { z } from 'zod';

/** States and federal territories, as employers and learners record them. */
@InputType({ description: 'Narrows the published job roles; every given condition must hold.' })
export class JobRoleFilter {
  @Field(() => String, { nullable: true, description: 'Words to find in the title, occupation code or description (English stemming: "engineers" finds "Engineer").' })
  text?: string | null;

  @Field(() => String, { nullable: true, description: 'Only roles that require this skill, e.g. "WEB-BACKEND".' })
  skillCode?: string | null;

  @Field(() => ID, { nullable: true })
  employerId?: string | null;

  @Field(() => String, { nullable: true, description: "The employer's state, e.g. \"Pulau Pinang\"." })
  state?: string | null;
}

/** A skill code as the providers' taxonomy spells it. */
const skillCodeRule = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]+(-[A-Z0-9]+)*$/, 'must be a skill code such as WEB-BACKEND');

export const jobRoleFilterSchema = z
  .object({
    text: rules.nonEmpty(200).nullish(),
    skillCode: skillCodeRule.nullish(),
    employerId: rules.uuid('employer id').nullish(),
    state: rules.malaysianState.nullish(),
  });

export type JobRoleFilterValues = z.infer<typeof jobRoleFilterSchema>;

@InputType({ description: 'A skill a job role needs and the lowest MQF level of a credential proving it.' })
export class RequiredSkillInput {
  @Field(() => String, { description: 'A skill code of the taxonomy, e.g. "WEB-BACKEND".' })
  skillCode!: string;

  @Field(() => Int, { description: 'MQF level 1–8.' })
  minimumLevel!: number;
}

@InputType({ description: 'A job role as its employer writes it. The required skills replace the previous list.' })
export class JobRoleInput {
  @Field(() => String)
  title!: string;

  @Field(() => String, { description: 'MASCO code, e.g. "MASCO 2512".' })
  occupationCode!: string;

  @Field(() => String)
  description!: string;

  @Field(() => [RequiredSkillInput])
  requiredSkills!: RequiredSkillInput[];
}

export const jobRoleInputSchema = z.object({
  title: rules.nonEmpty(200),
  occupationCode: z.string().trim().regex(/^MASCO \d{4}$/, 'must be a MASCO code such as "MASCO 2512"'),
  description: rules.nonEmpty(4000),
  requiredSkills: z
    .array(
      z.object({
        skillCode: skillCodeRule,
        minimumLevel: z.number().int('must be a whole MQF level').min(1, 'must be an MQF level from 1 to 8').max(8, 'must be an MQF level from 1 to 8'),
      }),
    )
    .min(1, 'a job role needs at least one skill')
    .max(50, 'at most 50 skills')
    .refine((skills) => new Set(skills.map((s) => s.skillCode)).size === skills.length, 'must not name a skill twice'),
});

export type JobRoleInputValues = z.infer<typeof jobRoleInputSchema>;
