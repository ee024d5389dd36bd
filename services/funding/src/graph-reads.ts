import { readEach, readList } from '@tauliah/core';
import type { CourseFacts } from './eligibility/evaluate.ts';
import type { LearnerFacts } from './graph/entities.ts';

/*
 * Other services' data funding reads at request time for an id it was given
 * as an argument (a `courseId`, a `learnerId`), which `@requires` cannot
 * fetch. Asked of the gateway with the viewer's own token, so each owner's
 * authorisation and the learner's consent apply; loaded per request through
 * loaders.ts, one graph call per batch.
 */

export type FundableCourse = CourseFacts & { provider: { id: string } };

/** A course as the viewer may see it in the catalogue. */
export const FUNDABLE_COURSES = readEach<FundableCourse>({
  what: 'the courses',
  field: 'course',
  argument: 'id',
  argumentType: 'ID!',
  selection: 'id feeSen mqfLevel provider { id }',
});

/** The facts eligibility needs of a learner, as far as the learner released them to the viewer. */
export const LEARNER_FACTS = readList<LearnerFacts>({
  what: 'the learners',
  field: 'learners',
  argument: 'ids',
  argumentType: '[ID!]!',
  selection: 'id eligibilityInputs { dateOfBirth citizenship } consentedScopes eligibilityEmployer { id }',
  keyOf: (learner) => learner.id,
});

/** The employer of a learner's current confirmed employment, as the viewer (an employer sees only its own) may read it. */
export const CURRENT_EMPLOYERS = readEach<{ currentEmployer: { id: string } | null }>({
  what: "the learners' current employers",
  field: 'learner',
  argument: 'id',
  argumentType: 'ID!',
  selection: 'currentEmployer { id }',
});
