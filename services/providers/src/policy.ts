import { actingProviderId, BadInput, Forbidden, isRole, parseInput, requirePrincipal, rules, type Viewer } from '@tauliah/core';
import { eq, or, sql, type SQL } from 'drizzle-orm';
import { course, type CourseRow } from './db/schema.ts';

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
  const published = eq(course.status, 'PUBLISHED');
  return providerId ? or(published, eq(course.providerId, providerId))! : published;
}

/** The provider a new course or pathway belongs to: the one the token acts for, or (administrators only) the one named in the input. */
export function owningProvider(viewer: Viewer, requested: string | null | undefined, what: 'courses' | 'pathways'): string {
  const principal = requirePrincipal(viewer);
  const owner = requested == null ? principal.providerId : parseInput(rules.uuid('provider id'), requested, 'input.providerId');
  if (!owner) throw new BadInput('input.providerId is required: your token acts for no provider.', { field: 'input.providerId' });
  if (!mayManageCourses(viewer, owner)) throw new Forbidden(`You may only manage your own provider's ${what}.`);
  return owner;
}
