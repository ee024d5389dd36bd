import { rules } from '@tauliah/core';
import { Field, ID, InputType } from 'type-graphql';
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

export const jobRoleFilterSchema = z
  .object({
    text: rules.nonEmpty(200).nullish(),
    skillCode: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9]+(-[A-Z0-9]+)*$/, 'must be a skill code such as WEB-BACKEND')
      .nullish(),
    employerId: rules.uuid('employer id').nullish(),
    state: rules.malaysianState.nullish(),
  });

export type JobRoleFilterValues = z.infer<typeof jobRoleFilterSchema>;
