import { resultRows, type Transaction } from '@tauliah/core';
import { sql } from 'drizzle-orm';
import { enrolment, learner, type EnrolmentRow, type LearnerRow, type tables } from '../db/schema.ts';
import type { IdentityDocument } from '../identity/documents.ts';

/*
 * The statements of an enrolment request: each takes every row at once as one
 * JSON parameter, so their number never depends on the rows' (and no
 * statement outgrows PostgreSQL's 65,535 parameters).
 */

type Tx = Transaction<typeof tables>;

/** Who a row names: its place in the request, its identity document as stored and its date of birth. */
export interface Person {
  at: number;
  identity: IdentityDocument;
  dateOfBirth: string;
}

/** Which rows describe a registered learner (the same identity document and date of birth), by row. */
export async function learnersMatching(tx: Tx, people: Person[]): Promise<Map<number, string>> {
  if (people.length === 0) return new Map();
  const wanted = people.map(({ at, identity, dateOfBirth }) => ({ at, nric_hash: identity.nricHash, passport_hash: identity.passportHash, date_of_birth: dateOfBirth }));
  const rows = resultRows<{ at: number; id: string }>(
    await tx.execute(sql`
      with wanted as (
        select * from jsonb_to_recordset(${JSON.stringify(wanted)}::jsonb) as w(at int, nric_hash text, passport_hash text, date_of_birth date)
      )
      select w.at, l.id from wanted w join ${learner} l on l.nric_hash = w.nric_hash and l.date_of_birth = w.date_of_birth
      union all
      select w.at, l.id from wanted w join ${learner} l on l.passport_hash = w.passport_hash and l.date_of_birth = w.date_of_birth`),
  );
  return new Map(rows.map((r) => [Number(r.at), r.id]));
}

/** The provider's ACTIVE enrolments of these learners or under these student numbers. */
export async function activeEnrolments(tx: Tx, providerId: string, learnerIds: string[], studentNumbers: string[]) {
  if (learnerIds.length === 0 && studentNumbers.length === 0) return [];
  const rows = resultRows<{ learner_id: string; student_number: string }>(
    await tx.execute(sql`
      select e.learner_id, e.student_number from ${enrolment} e
      where e.provider_id = ${providerId} and e.status = 'ACTIVE'
        and e.learner_id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(learnerIds)}::jsonb))
      union
      select e.learner_id, e.student_number from ${enrolment} e
      where e.provider_id = ${providerId} and e.status = 'ACTIVE'
        and e.student_number in (select value from jsonb_array_elements_text(${JSON.stringify(studentNumbers)}::jsonb))`),
  );
  return rows.map((r) => ({ learnerId: r.learner_id, studentNumber: r.student_number }));
}

/**
 * Registers the new learners in one statement and answers the ids it
 * inserted. A person registered meanwhile by someone else (the same identity
 * document and date of birth) is skipped, not an error: the caller enrols them.
 * Rows go in in the order of their identity, not of the request, so two
 * requests waiting on each other's new learners wait in one order and never
 * deadlock.
 */
export async function insertLearners(tx: Tx, rows: LearnerRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const inserted = resultRows<{ id: string }>(
    await tx.execute(sql`
      insert into ${learner} (id, full_name, email, phone, date_of_birth, citizenship, nric_hash, nric_last4_sealed, passport_hash, nationality, state,
        share_state_in_talent_search, credential_visibility, registered_by_provider_id, registered_by_subject, created_at, updated_at)
      select r."id", r."fullName", r."email", r."phone", r."dateOfBirth", r."citizenship", r."nricHash", r."nricLast4Sealed", r."passportHash", r."nationality", r."state",
        r."shareStateInTalentSearch", r."credentialVisibility", r."registeredByProviderId", r."registeredBySubject", r."createdAt", r."updatedAt"
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r("id" uuid, "fullName" text, "email" text, "phone" text, "dateOfBirth" date,
        "citizenship" text, "nricHash" text, "nricLast4Sealed" text, "passportHash" text, "nationality" text, "state" text, "shareStateInTalentSearch" boolean,
        "credentialVisibility" text, "registeredByProviderId" uuid, "registeredBySubject" text, "createdAt" timestamptz, "updatedAt" timestamptz)
      order by coalesce(r."nricHash", r."passportHash"), r."dateOfBirth"
      on conflict do nothing
      returning id`),
  );
  return new Set(inserted.map((r) => r.id));
}

export async function insertEnrolments(tx: Tx, rows: EnrolmentRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.execute(sql`
    insert into ${enrolment} (id, learner_id, provider_id, student_number, status, enrolled_at, enrolled_by_subject, idempotency_key)
    select r."id", r."learnerId", r."providerId", r."studentNumber", r."status", r."enrolledAt", r."enrolledBySubject", r."idempotencyKey"
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r("id" uuid, "learnerId" uuid, "providerId" uuid, "studentNumber" text, "status" text,
      "enrolledAt" timestamptz, "enrolledBySubject" text, "idempotencyKey" text)`);
}
