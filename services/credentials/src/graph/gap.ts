import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Credential } from './credential.ts';
import { Learner, Skill } from './references.ts';

// Job roles are owned by the employers subgraph. The gap is computed from the
// role's required skills, declared here as @external and @required: the gateway
// fetches them from employers with the viewer's token and hands them over.

/** The selection gapFor needs, without the key. */
export const JOB_ROLE_REQUIRES = 'published employer { id } requiredSkills { skill { code } minimumLevel }';

/** Owned by employers. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Employer {
  @Field(() => ID)
  id!: string;
}

@ObjectType()
export class RequiredSkill {
  @Directive('@external')
  @Field(() => Skill)
  skill!: Skill;

  @Directive('@external')
  @Field(() => Int)
  minimumLevel!: number;
}

@ObjectType()
@Directive('@key(fields: "id")')
export class JobRole {
  @Field(() => ID)
  id!: string;

  @Directive('@external')
  @Field(() => Boolean)
  published!: boolean;

  @Directive('@external')
  @Field(() => Employer)
  employer!: Employer;

  @Directive('@external')
  @Field(() => [RequiredSkill])
  requiredSkills!: RequiredSkill[];
}

@ObjectType({ description: 'A required skill the learner proves, and the credential that proves it.' })
export class HeldJobSkill {
  @Field(() => Skill)
  skill!: Skill;

  @Field(() => Int, { description: 'The MQF level the role asks for.' })
  minimumLevel!: number;

  @Field(() => Int, { description: 'The MQF level of the proving credential.' })
  level!: number;

  @Field(() => Credential, { description: 'The active credential that proves it (the highest level, then the latest).' })
  credential!: Credential;
}

@ObjectType({ description: 'A required skill the learner does not yet prove at the level asked.' })
export class MissingJobSkill {
  @Field(() => Skill, { description: 'Ask `courses` on it (providers) for the courses that teach it.' })
  skill!: Skill;

  @Field(() => Int)
  minimumLevel!: number;

  @Field(() => Int, { nullable: true, description: 'The highest level the learner proves it at, when below the minimum; null if not at all.' })
  heldLevel!: number | null;
}

@ObjectType({ description: "One learner against one job role's required skills." })
export class JobRoleSkillGap {
  @Field(() => Learner)
  learner!: Learner;

  @Field(() => [HeldJobSkill])
  held!: HeldJobSkill[];

  @Field(() => [MissingJobSkill])
  missing!: MissingJobSkill[];

  @Field(() => Boolean, { description: 'True when nothing is missing.' })
  ready!: boolean;
}
