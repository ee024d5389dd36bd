import { openDatabase } from '@tauliah/core';
import { INSERT_TALENT_HOLDERS, INSERT_TALENT_PROOFS } from '@tauliah/credentials';
import { REBUILD_GUIDANCE } from '@tauliah/learners';
import postgres, { type Sql, type TransactionSql } from 'postgres';
import type { ServicesConfig } from '../config.ts';
import { prepareDatabase } from '../seed.ts';
import { services } from '../services.ts';
import { copyRows, type CopyProgress } from './copy.ts';
import { nationalDataSet, scaled, type NationalDataSet } from './dataset.ts';
import { nationalFunding } from './funding.ts';

export { NATIONAL, nationalDataSet, nationalId, nationalNric, nationalPassport, scaled } from './dataset.ts';
export { LEVY_MONTHS, malaysianMonthBefore } from './employment.ts';
export { nationalFunding, type NationalApplication, type NationalCourseApproval, type NationalScheme } from './funding.ts';
export { nationalNumber } from './ids.ts';

/**
 * `tauliah seed --scale national`: the demo data set plus a deterministic
 * synthetic national one (about 1,000,000 learners with 1,200,000
 * enrolments, 5,000,000 credentials, 25,000 courses from 500 providers,
 * 50,000 employers, 500,000 employment records, HRD Corp's monthly levy
 * records of the 32,000 registered employers for the year before `now`, and
 * the funding built on them: 24 schemes, HRD Corp's course approval queue,
 * claims and B40 applications (funding.ts)),
 * loaded into PostgreSQL with COPY; the learners' guidance (held courses,
 * what learners took after what) counted from the same credentials. `scale` below 1 loads a proportional
 * slice; NRICs are unique up to the national million learners. No funder is
 * generated: the demo's two, with their officers, serve the national schemes.
 */
