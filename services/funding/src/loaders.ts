import { graphLoader, rowLoader, rowsLoader, type LoaderContext, anyUuid } from '@tauliah/core';
import DataLoader from 'dataloader';
import { and, asc, count, desc, eq, inArray, isNull, lt, lte, max, ne, notExists, or, sql } from 'drizzle-orm';
import { CURRENT_EMPLOYERS, FUNDABLE_COURSES, LEARNER_FACTS } from './graph-reads.ts';
import { application, courseApproval, funder, incomeDeclaration, levyAccount, levyEntry, scheme, type LevyEntryRow, type SchemeRow, type tables } from './db/schema.ts';
import type { CourseFacts } from './eligibility/evaluate.ts';
import { funderStaffAccounts } from './staff/accounts.ts';

/** The scheme and course an eligibility question names, as loaded for the viewer. */
export interface EligibilityQuestion {
  scheme: SchemeRow;
  course: CourseFacts | null;
}

/** The key of incomeDeclarations: a learner's declarations to one funder. */
export const incomeKey = (learnerId: string, funderId: string) => `${learnerId}|${funderId}`;

/** Approvals that no later record superseded: the current answer for a scheme and course. */
const current = notExists(sql`(select 1 from funding.course_approval later where later.supersedes_id = ${courseApproval.id})`);

export function createLoaders({ db, graph }: LoaderContext<typeof tables>) {
  return {
    /** Courses named as arguments, from the providers service (graph-reads.ts). */
    course: graphLoader(graph, FUNDABLE_COURSES),
    /** Learners' eligibility facts, from their owners as released to the viewer (graph-reads.ts). */
    learnerFacts: graphLoader(graph, LEARNER_FACTS),
    /** Learners' current employers as the viewer may see them (graph-reads.ts). */
    currentEmployer: graphLoader(graph, CURRENT_EMPLOYERS),
    /** Eligibility questions of this request by scheme and course: validated and loaded once, however many learners ask. */
    eligibilityQuestions: new Map<string, Promise<EligibilityQuestion>>(),
    /** Each funder's staff accounts, a page at a time (core's staff-accounts.ts). */
    ...funderStaffAccounts.loaders(db),
    funder: rowLoader((ids: readonly string[]) => db.select().from(funder).where(anyUuid(funder.id, ids)), (row) => row.id),
    scheme: rowLoader((ids: readonly string[]) => db.select().from(scheme).where(anyUuid(scheme.id, ids)), (row) => row.id),
    /** Every scheme of each funder, drafts included; callers keep what the viewer may see. */
    schemesOfFunder: rowsLoader(
      (ids: readonly string[]) => db.select().from(scheme).where(anyUuid(scheme.funderId, ids)).orderBy(asc(scheme.code)),
      (row) => row.funderId,
    ),
    /** Published schemes, fetched once per request (a few dozen nationally). */
    publishedSchemes: new DataLoader<'published', Array<typeof scheme.$inferSelect>>(async (keys) => {
      const rows = await db.select().from(scheme).where(eq(scheme.published, true)).orderBy(asc(scheme.code));
      return keys.map(() => rows);
    }),
    /** The schemes that currently approve each course. */
    approvingSchemes: rowsLoader(
      (courseIds: readonly string[]) =>
        db
          .select({ courseId: courseApproval.courseId, schemeId: courseApproval.schemeId })
          .from(courseApproval)
          .where(and(anyUuid(courseApproval.courseId, courseIds), eq(courseApproval.status, 'APPROVED'), current)),
      (row) => row.courseId,
    ),
    /** The courses each learner was already funded for (approved applications of any scheme). */
    fundedCourses: rowsLoader(
      (learnerIds: readonly string[]) =>
        db
          .select({ learnerId: application.learnerId, courseId: application.courseId })
          .from(application)
          .where(and(anyUuid(application.learnerId, learnerIds), eq(application.status, 'APPROVED'))),
      (row) => row.learnerId,
    ),
    /**
     * The household income declarations each learner made to each funder (keys from incomeKey), latest first (the
     * first counts), leaving out those made with an application the funder rejected: one query per batch.
     */
    incomeDeclarations: rowsLoader(
      (keys: readonly string[]) => {
        const pairs = keys.map((key) => key.split('|') as [string, string]);
        return db
          .select({
            learnerId: incomeDeclaration.learnerId,
            funderId: incomeDeclaration.funderId,
            monthlyIncomeSen: incomeDeclaration.monthlyIncomeSen,
            declaredAt: incomeDeclaration.declaredAt,
          })
          .from(incomeDeclaration)
          .leftJoin(application, eq(application.id, incomeDeclaration.applicationId))
          .where(
            and(
              anyUuid(incomeDeclaration.learnerId, pairs.map(([learnerId]) => learnerId)),
              anyUuid(incomeDeclaration.funderId, pairs.map(([, funderId]) => funderId)),
              or(isNull(application.id), ne(application.status, 'REJECTED')),
            ),
          )
          .orderBy(desc(incomeDeclaration.declaredAt), desc(incomeDeclaration.id));
      },
      (row) => incomeKey(row.learnerId, row.funderId ?? ''),
    ),
    /** Each learner's applications and claims, oldest first; callers keep what the viewer may see. */
    applicationsOfLearner: rowsLoader(
      (learnerIds: readonly string[]) =>
        db
          .select()
          .from(application)
          .where(anyUuid(application.learnerId, learnerIds))
          .orderBy(asc(application.submittedAt), asc(application.id)),
      (row) => row.learnerId,
    ),
    levyAccount: rowLoader(
      (employerIds: readonly string[]) => db.select().from(levyAccount).where(anyUuid(levyAccount.employerId, employerIds)),
      (row) => row.employerId,
    ),
    /** The latest month HRD Corp recorded each employer's levy for (first day of the month): one statement for a whole eligibility batch. */
    lastLevyPaidMonth: rowLoader(
      (employerIds: readonly string[]) =>
        db
          .select({ employerId: levyEntry.employerId, month: max(levyEntry.month) })
          .from(levyEntry)
          .where(and(anyUuid(levyEntry.employerId, employerIds), eq(levyEntry.kind, 'LEVY_PAID')))
          .groupBy(levyEntry.employerId),
      (row) => row.employerId,
    ),
    /** One page of each employer's levy payments, newest month first, after a month (levy/payments.ts). */
    levyPaymentPage: pagesOf(db),
    levyPaymentCount: rowLoader(
      (employerIds: readonly string[]) =>
        db
          .select({ employerId: levyEntry.employerId, count: count() })
          .from(levyEntry)
          .where(and(anyUuid(levyEntry.employerId, employerIds), eq(levyEntry.kind, 'LEVY_PAID')))
          .groupBy(levyEntry.employerId),
      (row) => row.employerId,
    ),
    /** Funders by registration number (the one an organisation applying to join gave). */
    funderByRegistrationNumber: rowLoader(
      (numbers: readonly string[]) => db.select().from(funder).where(inArray(funder.registrationNumber, [...numbers])),
      (row) => row.registrationNumber ?? '',
    ),
  };
}

