import { anyUuid, builtOnceByKeys, graphLoader, rowLoader, rowsLoader, type Database, type LoaderContext } from '@tauliah/core';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { VISIBLE_COURSES } from './graph-reads.ts';
import { courseEndorsement, employer, employment, jobRole, jobRoleSkill, type tables } from './db/schema.ts';
import { countingEmploymentsIn, eligibilityEmployers } from './employment/eligibility.ts';
import { employmentListLoaders } from './employment/listing.ts';
import { employerStaffAccounts } from './staff/accounts.ts';

type Db = Database<typeof tables>;

/** The skills each job role requires, under every job-roles answer: built once. */
const skillsOfJobRoles = builtOnceByKeys(jobRoleSkill.jobRoleId, 'uuid', (db: Db, byIds, shape) =>
  db.select().from(jobRoleSkill).where(byIds).orderBy(asc(jobRoleSkill.skillCode)).prepare(`skills_of_job_roles_${shape}`),
);

export function createLoaders({ db, viewer, graph }: LoaderContext<typeof tables>) {
  const employerById = rowLoader((ids: readonly string[]) => db.select().from(employer).where(anyUuid(employer.id, ids)), (row) => row.id);
  return {
    /** Courses as the viewer sees them in the catalogue (graph read, graph-reads.ts). */
    visibleCourse: graphLoader(graph, VISIBLE_COURSES),
    /** Each employer's staff accounts, a page at a time (core's staff-accounts.ts). */
    ...employerStaffAccounts.loaders(db),
    /** Each employer's employment records, a page at a time (Employer.employment). */
    ...employmentListLoaders(db),
    employer: employerById,
    /** Employers by SSM number (employer_registration_number_key). */
    employerByRegistrationNumber: rowLoader(
      (numbers: readonly string[]) => db.select().from(employer).where(inArray(employer.registrationNumber, [...numbers])),
      (row) => row.registrationNumber,
    ),
    /** Employers with at least one published job role: the only ones the public may see. Signed-in viewers never need it. */
    publishedEmployer: rowLoader(
      async (ids: readonly string[]) =>
        viewer.kind === 'principal'
          ? []
          : db
              .selectDistinct({ employerId: jobRole.employerId })
              .from(jobRole)
              .where(and(eq(jobRole.published, true), anyUuid(jobRole.employerId, ids))),
      (row) => row.employerId,
    ),
    jobRole: rowLoader((ids: readonly string[]) => db.select().from(jobRole).where(anyUuid(jobRole.id, ids)), (row) => row.id),
    /** Every job role of each employer, drafts included; callers filter by what the viewer may see. */
    jobRolesOfEmployer: rowsLoader(
      (ids: readonly string[]) =>
        db.select().from(jobRole).where(anyUuid(jobRole.employerId, ids)).orderBy(asc(jobRole.title), asc(jobRole.id)),
      (row) => row.employerId,
    ),
    requiredSkills: rowsLoader((ids: readonly string[]) => skillsOfJobRoles(db, ids), (row) => row.jobRoleId),
    /** Each course's endorsements, latest first: one statement for every course of a response. */
    endorsementsOfCourse: rowsLoader(
      (ids: readonly string[]) =>
        db
          .select()
          .from(courseEndorsement)
          .where(anyUuid(courseEndorsement.courseId, ids))
          .orderBy(asc(courseEndorsement.courseId), desc(courseEndorsement.createdAt), asc(courseEndorsement.employerId)),
      (row) => row.courseId,
    ),
    /** Each learner's employment records, latest first. */
    employmentOfLearner: rowsLoader(
      (ids: readonly string[]) =>
        db
          .select()
          .from(employment)
          .where(anyUuid(employment.learnerId, ids))
          .orderBy(desc(employment.since), asc(employment.id)),
      (row) => row.learnerId,
    ),
    /** Each learner's current employer for funding eligibility, a whole batch at a time (employment/eligibility.ts). */
    eligibilityEmployer: eligibilityEmployers({
      countingEmployments: countingEmploymentsIn(db),
      employers: (ids) => employerById.loadMany(ids),
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
