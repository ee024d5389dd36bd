import { skillRetiredEvent } from '@tauliah/core';
import { courseByCode, credentials as demoCredentials, demoId, employers, jobRoles, learnerByKey } from '@tauliah/demo-data';
import { codesOf, eventually } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * A skill retired in favour of another, told through the whole graph: the
 * providers service's event reaches credentials over the graph's broker, and
 * from then on credentials proving the retired skill count for its successor
 * in talent search and in the skills gap, and the other way round.
 * The taxonomy here folds SOLDERING into PCB-DESIGN.
 */
let graph: TestGraph;
const karhoe = learnerByKey('karhoe');
const kumar = learnerByKey('kumar');
const daniel = learnerByKey('daniel');
const technician = jobRoles.find((r) => r.title === 'Junior Electronic Technician')!;
const electronicsStaff = { role: 'EMPLOYER', sub: 'staff:elektronik:hr', employerId: employers.electronics.id } as const;
const odlStaff = { role: 'PROVIDER_STAFF', sub: 'staff:odl:registrar', providerId: demoId('provider:odl') } as const;
const learner = (id: string) => ({ role: 'LEARNER', sub: id }) as const;

const TALENT = `query($skills: [String!]!) {
  talentSearch(skills: $skills, first: 100) { edges { node { learner { id } matchedSkills { code } credentials { id } } } }
}`;
const GAP = `query($role: ID!, $learner: ID!) {
  jobRole(id: $role) { gapFor(learnerId: $learner) { ready held { skill { code } level credential { id } } missing { skill { code } heldLevel } } }
}`;
const ISSUE = `mutation($input: IssueCredentialInput!) { issueCredential(input: $input) { id } }`;
const VISIBILITY = `mutation($id: ID!, $v: CredentialVisibility!) { setCredentialVisibility(id: $id, visibility: $v) { visibility } }`;

interface Candidate {
  learner: { id: string };
  matchedSkills: Array<{ code: string }>;
  credentials: Array<{ id: string }>;
}
async function talent(skills: string[]): Promise<Map<string, Candidate>> {
  const data = await graph.gateway.ok(TALENT, { as: electronicsStaff, variables: { skills } });
  return new Map(data.talentSearch.edges.map((e: { node: Candidate }) => [e.node.learner.id, e.node]));
}

interface Gap {
  ready: boolean;
  held: Array<{ skill: { code: string }; level: number; credential: { id: string } }>;
  missing: Array<{ skill: { code: string }; heldLevel: number | null }>;
}
async function gapOf(learnerId: string): Promise<Gap> {
  return (await graph.gateway.ok(GAP, { as: learner(learnerId), variables: { role: technician.id, learner: learnerId } })).jobRole.gapFor;
}
const heldCodes = (gap: Gap) => gap.held.map((h) => h.skill.code).sort();
const missingCodes = (gap: Gap) => gap.missing.map((m) => m.skill.code).sort();

/** Issues through the graph as the ODL's registrar, then the learner chooses who sees it. */
async function issue(learnerId: string, courseCode: string, visibility: 'PRIVATE' | 'EMPLOYERS'): Promise<string> {
  const id: string = (await graph.gateway.ok(ISSUE, { as: odlStaff, variables: { input: { learnerId, courseId: courseByCode.get(courseCode)!.id } } })).issueCredential.id;
  await graph.gateway.ok(VISIBILITY, { as: learner(learnerId), variables: { id, v: visibility } });
  return id;
}

/** The providers service's event, as its relay publishes it, once credentials has applied it. */
async function retire(code: string, successorCode: string, version: number): Promise<void> {
  await graph.events.publish({ id: randomUUID(), subject: skillRetiredEvent.subject, version, occurredAt: new Date().toISOString(), data: { code, successorCode } });
  await eventually(async () => {
    const rows = await graph.connection.query<{ version: string | number }>('select version from credentials.skill_succession where code = $1', [code]);
    return rows.some((r) => Number(r.version) === version);
  }, `credentials to apply the retirement of ${code}`);
}

const solderingCourses = ['EE1105', 'EE1107'].map((code) => courseByCode.get(code)!.id);
const karhoeSoldering = demoCredentials.filter((c) => c.learnerId === karhoe.id && solderingCourses.includes(c.courseId)).map((c) => c.id);
let kumarPcb: string;
let danielSoldering: string;

