import { pageSize, rowLoader, rowsLoader, type Database, type LoaderContext, anyUuid } from '@tauliah/core';
import DataLoader from 'dataloader';
import { and, asc, eq, inArray, isNull, type SQL } from 'drizzle-orm';
import { coursePagesByGroup, decodeCourseCursor, type CoursePageRequest, type GroupedCoursePage } from './catalogue/search.ts';
import { course, courseSkill, creditRecognition, organisationApplication, pathway, pathwayStage, provider, skill, stageCourse, type tables } from './db/schema.ts';
import { toCourseConnection, type CourseConnection } from './graph/course.ts';
import { listableCourses } from './policy.ts';
import { providerStaffAccounts } from './staff/accounts.ts';

export function createLoaders({ db, viewer }: LoaderContext<typeof tables>) {
  return {
    /** Each provider's staff accounts, a page at a time (core's staff-accounts.ts). */
    ...providerStaffAccounts.loaders(db),
    provider: rowLoader((ids: readonly string[]) => db.select().from(provider).where(anyUuid(provider.id, ids)), (row) => row.id),
    course: rowLoader((ids: readonly string[]) => db.select().from(course).where(anyUuid(course.id, ids)), (row) => row.id),
    skill: rowLoader((codes: readonly string[]) => db.select().from(skill).where(inArray(skill.code, [...codes])), (row) => row.code),
    pathway: rowLoader((ids: readonly string[]) => db.select().from(pathway).where(anyUuid(pathway.id, ids)), (row) => row.id),
    organisationApplication: rowLoader(
      (ids: readonly string[]) => db.select().from(organisationApplication).where(anyUuid(organisationApplication.id, ids)),
      (row) => row.id,
    ),
    /** Each course's skills in the provider's order. */
    skillsOfCourse: rowsLoader(
      (courseIds: readonly string[]) =>
        db
          .select({ courseId: courseSkill.courseId, skill })
          .from(courseSkill)
          .innerJoin(skill, eq(skill.code, courseSkill.skillCode))
          .where(anyUuid(courseSkill.courseId, courseIds))
          .orderBy(asc(courseSkill.position)),
      (row) => row.courseId,
    ),
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
    coursesOfProvider: coursePages(db, 'provider', listableCourses(viewer)),
    /** Courses one can enrol in to learn a skill. */
    coursesOfSkill: coursePages(db, 'skill', eq(course.status, 'PUBLISHED')),
  };
}

/**
 * Pages of courses per group (provider or skill), batched per distinct page
 * request, so `providers { courses(first: 5) }` costs two statements however
 * many providers there are. Validates `first` and `after` like the catalogue.
 */
function coursePages(db: Database<typeof tables>, group: 'provider' | 'skill', visible: SQL) {
  const loaders = new Map<string, DataLoader<string, GroupedCoursePage>>();
  const loaderFor = (page: CoursePageRequest) => {
    const id = JSON.stringify([page.limit, page.after]);
    let loader = loaders.get(id);
    if (!loader) {
      loader = new DataLoader(async (keys: readonly string[]) => {
        const pages = await coursePagesByGroup(db, group, keys, visible, page);
        return keys.map((key) => pages.get(key)!);
      });
      loaders.set(id, loader);
    }
    return loader;
  };
  return async (key: string, first: number | null, after: string | null): Promise<CourseConnection> => {
    const limit = pageSize(first);
    const page = await loaderFor({ limit, after: decodeCourseCursor(after) }).load(key);
    return toCourseConnection(page.rows, limit, page.total);
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
