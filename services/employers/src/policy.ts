import { actingEmployerId, Forbidden, isRole, NotFound, type Viewer } from '@tauliah/core';
import type { EmploymentRow, JobRoleRow } from './db/schema.ts';

/**
 * Who may see what of an employer and its people:
 * - the public sees an employer's business facts only behind a published job role;
 *   anyone signed in sees them for every employer;
 * - the SSM number and headcount are for the employer's own staff, funders
 *   (levy and grant checks) and administrators;
 * - draft job roles are for the employer's own staff and administrators;
 * - employment records are personal data (PDPA): the learner, the employer
 *   that recorded them, and administrators; the employer records and ends
 *   them, the learner confirms, declines and ends them, and to anyone else a
 *   record does not exist (NOT_FOUND, exactly like an unknown id);
 * - staff accounts are for the employer's own staff and administrators; only
 *   its ADMIN staff accounts and platform administrators change them (the
 *   rules every organisation's accounts share, @tauliah/core staff-accounts.ts).
 *
 * A token acting for an employer only gets this far while its subject is a
 * staff account there (checked when the request's context is built, see
 * @tauliah/core staff-gate.ts), so acting for it is being its staff.
 */
export const isStaffOf = (viewer: Viewer, employerId: string) => actingEmployerId(viewer) === employerId;

/** The employer's internal records (its draft job roles): its own staff and administrators. */
export const isStaffOrAdmin = (viewer: Viewer, employerId: string) => isStaffOf(viewer, employerId) || isRole(viewer, 'ADMIN');

export const seesEmployerProfile = (viewer: Viewer, hasPublishedJobRole: boolean) =>
  viewer.kind === 'principal' || hasPublishedJobRole;

export const seesEmployerPrivateFacts = (viewer: Viewer, employerId: string) =>
  isStaffOf(viewer, employerId) || isRole(viewer, 'FUNDER', 'ADMIN');

export const seesJobRole = (viewer: Viewer, role: JobRoleRow) => role.published || isStaffOrAdmin(viewer, role.employerId);

/** A draft is NOT_FOUND to outsiders, exactly like an id that does not exist: its existence is not public either. */
export function visibleJobRole(viewer: Viewer, role: JobRoleRow | null, id: string): JobRoleRow {
  if (!role || !seesJobRole(viewer, role)) throw new NotFound('JobRole', id);
  return role;
}

/**
 * The employment records of one learner this viewer may read: all of them for
 * the learner and administrators, only its own for an employer. Anyone else,
 * and an employer that never employed the learner, is refused.
 */
export function visibleEmployment(viewer: Viewer, learnerId: string, records: EmploymentRow[]): EmploymentRow[] {
  if ((isRole(viewer, 'LEARNER') && viewer.subject === learnerId) || isRole(viewer, 'ADMIN')) return records;
  const employerId = actingEmployerId(viewer);
  const own = employerId ? records.filter((r) => r.employerId === employerId) : [];
  if (own.length === 0) {
    throw new Forbidden("Only the learner, an employer that employs or employed them, and administrators may read a learner's employment.");
  }
  return own;
}

/** The learner a record names: a LEARNER token whose subject is their id. */
export const isLearnerOf = (viewer: Viewer, record: Pick<EmploymentRow, 'learnerId'>) => isRole(viewer, 'LEARNER') && viewer.subject === record.learnerId;

/** A record the learner it names confirms or declines; to anyone else it does not exist. */
export function answerableEmployment(viewer: Viewer, record: EmploymentRow | null | undefined, id: string): EmploymentRow {
  if (!record || !isLearnerOf(viewer, record)) throw new NotFound('Employment', id);
  return record;
}

/** A record its employer (staff or partner system) or the learner it names may end; to anyone else it does not exist. */
export function endableEmployment(viewer: Viewer, record: EmploymentRow | null | undefined, id: string): EmploymentRow {
  if (!record || !(isLearnerOf(viewer, record) || isStaffOf(viewer, record.employerId))) throw new NotFound('Employment', id);
  return record;
}

/** Job roles, course endorsements and employment records are written by the employer's own staff, or a partner system acting for it. */
export function employerActingFor(viewer: Viewer): string {
  const employerId = actingEmployerId(viewer);
  if (!employerId) throw new Forbidden("Only an employer's staff, or a partner system acting for an employer, may do this.");
  return employerId;
}
