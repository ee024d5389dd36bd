import { credentialReinstatedEvent, credentialSuspendedEvent, type Database, type Viewer } from '@tauliah/core';
import { signJwt, StatusValue } from '@tauliah/credentials-vc';
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { CredentialsConfig } from '../config.ts';
import { awardConstituent, credential, credentialRecord, type tables } from '../db/schema.ts';
import { chosenVisibility } from '../events/learner-standing.ts';
import { countable, type ProgressBasis } from '../graph/progress/access.ts';
import { PROGRESS_COLUMNS } from '../graph/progress/loaders.ts';
import { computeProgress, countingCredentials } from '../graph/progress/rules.ts';
import { announceIssued, announceStatusChange } from '../issuance/announce.ts';
import { subjectIdOf } from '../signing/documents.ts';
import { signingKeyOf } from '../signing/issuers.ts';
import { allocateStatusSlots, writeStatus } from '../signing/status-lists.ts';
import { exitAwardDocument, type Constituent } from './document.ts';
import { keptPathways, providersGrantedCredentials, type KeptPathway } from './pathways.ts';

type Db = Database<typeof tables>;

/** What one settling changed, by credential id; and the awards due that could not be issued yet, with why. */
export interface Settled {
  issued: string[];
  suspended: string[];
  reinstated: string[];
  waiting: Array<{ pathwayId: string; stagePosition: number; reason: string }>;
}

/**
 * A pathway's provider as the reader of its awards' basis: exactly what a
 * partner system acting for it could read (policy.ts maySeeCredential).
 */
const readerFor = (providerId: string): Viewer => ({ kind: 'principal', role: 'PARTNER', subject: `provider:${providerId}`, providerId });

const HELD = {
  ...PROGRESS_COLUMNS,
  title: credential.title,
  awardPathwayId: credential.awardPathwayId,
  awardStagePosition: credential.awardStagePosition,
  awardIncompleteSince: credential.awardIncompleteSince,
  statusListId: credential.statusListId,
  statusIndex: credential.statusIndex,
  /** The id its signed document names it by (null for a record from before signing). */
  documentId: sql<string | null>`${credential.document}->>'id'`,
};

type Held = Awaited<ReturnType<typeof heldBy>>[number];
const heldBy = (tx: Pick<Db, 'select'>, learnerId: string) => tx.select(HELD).from(credential).where(eq(credential.holderId, learnerId));

const distinct = <T>(values: T[]) => [...new Set(values)];

/**
 * Settles a learner's exit awards: for every pathway crediting their courses
 * (or that they hold an award of), computes its stages exactly as
 * Pathway.progress does (rules.ts), from the credentials the pathway's
 * provider may read of them — those it issued, those the learner made PUBLIC,
 * and every one while the learner grants it CREDENTIALS — never anything
 * else, since the award tells its issuer that the stage is complete. Then, in
 * one transaction:
 * - an exit award reached (its stage and every stage before it complete) and
 *   not yet held is issued by the pathway's provider, signed with its issuer
 *   key, naming the micro-credentials that earned it as evidence; once per
 *   learner, pathway and stage (credential_one_award_idx), and the learner's
 *   settlings take turns (an advisory lock), so racing events issue it once;
 * - an ACTIVE award no longer reached is SUSPENDED (its status list bit, and a
 *   credential.suspended event the provider hears by webhook);
 * - an award this suspended is reinstated once reached again. One its issuer
 *   suspended or revoked by hand stays as the issuer left it.
 * A provider that is suspended, or has never issued (no issuer key), issues
 * and reinstates nothing: the award waits for the learner's next settling
 * after it is reinstated (or first issues). Awards never count towards a
 * stage (they have no course). Idempotent: settling again changes nothing.
 */
