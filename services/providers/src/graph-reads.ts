import { readOnce, type InternalGraph } from '@tauliah/core';

/*
 * The reads providers makes of other services' data, through the graph as
 * the viewer (see docs/architecture.md).
 */

export interface RegisteredOrganisation {
  id: string;
  name: string;
}

/** Each owning service's answer to "which organisation has this registration number" (ADMIN only; null when none). */
const REGISTERED = {
  EMPLOYER: { what: 'the employer with this registration number', field: 'employerByRegistrationNumber' },
  FUNDER: { what: 'the funder with this registration number', field: 'funderByRegistrationNumber' },
} as const;

/**
 * The employer or funder its owning service already keeps under a
 * registration number, asked as the deciding platform administrator: an
 * organisation that joined some other way (the demo data, an earlier
 * approval) must not be created twice. A read that fails fails the decision:
 * approving blind could make the same company twice.
 */
export async function registeredOrganisation(graph: InternalGraph, kind: keyof typeof REGISTERED, registrationNumber: string): Promise<RegisteredOrganisation | null> {
  const { what, field } = REGISTERED[kind];
  const data = await readOnce<Record<string, RegisteredOrganisation | null>>(
    graph,
    what,
    `query($registrationNumber: String!) { ${field}(registrationNumber: $registrationNumber) { id name } }`,
    { registrationNumber },
  );
  return data[field] ?? null;
}
