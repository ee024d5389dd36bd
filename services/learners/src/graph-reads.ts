import { readEach } from '@tauliah/core';

/*
 * Every read learners makes of other services' data, through the graph as
 * the viewer (see docs/architecture.md): loaded per request in loaders.ts.
 */

export interface JobRoleFacts {
  id: string;
  published: boolean;
  employer: { id: string };
}

/**
 * The job role a contact request is about, as the asking employer sees it
 * (its own drafts included; absent: unknown, or a draft of another employer).
 * Read so a request names one of the employer's published roles, which the
 * learner it is sent to can read.
 */
export const JOB_ROLES = readEach<JobRoleFacts>({
  what: 'the job role to ask about',
  field: 'jobRole',
  argument: 'id',
  argumentType: 'ID!',
  selection: 'id published employer { id }',
  maxBatchSize: 30,
});

export interface SkillFacts {
  code: string;
  retiredAt: string | null;
  successor: { code: string } | null;
}

/**
 * Skills of the taxonomy (providers) by code, retired ones too (absent:
 * unknown): a learner's interests name skills in use.
 */
export const SKILLS = readEach<SkillFacts>({
  what: 'the skills of the taxonomy',
  field: 'skill',
  argument: 'code',
  argumentType: 'String!',
  selection: 'code retiredAt successor { code }',
  valid: (code) => /^[A-Z0-9][A-Z0-9-]{0,39}$/u.test(code),
  maxBatchSize: 30,
});

/** What a learner's recommendations are made of, in one document (guidance/facts.ts). */
export { readGuidanceFacts } from './guidance/facts.ts';
