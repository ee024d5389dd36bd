import { rules } from '@tauliah/core';
import { Field, InputType, ObjectType } from 'type-graphql';
import { z } from 'zod';
import type { TalentHeadlineRow } from '../db/schema.ts';
import { plainText } from './plain-text.ts';

export const MAX_HEADLINE_CHARACTERS = 140;
export const MAX_HEADLINE_SKILLS = 10;

@ObjectType({
  description:
    "How a learner who opted in to being found introduces themselves to employers in talent search, in their own words. The skills are the learner's choice of what to show, not proof: talent search's matchedSkills and credentials are the proof, and show only what employers may see anyway.",
})
export class TalentHeadline {
  @Field(() => String, { description: `Plain text, one line, at most ${MAX_HEADLINE_CHARACTERS} characters.` })
  text!: string;

  @Field(() => String, { nullable: true, description: 'A Malaysian state or federal territory the learner chose to show (where they want to work, say), or null. Not their state of residence on record.' })
  region!: string | null;

  @Field(() => [String], { description: `Skill codes the learner chose to show, at most ${MAX_HEADLINE_SKILLS}, in their order.` })
  skills!: string[];

  @Field(() => Date)
  updatedAt!: Date;
}

export const toTalentHeadline = (row: TalentHeadlineRow): TalentHeadline => ({ text: row.text, region: row.region, skills: row.skills, updatedAt: row.updatedAt });

@InputType({ description: 'Your talent headline: setting it opts you in to being found with it by employers.' })
export class TalentHeadlineInput {
  @Field(() => String, { description: `Plain text, one line, at most ${MAX_HEADLINE_CHARACTERS} characters, e.g. "Junior full-stack developer, Python and React, open to work in the Klang Valley".` })
  text!: string;

  @Field(() => String, { nullable: true, description: 'A Malaysian state or federal territory to show (Selangor, Kuala Lumpur...), or null for none.' })
  region?: string | null;

  @Field(() => [String], { nullable: true, description: `Skill codes to show (PROG-FUND, WEB-FRONTEND...), at most ${MAX_HEADLINE_SKILLS}; none by default.` })
  skills?: string[] | null;
}

/** A skill code as the taxonomy writes them (providers' rule): upper case, letters, digits and hyphens. */
export const skillCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9-]{0,39}$/u, 'must be a skill code such as PROG-FUND');

export const talentHeadlineSchema = z.object({
  text: plainText(MAX_HEADLINE_CHARACTERS, { multiline: false }),
  region: rules.malaysianState.nullish().transform((region) => region ?? null),
  skills: z
    .array(skillCode)
    .max(MAX_HEADLINE_SKILLS, `may name at most ${MAX_HEADLINE_SKILLS} skills`)
    .nullish()
    .transform((skills) => [...new Set(skills ?? [])]),
});
