import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import type { EmploymentRow } from '../db/schema.ts';
import { visibleEmployment } from '../policy.ts';
import { Employer, employerBehind } from './employer.ts';
import { Employment, Learner, toEmployment } from './employment.ts';

@Resolver(() => Learner)
export class LearnerEmploymentResolver {
  @FieldResolver(() => [Employment], {
    nullable: true,
    description: "The learner's employment, latest first. Only the learner, the employer concerned (its own records) and administrators may read it.",
  })
  async employment(@Root() learner: Learner, @Ctx() { viewer, loaders }: Context): Promise<Employment[]> {
    return visibleEmployment(viewer, learner.id, await loaders.employmentOfLearner.load(learner.id)).map(toEmployment);
  }

  @FieldResolver(() => Employer, {
    nullable: true,
    description: 'The employer of the confirmed employment that has not ended; null if none. Same visibility as employment.',
  })
  async currentEmployer(@Root() learner: Learner, @Ctx() { viewer, loaders }: Context): Promise<Employer | null> {
    const records = visibleEmployment(viewer, learner.id, await loaders.employmentOfLearner.load(learner.id));
    const current = records.find((r) => r.confirmedByLearner && r.until === null);
    return current ? employerBehind(current.employerId, loaders) : null;
  }
}

@Resolver(() => Employment)
export class EmploymentResolver {
  @FieldResolver(() => Employer)
  async employer(@Root() record: EmploymentRow, @Ctx() { loaders }: Context): Promise<Employer> {
    return employerBehind(record.employerId, loaders);
  }
}
