import { courseByCode, type DemoCourse, type DemoLearner } from '@tauliah/demo-data';
import type { Who } from '@tauliah/testing';
import type { TestGraph } from '@tauliah/testing/graph';

/** Pathway.progress with everything the scenario looks at. */
export const PROGRESS_FIELDS = `creditsEarned creditsRequired percent apelCreditsNeeded apelEligible apelRule
  exitAwards { stagePosition award jobRoleTitle }
  nextCourses { code }
  stages { position complete creditsEarned creditsStillNeeded missingCourses { code } }
  earned { course { code } credits recognisedCourse { code } }`;

export const PROGRESS = `query($pathwayId: ID!, $learnerId: ID!) { pathway(id: $pathwayId) { code progress(learnerId: $learnerId) { ${PROGRESS_FIELDS} } } }`;

export interface Progress {
  creditsEarned: number;
  creditsRequired: number;
  percent: number;
  apelCreditsNeeded: number;
  apelEligible: boolean;
  apelRule: string;
  exitAwards: Array<{ stagePosition: number; award: string; jobRoleTitle: string | null }>;
  nextCourses: Array<{ code: string }>;
  stages: Array<{ position: number; complete: boolean; creditsEarned: number; creditsStillNeeded: number; missingCourses: Array<{ code: string }> }>;
  earned: Array<{ course: { code: string }; credits: number; recognisedCourse: { code: string } | null }>;
}

export const codes = (courses: Array<{ code: string }>) => courses.map((c) => c.code);

/**
 * A learner's view of the graph in the scenario: credentials are written
 * straight into the credentials tables, as an issuer's records would be
 * (issuance is another issue's work), and progress is read through the gateway.
 */
export class LearnerOnPathway {
  constructor(
    private readonly graph: TestGraph,
    readonly learner: DemoLearner,
    readonly pathwayId: string,
  ) {}

  get self(): Who {
    return { role: 'LEARNER', sub: this.learner.id };
  }

  /** Earns a credential for each course code; returns the credential ids. */
  async earn(...courseCodes: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const code of courseCodes) {
      const course = courseByCode.get(code)!;
      const [row] = await this.graph.connection.query<{ id: string }>(
        `insert into credentials.credential (holder_id, course_id, issuer_id, title, credits, mqf_level, issued_at, visibility)
         values ($1, $2, $3, $4, $5, $6, now() - interval '1 day', 'PRIVATE') returning id`,
        [this.learner.id, course.id, course.providerId, course.title, course.credits, course.mqfLevel],
      );
      ids.push(row!.id);
    }
    return ids;
  }

  async revoke(credentialId: string): Promise<void> {
    await this.graph.connection.query(`update credentials.credential set status = 'REVOKED', status_reason = 'Assessment misconduct' where id = $1`, [
      credentialId,
    ]);
  }

  async progress(as: Who = this.self): Promise<Progress> {
    const data = await this.graph.gateway.ok(PROGRESS, { as, variables: { pathwayId: this.pathwayId, learnerId: this.learner.id } });
    return data.pathway.progress;
  }
}

/**
 * A cohort of learners enrolled with the courses' provider, who each hold a
 * credential for every one of `courses`, in two statements (for scale tests
 * and the bench).
 */
export async function insertCohort(graph: TestGraph, learnerIds: string[], courses: DemoCourse[]): Promise<void> {
  await graph.connection.query(`insert into credentials.learner_enrolment (learner_id, provider_id) select holder, $2 from unnest($1::uuid[]) holder on conflict do nothing`, [
    learnerIds,
    courses[0]!.providerId,
  ]);
  await graph.connection.query(
    `insert into credentials.credential (holder_id, course_id, issuer_id, title, credits, mqf_level, issued_at)
     select holder, course, $3, 'Cohort course', 5, 4, now() - interval '1 day' from unnest($1::uuid[]) holder cross join unnest($2::uuid[]) course`,
    [learnerIds, courses.map((c) => c.id), courses[0]!.providerId],
  );
}
