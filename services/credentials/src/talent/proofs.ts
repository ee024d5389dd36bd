import { sqlArray, type Database } from '@tauliah/core';
import { sql, type SQL } from 'drizzle-orm';
import type { tables } from '../db/schema.ts';

type Writer = Pick<Database<typeof tables>, 'execute'>;

/**
 * The proofs credentials give: employer-visible, ACTIVE and not replaced by a
 * renewal (expiry and issuer standing change without a write, so searches
 * check them when they run). Each carries the state the holder lets
 * employers find them by (learner_residence, from the learners service's
 * events), or none. Plain SQL so the national COPY loader runs it too.
 */
export const INSERT_TALENT_PROOFS = `
  insert into credentials.talent_proof (skill_code, level, holder_id, issued_at, expires_at, issuer_id, credential_id, holder_state)
  select cs.skill_code, coalesce(c.mqf_level, 0), c.holder_id, c.issued_at, c.expires_at, c.issuer_id, c.id,
         r.state
  from credentials.credential c
  join credentials.credential_skill cs on cs.credential_id = c.id
  left join credentials.learner_residence r on r.learner_id = c.holder_id
  where c.status = 'ACTIVE' and c.replaced_by is null and c.visibility in ('EMPLOYERS', 'PUBLIC')`;

/** Each learner's proved skills, from their proofs (talent_holder: the ALL pre-filter). */
export const INSERT_TALENT_HOLDERS = `
  insert into credentials.talent_holder (holder_id, skills)
  select holder_id, array_agg(distinct skill_code) from credentials.talent_proof`;

const proofsOf = (where: SQL) => sql`${sql.raw(INSERT_TALENT_PROOFS)} and ${where}`;
const holdersOf = (where: SQL) => sql`${sql.raw(INSERT_TALENT_HOLDERS)} where ${where} group by holder_id`;

/**
 * Rebuilds the talent proofs of these holders from their credentials. Every
 * write to a credential (issue, status change, renewal, visibility) calls it
 * inside its own transaction, so a search never sees a credential the holder
 * hid or the issuer revoked, not even for a moment.
 */
export async function refreshTalentProofs(tx: Writer, holderIds: string[]): Promise<void> {
  const holders = [...new Set(holderIds)];
  if (holders.length === 0) return;
  const list = sqlArray(holders, 'uuid');
  // Waits for a residence event being applied to these holders (events/learner-residence.ts), and holds the next
  // one off until this commits: either way the proofs end up with the newest state, never the one it replaced.
  await tx.execute(sql`select 1 from credentials.learner_residence where learner_id = any(${list}) order by learner_id for share`);
  await tx.execute(sql`delete from credentials.talent_proof where holder_id = any(${list})`);
  await tx.execute(sql`delete from credentials.talent_holder where holder_id = any(${list})`);
  await tx.execute(proofsOf(sql`c.holder_id = any(${list})`));
  await tx.execute(holdersOf(sql`holder_id = any(${list})`));
}

/** Rebuilds every proof (after a bulk load: the demo seed, the national data set). */
export async function rebuildAllTalentProofs(tx: Writer): Promise<void> {
  await tx.execute(sql`delete from credentials.talent_proof`);
  await tx.execute(sql`delete from credentials.talent_holder`);
  await tx.execute(proofsOf(sql`true`));
  await tx.execute(holdersOf(sql`true`));
}
