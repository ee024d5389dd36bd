import type { Database } from '@tauliah/core';
import { courseApprovals, funders, funderStaff, incomeDeclarations, levyAccounts, schemes, unpublishedScheme } from '@tauliah/demo-data';
import { courseApproval, funder, incomeDeclaration, levyAccount, levyEntry, staffAccount, type tables } from './db/schema.ts';
import { insertSchemes } from './schemes/definition.ts';

/**
 * HRD Corp and a B40 aid fund with their officers' staff accounts, their schemes (one a draft; rules validated
 * like any funder's), HRD Corp's course approval queue, the levy accounts of
 * registered employers (opened by a levy payment) and a learner's declared income.
 */
export async function seed(db: Database<typeof tables>): Promise<void> {
  await db.insert(funder).values(Object.values(funders).map((f) => ({ ...f })));
  await db.insert(staffAccount).values(funderStaff.map((s) => ({ ...s, addedAt: new Date(s.addedAt) })));
  await insertSchemes(db, [...Object.values(schemes), unpublishedScheme]);
  await db.insert(courseApproval).values(
    courseApprovals.map((a) => ({ ...a, submittedAt: new Date(a.submittedAt), decidedAt: a.decidedAt ? new Date(a.decidedAt) : null })),
  );
  await db.insert(levyAccount).values(levyAccounts);
  await db.insert(levyEntry).values(levyAccounts.map((a) => ({ employerId: a.employerId, kind: 'LEVY_PAID', amountSen: a.balanceSen })));
  await db.insert(incomeDeclaration).values(incomeDeclarations.map((d) => ({ ...d, declaredAt: new Date(d.declaredAt) })));
}
