import { courseByCode, learnerByKey } from '@tauliah/demo-data';
import { codesOf, eventually } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { learnerToken, odlStaff } from './talent.support.ts';

/**
 * Who may see a credential is the learner's choice. An issuer used to be able
 * to publish a learner (`visibility: PUBLIC` at issuance), putting them into
 * public view and talent search without their say.
 */
let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.stop());

const ISSUE = `mutation($input: IssueCredentialInput!) { issueCredential(input: $input) { id visibility } }`;
const PREFER = `mutation($input: UpdateMyProfileInput!) { updateMyProfile(input: $input) { credentialVisibility } }`;
const kumar = learnerByKey('kumar');

async function publicDocument(id: string): Promise<number> {
  const running = graph.running.subgraphs.credentials.url.replace(/\/graphql$/, '');
  return (await fetch(`${running}/credentials/${id}`)).status;
}

describe('the visibility of a new credential', () => {
  it('cannot be chosen by the issuer', async () => {
    const course = courseByCode.get('SE1101')!;
    const response = await graph.gateway.query(ISSUE, { as: odlStaff, variables: { input: { learnerId: kumar.id, courseId: course.id, visibility: 'PUBLIC' } } });
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.message).toMatch(/visibility/);
  });

  it("is PRIVATE until the learner chooses, then the learner's choice", async () => {
    const first = (await graph.gateway.ok(ISSUE, { as: odlStaff, variables: { input: { learnerId: kumar.id, courseId: courseByCode.get('SE1102')!.id } } })).issueCredential;
    expect(first.visibility).toBe('PRIVATE');
    expect(await publicDocument(first.id)).toBe(404);

    await graph.gateway.ok(PREFER, { as: learnerToken(kumar.id), variables: { input: { credentialVisibility: 'PUBLIC' } } });
    await eventually(
      async () => (await graph.connection.query(`select 1 from credentials.learner_preference where learner_id = $1 and credential_visibility = 'PUBLIC'`, [kumar.id])).length > 0,
      "credentials knows Kumar's choice",
    );
    const second = (await graph.gateway.ok(ISSUE, { as: odlStaff, variables: { input: { learnerId: kumar.id, courseId: courseByCode.get('SE1201')!.id } } })).issueCredential;
    expect(second.visibility).toBe('PUBLIC');
    expect(await publicDocument(second.id)).toBe(200);
    // A choice applies to credentials issued from then on; the first stays as it was.
    expect(await publicDocument(first.id)).toBe(404);
  });
});
