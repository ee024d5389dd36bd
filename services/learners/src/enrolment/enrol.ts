import { Conflict, idempotentWrite, learnerEnrolledEvent, recordEvents, type Database, type Transaction } from '@tauliah/core';
import { and, eq, sql } from 'drizzle-orm';
import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { LearnersConfig } from '../config.ts';
import { enrolmentRequest, outbox, type EnrolmentRow, type EnrolmentRowOutcome, type LearnerRow, type tables } from '../db/schema.ts';
import type { EnrolLearnerRow } from '../graph/enrolment.inputs.ts';
import { identityDocument, type IdentityDocument } from '../identity/documents.ts';
import { sealNricLast4 } from '../identity/nric.ts';
import { activeEnrolments, insertEnrolments, insertLearners, learnersMatching, type Person } from './statements.ts';

/**
 * Enrolling students with a provider, one or ten thousand at a time, in a
 * fixed number of SQL statements whatever their number.
 *
 * A row whose identity document and date of birth are those of a registered
 * learner enrols that learner (LINKED); any other row registers a new learner
 * (ENROLLED), including one whose document is registered with another date of
 * birth: "no such person" and "details do not match" are one answer, so
 * enrolling never tells a caller who is registered unless it already holds
 * both. The e-mail address plays no part: it is not unique.
 */

/** One row of a request: valid (to enrol) or refused already by its own content. */
export type EnrolmentItem = { row: EnrolLearnerRow } | { refused: { code: 'BAD_USER_INPUT'; message: string } };

export interface EnrolmentRequest {
  providerId: string;
  /** The token subject enrolling: provider staff, or a partner system acting for the provider. */
  subject: string;
  items: EnrolmentItem[];
  /** With a key, the request is done once: its answer is stored and answered again to any retry. */
  idempotency: { key: string; requestHash: string } | null;
  /** A single enrolment's refusal is thrown (a CONFLICT) and stores nothing; a batch answers it in its row. */
  single: boolean;
}

export interface EnrolmentAnswer {
  results: EnrolmentRowOutcome[];
  replayed: boolean;
  /** The rows this call wrote (none on a replay), as the database holds them: the answer reads them without asking again. */
  written: { learners: LearnerRow[]; enrolments: EnrolmentRow[] };
}

type Tx = Transaction<typeof tables>;

/** A valid row, its place in the request and its identity as stored. */
interface Candidate extends Person {
  row: EnrolLearnerRow;
}

export async function enrol(db: Database<typeof tables>, config: LearnersConfig, request: EnrolmentRequest): Promise<EnrolmentAnswer> {
  const { providerId, idempotency } = request;
  const key = idempotency ? { scope: 'learners.enrolLearners', owner: providerId, key: idempotency.key } : null;
  const { result, replayed } = await idempotentWrite(db, key, {
    replay: async (reader) => {
      const results = await recordedRequest(reader, providerId, idempotency!);
      return results && { results, written: { learners: [], enrolments: [] } };
    },
    // Hashing and sealing are CPU work: done before the transaction opens.
    prepare: async () =>
      request.items.flatMap((item, at): Candidate[] =>
        'row' in item ? [{ at, row: item.row, dateOfBirth: item.row.dateOfBirth, identity: identityDocument(item.row, config.PII_HASH_KEY) }] : [],
      ),
    async write(tx, candidates) {
      const done = await enrolCandidates(tx, config, request, candidates);
      const refused = request.single ? done.results[0] : undefined;
      if (refused?.code) throw new Conflict(refused.message);
      if (idempotency) await tx.insert(enrolmentRequest).values({ providerId, idempotencyKey: idempotency.key, requestHash: idempotency.requestHash, results: done.results });
      return done;
    },
  });
  return { ...result, replayed };
}

/**
 * A keyed hash of the rows as given (they carry identity numbers, so never a
 * plain hash), field by field in a fixed order: the same rows retried under
 * the same key replay, other rows under it are a CONFLICT.
 */
export function requestHashOf(rows: ReadonlyArray<Record<string, unknown>>, key: string): string {
  const fields = ['studentNumber', 'fullName', 'email', 'phone', 'dateOfBirth', 'citizenship', 'nric', 'passportNumber', 'nationality', 'state'];
  const canonical = JSON.stringify(rows.map((row) => fields.map((field) => row[field] ?? null)));
  return createHmac('sha256', key).update(`learners.enrolLearners\0${canonical}`).digest('hex');
}

async function recordedRequest(reader: Pick<Database<typeof tables>, 'select'>, providerId: string, { key, requestHash }: { key: string; requestHash: string }) {
  const [previous] = await reader
    .select()
    .from(enrolmentRequest)
    .where(and(eq(enrolmentRequest.providerId, providerId), eq(enrolmentRequest.idempotencyKey, key)));
  if (!previous) return undefined;
  if (previous.requestHash !== requestHash) {
    throw new Conflict(`The idempotency key ${key} was already used for a different enrolment request: use a new key for new students.`, { field: 'idempotencyKey' });
  }
  return previous.results;
}

const refusal = (code: 'BAD_USER_INPUT' | 'CONFLICT', message: string): EnrolmentRowOutcome => ({ outcome: null, learnerId: null, enrolmentId: null, code, message });
const enrolled = (outcome: 'ENROLLED' | 'LINKED', learnerId: string): EnrolmentRowOutcome => ({ outcome, learnerId, enrolmentId: randomUUID(), code: null, message: null });
const personOf = ({ identity, row }: Candidate) => `${identity.nricHash ?? `passport:${identity.passportHash}`}|${row.dateOfBirth}`;