export async function seedNational(options: { url: string; config: ServicesConfig; scale: number; progress?: CopyProgress; now?: Date }) {
  const now = options.now ?? new Date();
  const progress = options.progress ?? printProgress;
  const connection = await openDatabase({ url: options.url });
  try {
    await prepareDatabase(connection, services, options.config, { seed: true });
  } finally {
    await connection.close();
  }
  const sql = postgres(options.url, { max: 1, onnotice: () => {} });
  const began = performance.now();
  try {
    const [loaded] = await sql`select 1 from _migrations.seeded where service = 'national'`;
    if (loaded) throw new Error('The national data set is already loaded in this database.');
    const data = nationalDataSet(scaled(options.scale));
    const { sizes } = data;
    const copy = (table: string, columns: string[], rows: Iterable<ReadonlyArray<string | number | boolean | null>>, total: number) =>
      copyRows(sql, table, columns, rows, total, progress);

    await copy('providers.provider', ['id', 'slug', 'name', 'kind', 'state', 'website', 'mqa_registration', 'hrd_corp_registration', 'in_good_standing'], data.providerRows(), sizes.providers);
    await copy('providers.skill', ['code', 'name', 'description'], data.skillRows(), data.skills.length);
    await copy(
      'providers.course',
      ['id', 'provider_id', 'code', 'title', 'description', 'credits', 'notional_hours', 'mqf_level', 'learning_outcomes', 'fee_sen', 'delivery_mode', 'accreditation', 'assessment', 'validity_months', 'status', 'published_at'],
      data.courseRows(),
      sizes.courses,
    );
    await copy('providers.course_skill', ['course_id', 'skill_code', 'position'], data.courseSkillRows(), sizes.courses * 2);
    await copy('providers.staff_account', ['provider_id', 'subject', 'name', 'email', 'kind', 'role', 'added_by', 'added_at'], data.providerStaffAccountRows(), sizes.providers);
    await copy('employers.employer', ['id', 'registration_number', 'name', 'sector', 'size', 'employee_count', 'state', 'hrd_corp_registered'], data.employerRows(), sizes.employers);
    await copy('employers.staff_account', ['employer_id', 'subject', 'name', 'email', 'kind', 'role', 'added_by', 'added_at'], data.staffAccountRows(), sizes.employers);
    await copy('employers.job_role', ['id', 'employer_id', 'title', 'occupation_code', 'description', 'published'], data.jobRoleRows(), sizes.jobRoles);
    // Employment the learners confirmed (some ended), and HRD Corp's levy records: EMPLOYED_BY_LEVY_PAYER has data at scale.
    await copy('employers.employment', ['id', 'learner_id', 'employer_id', 'job_title', 'since', 'until', 'confirmed_by_learner'], data.employmentRows(), Math.round(sizes.learners * 0.5));
    await copy('funding.levy_account', ['employer_id', 'balance_sen', 'updated_at'], data.levyAccountRows(now), Math.round(sizes.employers * 0.65));
    await copy(
      'funding.levy_entry',
      ['id', 'employer_id', 'kind', 'amount_sen', 'month', 'recorded_by', 'recorded_at'],
      data.levyEntryRows(now),
      Math.round(sizes.employers * 0.65 * 12),
    );
    await copy('employers.job_role_skill', ['job_role_id', 'skill_code', 'minimum_level'], data.jobRoleSkillRows(), sizes.jobRoles * 3);
    await copy(
      'learners.learner',
      ['id', 'full_name', 'email', 'date_of_birth', 'citizenship', 'nric_hash', 'nric_last4_sealed', 'passport_hash', 'nationality', 'state', 'share_state_in_talent_search', 'registered_by_subject'],
      data.learnerRows(options.config),
      sizes.learners,
    );
    await copy(
      'learners.enrolment',
      ['id', 'learner_id', 'provider_id', 'student_number', 'status', 'enrolled_at', 'enrolled_by_subject', 'ended_at', 'ended_by_subject'],
      data.enrolmentRows(),
      Math.round(sizes.learners * 1.2),
    );
    // Both sides consistent without events: the talent search state filter sees exactly the states the learners share,
    // and pathway progress the providers each learner is enrolled with now.
    await copy('credentials.learner_residence', ['learner_id', 'state', 'version'], data.residenceRows(), sizes.learners);
    await copy('credentials.learner_enrolment', ['learner_id', 'provider_id'], data.enrolmentCopyRows(), Math.round(sizes.learners * 1.16));
    const expected = sizes.learners * sizes.credentialsPerLearner;
    // The credential generator is deterministic, so it runs twice: once per table.
    await copy(
      'credentials.credential',
      ['id', 'holder_id', 'course_id', 'issuer_id', 'title', 'credits', 'mqf_level', 'issued_at', 'expires_at', 'status', 'visibility'],
      (function* () {
        for (const c of data.credentials()) {
          yield [c.id, c.holderId, c.course.id, c.course.providerId, c.course.title, c.course.credits, c.course.mqfLevel, c.issuedAt, c.expiresAt, c.status, c.visibility];
        }
      })(),
      expected,
    );
    await copy(
      'credentials.credential_skill',
      ['credential_id', 'skill_code'],
      (function* () {
        for (const c of data.credentials()) for (const code of c.course.skills) yield [c.id, code];
      })(),
      expected * 2,
    );
    // The learners' guidance hears of credentials from their events; these were loaded without: file them in its ledger
    // as the events would have (a renewal's replaced credential is none here), then count held courses and pairs from it.
    await copy(
      'learners.guidance_credential',
      ['credential_id', 'learner_id', 'course_id', 'status', 'achieved_at'],
      (function* () {
        for (const c of data.credentials()) yield [c.id, c.holderId, c.course.id, c.status === 'REVOKED' ? 'REVOKED' : 'HELD', c.issuedAt];
      })(),
      expected,
    );
    const counting = performance.now();
    await sql.begin(async (tx) => {
      for (const statement of REBUILD_GUIDANCE) await tx.unsafe(statement);
    });
    const [{ pairs } = { pairs: 0 }] = await sql<Array<{ pairs: number }>>`select count(*)::int as pairs from learners.course_sequence`;
    progress('learners.course_sequence', pairs, pairs, pairs / ((performance.now() - counting) / 1000));
    // The talent search index, from the credentials just loaded, in two set-based statements (the demo proofs included).
    const indexing = performance.now();
    await sql`delete from credentials.talent_proof`;
    await sql`delete from credentials.talent_holder`;
    await sql.unsafe(INSERT_TALENT_PROOFS);
    await sql.unsafe(`${INSERT_TALENT_HOLDERS} group by holder_id`);
    const [{ n } = { n: 0 }] = await sql<Array<{ n: number }>>`select count(*)::int as n from credentials.talent_proof`;
    // Index-only scans (talent search; the courses learners took next, for recommendations) need the visibility map a
    // vacuum writes; a bulk load leaves it empty, and every scan then reads the table's pages too.
    await sql.unsafe('vacuum credentials.talent_proof, credentials.talent_holder, learners.course_sequence, learners.held_course, learners.course_holders');
    progress('credentials.talent_proof', n, n, n / ((performance.now() - indexing) / 1000));
    await loadNationalFunding(sql, data, now, options.scale, progress);
    await sql`insert into _migrations.seeded (service, data_set) values ('national', ${`national x${options.scale}`})`;
    await sql.unsafe(VACUUM_FUNDING);
    await sql.unsafe('analyze');
    return { seconds: (performance.now() - began) / 1000, sizes };
  } finally {
    await sql.end();
  }
}

/** The queues' totals count from their indexes alone (index-only scans) once a vacuum has written the visibility map a bulk load leaves empty. */
const VACUUM_FUNDING = 'vacuum (analyze) funding.course_approval, funding.application';

