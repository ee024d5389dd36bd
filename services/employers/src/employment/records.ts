import { BadInput, Conflict, idempotentWrite, isUniqueViolation, parseInput, requirePrincipal, rules, todayInMalaysia } from '@tauliah/core';
import { and, eq, isNull } from 'drizzle-orm';
import type { Context } from '../context.ts';
import { employment, type EmploymentRow } from '../db/schema.ts';
import { answerableEmployment, employerActingFor, endableEmployment, isLearnerOf } from '../policy.ts';
import { statusOf } from '../graph/employment.ts';
import { addDays, countsOn, MAX_DAYS_AHEAD_OF_END } from './dates.ts';

/**
 * Employment as it is really recorded: the employer (its staff or partner
 * system) records someone, the learner named confirms or declines it, and
 * either of them ends it. A record counts (currentEmployer,
 * eligibilityEmployer) only once the learner confirms it, and only while it
 * lasts. Every rule that must not race is a database guard
 * (employment_one_current_key, employment_one_open_per_employer_key) or a
 * conditional update; a retried call changes nothing and answers the record.
 */

type Reader = Pick<Context['db'], 'select'>;

export interface NewEmployment {
  learnerId: string;
  jobTitle: string;
  since: string;
}

const byId = async (db: Reader, id: string): Promise<EmploymentRow | undefined> => (await db.select().from(employment).where(eq(employment.id, id)))[0];

const parseId = (id: string) => parseInput(rules.uuid('employment id'), id, 'id');

/**
 * Records that someone works for the caller's employer. The answer is the
 * same whether or not the learner id belongs to anyone (employers does not
 * know learners, and must not become a way to find out): a record for an
 * unknown id is simply never confirmed. One open record per learner and
 * employer, so an employer cannot prompt a learner twice: recording them
 * again while one is open is a CONFLICT naming it. With an idempotency key,
 * a retry answers the first record; the key reused for another record is a
 * CONFLICT.
 */
export async function recordEmployment(context: Context, wanted: NewEmployment, idempotencyKey: string | null): Promise<EmploymentRow> {
  const employerId = employerActingFor(context.viewer);
  const { subject } = requirePrincipal(context.viewer);
  const key = idempotencyKey ? { scope: 'employers.recordEmployment', owner: employerId, key: idempotencyKey } : null;
  const { result } = await idempotentWrite(context.db, key, {
    replay: (reader) => (idempotencyKey ? recordedWithKey(reader, employerId, idempotencyKey, wanted) : Promise.resolve(undefined)),
    async write(tx) {
      // The only unique index an insert of a fresh id can meet here is the open record's (the key's is serialised by its lock).
      const [created] = await tx
        .insert(employment)
        .values({ ...wanted, employerId, recordedBy: subject, idempotencyKey })
        .onConflictDoNothing()
        .returning();
      if (created) return created;
      const [open] = await tx
        .select()
        .from(employment)
        .where(and(eq(employment.employerId, employerId), eq(employment.learnerId, wanted.learnerId), isNull(employment.until), isNull(employment.declinedAt)));
      throw new Conflict(
        open
          ? `Your employer already has an open record of this learner: employment ${open.id} (${open.jobTitle}, since ${open.since}, ${statusOf(open)}). End it with endEmployment before recording them again.`
          : 'Another call recorded this learner for your employer at the same moment: list your employment records to see it.',
        { employmentId: open?.id ?? null },
      );
    },
  });
  return result;
}

/** The record an earlier call with this key made, if it asked for the same; the key reused for another record is a CONFLICT. */
async function recordedWithKey(reader: Reader, employerId: string, key: string, wanted: NewEmployment): Promise<EmploymentRow | undefined> {
  const [previous] = await reader
    .select()
    .from(employment)
    .where(and(eq(employment.employerId, employerId), eq(employment.idempotencyKey, key)));
  if (!previous) return undefined;
  if (previous.learnerId !== wanted.learnerId || previous.jobTitle !== wanted.jobTitle || previous.since !== wanted.since) {
    throw new Conflict(`The idempotency key ${key} was already used to record employment ${previous.id}, with other details: use a new key for a new record.`, {
      field: 'idempotencyKey',
      employmentId: previous.id,
    });
  }
  return previous;
}

/**
 * The learner confirms a record naming them: from then on, while it lasts,
 * the employer is their current employer. One current confirmed employment
 * per learner is the database's rule (employment_one_current_key): confirming
 * while another lasts is a CONFLICT naming it. Confirming again answers the
 * record; a declined record stays declined.
 */
