import { Conflict, Forbidden, idempotentWrite, NotFound, type Principal } from '@tauliah/core';
import { and, eq, inArray } from 'drizzle-orm';
import { apelMApplication, apelMApplicationEvent, pathway as pathwayTable, type ApelMApplicationRow, type PathwayRow } from '../db/schema.ts';
import { apelMStanding, type ApelMStanding } from '../graph-reads.ts';
import { assertInGoodStanding } from '../policy.ts';
import type { ApelMContext } from './context.ts';

type Reader = Pick<ApelMContext['db'], 'select'>;

/** The statuses an application is open in: one per learner and pathway (apel_m_application_open_key). */
const OPEN = ['PENDING', 'ADMITTED'];

/**
 * A learner applies for APEL.M entry to a pathway's target programme, for
 * themselves, once per idempotency key (a retry answers the first application).
 *
 * Before anything is written: the pathway's provider is in good standing;
 * the learner has no application pending or admitted on the pathway
 * (CONFLICT naming it); and the learner's own progress, read through the
 * graph as them, says they are APEL.M-eligible (CONFLICT saying how many
 * credits are missing if not). That progress is the evidence stored with the
 * application: the credentials counted, the credits earned, and the rule
 * (threshold, programme credits) they met.
 *
 * In the transaction, the provider's standing and the pathway's rule are
 * read again under a share lock, so a suspension or a change of threshold
 * committing meanwhile either waits or is seen; the open-application index
 * settles two applications racing.
 */
export async function applyForApelM(context: ApelMContext, learner: Principal, pathwayId: string, idempotencyKey: string | null): Promise<ApelMApplicationRow> {
  const { db, graph, loaders } = context;
  const key = idempotencyKey ? { scope: 'providers.applyForApelM', owner: learner.subject, key: idempotencyKey } : null;
  const { result } = await idempotentWrite(db, key, {
    replay: (reader) => (idempotencyKey ? retried(reader, learner.subject, idempotencyKey, pathwayId) : Promise.resolve(undefined)),
    async prepare() {
      const pathway = await loaders.pathway.load(pathwayId);
      if (!pathway) throw new NotFound('Pathway', pathwayId);
      const provider = await loaders.provider.load(pathway.providerId);
      if (!provider) throw new NotFound('Provider', pathway.providerId);
      if (!provider.inGoodStanding) throw suspended(provider.name);
      const open = await openApplication(db, learner.subject, pathway.id);
      if (open) throw alreadyOpen(open);
      const standing = await apelMStanding(graph, pathway.id, learner.subject);
      if (!standing.eligible) throw notEligible(pathway, standing);
      // Progress read the pathway's definition after this service did: both must speak of the same rule.
      if (standing.creditsRequired !== pathway.targetProgrammeCredits || standing.creditsNeeded !== creditsNeededFor(pathway)) throw pathwayChanged();
      return { pathway, standing };
    },
    async write(tx, { pathway, standing }) {
      await assertInGoodStanding(tx, pathway.providerId, 'take APEL.M applications');
      const [current] = await tx.select().from(pathwayTable).where(eq(pathwayTable.id, pathway.id)).for('share');
      if (current?.apelThresholdPercent !== pathway.apelThresholdPercent || current.targetProgrammeCredits !== pathway.targetProgrammeCredits) throw pathwayChanged();
      const [row] = await tx
        .insert(apelMApplication)
        .values({
          pathwayId: pathway.id,
          providerId: pathway.providerId,
          learnerId: learner.subject,
          targetProgramme: pathway.targetProgramme,
          programmeCredits: pathway.targetProgrammeCredits,
          thresholdPercent: pathway.apelThresholdPercent,
          creditsNeeded: standing.creditsNeeded,
          creditsEarned: standing.creditsEarned,
          evidence: standing.evidence,
          idempotencyKey,
        })
        // Only the open-application index can object (the idempotency key is settled under its lock): another application won the race.
        .onConflictDoNothing()
        .returning();
      if (!row) throw alreadyOpen((await openApplication(tx, learner.subject, pathway.id))!);
      await tx.insert(apelMApplicationEvent).values({ applicationId: row.id, action: 'SUBMITTED', actorSubject: learner.subject, actorRole: 'LEARNER', at: row.createdAt });
      return row;
    },
  });
  return result;
}

/** The learner's application made with this key; the key used for another pathway is a CONFLICT. */
async function retried(reader: Reader, learnerId: string, idempotencyKey: string, pathwayId: string): Promise<ApelMApplicationRow | undefined> {
  const [previous] = await reader
    .select()
    .from(apelMApplication)
    .where(and(eq(apelMApplication.learnerId, learnerId), eq(apelMApplication.idempotencyKey, idempotencyKey)));
  if (previous && previous.pathwayId !== pathwayId) {
    throw new Conflict(`The idempotency key ${idempotencyKey} was already used for your application to another pathway: use a new key for a new application.`, { field: 'idempotencyKey' });
  }
  return previous;
}

function openApplication(reader: Reader, learnerId: string, pathwayId: string): Promise<ApelMApplicationRow | undefined> {
  return reader
    .select()
    .from(apelMApplication)
    .where(and(eq(apelMApplication.learnerId, learnerId), eq(apelMApplication.pathwayId, pathwayId), inArray(apelMApplication.status, OPEN)))
    .then(([row]) => row);
}

function alreadyOpen(open: ApelMApplicationRow): Conflict {
  const what = open.status === 'PENDING' ? 'is pending: wait for its decision' : 'admitted you already';
  return new Conflict(`Your APEL.M application ${open.id} to this pathway ${what}.`, { applicationId: open.id, status: open.status });
}

function notEligible(pathway: PathwayRow, standing: ApelMStanding): Conflict {
  const missing = standing.creditsNeeded - standing.creditsEarned;
  return new Conflict(
    `Not yet eligible for APEL.M entry to ${pathway.targetProgramme}: ${missing} more credit${missing === 1 ? '' : 's'} needed. ${standing.rule}`,
    { creditsEarned: standing.creditsEarned, creditsNeeded: standing.creditsNeeded, creditsMissing: missing },
  );
}

function suspended(providerName: string): Forbidden {
  return new Forbidden(`${providerName} is suspended and may not take APEL.M applications until a platform administrator reinstates it.`);
}

/** APEL.M's credits: the threshold's share of the programme credits, rounded up (as progress computes it). */
function creditsNeededFor(pathway: Pick<PathwayRow, 'apelThresholdPercent' | 'targetProgrammeCredits'>): number {
  return Math.ceil((pathway.apelThresholdPercent * pathway.targetProgrammeCredits) / 100);
}

function pathwayChanged(): Conflict {
  return new Conflict("The pathway's APEL.M rule changed while you applied: apply again.");
}
