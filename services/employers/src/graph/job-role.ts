import { Cacheable } from '@tauliah/core';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A skill from the taxonomy the providers service owns.' })
@Directive('@key(fields: "code")')
@Cacheable()
export class Skill {
  @Field(() => String)
  code!: string;
}

@ObjectType('RequiredSkill', { description: 'A skill a job role needs, at a level.' })
@Cacheable()
export class RequiredSkill {
  @Field(() => Skill)
  skill!: Skill;

  @Field(() => Int, { description: 'The lowest MQF level (1–8) of a credential proving the skill that the role accepts.' })
  minimumLevel!: number;
}

@ObjectType({ description: 'A position an employer hires for and the skills it needs. Drafts are seen only by the employer and administrators.' })
@Directive('@key(fields: "id")')
@Cacheable()
export class JobRole {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String, { description: 'MASCO (Malaysia Standard Classification of Occupations) code, e.g. "MASCO 2512".' })
  occupationCode!: string;

  @Field(() => String)
  description!: string;

  @Field(() => Boolean, { description: 'Published roles are public; unpublished ones are drafts.' })
  published!: boolean;
}
