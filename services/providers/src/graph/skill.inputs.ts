import { rules } from '@tauliah/core';
import { Field, InputType } from 'type-graphql';
import { z } from 'zod';
import { skillCode } from './course.inputs.ts';
import { SkillFramework } from './skill.ts';

@InputType({ description: 'A new skill of the taxonomy.' })
export class AddSkillInput {
  @Field(() => String, { description: 'Its stable code: capital letters, digits and -, e.g. "DATA-VIZ". Never reused, even once retired.' })
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  description!: string;

  @Field(() => SkillFramework, { nullable: true, description: 'The external framework it refers to; given together with frameworkReference.' })
  framework?: SkillFramework | null;

  @Field(() => String, { nullable: true, description: 'ESCO: the concept URI under http://data.europa.eu/esco/; MASCO: the code, 1 to 6 digits.' })
  frameworkReference?: string | null;
}

@InputType({ description: 'Changes to a skill in use; fields left out keep their value, framework and frameworkReference given as null remove the reference.' })
export class UpdateSkillInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => SkillFramework, { nullable: true })
  framework?: SkillFramework | null;

  @Field(() => String, { nullable: true })
  frameworkReference?: string | null;
}

/** An ESCO concept URI: ESCO publishes its concepts under http://data.europa.eu/esco/. */
function isEscoUri(reference: string): boolean {
  try {
    const url = new URL(reference);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname === 'data.europa.eu' && url.pathname.startsWith('/esco/');
  } catch {
    return false;
  }
}

/** The skill as it will be stored, after merging an update into it: a reference always names its framework, in that framework's form. */
export const skillSchema = z
  .object({
    name: rules.nonEmpty(200),
    description: rules.nonEmpty(2000),
    framework: z.nativeEnum(SkillFramework).nullish(),
    frameworkReference: rules.nonEmpty(500).nullish(),
  })
  .superRefine((s, ctx) => {
    const problem = (path: string, message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
    if (s.framework == null) {
      if (s.frameworkReference != null) problem('framework', 'is required with a frameworkReference');
      return;
    }
    if (s.frameworkReference == null) return problem('frameworkReference', `is required with framework ${s.framework}`);
    if (s.framework === SkillFramework.ESCO && !isEscoUri(s.frameworkReference)) {
      problem('frameworkReference', 'must be an ESCO concept URI, e.g. http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d');
    }
    if (s.framework === SkillFramework.MASCO && !/^\d{1,6}$/.test(s.frameworkReference)) {
      problem('frameworkReference', 'must be a MASCO code: 1 to 6 digits, e.g. 2512');
    }
  });

export const newSkillSchema = z.object({ code: skillCode }).and(skillSchema);

export type ValidSkill = z.infer<typeof skillSchema>;
