import type { Role } from '@tauliah/core';

/** One stakeholder's starting point in the explorer: a tab holding an operation they may run. */
export interface ExplorerExample {
  /** Who runs it: 'public' needs no token. */
  as: Role | 'public';
  /** The name the explorer gives the operation, which titles its tab (the README's are anonymous). */
  operationName: string;
  /** The operation, exactly as the README shows it (its first line names who runs it). */
  query: string;
}

/**
 * The README's example operation for each stakeholder, one explorer tab each.
 * Kept word for word as in README.md: gateway/test/explorer-examples.test.ts
 * fails when the two differ, and test/e2e/readme.test.ts runs the README ones.
 */
export const EXPLORER_EXAMPLES: readonly ExplorerExample[] = [
  {
    as: 'public',
    operationName: 'Public',
    query: `# As: public
{
  courses(filter: { skillCodes: ["WEB-FRONTEND", "WEB-BACKEND"], mqfLevelMin: 4 }, first: 5) {
    totalCount
    edges { node { code title credits mqfLevel feeSen deliveryMode provider { name } skills { name } } }
  }
}
`,
  },
  {
    as: 'LEARNER',
    operationName: 'Learner',
    query: `# As: LEARNER
{
  me {
    fullName email nricMasked state shareStateInTalentSearch
    credentials { title status issuedAt visibility skills { code } course { code credits mqfLevel } issuer { name } }
    consents { granteeKind scopes expiresAt active }
  }
}
`,
  },
  {
    as: 'PROVIDER_STAFF',
    operationName: 'ProviderStaff',
    query: `# As: PROVIDER_STAFF
{
  provider(id: "383b3a16-2bb4-5f83-a64f-0f80ff4664c4") { name kind mqaRegistration pathways { code title } }
  learner(id: "8ce2db9e-0bac-5541-9622-9d1eacdccd68") { fullName dateOfBirth credentials { title status issuedAt } }
}
`,
  },
  {
    as: 'EMPLOYER',
    operationName: 'Employer',
    query: `# As: EMPLOYER
{
  myEmployer {
    name
    jobRoles { title requiredSkills { minimumLevel skill { code courses(first: 3) { edges { node { code title } } } } } }
  }
  learner(id: "316c871e-221b-5c2e-8a99-bca4dd08bca0") { fullName email credentials { title mqfLevel issuer { name } } }
}
`,
  },
  {
    as: 'FUNDER',
    operationName: 'Funder',
    query: `# As: FUNDER
{
  schemes { code name budgetSen perLearnerCapSen coPaymentPercent funder { name } rules { kind description } }
  learners(ids: ["316c871e-221b-5c2e-8a99-bca4dd08bca0"]) { fullName dateOfBirth citizenship }
}
`,
  },
  {
    as: 'PARTNER',
    operationName: 'Partner',
    query: `# As: PARTNER
mutation {
  enrolLearner(
    input: {
      studentNumber: "UTN2026-0123", fullName: "Nur Aina binti Hamzah", email: "aina@student.example.my",
      dateOfBirth: "2008-04-11", citizenship: MALAYSIAN, nric: "080411-10-5678", state: "Selangor"
    }
    idempotencyKey: "sis-2026-000123"
  ) { outcome replayed learner { id fullName } enrolment { studentNumber status provider { name } } }
}
`,
  },
  {
    as: 'ADMIN',
    operationName: 'Admin',
    query: `# As: ADMIN
mutation {
  decideOrganisationApplication(
    id: "3577cfe7-2b7e-5f9c-8a76-375b3d1a14bd", decision: APPROVE, reason: "HRD Corp training-provider number verified."
  ) { name status organisationId administrator { subject email } }
}
`,
  },
  {
    as: 'LEARNER',
    operationName: 'Careers',
    query: `# As: LEARNER
{
  me {
    credentials { title status award { stagePosition pathway { code } constituents { title } } }
    recommendations(goal: { pathwayId: "ebc28803-4aa1-5c2f-b2f5-931ced227935" }, first: 3) {
      rank summary amountToPaySen course { code title } reasons { kind detail }
    }
    apelMApplications { targetProgramme status creditsEarned creditsTransferred }
    contactRequests(status: PENDING) { edges { node { employer { name } jobRole { title } message } } }
  }
}
`,
  },
  {
    as: 'LEARNER',
    operationName: 'Record',
    query: `# As: LEARNER
{
  me { learnerRecord }
}
`,
  },
];
