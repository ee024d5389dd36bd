import { rules } from '@tauliah/core';
import { Field, ID, InputType } from 'type-graphql';
import { z } from 'zod';

/** States and federal territories, as employers and learners record them. */
export const MALAYSIAN_STATES = [
  'Johor', 'Kedah', 'Kelantan', 'Melaka', 'Negeri Sembilan', 'Pahang', 'Perak', 'Perlis', 'Pulau Pinang',
  'Sabah', 'Sarawak', 'Selangor', 'Terengganu', 'Kuala Lumpur', 'Labuan', 'Putrajaya',
] as const;

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
    state: z.enum(MALAYSIAN_STATES, { errorMap: () => ({ message: `must be one of ${MALAYSIAN_STATES.join(', ')}` }) }).nullish(),
  });

export type JobRoleFilterValues = z.infer<typeof jobRoleFilterSchema>;
