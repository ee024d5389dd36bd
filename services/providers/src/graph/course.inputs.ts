import { rules } from '@tauliah/core';
import { Field, ID, InputType, Int } from 'type-graphql';
import { z } from 'zod';
import { CourseStatus, DeliveryMode } from './course.ts';

@InputType({ description: 'Narrows the course catalogue; every field given must match.' })
export class CourseFilter {
  @Field(() => String, { nullable: true, description: 'Words found in the title, code or description (case-insensitive).' })
  text?: string | null;

  @Field(() => [String], { nullable: true, description: 'Courses teaching any of these skills.' })
  skillCodes?: string[] | null;

  @Field(() => Int, { nullable: true, description: 'Lowest MQF level, 1–8.' })
  mqfLevelMin?: number | null;

  @Field(() => Int, { nullable: true, description: 'Highest MQF level, 1–8.' })
  mqfLevelMax?: number | null;

  @Field(() => ID, { nullable: true })
  providerId?: string | null;

  @Field(() => DeliveryMode, { nullable: true })
  deliveryMode?: DeliveryMode | null;

  @Field(() => Int, { nullable: true, description: 'Lowest fee in sen.' })
  feeMinSen?: number | null;

  @Field(() => Int, { nullable: true, description: 'Highest fee in sen.' })
  feeMaxSen?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Only courses that carry MQA credits (true) or only those that do not (false).' })
  creditBearing?: boolean | null;

  @Field(() => [CourseStatus], {
    nullable: true,
    description: "Defaults to PUBLISHED. Drafts and retired courses are listed only to their provider's staff and partners and to administrators.",
  })
  statuses?: CourseStatus[] | null;
}

const mqfLevel = z.number().int().min(1, 'must be an MQF level from 1 to 8').max(8, 'must be an MQF level from 1 to 8');
export const skillCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9-]{0,39}$/, 'must be a skill code such as PROG-FUND');

export const courseFilterSchema = z
  .object({
    text: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').nullish(),
    skillCodes: z.array(skillCode).min(1, 'must name at least one skill').max(50, 'may name at most 50 skills').nullish(),
    mqfLevelMin: mqfLevel.nullish(),
    mqfLevelMax: mqfLevel.nullish(),
    providerId: rules.uuid('provider id').nullish(),
    deliveryMode: z.nativeEnum(DeliveryMode).nullish(),
    feeMinSen: rules.sen.nullish(),
    feeMaxSen: rules.sen.nullish(),
    creditBearing: z.boolean().nullish(),
    statuses: z.array(z.nativeEnum(CourseStatus)).min(1, 'must name at least one status').nullish(),
  })
  .superRefine((filter, ctx) => {
    if (filter.mqfLevelMin != null && filter.mqfLevelMax != null && filter.mqfLevelMin > filter.mqfLevelMax) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['mqfLevelMin'], message: 'must not be above mqfLevelMax' });
    }
    if (filter.feeMinSen != null && filter.feeMaxSen != null && filter.feeMinSen > filter.feeMaxSen) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['feeMinSen'], message: 'must not be above feeMaxSen' });
    }
  });

export type ValidCourseFilter = z.infer<typeof courseFilterSchema>;
