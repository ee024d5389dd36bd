import type { Database } from '@tauliah/core';
import { courseApprovals, funders, funderStaff, incomeDeclarations, levyAccounts, levyPayments, schemes, unpublishedScheme } from '@tauliah/demo-data';
import { courseApproval, funder, incomeDeclaration, levyAccount, levyEntry, staffAccount, type tables } from './db/schema.ts';
import { insertSchemes } from './schemes/definition.ts';

/**
 * HRD Corp and a B40 aid fund with their officers' staff accounts, their schemes (one a draft; rules validated
 * like any funder's), HRD Corp's course approval queue, the levy accounts of
 * registered employers with HRD Corp's monthly records of their levy (the months before now) and a learner's
 * declared income.
 */
export async function seed(db: Database<typeof tables>): Promise<void> {
  await db.insert(funder).values(Object.values(funders).map((f) => ({ ...f })));
  await db.insert(staffAccount).values(funderStaff.map((s) => ({ ...s, addedAt: new Date(s.addedAt) })));
  await insertSchemes(db, [...Object.values(schemes), unpublishedScheme]);
  await db.insert(courseApproval).values(
    courseApprovals.map((a) => ({ ...a, submittedAt: new Date(a.submittedAt), decidedAt: a.decidedAt ? new Date(a.decidedAt) : null })),
  );
  // The balances are the sums of the payments (demo-data's levyAccounts); the entries are HRD Corp's monthly records.
  await db.insert(levyAccount).values(levyAccounts);
  await db.insert(levyEntry).values(
    levyPayments.map((p) => ({ id: p.id, employerId: p.employerId, kind: 'LEVY_PAID', amountSen: p.amountSen, month: `${p.month}-01`, recordedBy: p.recordedBy, recordedAt: new Date(p.recordedAt) })),
  );
  await db.insert(incomeDeclaration).values(incomeDeclarations.map((d) => ({ ...d, declaredAt: new Date(d.declaredAt) })));
}
