import { rules } from '@tauliah/core';
import { Field, ID, InputType, Int } from 'type-graphql';
import { z } from 'zod';
import { Accreditation, CourseStatus, DeliveryMode } from './course.ts';

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

/** MQA: one credit is 40 hours of notional student learning time. */
export const HOURS_PER_CREDIT = 40;

@InputType({ description: 'A course as its provider describes it. On update, fields left out keep their value.' })
export class CourseInput {
  @Field(() => ID, { nullable: true, description: 'The provider publishing it; defaults to the one your token acts for (administrators must give it). Ignored on update.' })
  providerId?: string | null;

  @Field(() => String, { nullable: true, description: "The provider's course code, unique within the provider, e.g. \"SE1101\"." })
  code?: string | null;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Int, { nullable: true, description: 'MQA credits; leave out (null) for a course that is not credit-bearing.' })
  credits?: number | null;

  @Field(() => Int, { nullable: true, description: 'Notional learning hours: credits × 40 for a credit-bearing course.' })
  notionalHours?: number | null;

  @Field(() => Int, { nullable: true, description: 'MQF level 1–8; required for a credit-bearing course.' })
  mqfLevel?: number | null;

  @Field(() => [String], { nullable: true, description: 'What a learner can do after the course; at least one.' })
  learningOutcomes?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Codes of the skills taught, main skill first; at least one, each in the taxonomy.' })
  skillCodes?: string[] | null;

  @Field(() => Int, { nullable: true, description: 'Fee in sen.' })
  feeSen?: number | null;

  @Field(() => DeliveryMode, { nullable: true })
  deliveryMode?: DeliveryMode | null;

  @Field(() => Accreditation, { nullable: true })
  accreditation?: Accreditation | null;

  @Field(() => String, { nullable: true, description: 'How learners are assessed.' })
  assessment?: string | null;

  @Field(() => Int, { nullable: true, description: 'Months a credential stays valid; null when it does not expire.' })
  validityMonths?: number | null;
}

const required = <T extends z.ZodTypeAny>(schema: T) => schema.nullish().refine((v) => v != null, 'is required');

/** A complete course after merging an update into the stored one: the MQA rules hold for the whole course. */
export const courseSchema = z
  .object({
    code: required(z.string().trim().toUpperCase().regex(/^[A-Z0-9][A-Z0-9-]{1,19}$/, 'must be a course code such as SE1101 (letters, digits, -)')),
    title: required(rules.nonEmpty(200)),
    description: required(rules.nonEmpty(2000)),
    credits: z.number().int('must be a whole number').min(1, 'must be at least 1').max(60, 'must be at most 60').nullish(),
    notionalHours: required(z.number().int('must be a whole number of hours').min(1, 'must be at least 1 hour').max(2400, 'must be at most 2,400 hours')),
    mqfLevel: z.number().int().min(1, 'must be an MQF level from 1 to 8').max(8, 'must be an MQF level from 1 to 8').nullish(),
    learningOutcomes: required(z.array(rules.nonEmpty(500)).min(1, 'must list at least one learning outcome').max(30, 'may list at most 30 outcomes')),
    skillCodes: required(z.array(skillCode).min(1, 'must name at least one skill').max(20, 'may name at most 20 skills')),
    feeSen: required(rules.sen),
    deliveryMode: required(z.nativeEnum(DeliveryMode)),
    accreditation: required(z.nativeEnum(Accreditation)),
    assessment: required(rules.nonEmpty(500)),
    validityMonths: z.number().int().min(1, 'must be at least 1 month').max(240, 'must be at most 240 months').nullish(),
  })
  .superRefine((c, ctx) => {
    const problem = (path: string, message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
    if (c.skillCodes && new Set(c.skillCodes).size !== c.skillCodes.length) problem('skillCodes', 'must not name a skill twice');
    if (c.accreditation == null) return;
    const creditBearing = c.accreditation !== Accreditation.NOT_CREDIT_BEARING;
    if (!creditBearing) {
      if (c.credits != null) problem('credits', 'must be left out: a NOT_CREDIT_BEARING course carries no credits');
      return;
    }
    if (c.credits == null) problem('credits', `is required for an ${c.accreditation} course`);
    if (c.mqfLevel == null) problem('mqfLevel', `is required for an ${c.accreditation} course`);
    if (c.credits != null && c.notionalHours != null && c.notionalHours !== c.credits * HOURS_PER_CREDIT) {
      problem('notionalHours', `must be ${c.credits * HOURS_PER_CREDIT} for ${c.credits} credits (1 MQA credit = ${HOURS_PER_CREDIT} hours); got ${c.notionalHours}`);
    }
  });

export type ValidCourse = z.infer<typeof courseSchema>;