async function enrolCandidates(tx: Tx, config: LearnersConfig, request: EnrolmentRequest, candidates: Candidate[]): Promise<Omit<EnrolmentAnswer, 'replayed'>> {
  const { providerId, subject, items } = request;
  // One time for every row written, set here rather than by the database, so the answer knows each row without reading it back.
  const now = new Date();
  // One provider's enrolments are made one request at a time, so the checks below hold until commit.
  await tx.execute(sql`select pg_advisory_xact_lock(${providerLock(providerId)}::bigint)`);
  // Every valid row's result is decided below; a row refused for its content already has its answer.
  const results = items.map((item) => ('refused' in item ? refusal(item.refused.code, item.refused.message) : undefined)) as EnrolmentRowOutcome[];

  // Rows that repeat a student number or a person of an earlier row of the same request.
  const firstWithNumber = new Map<string, number>();
  const firstWithPerson = new Map<string, number>();
  const distinct = candidates.filter((candidate) => {
    const { at, row } = candidate;
    const sameNumber = firstWithNumber.get(row.studentNumber);
    const samePerson = firstWithPerson.get(personOf(candidate));
    if (sameNumber !== undefined) results[at] = refusal('CONFLICT', `Student number ${row.studentNumber} is also given to row ${sameNumber} of this request: each student needs their own.`);
    else if (samePerson !== undefined) results[at] = refusal('CONFLICT', `This row describes the same person as row ${samePerson} of this request (the same identity document and date of birth).`);
    else {
      firstWithNumber.set(row.studentNumber, at);
      firstWithPerson.set(personOf(candidate), at);
      return true;
    }
    return false;
  });

  const registered = await learnersMatching(tx, distinct);
  const active = await activeEnrolments(tx, providerId, [...new Set(registered.values())], [...firstWithNumber.keys()]);
  const activeByLearner = new Map(active.map((e) => [e.learnerId, e]));
  const numbersInUse = new Set(active.map((e) => e.studentNumber));

  const newLearners: Candidate[] = [];
  for (const candidate of distinct) {
    const { at, row } = candidate;
    const learnerId = registered.get(at);
    const current = learnerId ? activeByLearner.get(learnerId) : undefined;
    if (current) {
      results[at] = refusal('CONFLICT', `This learner is already enrolled with your provider, as student number ${current.studentNumber}: end that enrolment first to enrol them again.`);
    } else if (numbersInUse.has(row.studentNumber)) {
      results[at] = refusal('CONFLICT', `Student number ${row.studentNumber} belongs to another student's active enrolment with your provider.`);
    } else if (learnerId) {
      results[at] = enrolled('LINKED', learnerId);
    } else {
      results[at] = enrolled('ENROLLED', randomUUID());
      newLearners.push(candidate);
    }
  }

  const newRows = newLearners.map(({ at, row, identity }) => learnerRowOf(results[at]!.learnerId!, row, identity, request, config, now));
  const created = await insertLearners(tx, newRows);
  const raced = newLearners.filter(({ at }) => !created.has(results[at]!.learnerId!));
  if (raced.length > 0) {
    // Registered by someone else since this request looked (another provider, or the learner): enrol that learner.
    const registeredSince = await learnersMatching(tx, raced);
    for (const { at } of raced) {
      const learnerId = registeredSince.get(at);
      if (!learnerId) throw new Error(`A new learner of row ${at} was neither inserted nor found registered.`);
      results[at] = { outcome: 'LINKED', learnerId, enrolmentId: results[at]!.enrolmentId!, code: null, message: null };
    }
  }

  const accepted = candidates.filter(({ at }) => results[at]!.enrolmentId);
  const enrolments: EnrolmentRow[] = accepted.map(({ at, row }) => ({
    id: results[at]!.enrolmentId!,
    learnerId: results[at]!.learnerId!,
    providerId,
    studentNumber: row.studentNumber,
    status: 'ACTIVE',
    enrolledAt: now,
    enrolledBySubject: subject,
    endedAt: null,
    endedBySubject: null,
    idempotencyKey: request.idempotency?.key ?? null,
  }));
  await insertEnrolments(tx, enrolments);
  // Only the enrolments are announced. A learner a provider registers has chosen nothing yet, which is exactly what
  // consumers assume of a learner they never heard of (no state shared with talent search, new credentials PRIVATE):
  // an intake of 10,000 is 10,000 events, not 30,000.
  await recordEvents(tx, outbox, learnerEnrolledEvent, accepted.map(({ at }) => ({ learnerId: results[at]!.learnerId!, providerId })));
  return { results, written: { learners: newRows.filter((l) => created.has(l.id)), enrolments } };
}

/** A new learner's row, as enrolling registers them: nothing chosen yet (state not shared, credentials PRIVATE). */
function learnerRowOf(id: string, row: EnrolLearnerRow, identity: IdentityDocument, request: EnrolmentRequest, config: LearnersConfig, now: Date): LearnerRow {
  return {
    id,
    fullName: row.fullName,
    email: row.email,
    phone: row.phone ?? null,
    dateOfBirth: row.dateOfBirth,
    citizenship: row.citizenship,
    nricHash: identity.nricHash,
    nricLast4Sealed: identity.nricLast4 && sealNricLast4(identity.nricLast4, id, config.PII_ENCRYPTION_KEY),
    nricLast4: null,
    passportHash: identity.passportHash,
    nationality: identity.nationality,
    state: row.state ?? null,
    shareStateInTalentSearch: false,
    credentialVisibility: 'PRIVATE',
    registeredByProviderId: request.providerId,
    registeredBySubject: request.subject,
    createdAt: now,
    updatedAt: now,
  };
}

/** The advisory lock of one provider's enrolments: 64 bits of a hash of its id. */
function providerLock(providerId: string): string {
  return createHash('sha256').update(`learners.enrolment\0${providerId}`).digest().readBigInt64BE(0).toString();
}
