import { approvedHrdCorpCourses, courseId, employers, funders, schemes } from '@tauliah/demo-data';
import type { Who } from '@tauliah/testing';
import type { BenchSubgraphs } from './topology.ts';

/** One request shape the gateways are compared on, as a client sends it. */
export interface Workload {
  name: string;
  as?: Who;
  query: string;
  variables?: Record<string, unknown>;
}

export const CATALOGUE: Workload = {
  name: 'public catalogue page (one subgraph)',
  query: `{ courses(filter: { mqfLevelMin: 3 }, first: 20) { totalCount edges { node { code title credits provider { name } skills { name } } } } }`,
};

export const JOB_ROLES: Workload = {
  name: 'job roles → skills → courses (two subgraphs)',
  as: 'EMPLOYER',
  query: `{ jobRoles(first: 10) { edges { node { title requiredSkills { skill { name courses(first: 5) { edges { node { title provider { name } } } } } } } } } }`,
};

export const LEARNER: Workload = {
  name: 'learner: me + credentials + course + provider',
  as: 'LEARNER',
  query: `{ me { fullName credentials { title status course { code credits provider { name } } issuer { name } } } }`,
};

const ELIGIBILITY_LEARNERS = 100;

/**
 * The funder's workload: 100 working adults (as eligibility.bench.ts makes
 * them), each consenting to HRD Corp, every other one employed (confirmed)
 * at a levy-paying employer, asked about in one query.
 */
export async function eligibilityWorkload(subgraphs: BenchSubgraphs): Promise<Workload> {
  const { database } = subgraphs;
  const ids = (
    await database.query<{ id: string }>(
      `insert into learners.learner (id, full_name, email, date_of_birth, citizenship, registered_by_subject)
       select gen_random_uuid(), 'Bench Learner ' || n, 'gateways' || n || '@learner.example.my', date '1990-01-01' + n, 'MALAYSIAN', 'bench'
       from generate_series(1, $1::int) n returning id`,
      [ELIGIBILITY_LEARNERS],
    )
  ).map((r) => r.id);
  await database.query(
    `insert into learners.consent_grant (learner_id, grantee_kind, grantee_id, scopes, expires_at)
     select id, 'FUNDER', $2::uuid, array['PERSONAL', 'ELIGIBILITY'], now() + interval '1 year' from unnest($1::uuid[]) id`,
    [ids, funders.hrdCorp.id],
  );
  await database.query(
    `insert into employers.employment (learner_id, employer_id, job_title, since, confirmed_by_learner)
     select id, $2::uuid, 'Technician', '2020-01-01', true from unnest($1::uuid[]) with ordinality as t(id, n) where n % 2 = 0`,
    [ids, employers.electronics.id],
  );
  return {
    name: `funder: eligibility of ${ELIGIBILITY_LEARNERS} learners`,
    as: 'FUNDER',
    query: `query($ids: [ID!]!, $scheme: ID!, $course: ID) {
      learners(ids: $ids) { id eligibility(schemeId: $scheme, courseId: $course) { eligible coveredSen reasons { code } } }
    }`,
    variables: { ids, scheme: schemes.hrdCorpMicroCredential.id, course: courseId(approvedHrdCorpCourses[0]) },
  };
}
