import { demoId, employers } from '@tauliah/demo-data';
import type { TestGraph } from '@tauliah/testing/graph';

export const softwareStaff = { role: 'EMPLOYER', sub: 'staff:perisian:hr', employerId: employers.software.id } as const;
export const electronicsStaff = { role: 'EMPLOYER', sub: 'staff:elektronik:hr', employerId: employers.electronics.id } as const;
export const softwarePartner = { role: 'PARTNER', sub: 'system:perisian-hr', employerId: employers.software.id } as const;
export const odlStaff = { role: 'PROVIDER_STAFF', sub: 'staff:odl:registrar', providerId: demoId('provider:odl') } as const;
export const learnerToken = (id: string) => ({ role: 'LEARNER', sub: id }) as const;

export const TALENT = `query($skills: [String!]!, $match: TalentSkillMatch, $minLevel: Int, $state: String, $issuedAfter: DateTimeISO, $first: Int, $after: String) {
  talentSearch(skills: $skills, match: $match, minLevel: $minLevel, state: $state, issuedAfter: $issuedAfter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { learner { id } matchedSkills { code } credentials { id } score } }
  }
}`;

export interface TalentEdge {
  cursor: string;
  node: { learner: { id: string }; matchedSkills: Array<{ code: string }>; credentials: Array<{ id: string }>; score: number };
}

/** The learners a talent search finds, in rank order. */
export async function talentIds(graph: TestGraph, variables: Record<string, unknown>, as: object = softwareStaff): Promise<string[]> {
  const data = await graph.gateway.ok(TALENT, { as: as as never, variables: { first: 100, ...variables } });
  return data.talentSearch.edges.map((e: TalentEdge) => e.node.learner.id);
}

const ISSUE = `mutation($input: IssueCredentialInput!) { issueCredential(input: $input) { id } }`;
const SHOW = `mutation($id: ID!, $visibility: CredentialVisibility!) { setCredentialVisibility(id: $id, visibility: $visibility) { id } }`;

/**
 * Issues a credential through the graph as the ODL's registrar; with
 * `visibility`, the learner then shows it (visibility is the learner's choice).
 */
export async function issue(graph: TestGraph, input: { learnerId: string; courseId: string; visibility?: string; issuedAt?: string; expiresAt?: string }): Promise<string> {
  const { visibility, ...item } = input;
  const id: string = (await graph.gateway.ok(ISSUE, { as: odlStaff, variables: { input: item } })).issueCredential.id;
  if (visibility) await graph.gateway.ok(SHOW, { as: learnerToken(input.learnerId), variables: { id, visibility } });
  return id;
}
