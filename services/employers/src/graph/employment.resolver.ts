import { todayInMalaysia } from '@tauliah/core';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import type { EmploymentRow } from '../db/schema.ts';
import { countingRecord } from '../employment/records.ts';
import { visibleEmployment } from '../policy.ts';
import { Employer, employerBehind } from './employer.ts';
import { Employment, Learner, toEmployment } from './employment.ts';

@Resolver(() => Learner)
export class LearnerEmploymentResolver {
  @FieldResolver(() => [Employment], {
    nullable: true,
    description:
      "The learner's employment records, latest first, with the learner's answer to each (status). Only the learner, the employer concerned (its own records) and administrators may read it.",
  })
  async employment(@Root() learner: Learner, @Ctx() { viewer, loaders }: Context): Promise<Employment[]> {
    const today = todayInMalaysia();
    return visibleEmployment(viewer, learner.id, await loaders.employmentOfLearner.load(learner.id)).map((row) => toEmployment(row, today));
  }

  @FieldResolver(() => Employer, {
    nullable: true,
    description:
      'The employer of the employment the learner confirmed and that lasts today (the latest started, during a notice period); null if none. Same visibility as employment.',
  })
  async currentEmployer(@Root() learner: Learner, @Ctx() { viewer, loaders }: Context): Promise<Employer | null> {
    const current = countingRecord(visibleEmployment(viewer, learner.id, await loaders.employmentOfLearner.load(learner.id)));
    return current ? employerBehind(current.employerId, loaders) : null;
  }
}

@Resolver(() => Employment)
export class EmploymentResolver {
  @FieldResolver(() => Employer)
  async employer(@Root() record: EmploymentRow, @Ctx() { loaders }: Context): Promise<Employer> {
    return employerBehind(record.employerId, loaders);
  }

  @FieldResolver(() => Learner, {
    description: 'The learner the record names; the learners service decides which of their details you see. An id that belongs to no one is never confirmed.',
  })
  learner(@Root() record: EmploymentRow): Learner {
    return { id: record.learnerId };
  }
}
