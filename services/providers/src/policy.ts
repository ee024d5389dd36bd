import { actingProviderId, BadInput, Forbidden, isRole, NotFound, parseInput, requirePrincipal, rules, type Transaction, type Viewer } from '@tauliah/core';
import { eq, or, sql, type SQL } from 'drizzle-orm';
import { course, provider, type CourseRow, type tables } from './db/schema.ts';

/**
 * Who sees which course. The public sees what a provider published; a
 * provider's own staff and partner systems also see its drafts and retired
 * courses; administrators see everything.
 *
 * A token acting for a provider only gets this far while its subject is one
 * of the provider's staff accounts (@tauliah/core staff-gate.ts), so acting
 * for it is being its staff.
 */
export function mayManageCourses(viewer: Viewer, providerId: string): boolean {
  return isRole(viewer, 'ADMIN') || actingProviderId(viewer) === providerId;
}

/**
 * One course asked for by id. A retired course stays readable: pathway stages
 * and credentials issued before retirement still name it.
 */
export function canSeeCourse(viewer: Viewer, row: CourseRow): boolean {
  return row.status !== 'DRAFT' || mayManageCourses(viewer, row.providerId);
}

/** Courses in a list (catalogue, a provider's or a skill's courses): published ones, plus the viewer's own. */
export function listableCourses(viewer: Viewer): SQL {
  if (isRole(viewer, 'ADMIN')) return sql`true`;
  const providerId = actingProviderId(viewer);
  return providerId ? or(publishedCourses, eq(course.providerId, providerId))! : publishedCourses;
}

/** What everyone may list: published courses. One condition, so statements over it can be built once (catalogue/search.ts). */
export const publishedCourses: SQL = eq(course.status, 'PUBLISHED');

/** The provider a new course or pathway belongs to: the one the token acts for, or (administrators only) the one named in the input. */
export function owningProvider(viewer: Viewer, requested: string | null | undefined, what: 'courses' | 'pathways'): string {
  const principal = requirePrincipal(viewer);
  const owner = requested == null ? principal.providerId : parseInput(rules.uuid('provider id'), requested, 'input.providerId');
  if (!owner) throw new BadInput('input.providerId is required: your token acts for no provider.', { field: 'input.providerId' });
  if (!mayManageCourses(viewer, owner)) throw new Forbidden(`You may only manage your own provider's ${what}.`);
  return owner;
}

/** When and why a provider was suspended: for its own staff and partner systems and for administrators. The public sees inGoodStanding. */
export function seesSuspension(viewer: Viewer, providerId: string): boolean {
  return mayManageCourses(viewer, providerId);
}

/**
 * What a suspended provider may not do. A platform administrator suspends a
 * provider on a regulator's finding; what it did in good standing stands:
 * its credentials stay valid, and its published courses stay in the
 * catalogue, with Provider.inGoodStanding false for everyone to see, for the
 * learners part-way through them and the pathways that name them. What it
 * may not do is offer anything new on the strength of the standing it lost:
 * issue credentials (the credentials service refuses), publish a course into
 * the catalogue, or grant credit for another provider's course (a credit
 * recognition counts towards its own awards). It may still edit drafts,
 * retire courses, withdraw recognitions and manage its staff, so it can put
 * things right before it is reinstated.
 *
 * Checked under a share lock on the provider's row, taken in the
 * transaction making the change, so a suspension committing meanwhile waits
 * for it, or it for the suspension.
 */
export async function assertInGoodStanding(tx: Transaction<typeof tables>, providerId: string, doing: string): Promise<void> {
  const [row] = await tx
    .select({ inGoodStanding: provider.inGoodStanding, name: provider.name })
    .from(provider)
    .where(eq(provider.id, providerId))
    .for('share');
  if (!row) throw new NotFound('Provider', providerId);
  if (!row.inGoodStanding) {
    throw new Forbidden(`${row.name} is suspended and may not ${doing} until a platform administrator reinstates it.`);
  }
}
