import { Directive, Field, ID, ObjectType } from 'type-graphql';
import type { EmploymentRow } from '../db/schema.ts';
import { ConsentScope } from './consent-scope.ts';

@ObjectType({ description: 'A learner, owned by the learners service; employers adds their employment.' })
@Directive('@key(fields: "id")')
export class Learner {
  @Field(() => ID)
  id!: string;

  /** Owned by learners: what the learner consented to share with the viewer's organisation; present only where `@requires` asked for it. */
  @Field(() => [ConsentScope], { description: 'Owned by the learners service.' })
  @Directive('@external')
  consentedScopes?: ConsentScope[];
}

@ObjectType({ description: 'A period a learner worked for an employer, as the employer recorded it.' })
export class Employment {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  jobTitle!: string;

  @Field(() => String, { description: 'First day, YYYY-MM-DD.' })
  since!: string;

  @Field(() => String, { nullable: true, description: 'Last day, YYYY-MM-DD; null while it lasts.' })
  until!: string | null;

  @Field(() => Boolean, { description: 'The learner confirmed the record; only confirmed employment counts (for funding, say).' })
  confirmedByLearner!: boolean;

  @Field(() => Boolean, { description: 'True while it lasts (no end date).' })
  current!: boolean;
}

export const toEmployment = (row: EmploymentRow): Employment & EmploymentRow => ({ ...row, current: row.until === null });
