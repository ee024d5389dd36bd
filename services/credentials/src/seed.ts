import { exitAwardTypeOf, type Database } from '@tauliah/core';
import { signJwt } from '@tauliah/credentials-vc';
import { allCourses, credentials, enrolments, learners, pathways, providers, skills } from '@tauliah/demo-data';
import { stateForTalentSearch } from '@tauliah/learners/residence';
import type { CredentialsConfig } from './config.ts';
import { credential, credentialSkill, learnerEnrolment, learnerResidence, type tables } from './db/schema.ts';
import { openBadgeFor, subjectIdOf } from './signing/documents.ts';
import { ensureIssuers } from './signing/issuers.ts';
import { allocateStatusSlots } from './signing/status-lists.ts';
import { rebuildAllTalentProofs } from './talent/proofs.ts';
import { keepPathway } from './events/pathway-defined.ts';
import { settleAwards } from './awards/settle.ts';

const courseById = new Map(allCourses.map((c) => [c.id, c]));
const skillName = new Map(skills.map((s) => [s.code, s.name]));
/** The student number each provider knows each demo learner by: `<learnerId> <providerId>` → number. */
const studentNumbers = new Map(enrolments.map((e) => [`${e.learnerId} ${e.providerId}`, e.studentNumber]));

/**
 * The demo credentials as real signed credentials: each with its achievement
 * snapshot from the demo course, a status list slot and a VC-JWT signed now
 * (~0.3 ms each); the Data Integrity form is signed on first request, which
 * keeps seeding well under a second. Every demo learner's residence and
 * enrolments (ended ones as ended) are filed as the learners seed leaves them,
 * without events: their state where they share it, else none, at version 0 so
 * any later event replaces it. No learner has chosen a visibility yet (PRIVATE).
 * A credential from a provider the learner is enrolled with carries that
 * enrolment's student number, as its student records system would have issued
 * it; others carry none. Seeding records no events in the outbox: the demo
 * credentials are history, not news, and no partner is told of them. The demo
 * pathways are kept as their providers defined them, and each demo learner's
 * awards settled from them: a learner who completed a stage holds its exit
 * award, as the event of the credential that completed it would have issued.
 */
export async function seed(db: Database<typeof tables>, config: CredentialsConfig): Promise<void> {
  const issued = credentials.map((c) => {
    const course = courseById.get(c.courseId);
    if (!course) throw new Error(`demo credential ${c.id} names unknown course ${c.courseId}`);
    return { demo: c, course };
  });
  const issuing = Object.values(providers).filter((p) => issued.some(({ demo }) => demo.providerId === p.id));
  const issuers = await ensureIssuers(
    db,
    config,
    issuing.map((p) => ({ id: p.id, name: p.name, website: p.website, mqaRegistration: p.mqaRegistration, inGoodStanding: true })),
  );
  await db.transaction(async (tx) => {
    const rows = [];
    for (const provider of issuing) {
      const own = issued.filter(({ demo }) => demo.providerId === provider.id);
      const { row: issuerRow, key } = issuers.get(provider.id)!;
      const { listId, indexes } = await allocateStatusSlots(tx, provider.id, own.length);
      for (const [n, { demo, course }] of own.entries()) {
        const issuedAt = new Date(demo.issuedAt);
        const expiresAt = demo.expiresAt ? new Date(demo.expiresAt) : null;
        const document = openBadgeFor({
          id: demo.id,
          issuer: issuerRow,
          learnerId: demo.learnerId,
          course: { ...course, skills: course.skills.map((code) => ({ code, name: skillName.get(code) ?? code })) },
          validFrom: issuedAt,
          validUntil: expiresAt,
          status: { listId, index: indexes[n]! },
        });
        rows.push({
          id: demo.id,
          holderId: demo.learnerId,
          courseId: demo.courseId,
          issuerId: demo.providerId,
          title: course.title,
          credits: course.credits,
          mqfLevel: course.mqfLevel,
          issuedAt,
          expiresAt,
          status: 'ACTIVE' as const,
          visibility: demo.visibility,
          subjectId: subjectIdOf(demo.learnerId),
          studentNumber: studentNumbers.get(`${demo.learnerId} ${demo.providerId}`) ?? null,
          statusListId: listId,
          statusIndex: indexes[n]!,
          document,
          documentJwt: await signJwt(document, key),
          createdAt: issuedAt,
          updatedAt: issuedAt,
        });
      }
    }
    await tx.insert(learnerResidence).values(learners.map((l) => ({ learnerId: l.id, state: stateForTalentSearch(l), version: 0 })));
    const enrolled = enrolments.map((e) => ({ learnerId: e.learnerId, providerId: e.providerId, endedAt: e.endedAt ? new Date(e.endedAt) : null }));
    if (enrolled.length > 0) await tx.insert(learnerEnrolment).values(enrolled);
    await tx.insert(credential).values(rows);
    await tx.insert(credentialSkill).values(issued.flatMap(({ demo, course }) => course.skills.map((skillCode) => ({ credentialId: demo.id, skillCode }))));
    await rebuildAllTalentProofs(tx);
  });
  // The demo pathways as the providers seed leaves them (no recognitions), at version 0 so any announcement replaces them.
  for (const p of pathways) {
    await keepPathway(
      db,
      {
        pathwayId: p.id,
        providerId: p.providerId,
        code: p.code,
        title: p.title,
        targetProgramme: p.targetProgramme,
        targetProgrammeCredits: p.targetProgrammeCredits,
        apelThresholdPercent: p.apelThresholdPercent,
        stages: p.stages.map((s) => ({
          position: s.position,
          title: s.title,
          exitAward: s.exitAward,
          awardType: exitAwardTypeOf(s.exitAward),
          exitJobRoleTitle: s.exitJobRoleTitle,
          minimumCredits: s.minimumCredits,
          requiredCourseIds: s.requiredCourseIds,
          electiveCourseIds: s.electiveCourseIds,
        })),
        recognitions: [],
      },
      0,
    );
  }
  // The exit awards the demo learners' credentials reach, as settling issues them (announced like any award).
  for (const learner of learners) await settleAwards(db, config, learner.id);
}
