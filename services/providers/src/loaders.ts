import { anyUuid, builtOnceByKeys, pageSize, rowLoader, rowsLoader, totalCountWhen, type Database, type LoaderContext } from '@tauliah/core';
import DataLoader from 'dataloader';
import { and, asc, eq, isNull, type SQL } from 'drizzle-orm';
import { coursePagesByGroup, courseTotalsByGroup, decodeCourseCursor, type CoursePageRequest } from './catalogue/search.ts';
import { course, courseSkill, type CourseRow, creditRecognition, organisationApplication, pathway, pathwayStage, provider, type ProviderRow, skill, stageCourse, type tables } from './db/schema.ts';
import { toCourseConnection, type CoursePage } from './graph/course.ts';
import { listableCourses, publishedCourses } from './policy.ts';
import { providerStaffAccounts } from './staff/accounts.ts';

type Db = Database<typeof tables>;

// The lookups under every catalogue answer (each course's provider and skills, a course or provider by id), built once.
const providersById = builtOnceByKeys(provider.id, 'uuid', (db: Db, byIds, shape) => db.select().from(provider).where(byIds).prepare(`providers_by_id_${shape}`));
const coursesById = builtOnceByKeys(course.id, 'uuid', (db: Db, byIds, shape) => db.select().from(course).where(byIds).prepare(`courses_by_id_${shape}`));
const skillsByCode = builtOnceByKeys(skill.code, 'text', (db: Db, byCodes, shape) => db.select().from(skill).where(byCodes).prepare(`skills_by_code_${shape}`));
const skillsOfCourses = builtOnceByKeys(courseSkill.courseId, 'uuid', (db: Db, byIds, shape) =>
  db
    .select({ courseId: courseSkill.courseId, skill })
    .from(courseSkill)
    .innerJoin(skill, eq(skill.code, courseSkill.skillCode))
    .where(byIds)
    .orderBy(asc(courseSkill.position))
    .prepare(`skills_of_courses_${shape}`),
);

export function createLoaders({ db, viewer }: LoaderContext<typeof tables>) {
  // Also primed by the course pages that read their providers (coursePages).
  const providerLoader = rowLoader((ids: readonly string[]) => providersById(db, ids), (row) => row.id);
  return {
    /** Each provider's staff accounts, a page at a time (core's staff-accounts.ts). */
    ...providerStaffAccounts.loaders(db),
    provider: providerLoader,
    course: rowLoader((ids: readonly string[]) => coursesById(db, ids), (row) => row.id),
    skill: rowLoader((codes: readonly string[]) => skillsByCode(db, codes), (row) => row.code),
    pathway: rowLoader((ids: readonly string[]) => db.select().from(pathway).where(anyUuid(pathway.id, ids)), (row) => row.id),
    organisationApplication: rowLoader(
      (ids: readonly string[]) => db.select().from(organisationApplication).where(anyUuid(organisationApplication.id, ids)),
      (row) => row.id,
    ),
    /** Each course's skills in the provider's order. */
    skillsOfCourse: rowsLoader((courseIds: readonly string[]) => skillsOfCourses(db, courseIds), (row) => row.courseId),
    pathwaysOfProvider: rowsLoader(
      (providerIds: readonly string[]) =>
        db.select().from(pathway).where(anyUuid(pathway.providerId, providerIds)).orderBy(asc(pathway.code)),
      (row) => row.providerId,
    ),
    stagesOfPathway: rowsLoader(
      (pathwayIds: readonly string[]) =>
        db.select().from(pathwayStage).where(anyUuid(pathwayStage.pathwayId, pathwayIds)).orderBy(asc(pathwayStage.position)),
      (row) => row.pathwayId,
    ),
    /** Each stage's courses, required and elective, in the order the pathway lists them. */
    coursesOfStage: rowsLoader(
      (stageIds: readonly string[]) =>
        db
          .select({ stageId: stageCourse.stageId, kind: stageCourse.kind, course })
          .from(stageCourse)
          .innerJoin(course, eq(course.id, stageCourse.courseId))
          .where(anyUuid(stageCourse.stageId, stageIds))
          .orderBy(asc(stageCourse.position)),
      (row) => row.stageId,
    ),
    /** Standing recognitions towards each course. */
    recognitionsOfCourse: rowsLoader(
      (courseIds: readonly string[]) =>
        db
          .select()
          .from(creditRecognition)
          .where(and(anyUuid(creditRecognition.courseId, courseIds), isNull(creditRecognition.withdrawnAt)))
          .orderBy(asc(creditRecognition.approvedAt), asc(creditRecognition.id)),
      (row) => row.courseId,
    ),
    /** Standing recognitions towards each pathway's stage courses. */
    recognitionsOfPathway: rowsLoader(
      (pathwayIds: readonly string[]) =>
        db
          .selectDistinct({ pathwayId: pathwayStage.pathwayId, recognition: creditRecognition })
          .from(creditRecognition)
          .innerJoin(stageCourse, eq(stageCourse.courseId, creditRecognition.courseId))
          .innerJoin(pathwayStage, eq(pathwayStage.id, stageCourse.stageId))
          .where(and(anyUuid(pathwayStage.pathwayId, pathwayIds), isNull(creditRecognition.withdrawnAt)))
          .orderBy(asc(pathwayStage.pathwayId), asc(creditRecognition.approvedAt), asc(creditRecognition.id)),
      (row) => row.pathwayId,
    ),
    /** A provider's own staff page through its drafts too; everyone else through what it published. */
    coursesOfProvider: coursePages(db, 'provider', listableCourses(viewer), providerLoader),
    /** Courses one can enrol in to learn a skill. */
    coursesOfSkill: coursePages(db, 'skill', publishedCourses, providerLoader),
  };
}

/**
 * Pages of courses per group (provider or skill), batched per distinct page
 * request, so `providers { courses(first: 5) }` costs one statement however
 * many providers there are, and one more, beside it, for their totalCounts
 * when selected. When the client reads the courses' providers, the page's
 * statement reads them too and hands them to the provider loader. Validates
 * `first` and `after` like the catalogue.
 */
function coursePages(db: Db, group: 'provider' | 'skill', visible: SQL, providers: DataLoader<string, ProviderRow | null>) {
  const loaders = new Map<string, DataLoader<string, CourseRow[]>>();
  const loaderFor = (page: CoursePageRequest, withProviders: boolean) => {
    const id = JSON.stringify([page.limit, page.after, withProviders]);
    let loader = loaders.get(id);
    if (!loader) {
      loader = new DataLoader(async (keys: readonly string[]) => {
        const found = await coursePagesByGroup(db, group, keys, visible, page, withProviders);
        for (const row of found.providers) providers.prime(row.id, row);
        return keys.map((key) => found.pages.get(key)!);
      });
      loaders.set(id, loader);
    }
    return loader;
  };
  const totals = new DataLoader(async (keys: readonly string[]) => {
    const counted = await courseTotalsByGroup(db, group, keys, visible);
    return keys.map((key) => counted.get(key) ?? 0);
  });
  return async (key: string, first: number | null, after: string | null, read: { total: boolean; providers: boolean }): Promise<CoursePage> => {
    const limit = pageSize(first);
    const page = loaderFor({ limit, after: decodeCourseCursor(after) }, read.providers).load(key);
    // Both loads are asked in the same tick, so each batches across the groups of the request.
    const total = totalCountWhen(read.total, () => totals.load(key));
    return toCourseConnection(await page, limit, total);
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
