import { Cacheable } from '@tauliah/core';
import { Directive, Field, ObjectType, registerEnumType } from 'type-graphql';
import type { SkillRow } from '../db/schema.ts';

export enum SkillFramework {
  ESCO = 'ESCO',
  MASCO = 'MASCO',
  ONET = 'ONET',
  OTHER = 'OTHER',
}
registerEnumType(SkillFramework, {
  name: 'SkillFramework',
  description: 'An external skills or occupations framework a skill of the taxonomy refers to.',
  valuesConfig: {
    ESCO: { description: 'European Skills, Competences, Qualifications and Occupations: the reference is the concept URI, e.g. http://data.europa.eu/esco/skill/….' },
    MASCO: { description: 'Malaysia Standard Classification of Occupations: the reference is its code, 1 to 6 digits, e.g. 2512.' },
    ONET: { description: 'O*NET (US): the reference is its element or occupation code.' },
    OTHER: { description: 'Any other framework: the reference says which and where.' },
  },
});

@ObjectType({ description: 'A skill in the taxonomy that courses teach, job roles require and credentials attest.' })
@Directive('@key(fields: "code")')
@Cacheable()
export class Skill {
  @Field(() => String, { description: 'Stable code, e.g. "PROG-FUND".' })
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  description!: string;

  @Field(() => SkillFramework, { nullable: true, description: 'The external framework frameworkReference is in, if any.' })
  framework!: SkillFramework | null;

  @Field(() => String, { nullable: true, description: 'Its entry in that framework: an ESCO URI, a MASCO code, ….' })
  frameworkReference!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was retired in favour of its successor; null while in use.' })
  retiredAt!: Date | null;

  /** Resolved to the successor Skill by the resolver. */
  successorCode!: string | null;
}

export const toSkill = (row: SkillRow): Skill => ({ ...row, framework: row.framework as SkillFramework | null });