beforeAll(async () => {
  graph = await startTestGraph();
  // Kumar proves PCB design and not soldering; Daniel proves soldering but keeps it from employers.
  kumarPcb = await issue(kumar.id, 'EE2103', 'EMPLOYERS');
  danielSoldering = await issue(daniel.id, 'EE1105', 'PRIVATE');
});
afterAll(() => graph?.stop());

describe('a skill retired in favour of another, through the gateway', () => {
  it('counts credentials proving the retired skill for its successor in talent search and the skills gap, from the event on', async () => {
    expect(technician.requiredSkills.map((r) => r.skillCode)).toEqual(expect.arrayContaining(['SOLDERING', 'PCB-DESIGN']));
    expect(karhoeSoldering).toHaveLength(2);

    // Before: Kar Hoe proves soldering only, Kumar PCB design only.
    expect((await talent(['PCB-DESIGN'])).has(karhoe.id)).toBe(false);
    expect((await talent(['SOLDERING'])).has(kumar.id)).toBe(false);
    const karhoeBefore = await gapOf(karhoe.id);
    expect(heldCodes(karhoeBefore)).not.toContain('PCB-DESIGN');
    expect(missingCodes(karhoeBefore)).toContain('PCB-DESIGN');
    expect(missingCodes(await gapOf(kumar.id))).toEqual(['SOLDERING']);

    await retire('SOLDERING', 'PCB-DESIGN', 1_000_001);

    // Talent search by the successor finds the holders of the retired skill, with the credentials that prove it.
    const bySuccessor = await talent(['PCB-DESIGN']);
    expect(bySuccessor.get(karhoe.id)!.matchedSkills).toEqual([{ code: 'PCB-DESIGN' }]);
    expect(bySuccessor.get(karhoe.id)!.credentials.map((c) => c.id).sort()).toEqual([...karhoeSoldering].sort());
    expect(bySuccessor.has(kumar.id)).toBe(true);
    // The retired code stands for its successor: the same learners, named by the skill in use.
    const byRetired = await talent(['SOLDERING']);
    expect([...byRetired.keys()].sort()).toEqual([...bySuccessor.keys()].sort());
    expect(byRetired.get(kumar.id)!.matchedSkills).toEqual([{ code: 'PCB-DESIGN' }]);
    expect(byRetired.get(kumar.id)!.credentials).toEqual([{ id: kumarPcb }]);

    // The role requires both codes: a soldering credential meets PCB-DESIGN at its level (3)...
    const karhoeAfter = await gapOf(karhoe.id);
    const pcb = karhoeAfter.held.find((h) => h.skill.code === 'PCB-DESIGN')!;
    expect(pcb.level).toBe(3);
    expect(karhoeSoldering).toContain(pcb.credential.id);
    expect(missingCodes(karhoeAfter)).not.toContain('PCB-DESIGN');
    // ...and the role still listing the retired SOLDERING is met by Kumar's PCB design credential (level 4).
    const kumarAfter = await gapOf(kumar.id);
    expect(kumarAfter.held.find((h) => h.skill.code === 'SOLDERING')).toMatchObject({ level: 4, credential: { id: kumarPcb } });
    expect(missingCodes(kumarAfter)).toEqual([]);
    expect(kumarAfter.ready).toBe(true);
  });

  it('still never shows a credential its holder keeps from employers, nor a gap to whoever may not ask', async () => {
    await retire('SOLDERING', 'PCB-DESIGN', 1_000_002);
    for (const skills of [['PCB-DESIGN'], ['SOLDERING'], ['SOLDERING', 'PCB-DESIGN']]) {
      const found = await talent(skills);
      expect(found.has(daniel.id), skills.join()).toBe(false);
      expect([...found.values()].flatMap((c) => c.credentials.map((x) => x.id))).not.toContain(danielSoldering);
    }
    // Daniel's own gap counts his private credential: it is his.
    expect(heldCodes(await gapOf(daniel.id))).toEqual(['PCB-DESIGN', 'SOLDERING']);
    // Another learner, and an employer without his consent, are refused as before.
    const variables = { role: technician.id, learner: daniel.id };
    expect(codesOf(await graph.gateway.query(GAP, { as: learner(kumar.id), variables }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.gateway.query(GAP, { as: electronicsStaff, variables }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.gateway.query(TALENT, { as: learner(daniel.id), variables: { skills: ['SOLDERING'] } }))).toEqual(['FORBIDDEN']);
  });
});