export async function confirmEmployment(context: Context, id: string): Promise<EmploymentRow> {
  const { viewer, db } = context;
  const record = answerableEmployment(viewer, await byId(db, parseId(id)), id);
  if (record.confirmedByLearner) return record;
  if (record.declinedAt) throw declined(record, viewer);
  let confirmed: EmploymentRow | undefined;
  try {
    [confirmed] = await db
      .update(employment)
      .set({ confirmedByLearner: true })
      .where(and(eq(employment.id, record.id), eq(employment.confirmedByLearner, false), isNull(employment.declinedAt)))
      .returning();
  } catch (error) {
    if (!isUniqueViolation(error, 'employment_one_current_key')) throw error;
    throw await employedElsewhere(context, record);
  }
  if (confirmed) return confirmed;
  // Answered meanwhile (a second tab, a retry): the record as it is now.
  const now = (await byId(db, record.id))!;
  if (now.declinedAt) throw declined(now, viewer);
  return now;
}

async function employedElsewhere(context: Context, record: EmploymentRow): Promise<Conflict> {
  const current = (await context.db
    .select()
    .from(employment)
    .where(and(eq(employment.learnerId, record.learnerId), eq(employment.confirmedByLearner, true), isNull(employment.until))))[0];
  const employer = current && (await context.loaders.employer.load(current.employerId));
  return new Conflict(
    current
      ? `You are employed by ${employer?.name ?? 'another employer'} (employment ${current.id}, ${current.jobTitle} since ${current.since}) with no end recorded. End that employment with endEmployment, giving your last day, then confirm this one.`
      : 'You have another current confirmed employment: end it with endEmployment, giving your last day, then confirm this one.',
    { currentEmploymentId: current?.id ?? null },
  );
}

/** A declined record is final: the learner said it is not theirs. */
const declined = (record: EmploymentRow, viewer: Context['viewer']) =>
  new Conflict(
    isLearnerOf(viewer, record)
      ? `You declined employment ${record.id}: it cannot be confirmed or ended. If it is yours after all, ask the employer to record it again.`
      : `The learner declined employment ${record.id}: it never counted and cannot be ended. Record it again only if your records are right.`,
    { employmentId: record.id },
  );

/**
 * The learner does not recognise a record naming them. It is kept, marked
 * declined (so a retry of the employer's recording answers it as declined
 * rather than making it pending again), and never counts. Declining again
 * answers the record; a confirmed record is ended instead, with endEmployment.
 */
export async function declineEmployment(context: Context, id: string): Promise<EmploymentRow> {
  const { viewer, db } = context;
  const record = answerableEmployment(viewer, await byId(db, parseId(id)), id);
  if (record.declinedAt) return record;
  const [done] = await db
    .update(employment)
    .set({ declinedAt: new Date() })
    .where(and(eq(employment.id, record.id), eq(employment.confirmedByLearner, false), isNull(employment.declinedAt)))
    .returning();
  const now = done ?? (await byId(db, record.id))!;
  if (now.confirmedByLearner) {
    throw new Conflict(`You confirmed employment ${now.id}: it cannot be declined. If it has ended, record your last day with endEmployment.`, { employmentId: now.id });
  }
  return now;
}

/**
 * The employer (its staff or partner system) or the learner records the last
 * day: on or after the first, and at most three months ahead (a notice
 * period). Once that day has passed, the employment no longer counts. Ending
 * again with the same day answers the record; with another day it is a
 * CONFLICT (the recorded end stands).
 */
export async function endEmployment(context: Context, id: string, until: string): Promise<EmploymentRow> {
  const { viewer, db } = context;
  const { subject } = requirePrincipal(viewer);
  const record = endableEmployment(viewer, await byId(db, parseId(id)), id);
  const lastDay = parseInput(rules.isoDate, until, 'until');
  if (lastDay < record.since) throw new BadInput(`until: the last day must not be before the first (${record.since}).`, { field: 'until' });
  const latest = addDays(todayInMalaysia(), MAX_DAYS_AHEAD_OF_END);
  if (lastDay > latest) {
    throw new BadInput(`until: record a last day at most ${MAX_DAYS_AHEAD_OF_END} days ahead (${latest} at the latest); a later end is recorded when it is near.`, { field: 'until' });
  }
  if (record.declinedAt) throw declined(record, viewer);
  const [ended] = record.until
    ? []
    : await db
        .update(employment)
        .set({ until: lastDay, endedBy: subject })
        .where(and(eq(employment.id, record.id), isNull(employment.until), isNull(employment.declinedAt)))
        .returning();
  if (ended) return ended;
  const now = (await byId(db, record.id))!;
  if (now.declinedAt) throw declined(now, viewer);
  if (now.until === lastDay) return now;
  throw new Conflict(`Employment ${now.id} already ended on ${now.until}; an end once recorded is not changed.`, { employmentId: now.id, until: now.until });
}

/** The learner's records that make an employer their current one today; the latest started first. */
export const countingRecord = (records: EmploymentRow[], today = todayInMalaysia()): EmploymentRow | undefined => records.find((r) => countsOn(r, today));
