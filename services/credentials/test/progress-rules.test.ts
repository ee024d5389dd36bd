import { describe, expect, it } from 'vitest';
import type { PathwayDefinition } from '../src/graph/progress/pathway.ts';
import { apelCreditsNeeded, computeProgress, creditsByCourse, type HeldCredential } from '../src/graph/progress/rules.ts';

const now = new Date('2026-06-01T00:00:00Z');
let n = 0;
const held = (courseId: string, overrides: Partial<HeldCredential> = {}): HeldCredential => ({
  id: `credential-${++n}`,
  courseId,
  credits: 5,
  status: 'ACTIVE',
  expiresAt: null,
  renewalOf: null,
  ...overrides,
});

/** A programme of `credits` whose one stage lists courses c1..c<count>, each worth 5 credits when held. */
const programme = (credits: number, thresholdPercent: number, count = 30): PathwayDefinition => ({
  id: 'pathway',
  provider: { id: 'provider' },
  targetProgrammeCredits: credits,
  apelThresholdPercent: thresholdPercent,
  stages: [
    {
      position: 1,
      title: 'All',
      exitAward: 'Award',
      exitJobRoleTitle: null,
      minimumCredits: null,
      requiredCourseIds: Array.from({ length: count }, (_, i) => `c${i + 1}`),
      electiveCourseIds: [],
    },
  ],
  recognitions: [],
});
const earning = (credits: number[]) => credits.map((c, i) => held(`c${i + 1}`, { credits: c }));

describe('which credentials count', () => {
  it('counts only active credentials that have not expired', () => {
    const counted = creditsByCourse(
      [
        held('active'),
        held('revoked', { status: 'REVOKED' }),
        held('suspended', { status: 'SUSPENDED' }),
        held('expired', { expiresAt: new Date('2026-05-31T23:59:59Z') }),
        held('current', { expiresAt: new Date('2027-01-01T00:00:00Z') }),
      ],
      now,
    );
    expect([...counted.keys()]).toEqual(['active', 'current']);
  });

  it('counts a renewed credential once: the renewal replaces it', () => {
    const original = held('first-aid', { credits: 2, expiresAt: new Date('2026-12-01T00:00:00Z') });
    const renewal = held('first-aid', { credits: 2, renewalOf: original.id, expiresAt: new Date('2029-12-01T00:00:00Z') });
    expect(creditsByCourse([original, renewal], now)).toEqual(new Map([['first-aid', 2]]));
    // A revoked renewal does not bring back what it replaced.
    expect(creditsByCourse([original, { ...renewal, status: 'REVOKED' }], now)).toEqual(new Map());
  });

  it('counts a course once however many credentials name it', () => {
    expect(creditsByCourse([held('c1'), held('c1'), held('c1', { credits: 4 })], now)).toEqual(new Map([['c1', 5]]));
  });
});

describe('APEL.M eligibility in whole numbers', () => {
  it('admits at exactly half of 120 credits and not one credit before', () => {
    const at = (credits: number) => computeProgress(programme(120, 50), 'learner', earning(Array(12).fill(5).concat([credits])), now);
    expect(at(0)).toMatchObject({ creditsEarned: 60, apelEligible: true, apelCreditsNeeded: 60, percent: 50 });
    const short = computeProgress(programme(120, 50), 'learner', earning([...Array(11).fill(5), 4]), now);
    expect(short).toMatchObject({ creditsEarned: 59, apelEligible: false, percent: 49 });
    expect(short.apelRule).toBe(
      "APEL.M admits with at least 50% of the programme's 120 credits earned through micro-credentials (60 credits); 59 earned, so not yet eligible: 1 more needed.",
    );
  });

  it('rounds the credits needed up when the threshold falls between two credits', () => {
    expect(apelCreditsNeeded(121, 50)).toBe(61);
    const sixty = computeProgress(programme(121, 50), 'learner', earning(Array(12).fill(5)), now);
    expect(sixty).toMatchObject({ creditsEarned: 60, apelEligible: false, apelCreditsNeeded: 61 });
    const sixtyOne = computeProgress(programme(121, 50), 'learner', earning([...Array(11).fill(5), 6]), now);
    expect(sixtyOne.apelEligible).toBe(true);
  });

  it("honours a pathway's own threshold and caps the percentage at 100", () => {
    expect(computeProgress(programme(100, 33), 'learner', earning([5, 5, 5, 5, 5, 5, 3]), now)).toMatchObject({ creditsEarned: 33, apelEligible: true });
    expect(computeProgress(programme(10, 50), 'learner', earning([5, 5, 5]), now).percent).toBe(100);
  });
});

describe('recognised equivalents', () => {
  const withRecognitions = (recognitions: PathwayDefinition['recognitions']): PathwayDefinition => ({ ...programme(120, 50, 2), recognitions });

  it('counts a recognised course at its granted credits, the best of several, and a course held directly at its own', () => {
    const pathway = withRecognitions([
      { courseId: 'c1', recognisedCourseId: 'other-a', creditsGranted: 3 },
      { courseId: 'c1', recognisedCourseId: 'other-b', creditsGranted: 4 },
      { courseId: 'c2', recognisedCourseId: 'other-a', creditsGranted: 2 },
    ]);
    const progress = computeProgress(pathway, 'learner', [held('other-a', { credits: 4 }), held('other-b', { credits: 4 }), held('c2')], now);
    expect(progress.earned).toEqual([
      { courseId: 'c2', credits: 5, recognisedCourseId: null },
      { courseId: 'c1', credits: 4, recognisedCourseId: 'other-b' },
    ]);
    expect(progress.creditsEarned).toBe(9);
  });

  it('ignores credentials for courses outside the pathway', () => {
    expect(computeProgress(withRecognitions([]), 'learner', [held('elsewhere', { credits: 60 })], now).creditsEarned).toBe(0);
  });
});