export async function settleAwards(db: Db, config: CredentialsConfig, learnerId: string): Promise<Settled> {
  const settled: Settled = { issued: [], suspended: [], reinstated: [], waiting: [] };
  // Read outside the transaction (an embedded database has one connection): the signing keys of the providers concerned.
  const before = await db.select({ courseId: credential.courseId, awardPathwayId: credential.awardPathwayId }).from(credential).where(eq(credential.holderId, learnerId));
  const candidates = await keptPathways(db, coursesOf(before), awardPathwaysOf(before));
  if (candidates.length === 0) return settled;
  const signers = new Map<string, Awaited<ReturnType<typeof signingKeyOf>>>();
  for (const providerId of distinct(candidates.map((p) => p.copy.providerId))) signers.set(providerId, await signingKeyOf(db, config, providerId));
  const visibility = (await chosenVisibility(db, [learnerId])).get(learnerId) ?? 'PRIVATE';

  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`awards:${learnerId}`}, 0))`);
    const held = await heldBy(tx, learnerId);
    const pathways = await keptPathways(tx, coursesOf(held), awardPathwaysOf(held));
    const consenting = await providersGrantedCredentials(tx, learnerId);
    const earnedOn = held.filter((c) => c.courseId !== null);
    const now = new Date();

    for (const pathway of pathways) {
      const providerId = pathway.copy.providerId;
      const basis: ProgressBasis = consenting.has(providerId) ? 'EVERY_CREDENTIAL' : 'READABLE_CREDENTIALS';
      const counted = countable(readerFor(providerId), basis, earnedOn);
      const progress = computeProgress(pathway.definition, learnerId, counted, now);
      const reached = new Set(progress.exitAwards.map((a) => a.stagePosition));
      const awards = new Map(held.filter((c) => c.awardPathwayId === pathway.copy.pathwayId).map((c) => [c.awardStagePosition!, c]));
      const signer = signers.get(providerId);
      const issuing = !signer ? 'the provider has no issuer key yet (it has issued nothing)' : !signer.row.inGoodStanding ? 'the provider is suspended' : null;

      for (const [position, award] of awards) {
        if (award.status === 'ACTIVE' && !reached.has(position)) {
          const reason = `Stage ${position} of the ${pathway.copy.code} pathway is no longer complete; reinstated when it is complete again.`;
          if (await changeAwardStatus(tx, award, 'SUSPENDED', reason, now)) settled.suspended.push(award.id);
        } else if (award.status === 'SUSPENDED' && award.awardIncompleteSince !== null && reached.has(position)) {
          if (issuing) settled.waiting.push({ pathwayId: pathway.copy.pathwayId, stagePosition: position, reason: issuing });
          else if (await changeAwardStatus(tx, award, 'ACTIVE', null, now)) settled.reinstated.push(award.id);
        }
      }

      const due = [...reached].filter((position) => !awards.has(position));
      if (due.length === 0) continue;
      if (issuing || !signer) {
        for (const position of due) settled.waiting.push({ pathwayId: pathway.copy.pathwayId, stagePosition: position, reason: issuing ?? 'no issuer' });
        continue;
      }
      const counting = countingCredentials(counted, now);
      const { listId, indexes } = await allocateStatusSlots(tx, providerId, due.length);
      const rows = await Promise.all(
        due.map(async (position, n) => {
          const id = randomUUID();
          const constituents = constituentsOf(pathway, progress.earned, counting, position);
          const stage = pathway.copy.stages.find((s) => s.position === position)!;
          const document = exitAwardDocument({
            id,
            issuer: signer.row,
            learnerId,
            pathway: pathway.copy,
            stagePosition: position,
            constituents: constituents.map((c): Constituent => ({ documentId: c.documentId ?? `urn:uuid:${c.id}`, title: c.title })),
            validFrom: now,
            status: { listId, index: indexes[n]! },
          });
          return {
            row: {
              id,
              holderId: learnerId,
              courseId: null,
              awardPathwayId: pathway.copy.pathwayId,
              awardStagePosition: position,
              issuerId: providerId,
              title: stage.exitAward,
              credits: null,
              mqfLevel: null,
              issuedAt: now,
              expiresAt: null,
              visibility: leastVisible([visibility, ...constituents.map((c) => c.visibility)]),
              subjectId: subjectIdOf(learnerId),
              statusListId: listId,
              statusIndex: indexes[n]!,
              document,
              documentJwt: await signJwt(document, signer.key),
            },
            constituents,
          };
        }),
      );
      const inserted = await tx
        .insert(credential)
        .values(rows.map((r) => r.row))
        .onConflictDoNothing({ target: [credential.holderId, credential.awardPathwayId, credential.awardStagePosition], where: isNotNull(credential.awardPathwayId) })
        .returning(credentialRecord);
      if (inserted.length === 0) continue;
      const stored = new Set(inserted.map((r) => r.id));
      const evidence = rows.filter((r) => stored.has(r.row.id)).flatMap((r) => r.constituents.map((c, position) => ({ awardId: r.row.id, credentialId: c.id, position })));
      if (evidence.length > 0) await tx.insert(awardConstituent).values(evidence);
      await announceIssued(tx, inserted);
      settled.issued.push(...inserted.map((r) => r.id));
    }
  });
  return settled;
}

const OPENNESS = ['PRIVATE', 'EMPLOYERS', 'PUBLIC'] as const;
/**
 * An award names its micro-credentials in its signed document, so it is first
 * shown no wider than the least visible of them (and the learner's default):
 * making it wider is the learner's own act.
 */
const leastVisible = (visibilities: Array<(typeof OPENNESS)[number]>) => OPENNESS[Math.min(...visibilities.map((v) => OPENNESS.indexOf(v)))]!;

const coursesOf = (held: Array<{ courseId: string | null }>) => distinct(held.flatMap((c) => (c.courseId ? [c.courseId] : [])));
const awardPathwaysOf = (held: Array<{ awardPathwayId: string | null }>) => distinct(held.flatMap((c) => (c.awardPathwayId ? [c.awardPathwayId] : [])));

/**
 * The micro-credentials that earned a stage's exit award: the credential
 * counting for each course of that stage and every stage before it (the one
 * held, or the one of the recognised course it was earned through), in the
 * pathway's order, each once.
 */
function constituentsOf(pathway: KeptPathway, earned: Array<{ courseId: string; recognisedCourseId: string | null }>, counting: Map<string, Held>, position: number): Held[] {
  const through = new Map(earned.map((e) => [e.courseId, e.recognisedCourseId ?? e.courseId]));
  const found = new Map<string, Held>();
  for (const stage of [...pathway.copy.stages].sort((a, b) => a.position - b.position)) {
    if (stage.position > position) break;
    for (const courseId of [...stage.requiredCourseIds, ...stage.electiveCourseIds]) {
      const heldCourse = through.get(courseId);
      const c = heldCourse ? counting.get(heldCourse) : undefined;
      if (c) found.set(c.id, c);
    }
  }
  return [...found.values()];
}

/** Suspends an award whose stage stopped being complete, or reinstates one this suspended: row, status list bit and event together. */
async function changeAwardStatus(
  tx: Parameters<Parameters<Db['transaction']>[0]>[0],
  award: Held,
  to: 'ACTIVE' | 'SUSPENDED',
  reason: string | null,
  now: Date,
): Promise<boolean> {
  const [changed] = await tx
    .update(credential)
    .set({ status: to, statusReason: reason, awardIncompleteSince: to === 'SUSPENDED' ? now : null, updatedAt: sql`now()` })
    .where(and(eq(credential.id, award.id), eq(credential.status, to === 'SUSPENDED' ? 'ACTIVE' : 'SUSPENDED')))
    .returning(credentialRecord);
  if (!changed) return false;
  if (changed.statusListId !== null && changed.statusIndex !== null) {
    await writeStatus(tx, changed.statusListId, changed.statusIndex, to === 'SUSPENDED' ? StatusValue.SUSPENDED : StatusValue.VALID);
  }
  await announceStatusChange(tx, to === 'SUSPENDED' ? credentialSuspendedEvent : credentialReinstatedEvent, changed);
  return true;
}
