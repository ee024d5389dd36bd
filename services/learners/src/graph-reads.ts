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
