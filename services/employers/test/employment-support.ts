import { todayInMalaysia } from '@tauliah/core';
import { employers, employments, learnerByKey } from '@tauliah/demo-data';
import type { GraphClient, Who } from '@tauliah/testing';
import { addDays } from '../src/employment/dates.ts';

/** Who acts in these tests: each employer's staff (people and systems) and the learners their records name. */
export const perisianAdmin = { role: 'EMPLOYER', sub: 'staff:perisian:hiring', employerId: employers.software.id } as const;
export const perisianHr = { role: 'EMPLOYER', sub: 'staff:perisian:hr', employerId: employers.software.id } as const;
export const perisianSystem = { role: 'PARTNER', sub: 'system:perisian-hr', employerId: employers.software.id } as const;
export const elektronikHr = { role: 'EMPLOYER', sub: 'staff:elektronik:hr', employerId: employers.electronics.id } as const;
export const kopiOwner = { role: 'EMPLOYER', sub: 'staff:kopi:owner', employerId: employers.cafe.id } as const;
export const asLearner = (key: string) => ({ role: 'LEARNER', sub: learnerByKey(key).id }) as const;

/** The demo employment of a learner (all confirmed and current). */
export const demoEmploymentOf = (key: string) => employments.find((e) => e.learnerId === learnerByKey(key).id)!;

export const today = () => todayInMalaysia();
export const daysFromToday = (days: number) => addDays(todayInMalaysia(), days);

export const EMPLOYMENT_FIELDS = 'id jobTitle since until confirmedByLearner status current recordedAt employer { id } learner { id }';
export const RECORD = `mutation($input: RecordEmploymentInput!, $key: String) { recordEmployment(input: $input, idempotencyKey: $key) { ${EMPLOYMENT_FIELDS} } }`;
export const CONFIRM = `mutation($id: ID!) { confirmEmployment(id: $id) { ${EMPLOYMENT_FIELDS} } }`;
export const DECLINE = `mutation($id: ID!) { declineEmployment(id: $id) { ${EMPLOYMENT_FIELDS} } }`;
export const END = `mutation($id: ID!, $until: String!) { endEmployment(id: $id, until: $until) { ${EMPLOYMENT_FIELDS} } }`;

/** Records employment as `who`, failing the test on any error; answers the record. */
export async function record(client: GraphClient, who: Who, input: { learnerId: string; jobTitle?: string; since?: string }, key?: string) {
  const data = await client.ok(RECORD, { as: who, variables: { input: { jobTitle: 'Barista', since: '2026-01-05', ...input }, key } });
  return data.recordEmployment as { id: string; status: string; current: boolean; until: string | null; confirmedByLearner: boolean };
}
