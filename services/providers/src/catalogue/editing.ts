import { Forbidden, NotFound, parseInput, rules } from '@tauliah/core';
import { inArray } from 'drizzle-orm';
import type { Context } from '../context.ts';
import { skill, type CourseRow } from '../db/schema.ts';
import type { CourseInput, ValidCourse } from '../graph/course.inputs.ts';
import { assertNoProblems } from '../graph/problems.ts';
import { mayManageCourses } from '../policy.ts';

const courseId = rules.uuid('course id');

/** A course the viewer may manage, or NOT_FOUND (a draft of another provider does not exist for you) / FORBIDDEN. */
export async function managedCourse(id: string, { viewer, loaders }: Pick<Context, 'viewer' | 'loaders'>): Promise<CourseRow> {
  const row = await loaders.course.load(parseInput(courseId, id, 'id'));
  if (!row || (row.status === 'DRAFT' && !mayManageCourses(viewer, row.providerId))) throw new NotFound('Course', id);
  if (!mayManageCourses(viewer, row.providerId)) throw new Forbidden("You may only manage your own provider's courses.");
  return row;
}

/**
 * Every skill a course names is in the taxonomy and in use; each one missing
 * or retired is a problem of its own field, naming the retired skill's
 * successor. A skill the course already teaches (`taught`) may stay on it
 * after its retirement.
 */
export async function assertSkillsExist(codes: string[], { db }: Pick<Context, 'db'>, taught: readonly string[] = []): Promise<void> {
  const rows = await db.select({ code: skill.code, successorCode: skill.successorCode }).from(skill).where(inArray(skill.code, codes));
  const found = new Map(rows.map((s) => [s.code, s.successorCode]));
  const problems = codes.flatMap((code, i) => {
    const field = `input.skillCodes.${i}`;
    if (!found.has(code)) return [{ field, message: `${code} is not a skill in the taxonomy` }];
    const successor = found.get(code);
    if (successor && !taught.includes(code)) return [{ field, message: `${code} is retired in favour of ${successor}: teach ${successor} instead` }];
    return [];
  });
  assertNoProblems(problems);
}

/** The input fields the caller actually gave (GraphQL leaves the others undefined). */
export function definedFields(input: CourseInput): Partial<CourseInput> {
  const { providerId: _ignored, ...rest } = input;
  return Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
}

/** The course's columns from a validated course (its skills are rows of their own). */
export function courseValues(c: ValidCourse) {
  return {
    code: c.code!,
    title: c.title!,
    description: c.description!,
    credits: c.credits ?? null,
    notionalHours: c.notionalHours!,
    mqfLevel: c.mqfLevel ?? null,
    learningOutcomes: c.learningOutcomes!,
    feeSen: c.feeSen!,
    deliveryMode: c.deliveryMode!,
    accreditation: c.accreditation!,
    assessment: c.assessment!,
    validityMonths: c.validityMonths ?? null,
  };
}
