import { describe, expect, it } from 'vitest';
import type { CourseFacts, GuidanceFacts, HeldCredentialFacts } from '../src/guidance/facts.ts';
import { rankCourses } from '../src/guidance/rank.ts';

const course = (id: string, overrides: Partial<CourseFacts> = {}): CourseFacts => ({
  id,
  code: id.toUpperCase(),
  title: `Course ${id}`,
  status: 'PUBLISHED',
  mqfLevel: 4,
  credits: 5,
  feeSen: 100_000,
  skills: [{ code: 'WEB-BACKEND', name: 'Back-end web development' }],
  fundingOptions: [],
  ...overrides,
});
const credential = (courseId: string, mqfLevel: number): HeldCredentialFacts => ({ course: { id: courseId }, title: `Held ${courseId}`, status: 'ACTIVE', mqfLevel, replacedBy: null, skills: [] });
const page = (courses: CourseFacts[]) => ({ edges: courses.map((node) => ({ node })) });

function roleFacts(courses: CourseFacts[], credentials: HeldCredentialFacts[] = [credential('held', 4)]): GuidanceFacts {
  return {
    credentials,
    jobRole: { id: 'role', title: 'Back-end Developer', gapFor: { missing: [{ skill: { code: 'WEB-BACKEND', name: 'Back-end web development', courses: page(courses) }, minimumLevel: 4, heldLevel: null }] } },
    pathway: null,
    interestCourses: [],
    courses: [],
  };
}
const rank = (facts: GuidanceFacts, extra: Partial<Parameters<typeof rankCourses>[0]> = {}) => rankCourses({ facts, heldCourseIds: [], sequences: [], interests: [], first: 10, ...extra });

describe('ranking the courses a learner could take next', () => {
  it('leaves out courses the learner holds, retired courses, and those below the level the role asks for', () => {
    const ranked = rank(roleFacts([course('a'), course('held'), course('b', { status: 'RETIRED' }), course('c', { mqfLevel: 3 }), course('d')]), { heldCourseIds: ['d'] });
    expect(ranked.map((r) => r.course.id)).toEqual(['a']);
  });

  it('prefers one MQF step up, then the same level, over a course far above', () => {
    const ranked = rank(roleFacts([course('far', { mqfLevel: 7 }), course('same', { mqfLevel: 4 }), course('up', { mqfLevel: 5 })]));
    expect(ranked.map((r) => r.course.id)).toEqual(['up', 'same', 'far']);
    expect(ranked[2]!.reasons.find((r) => r.kind === 'MQF_PROGRESSION')!.weight).toBeLessThan(0);
  });

  it('says what the best eligible scheme pays and what is left to pay, and prefers the cheaper course at equal merit', () => {
    const funded = course('funded', {
      fundingOptions: [
        { scheme: { id: 's1', name: 'B40 Bursary' }, eligibility: { eligible: true, coveredSen: 90_000 } },
        { scheme: { id: 's2', name: 'HRD Corp' }, eligibility: { eligible: false, coveredSen: 0 } },
      ],
    });
    const [first, second] = rank(roleFacts([course('plain'), funded]));
    expect(first).toMatchObject({ course: { id: 'funded' }, coveredSen: 90_000, amountToPaySen: 10_000, fundedBy: { id: 's1' } });
    expect(first!.summary).toContain('You would pay RM 100.00 of its RM 1,000.00 fee.');
    expect(second).toMatchObject({ course: { id: 'plain' }, coveredSen: 0, amountToPaySen: 100_000, fundedBy: null });
  });

  it('lets what similar learners completed next decide between equal courses', () => {
    const facts = roleFacts([course('a'), course('b')]);
    expect(rank(facts).map((r) => r.course.id)).toEqual(['a', 'b']);
    const ranked = rank(facts, { sequences: [{ courseId: 'held', nextCourseId: 'b', learners: 12, holders: 40 }] });
    expect(ranked.map((r) => r.course.id)).toEqual(['b', 'a']);
    expect(ranked[0]!.reasons.find((r) => r.kind === 'SIMILAR_LEARNERS')).toMatchObject({ courseId: 'held', learners: 12 });
  });

  it('recommends nothing without a reason beyond level and money', () => {
    const facts: GuidanceFacts = { credentials: [], jobRole: null, pathway: null, interestCourses: [], courses: [course('a', { mqfLevel: 3 })] };
    expect(rank(facts)).toEqual([]);
  });
});
