import { allCourses, courseById, credentials as demoCredentials, demoId, jobRoles, learnerByKey } from '@tauliah/demo-data';
import { codesOf } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electronicsStaff, learnerToken, softwareStaff } from './talent.support.ts';

let graph: TestGraph;
const fullStack = jobRoles.find((r) => r.id === demoId('job-role:junior-full-stack'))!;
const draft = jobRoles.find((r) => r.id === demoId('job-role:embedded-engineer-draft'))!;
const nurul = learnerByKey('nurul');
const faizal = learnerByKey('faizal');

beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.stop());

/** A job role turned into a plan: what is held, what is missing, the courses that teach it and the schemes that pay. */
const PLAN = `query($role: ID!, $learner: ID!) {
  jobRole(id: $role) {
    title
    gapFor(learnerId: $learner) {
      ready
      learner { id }
      held { skill { code } minimumLevel level credential { id title } }
      missing {
        skill { code courses(first: 20) { edges { node { code title fundingOptions(learnerId: $learner) { scheme { name } eligibility { eligible consentRequired } } } } } }
        minimumLevel
        heldLevel
      }
    }
  }
}`;
const GAP = `query($role: ID!, $learner: ID!) { jobRole(id: $role) { gapFor(learnerId: $learner) { held { skill { code } } missing { skill { code } } } } }`;

/** The demo learner's skills as the demo data says, to check the gap against. */
const skillsHeldBy = (learnerId: string) =>
  new Set(demoCredentials.filter((c) => c.learnerId === learnerId && !c.expiresAt).flatMap((c) => courseById.get(c.courseId)!.skills));

describe('the skills gap for a job role', () => {
  it('lists exactly the missing skills, the courses teaching them and the funding for each, in one query', async () => {
    const data = await graph.gateway.ok(PLAN, { as: learnerToken(nurul.id), variables: { role: fullStack.id, learner: nurul.id } });
    const gap = data.jobRole.gapFor;
    const held = skillsHeldBy(nurul.id);
    const required = fullStack.requiredSkills.map((s) => s.skillCode).sort();
    const expectedHeld = required.filter((code) => held.has(code));
    const expectedMissing = required.filter((code) => !held.has(code));
    expect(expectedHeld.length).toBeGreaterThan(0);
    expect(expectedMissing.length).toBeGreaterThan(0);
    expect(gap.learner).toEqual({ id: nurul.id });
    expect(gap.ready).toBe(false);
    expect(gap.held.map((h: { skill: { code: string } }) => h.skill.code)).toEqual(expectedHeld);
    expect(gap.missing.map((m: { skill: { code: string } }) => m.skill.code)).toEqual(expectedMissing);
    for (const h of gap.held) {
      const proving = demoCredentials.find((c) => c.id === h.credential.id)!;
      expect(proving.learnerId).toBe(nurul.id);
      expect(courseById.get(proving.courseId)!.skills).toContain(h.skill.code);
      expect(h.level).toBeGreaterThanOrEqual(h.minimumLevel);
    }
    for (const m of gap.missing) {
      const teaching = allCourses.filter((c) => c.skills.includes(m.skill.code)).map((c) => c.code).sort();
      expect(m.skill.courses.edges.map((e: { node: { code: string } }) => e.node.code).sort()).toEqual(teaching);
      expect(m.heldLevel).toBeNull();
      const options = m.skill.courses.edges.flatMap((e: { node: { fundingOptions: unknown[] } }) => e.node.fundingOptions);
      expect(options.length).toBeGreaterThan(0);
    }
  });

  it('counts a credential only while it is active: revoking the proof makes the skill missing', async () => {
    const before = await graph.gateway.ok(PLAN, { as: learnerToken(nurul.id), variables: { role: fullStack.id, learner: nurul.id } });
    const proof = before.jobRole.gapFor.held[0];
    await graph.gateway.ok(`mutation($id: ID!) { revokeCredential(id: $id, reason: "Issued in error") { status } }`, {
      as: { role: 'PROVIDER_STAFF', sub: 'staff:odl:registrar', providerId: demoId('provider:odl') },
      variables: { id: proof.credential.id },
    });
    const after = await graph.gateway.ok(GAP, { as: learnerToken(nurul.id), variables: { role: fullStack.id, learner: nurul.id } });
    const missing = after.jobRole.gapFor.missing.map((m: { skill: { code: string } }) => m.skill.code);
    const stillHeld = demoCredentials.some((c) => c.learnerId === nurul.id && c.id !== proof.credential.id && courseById.get(c.courseId)!.skills.includes(proof.skill.code));
    expect(missing.includes(proof.skill.code)).toBe(!stillHeld);
  });

  it("is for the learner, and for the role's employer only with the learner's CREDENTIALS consent", async () => {
    const variables = { role: fullStack.id, learner: faizal.id };
    const own = await graph.gateway.ok(GAP, { as: softwareStaff, variables });
    expect(own.jobRole.gapFor.held.map((h: { skill: { code: string } }) => h.skill.code)).toEqual(['PROG-FUND']);
    expect(codesOf(await graph.gateway.query(GAP, { as: softwareStaff, variables: { role: fullStack.id, learner: nurul.id } }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.gateway.query(GAP, { as: electronicsStaff, variables }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.gateway.query(GAP, { as: learnerToken(nurul.id), variables }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await graph.gateway.query(GAP, { variables }))).toEqual(['UNAUTHENTICATED']);
    expect(codesOf(await graph.gateway.query(GAP, { as: learnerToken(nurul.id), variables: { role: fullStack.id, learner: 'nurul' } }))).toEqual(['BAD_USER_INPUT']);
  });

  it('is not offered on a draft role to a learner', async () => {
    const response = await graph.gateway.query(GAP, { as: learnerToken(nurul.id), variables: { role: draft.id, learner: nurul.id } });
    expect(codesOf(response)).toEqual(['NOT_FOUND']);
  });
});
