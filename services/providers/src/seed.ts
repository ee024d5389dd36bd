import type { Database } from '@tauliah/core';
import { allCourses, bdse, courseById, credentials, demoId, learnerByKey, pathways, providers, providerStaff, skills } from '@tauliah/demo-data';
import {
  apelMApplication,
  apelMApplicationEvent,
  course,
  courseSkill,
  organisationApplication,
  pathway,
  pathwayStage,
  provider,
  skill,
  staffAccount,
  stageCourse,
  type tables,
} from './db/schema.ts';

const PUBLISHED_AT = new Date('2025-01-06T00:00:00Z');

/**
 * A training provider waiting to join, for an administrator to try deciding
 * (`organisationApplications(status: PENDING)`). Its first administrator
 * applied herself, signed in with a LEARNER token (whose subject is a UUID):
 * once approved, the same subject acts for the provider as PROVIDER_STAFF.
 */
const applicant = demoId('person:nurul-huda-jaafar');

export const pendingApplication = {
  id: demoId('organisation-application:akademi-digital-sabah'),
  kind: 'PROVIDER',
  name: 'Akademi Digital Sabah Sdn Bhd',
  state: 'Sabah',
  website: 'https://ads.example.com.my',
  providerKind: 'TRAINING_PROVIDER',
  mqaRegistration: null,
  hrdCorpTrainingProviderNumber: 'HRDC-TP-305512',
  administratorSubject: applicant,
  administratorName: 'Nurul Huda Jaafar',
  administratorEmail: 'nurul.huda@ads.example.com.my',
  applicantSubject: applicant,
  createdAt: new Date('2025-01-20T02:00:00Z'),
} as const;

/**
 * Grace, who completed every BDSE stage, has applied for APEL.M entry to the
 * Bachelor of Software Engineering, for the ODL's registrar to decide
 * (`pathway(id) { apelMApplications(status: PENDING) }`). Her evidence is her
 * demo credentials on the pathway's courses, as her progress counts them.
 */
export function graceApelMApplication() {
  const grace = learnerByKey('grace');
  const bdseCourseIds = new Set(bdse.stages.flatMap((stage) => [...stage.requiredCourseIds, ...stage.electiveCourseIds]));
  const evidence = credentials
    .filter((c) => c.learnerId === grace.id && bdseCourseIds.has(c.courseId))
    .map((c) => ({ credentialId: c.id, courseId: c.courseId, credits: courseById.get(c.courseId)!.credits!, recognisedCourseId: null }));
  return {
    id: demoId('apel-m-application:grace:BDSE'),
    pathwayId: bdse.id,
    providerId: bdse.providerId,
    learnerId: grace.id,
    targetProgramme: bdse.targetProgramme,
    programmeCredits: bdse.targetProgrammeCredits,
    thresholdPercent: bdse.apelThresholdPercent,
    creditsNeeded: Math.ceil((bdse.apelThresholdPercent * bdse.targetProgrammeCredits) / 100),
    creditsEarned: evidence.reduce((sum, e) => sum + e.credits, 0),
    evidence,
    createdAt: new Date('2026-02-20T01:00:00Z'),
  };
}

/**
 * The demo catalogue: providers in good standing and their staff accounts, the skills taxonomy, every course published,
 * the BDSE and BTEL pathways; one provider's application to join, pending; and one learner's APEL.M application, pending.
 */
export async function seed(db: Database<typeof tables>): Promise<void> {
  await db.insert(provider).values(Object.values(providers).map((p) => ({ ...p, inGoodStanding: true })));
  await db.insert(staffAccount).values(providerStaff.map((s) => ({ ...s, addedAt: new Date(s.addedAt) })));
  await db.insert(skill).values(skills);
  await db.insert(course).values(
    allCourses.map(({ skills: _skills, ...c }) => ({ ...c, status: 'PUBLISHED', publishedAt: PUBLISHED_AT, createdAt: PUBLISHED_AT })),
  );
  await db.insert(courseSkill).values(allCourses.flatMap((c) => c.skills.map((code, position) => ({ courseId: c.id, skillCode: code, position }))));
  await db.insert(pathway).values(pathways.map(({ stages: _stages, ...p }) => p));
  const stages = pathways.flatMap((p) => p.stages.map((stage) => ({ ...stage, pathwayId: p.id })));
  await db.insert(pathwayStage).values(stages.map(({ requiredCourseIds: _r, electiveCourseIds: _e, ...stage }) => stage));
  await db.insert(stageCourse).values(
    stages.flatMap((stage) => [
      ...stage.requiredCourseIds.map((courseId, position) => ({ stageId: stage.id, courseId, kind: 'REQUIRED', position })),
      ...stage.electiveCourseIds.map((courseId, i) => ({ stageId: stage.id, courseId, kind: 'ELECTIVE', position: stage.requiredCourseIds.length + i })),
    ]),
  );
  await db.insert(organisationApplication).values(pendingApplication);
  const grace = graceApelMApplication();
  await db.insert(apelMApplication).values(grace);
  await db.insert(apelMApplicationEvent).values({ applicationId: grace.id, action: 'SUBMITTED', actorSubject: grace.learnerId, actorRole: 'LEARNER', at: grace.createdAt });
}
