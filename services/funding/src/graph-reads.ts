import { isUuid, type InternalGraph } from '@tauliah/core';
import DataLoader from 'dataloader';
import type { Context } from './context.ts';
import type { CourseFacts } from './eligibility/evaluate.ts';
import type { LearnerFacts } from './graph/entities.ts';

/**
 * Other services' data funding reads at request time for an id it was given
 * as an argument (a `courseId`, a `learnerId`), which `@requires` cannot
 * fetch. Asked of the gateway with the viewer's own token, so each owner's
 * authorisation and the learner's consent apply; one graph call per batch.
 */
function createGraphReads(graph: InternalGraph) {
  return {
    course: new DataLoader<string, (CourseFacts & { providerId: string }) | null>(async (ids) => {
      const known = ids.filter(isUuid);
      const variables = Object.fromEntries(known.map((id, i) => [`c${i}`, id]));
      const query = `query(${known.map((_, i) => `$c${i}: ID!`).join(', ')}) { ${known
        .map((_, i) => `c${i}: course(id: $c${i}) { id feeSen mqfLevel provider { id } }`)
        .join(' ')} }`;
      type Found = CourseFacts & { provider: { id: string } };
      const answer = known.length ? await graph.query<Record<string, Found | null>>(query, variables) : { data: null };
      const byId = new Map(known.map((id, i) => [id, answer.data?.[`c${i}`] ?? null]));
      return ids.map((id) => {
        const found = byId.get(id);
        return found ? { id: found.id, feeSen: found.feeSen, mqfLevel: found.mqfLevel, providerId: found.provider.id } : null;
      });
    }),
    learner: new DataLoader<string, LearnerFacts | null>(async (ids) => {
      const known = ids.filter(isUuid);
      const answer = known.length
        ? await graph.query<{ learners: Array<LearnerFacts | null> | null }>(
            'query($ids: [ID!]!) { learners(ids: $ids) { id eligibilityInputs { dateOfBirth citizenship } consentedScopes eligibilityEmployer { id hrdCorpRegistered } } }',
            { ids: known },
          )
        : { data: null };
      const byId = new Map((answer.data?.learners ?? []).filter((l): l is LearnerFacts => !!l).map((l) => [l.id, l]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    /** The employer of a learner's current confirmed employment, as the viewer (an employer sees only its own) may read it. */
    async currentEmployerOf(learnerId: string): Promise<string | null> {
      const answer = await graph.query<{ learner: { currentEmployer: { id: string } | null } | null }>(
        'query($id: ID!) { learner(id: $id) { currentEmployer { id } } }',
        { id: learnerId },
      );
      return answer.data?.learner?.currentEmployer?.id ?? null;
    },
  };
}

const perRequest = new WeakMap<object, ReturnType<typeof createGraphReads>>();

/** The graph reads of this request (cached on its loaders object, which lives exactly as long as the request). */
export function graphReads(context: Context): ReturnType<typeof createGraphReads> {
  let reads = perRequest.get(context.loaders);
  if (!reads) perRequest.set(context.loaders, (reads = createGraphReads(context.graph)));
  return reads;
}
