import { codesOf, type GraphClient, type GraphQLResponse, type Who } from '@tauliah/testing';
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';

/** Organisations applying to join, and the calls they and administrators make (the applications tests). */

export const APPLICATION_FIELDS = `id kind name state website providerKind mqaRegistration hrdCorpTrainingProviderNumber registrationNumber
  sector size employeeCount hrdCorpEmployerNumber administrator { subject name email } applicantSubject status reason decidedAt organisationId createdAt`;
export const APPLY = `mutation($input: ApplyToJoinInput!, $key: String) { applyToJoin(input: $input, idempotencyKey: $key) { ${APPLICATION_FIELDS} } }`;
export const DECIDE = `mutation($id: ID!, $decision: OrganisationApplicationDecision!, $reason: String!) {
  decideOrganisationApplication(id: $id, decision: $decision, reason: $reason) { ${APPLICATION_FIELDS} } }`;
export const MINE = `{ myOrganisationApplications { id status reason organisationId } }`;
export const ONE = `query($id: ID!) { organisationApplication(id: $id) { id status administrator { subject email } } }`;
export const LIST = `query($status: OrganisationApplicationStatus, $kind: OrganisationKind, $first: Int, $after: String) {
  organisationApplications(status: $status, kind: $kind, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id kind status name } } } }`;

let serial = 0;
const next = () => String(++serial).padStart(8, '0');

/** Someone signed in who is nobody's staff yet: the person who applies for their organisation. */
export const someone = (): { role: 'LEARNER'; sub: string } => ({ role: 'LEARNER', sub: randomUUID() });

const administrator = (n: string) => ({ subject: `founder:${n}`, name: `Siti Aminah ${n}`, email: `siti.${n}@joining.example.my` });

export function aProvider(overrides: Record<string, unknown> = {}) {
  const n = next();
  return {
    kind: 'PROVIDER',
    name: `Institut Latihan Perak ${n}`,
    state: 'Perak',
    website: `https://ilp${n}.example.com.my`,
    providerKind: 'TRAINING_PROVIDER',
    hrdCorpTrainingProviderNumber: `HRDC-TP-8${n}`,
    administrator: administrator(n),
    ...overrides,
  };
}

export function anEmployer(overrides: Record<string, unknown> = {}) {
  const n = next();
  return {
    kind: 'EMPLOYER',
    name: `Kilang Presisi ${n} Sdn Bhd`,
    state: 'Johor',
    registrationNumber: `2024${n}`,
    sector: 'Manufacturing',
    size: 'SMALL',
    employeeCount: 42,
    hrdCorpEmployerNumber: `HRDC-E-${n}`,
    administrator: administrator(n),
    ...overrides,
  };
}

export function aFunder(overrides: Record<string, unknown> = {}) {
  const n = next();
  return { kind: 'FUNDER', name: `Yayasan Pendidikan Kedah ${n}`, state: 'Kedah', registrationNumber: `PPM-002-${n}`, administrator: administrator(n), ...overrides };
}

/** The fields a BAD_USER_INPUT answer names. */
export function refusedFields(response: GraphQLResponse): string[] {
  expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
  const { problems, field } = response.errors![0]!.extensions! as { problems?: Array<{ field: string }>; field?: string };
  return problems ? problems.map((p) => p.field) : [String(field)];
}

/** Applies as `who` and returns the application. */
export async function apply(client: GraphClient, input: Record<string, unknown>, who: Who = someone(), key?: string) {
  return (await client.ok(APPLY, { as: who, variables: { input, key } })).applyToJoin as { id: string; status: string; [field: string]: unknown };
}

export async function decide(client: GraphClient, id: string, decision: 'APPROVE' | 'REJECT', reason = 'Registration verified with the regulator.') {
  return client.query(DECIDE, { as: 'ADMIN', variables: { id, decision, reason } });
}
