import { credentials as demoCredentials, demoId, type DemoLearner } from '@tauliah/demo-data';
import type { TestSubgraph, Who } from '@tauliah/testing';
import { credential, credentialSkill } from '../src/db/schema.ts';
import type { credentialsService } from '../src/index.ts';

export type CredentialsGraph = TestSubgraph<typeof credentialsService.tables>;

export const CREDENTIAL_FIELDS = `id title credits mqfLevel status statusReason visibility issuedAt expiresAt renewalOf
  holder { id } course { id } issuer { id } skills { code }`;

/** Learner.credentials as the gateway asks for it: through _entities with the learner's key. */
export const LEARNER_CREDENTIALS = `query($reps: [_Any!]!, $status: [CredentialStatus!]) {
  _entities(representations: $reps) { ... on Learner { id credentials(status: $status) { ${CREDENTIAL_FIELDS} } } }
}`;

export const learnerReps = (ids: string[]) => ids.map((id) => ({ __typename: 'Learner', id }));

/** The ids of the learner's credentials that `who` (or the public, when undefined) sees. */
export async function credentialIdsOf(graph: CredentialsGraph, learner: DemoLearner, who?: Who): Promise<string[]> {
  const data = await graph.client.ok(LEARNER_CREDENTIALS, { as: who, variables: { reps: learnerReps([learner.id]) } });
  return data._entities[0].credentials.map((c: { id: string }) => c.id);
}

export const demoCredentialIdsOf = (learner: DemoLearner) => demoCredentials.filter((c) => c.learnerId === learner.id).map((c) => c.id);

/** The exit awards the seed settled for a learner (issued after every demo credential, so listed after them), optionally only one issuer's. */
export async function awardIdsOf(graph: Pick<CredentialsGraph, 'connection'>, learner: DemoLearner, issuerId?: string): Promise<string[]> {
  const rows = await graph.connection.query<{ id: string }>(
    'select id from credentials.credential where holder_id = $1 and award_pathway_id is not null and ($2::uuid is null or issuer_id = $2::uuid) order by issued_at, id',
    [learner.id, issuerId ?? null],
  );
  return rows.map((r) => r.id);
}

/** Everything the seed left a learner holding: their demo credentials, then their exit awards. */
export const heldIdsOf = async (graph: Pick<CredentialsGraph, 'connection'>, learner: DemoLearner) => [...demoCredentialIdsOf(learner), ...(await awardIdsOf(graph, learner))];

export const CREDENTIAL_BY_ID = `query($id: ID!) { credential(id: $id) { id status visibility } }`;

/** Issues credentials straight into the database (issuance arrives in a later round): for learners the demo set lacks. */
export async function insertCredentials(
  graph: CredentialsGraph,
  credentials: Array<Partial<typeof credential.$inferInsert> & { holderId: string; skills?: string[] }>,
): Promise<string[]> {
  const rows = await graph.db
    .insert(credential)
    .values(
      credentials.map(({ skills: _skills, ...c }) => ({
        courseId: demoId('course:SE1101'),
        issuerId: demoId('provider:odl'),
        title: 'Programming with Python',
        credits: 5,
        mqfLevel: 4,
        issuedAt: new Date('2025-06-01T00:00:00Z'),
        visibility: 'EMPLOYERS' as const,
        ...c,
      })),
    )
    .returning({ id: credential.id });
  const skills = rows.flatMap((row, i) => (credentials[i]!.skills ?? ['PROG-FUND']).map((skillCode) => ({ credentialId: row.id, skillCode })));
  if (skills.length) await graph.db.insert(credentialSkill).values(skills);
  return rows.map((row) => row.id);
}
