import { Cacheable } from '@tauliah/core';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One step of a pathway: the courses or credits it needs and the award (and job) it leads to.' })
@Cacheable()
@Cacheable()
export class PathwayStage {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: 'Order within the pathway, from 1.' })
  position!: number;

  @Field(() => String)
  title!: string;

  @Field(() => Int, { nullable: true, description: 'Credits needed from the elective courses; null when the required courses are the whole stage.' })
  minimumCredits!: number | null;

  @Field(() => String, { description: 'The professional certificate or diploma awarded on completing the stage.' })
  exitAward!: string;

  @Field(() => String, { nullable: true, description: 'The job a learner may leave for at this stage, if it is an exit point.' })
  exitJobRoleTitle!: string | null;
}

@ObjectType({ description: 'A stackable route from micro-credentials to a formal programme, stage by stage, ending in APEL.M admission.' })
@Directive('@key(fields: "id")')
export class Pathway {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'e.g. "BDSE".' })
  code!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String)
  description!: string;

  @Field(() => String, { description: 'The programme the pathway leads into, e.g. a bachelor degree.' })
  targetProgramme!: string;

  @Field(() => Int, { description: "The target programme's total credits." })
  targetProgrammeCredits!: number;

  @Field(() => Int, {
    description: "APEL.M admits a learner holding at least this percentage of the programme credits through micro-credentials: 50 (MQA's minimum, and the default) to 100.",
  })
  apelThresholdPercent!: number;
}