/**
 * Pages of levy payments, one loader per page shape (size and cursor): a
 * window function numbers each employer's payments, so a response listing
 * the payments of many employers still costs one statement.
 */
function pagesOf(db: LoaderContext<typeof tables>['db']) {
  const pages = new Map<string, DataLoader<string, LevyEntryRow[]>>();
  return (limit: number, beforeMonth: string | null): DataLoader<string, LevyEntryRow[]> => {
    const shape = JSON.stringify([limit, beforeMonth]);
    let loader = pages.get(shape);
    if (!loader) {
      loader = rowsLoader(
        async (employerIds: readonly string[]) => {
          const numbered = db
            .select({
              id: levyEntry.id,
              employerId: levyEntry.employerId,
              applicationId: levyEntry.applicationId,
              kind: levyEntry.kind,
              amountSen: levyEntry.amountSen,
              month: levyEntry.month,
              recordedBy: levyEntry.recordedBy,
              idempotencyKey: levyEntry.idempotencyKey,
              recordedAt: levyEntry.recordedAt,
              position: sql<number>`row_number() over (partition by ${levyEntry.employerId} order by ${levyEntry.month} desc)`.as('position'),
            })
            .from(levyEntry)
            .where(
              and(
                anyUuid(levyEntry.employerId, employerIds),
                eq(levyEntry.kind, 'LEVY_PAID'),
                beforeMonth === null ? undefined : lt(levyEntry.month, beforeMonth),
              ),
            )
            .as('numbered');
          const rows = await db
            .select()
            .from(numbered)
            .where(lte(numbered.position, limit + 1))
            .orderBy(asc(numbered.employerId), desc(numbered.month));
          return rows.map(({ position: _position, ...row }) => row);
        },
        (row) => row.employerId,
      );
      pages.set(shape, loader);
    }
    return loader;
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