const printProgress: CopyProgress = (table, rows, total, rate) =>
  process.stdout.write(`  ${table.padEnd(28)} ${rows.toLocaleString('en').padStart(10)} / ${total.toLocaleString('en')}  (${Math.round(rate).toLocaleString('en')} rows/s)\n`);

/**
 * Adds the national funding data to a database that holds a national set loaded before it existed (seedNational
 * loads it with the rest), at the scale that set was loaded. Returns false, changing nothing, when it is there.
 */
export async function seedNationalFunding(options: { url: string; progress?: CopyProgress }): Promise<boolean> {
  const sql = postgres(options.url, { max: 1, onnotice: () => {} });
  try {
    const [national] = await sql<Array<{ data_set: string }>>`select data_set from _migrations.seeded where service = 'national'`;
    if (!national) throw new Error('The national data set is not loaded in this database: load it with `tauliah seed --scale`.');
    const [funded] = await sql`select 1 from _migrations.seeded where service = 'national-funding'`;
    if (funded) return false;
    const scale = Number(national.data_set.replace('national x', ''));
    // The levy was generated relative to the time of that load; its latest record falls in the same Malaysian month,
    // so the balances regenerated from it are the ones stored.
    const [levy] = await sql<Array<{ at: Date | null }>>`select max(recorded_at) as at from funding.levy_entry where kind = 'LEVY_PAID' and recorded_by = 'seed:national'`;
    await sql.begin((tx) => loadNationalFunding(tx, nationalDataSet(scaled(scale)), levy?.at ?? new Date(), scale, options.progress ?? printProgress));
    await sql.unsafe(VACUUM_FUNDING);
    await sql.unsafe('analyze funding.scheme, funding.income_declaration, funding.budget_entry, funding.levy_entry, funding.levy_account');
    return true;
  } finally {
    await sql.end();
  }
}

/** Copies the funding data (funding.ts) in, and draws the approved claims from the levy accounts already loaded. */
async function loadNationalFunding(sql: Sql | TransactionSql, data: NationalDataSet, now: Date, scale: number, progress: CopyProgress): Promise<void> {
  const began = performance.now();
  const funding = nationalFunding(data, now);
  progress('(funding generated)', funding.applications.length, funding.applications.length, funding.applications.length / ((performance.now() - began) / 1000));
  const copy = (table: string, columns: string[], rows: Iterable<ReadonlyArray<string | number | boolean | null>>, total: number) =>
    copyRows(sql, table, columns, rows, total, progress);
  await copy(
    'funding.scheme',
    ['id', 'funder_id', 'code', 'name', 'description', 'kind', 'budget_sen', 'per_learner_cap_sen', 'co_payment_percent', 'valid_from', 'valid_until', 'published', 'rules', 'committed_sen', 'created_at'],
    funding.schemeRows(),
    funding.schemes.length,
  );
  await copy(
    'funding.course_approval',
    ['id', 'scheme_id', 'course_id', 'provider_id', 'status', 'submitted_by', 'submitted_at', 'decided_by', 'decided_at', 'reason'],
    funding.courseApprovalRows(),
    funding.courseApprovals.length,
  );
  await copy(
    'funding.application',
    ['id', 'scheme_id', 'kind', 'learner_id', 'course_id', 'employer_id', 'declared_household_income_sen', 'evidence_reference', 'amount_sen', 'status', 'submitted_by', 'submitted_at', 'decided_by', 'decided_at', 'reason'],
    funding.applicationRows(),
    funding.applications.length,
  );
  const b40 = funding.applications.filter((a) => a.kind === 'B40_AID').length;
  await copy('funding.income_declaration', ['id', 'learner_id', 'funder_id', 'application_id', 'monthly_income_sen', 'evidence_reference', 'declared_at'], funding.incomeDeclarationRows(), b40);
  const approved = funding.applications.filter((a) => a.status === 'APPROVED');
  await copy('funding.budget_entry', ['id', 'scheme_id', 'application_id', 'kind', 'amount_sen', 'recorded_by', 'recorded_at'], funding.budgetEntryRows(), approved.length * 2);
  const drawn = approved.filter((a) => a.employerId !== null).length;
  await copy('funding.levy_entry', ['id', 'employer_id', 'application_id', 'kind', 'amount_sen', 'recorded_at'], funding.levyGrantRows(), drawn);
  // The balances were loaded as the sums of the payments: less what the approved claims drew.
  await sql`update funding.levy_account a set balance_sen = a.balance_sen - d.drawn, updated_at = greatest(a.updated_at, d.last)
    from (select employer_id, sum(amount_sen) as drawn, max(recorded_at) as last from funding.levy_entry
          where kind = 'GRANT_DRAWN' and application_id::text like '7a00000c-%' group by employer_id) d
    where a.employer_id = d.employer_id`;
  await sql`insert into _migrations.seeded (service, data_set) values ('national-funding', ${`national funding x${scale}`})`;
}
