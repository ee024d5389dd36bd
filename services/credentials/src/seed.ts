import type { Database } from '@tauliah/core';
import { allCourses, credentials } from '@tauliah/demo-data';
import { credential, credentialSkill, type tables } from './db/schema.ts';

const courseById = new Map(allCourses.map((c) => [c.id, c]));

/** The demo credentials, each with its achievement snapshot taken from the demo course it was earned on. */
export async function seed(db: Database<typeof tables>): Promise<void> {
  const issued = credentials.map((c) => {
    const course = courseById.get(c.courseId);
    if (!course) throw new Error(`demo credential ${c.id} names unknown course ${c.courseId}`);
    return { demo: c, course };
  });
  await db.insert(credential).values(
    issued.map(({ demo, course }) => ({
      id: demo.id,
      holderId: demo.learnerId,
      courseId: demo.courseId,
      issuerId: demo.providerId,
      title: course.title,
      credits: course.credits,
      mqfLevel: course.mqfLevel,
      issuedAt: new Date(demo.issuedAt),
      expiresAt: demo.expiresAt ? new Date(demo.expiresAt) : null,
      status: 'ACTIVE' as const,
      visibility: demo.visibility,
      createdAt: new Date(demo.issuedAt),
      updatedAt: new Date(demo.issuedAt),
    })),
  );
  await db
    .insert(credentialSkill)
    .values(issued.flatMap(({ demo, course }) => course.skills.map((skillCode) => ({ credentialId: demo.id, skillCode }))));
}
