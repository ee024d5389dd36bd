import { Directive, Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A skill in the taxonomy that courses teach, job roles require and credentials attest.' })
@Directive('@key(fields: "code")')
export class Skill {
  @Field(() => String, { description: 'Stable code, e.g. "PROG-FUND".' })
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  description!: string;
}
