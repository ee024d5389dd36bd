import { bdse, courseId, demoId, employers, enrolmentOf, funders, jobRoles, providers, schemes } from '@tauliah/demo-data';
import type { GraphQLResponse } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aisyah,
  aisyahCredential,
  arjun,
  classifyField,
  COLUMNS,
  CS1010,
  faizal,
  DS2001,
  errorOutcome,
  leaked,
  odlStaff,
  same,
  secretsOf,
  self,
  SUBJECTS,
  uasStaff,
  VIEWERS,
  type Column,
  type Outcome,
  type Subject,
} from './authorization-matrix.support.ts';

/**
 * Issue 17's authorisation matrix: every kind of viewer against every private
 * field of a learner and every answer derived from them (pathway progress,
 * Learner.pathways, funding eligibility, talent search, skills gap, counts),
 * through the gateway. The rule: a derived answer never tells a viewer a
 * credential or a personal fact that the viewer could not read directly, and
 * no refusal names what it refuses.
 *
 * The TABLE below is the policy. Columns are viewers relative to the learner
 * the probe is about (authorization-matrix.support.ts, VIEWERS):
 *
 *   public           no token
 *   learnerSelf      the learner
 *   learnerOther     another learner (Daniel)
 *   providerOwn      Aisyah: the ODL (enrolled her, issued her BDSE credentials); Faizal: UAS (issued his credential, did not enrol him)
 *   providerOther    Aisyah: UAS (issued her one PRIVATE credential, did not enrol her); Faizal: the ODL (nothing of his)
 *   providerPartner  a partner system acting for providerOwn
 *   employerOwn      Perisian staff: Aisyah consented PROFILE, CONTACT, PERSONAL; Faizal works there, consented PROFILE, CONTACT, CREDENTIALS
 *   employerOther    Elektronik staff: no consent from either
 *   employerPartner  Perisian's HR system (a PARTNER acting for Perisian)
 *   funderOwn        the funder holding PROFILE, PERSONAL, ELIGIBILITY consent (Aisyah: B40, to which she declared her income; Faizal: HRD Corp)
 *   funderOther      the other funder (no consent)
 *   admin            a platform administrator
 *
 * Aisyah's credentials as set up below: SE1101 (ODL) PRIVATE, SE1102 (ODL) PUBLIC, the other ODL ones EMPLOYERS, DS2001
 * (issued by UAS here) PRIVATE, by her default. The ODL recognises DS2001 for SE2102 and CS1010 (Faizal's) for SE1101,
 * so both count towards BDSE.
 *
 * Outcome words (support file, Outcome): sees, partial, absent, withheld, consentRequired, empty, null, notFound, refused.
 * Every cell that is not `sees` must also keep the learner's name, email, NRIC, phone, date of birth and credential
 * titles out of every error message.
 */
type Row = [probe: string, ...outcomes: Outcome[]];

const MATRIX: Row[] = [
  //                                                        public      self       other      provOwn    provOther  provPartner empOwn    empOther   empPartner  fundOwn    fundOther  admin
  // Aisyah's profile: scopes PROFILE (name, state), CONTACT (email), PERSONAL (date of birth, citizenship; never employers), IDENTITY (learner and admins).
  ['aisyah: Learner.fullName',                              'refused', 'sees',    'refused', 'sees',    'refused', 'sees',    'sees',    'refused', 'sees',    'sees',    'refused', 'sees'],
  ['aisyah: Learner.state',                                 'refused', 'sees',    'refused', 'sees',    'refused', 'sees',    'sees',    'refused', 'sees',    'sees',    'refused', 'sees'],
  ['aisyah: Learner.email',                                 'refused', 'sees',    'refused', 'sees',    'refused', 'sees',    'sees',    'refused', 'sees',    'refused', 'refused', 'sees'],
  ['aisyah: Learner.dateOfBirth',                           'refused', 'sees',    'refused', 'sees',    'refused', 'sees',    'refused', 'refused', 'refused', 'sees',    'refused', 'sees'],
  ['aisyah: Learner.citizenship',                           'refused', 'sees',    'refused', 'sees',    'refused', 'sees',    'refused', 'refused', 'refused', 'sees',    'refused', 'sees'],
  ['aisyah: Learner.eligibilityInputs',                     'refused', 'sees',    'null',    'sees',    'null',    'sees',    'null',    'null',    'null',    'sees',    'null',    'sees'],
  ['aisyah: Learner.nricMasked',                            'refused', 'sees',    'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'sees'],
  ['aisyah: Learner.credentialVisibility',                  'refused', 'sees',    'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'sees'],
  ['aisyah: Learner.shareStateInTalentSearch',              'refused', 'sees',    'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'sees'],
  ['aisyah: Learner.consents',                              'refused', 'sees',    'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'sees'],
  // Faizal's profile: nobody enrolled him, so no provider sees any of it.
  ['faizal: Learner.fullName',                              'refused', 'sees',    'refused', 'refused', 'refused', 'refused', 'sees',    'refused', 'sees',    'sees',    'refused', 'sees'],
  ['faizal: Learner.state',                                 'refused', 'sees',    'refused', 'refused', 'refused', 'refused', 'sees',    'refused', 'sees',    'sees',    'refused', 'sees'],
  ['faizal: Learner.email',                                 'refused', 'sees',    'refused', 'refused', 'refused', 'refused', 'sees',    'refused', 'sees',    'refused', 'refused', 'sees'],
  ['faizal: Learner.dateOfBirth',                           'refused', 'sees',    'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'sees',    'refused', 'sees'],
  ['faizal: Learner.citizenship',                           'refused', 'sees',    'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'sees',    'refused', 'sees'],
  ['faizal: Learner.nricMasked',                            'refused', 'sees',    'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'sees'],
  ['faizal: Learner.credentialVisibility',                  'refused', 'sees',    'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'sees'],
  ['faizal: Learner.shareStateInTalentSearch',              'refused', 'sees',    'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'sees'],
  ['faizal: Learner.consents',                              'refused', 'sees',    'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'sees'],
  // Employment: the learner, the employer concerned (its own records) and admins. The employer a funder's rules need: ELIGIBILITY consent.
  ['faizal: Learner.employment',                            'refused', 'sees',    'refused', 'refused', 'refused', 'refused', 'sees',    'refused', 'sees',    'refused', 'refused', 'sees'],
  ['faizal: Learner.eligibilityEmployer',                   'refused', 'sees',    'null',    'null',    'null',    'null',    'null',    'null',    'null',    'sees',    'null',    'sees'],
  // The employer's own list of the people it employs: its staff, its partner system and admins; not even the learner reads the employer's list.
  ['faizal: Employer.employment (Perisian\'s list)',        'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'sees',    'refused', 'sees',    'refused', 'refused', 'sees'],
  // Credentials: the holder, admins and the issuer always; employers when EMPLOYERS or PUBLIC; anyone when PUBLIC. Consent does not widen it.
  ['aisyah: Learner.credentials has SE1101 (ODL, PRIVATE)', 'refused', 'sees',    'absent',  'sees',    'absent',  'sees',    'absent',  'absent',  'absent',  'absent',  'absent',  'sees'],
  ['aisyah: Learner.credentials has DS2001 (UAS, PRIVATE)', 'refused', 'sees',    'absent',  'absent',  'sees',    'absent',  'absent',  'absent',  'absent',  'absent',  'absent',  'sees'],
  ['aisyah: Learner.credentials has SE1201 (EMPLOYERS)',    'refused', 'sees',    'absent',  'sees',    'absent',  'sees',    'sees',    'sees',    'sees',    'absent',  'absent',  'sees'],
  ['aisyah: Learner.credentials has SE1102 (PUBLIC)',       'refused', 'sees',    'sees',    'sees',    'sees',    'sees',    'sees',    'sees',    'sees',    'sees',    'sees',    'sees'],
  ['aisyah: credential(id) SE1101 (ODL, PRIVATE)',          'notFound', 'sees',   'notFound', 'sees',   'notFound', 'sees',   'notFound', 'notFound', 'notFound', 'notFound', 'notFound', 'sees'],
  ['aisyah: credential(id) DS2001 (UAS, PRIVATE)',          'notFound', 'sees',   'notFound', 'notFound', 'sees',   'notFound', 'notFound', 'notFound', 'notFound', 'notFound', 'notFound', 'sees'],
  ['aisyah: credential(id) SE1201 (EMPLOYERS)',             'notFound', 'sees',   'notFound', 'sees',   'notFound', 'sees',   'sees',    'sees',    'sees',    'notFound', 'notFound', 'sees'],
  ['aisyah: verifyCredential(id) SE1101 (ODL, PRIVATE)',  'notFound', 'sees',   'notFound', 'sees',   'notFound', 'sees',   'notFound', 'notFound', 'notFound', 'notFound', 'notFound', 'sees'],
  ['aisyah: credentials(ids) [SE1101 (ODL, PRIVATE)]',     'refused', 'sees',    'null',    'sees',    'null',    'sees',    'null',    'null',    'null',    'null',    'null',    'sees'],
  ['aisyah: credential(id) SE1102 (PUBLIC)',                'sees',    'sees',    'sees',    'sees',    'sees',    'sees',    'sees',    'sees',    'sees',    'sees',    'sees',    'sees'],
  // The issuer's student number on a PUBLIC credential: the issuer (ODL), the holder and admins; to anyone else it is null.
  ['aisyah: credential(PUBLIC).studentNumber',              'null',    'sees',    'null',    'sees',    'null',    'sees',    'null',    'null',    'null',    'null',    'null',    'sees'],
  // A public credential is no side door to its holder's profile.
  ['aisyah: credential(PUBLIC).holder.fullName',            'withheld', 'sees',   'withheld', 'sees',   'withheld', 'sees',   'sees',    'withheld', 'sees',   'sees',    'withheld', 'sees'],
  // Pathway progress: every credential for the learner, admins and CREDENTIALS consent holders; a provider the learner is enrolled
  // with, without consent, from the credentials it may read; nobody else, whoever owns the pathway.
  ['aisyah: Pathway.progress on BDSE (ODL)',                'refused', 'sees',    'refused', 'partial', 'refused', 'partial', 'refused', 'refused', 'refused', 'refused', 'refused', 'sees'],
  ['aisyah: Pathway.progressFor on BDSE (ODL)',             'refused', 'sees',    'refused', 'partial', 'refused', 'partial', 'refused', 'refused', 'refused', 'refused', 'refused', 'sees'],
  // UAS's own pathway of ODL courses: still refused to UAS; the ODL reads every credential this pathway counts, so its answer is whole.
  ['aisyah: Pathway.progress on a UAS pathway',             'refused', 'sees',    'refused', 'sees',    'refused', 'sees',    'refused', 'refused', 'refused', 'refused', 'refused', 'sees'],
  ['faizal: Pathway.progress on BDSE (ODL)',                'refused', 'sees',    'refused', 'refused', 'refused', 'refused', 'sees',    'refused', 'sees',    'refused', 'refused', 'sees'],
  ['aisyah: Learner.pathways',                              'refused', 'sees',    'empty',   'partial', 'empty',   'partial', 'empty',   'empty',   'empty',   'empty',   'empty',   'sees'],
  ['faizal: Learner.pathways',                              'refused', 'sees',    'empty',   'empty',   'empty',   'empty',   'sees',    'empty',   'sees',    'empty',   'empty',   'sees'],
  // Eligibility: ELIGIBILITY consent or nothing is evaluated; income only as declared to the scheme's own funder.
  ['aisyah: eligibility for the B40 bursary',               'refused', 'sees',    'consentRequired', 'consentRequired', 'consentRequired', 'consentRequired', 'consentRequired', 'consentRequired', 'consentRequired', 'sees', 'consentRequired', 'sees'],
  ['faizal: eligibility for the HRD Corp grant',            'refused', 'sees',    'consentRequired', 'consentRequired', 'consentRequired', 'consentRequired', 'consentRequired', 'consentRequired', 'consentRequired', 'sees', 'consentRequired', 'sees'],
  ['aisyah: Course.fundingOptions(learnerId), B40 option', 'refused', 'sees',    'consentRequired', 'consentRequired', 'consentRequired', 'consentRequired', 'consentRequired', 'consentRequired', 'consentRequired', 'sees', 'consentRequired', 'sees'],
  ['faizal: eligibility for the B40 bursary (B40\'s)',      'refused', 'sees',    'consentRequired', 'consentRequired', 'consentRequired', 'consentRequired', 'consentRequired', 'consentRequired', 'consentRequired', 'withheld', 'consentRequired', 'sees'],
  // Funding applications (with the income declared in them): the learner, the scheme's funder, admins.
  // Enrolments: the learner and admins see every one; a provider only its own (Aisyah: the ODL, and the training academy nobody here acts for).
  ['aisyah: Learner.enrolments',                            'refused', 'sees',    'refused', 'partial', 'refused', 'partial', 'refused', 'refused', 'refused', 'refused', 'refused', 'sees'],
  // A student number answers only the provider it belongs to; to anyone else it is the same null as an unknown number.
  ['aisyah: learnerByStudentNumber (her ODL number)',      'refused', 'refused', 'refused', 'sees',    'null',    'sees',    'refused', 'refused', 'null',    'refused', 'refused', 'refused'],
  ['aisyah: Learner.fundingApplications',                  'refused', 'sees',    'empty',   'empty',   'empty',   'empty',   'empty',   'empty',   'empty',   'sees',    'empty',   'sees'],
  // Talent search: employers (staff or a partner acting for one) only; EMPLOYERS and PUBLIC credentials only, in its counts too.
  ['talentSearch finds aisyah by an EMPLOYERS proof',      'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'sees',    'sees',    'sees',    'refused', 'refused', 'refused'],
  ['talentSearch leaves out aisyah\'s PRIVATE proof',      'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'absent',  'absent',  'absent',  'refused', 'refused', 'refused'],
  ['talentSearch leaves out arjun (PRIVATE proofs only)',  'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'absent',  'absent',  'absent',  'refused', 'refused', 'refused'],
  ['talentSearch.totalCount counts no PRIVATE proof',      'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'empty',   'empty',   'empty',   'refused', 'refused', 'refused'],
  ['talentSearch: aisyah\'s fullName',                     'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'sees',    'withheld', 'sees',   'refused', 'refused', 'refused'],
  // Skills gap: the learner (published roles), or the role's own employer holding the learner's CREDENTIALS consent.
  ['aisyah: JobRole.gapFor, Perisian\'s role',             'refused', 'sees',    'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused'],
  ['faizal: JobRole.gapFor, Perisian\'s role',             'refused', 'sees',    'refused', 'refused', 'refused', 'refused', 'sees',    'refused', 'sees',    'refused', 'refused', 'refused'],
  ['faizal: JobRole.gapFor, Elektronik\'s role',           'refused', 'sees',    'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused'],
  // Talent headlines: employers (staff or partner systems) read an opted-in learner's (Aisyah's, from the demo data), the learner and admins
  // always; anyone else null, as for a learner who never opted in (Faizal), never an error that would say whether one did.
  ['aisyah: Learner.talentHeadline',                        'refused', 'sees',    'null',    'null',    'null',    'null',    'sees',    'sees',    'sees',    'null',    'null',    'sees'],
  ['faizal: Learner.talentHeadline',                        'refused', 'null',    'null',    'null',    'null',    'null',    'null',    'null',    'null',    'null',    'null',    'null'],
  ['talentSearch: aisyah\'s talentHeadline',              'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'sees',    'sees',    'sees',    'refused', 'refused', 'refused'],
  // Contact requests: the learner's inbox is hers and admins' (IDENTITY); an employer's list holds its own requests only.
  ['aisyah: Learner.contactRequests',                       'refused', 'sees',    'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'sees'],
  ['aisyah: myContactRequests (Perisian\'s request to her)', 'refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'sees',    'empty',   'sees',    'refused', 'refused', 'refused'],
  // A provider's issued count is a fact about the provider, the same number for everyone; it names no learner.
  ['Provider.issuedCount (UAS)',                           'sees',    'sees',    'sees',    'sees',    'sees',    'sees',    'sees',    'sees',    'sees',    'sees',    'sees',    'sees'],
];

let graph: TestGraph;
/** When the set-up began: talent search's issuedAfter, so only the credentials issued here count. */
let setUpAt: string;
/** The PRIVATE credential UAS issues to Aisyah here. */
let uasCredential: string;
/** A pathway UAS builds from ODL's courses. */
let uasPathway: string;

/** Aisyah's B40 application, with the household income she declares in it (the seeded declaration's). */
let applicationId: string;
const DECLARED_INCOME = 320_000;

const DAY = 86_400_000;
const APPLY = `mutation($input: ApplyForB40AidInput!) { applyForB40Aid(input: $input) { id } }`;
const SET_VISIBILITY = `mutation($id: ID!, $visibility: CredentialVisibility!) { setCredentialVisibility(id: $id, visibility: $visibility) { id } }`;
const ISSUE = `mutation($input: IssueCredentialInput!) { issueCredential(input: $input) { id visibility } }`;
const RECOGNISE = `mutation($input: RecordCreditRecognitionInput!) { recordCreditRecognition(input: $input) { id } }`;
const CONSENT = `mutation($input: GrantConsentInput!) { grantConsent(input: $input) { id } }`;
const CREATE_PATHWAY = `mutation($input: PathwayInput!) { createPathway(input: $input) { id } }`;

beforeAll(async () => {
  graph = await startTestGraph();
  setUpAt = new Date().toISOString();
  const asAisyah = self(aisyah);
  await graph.gateway.ok(SET_VISIBILITY, { as: asAisyah, variables: { id: aisyahCredential('SE1101'), visibility: 'PRIVATE' } });
  await graph.gateway.ok(SET_VISIBILITY, { as: asAisyah, variables: { id: aisyahCredential('SE1102'), visibility: 'PUBLIC' } });
  const issued = (await graph.gateway.ok(ISSUE, { as: uasStaff, variables: { input: { learnerId: aisyah.id, courseId: DS2001 } } })).issueCredential;
  expect(issued.visibility, "issued with the learner's default").toBe('PRIVATE');
  uasCredential = issued.id;
  for (const [course, recognised, credits] of [['SE2102', DS2001, 3], ['SE1101', CS1010, 4]] as const) {
    await graph.gateway.ok(RECOGNISE, { as: odlStaff, variables: { input: { courseId: courseId(course), recognisedCourseId: recognised, creditsGranted: credits } } });
  }
  const expiresAt = new Date(Date.now() + 90 * DAY).toISOString();
  await graph.gateway.ok(CONSENT, {
    as: asAisyah,
    variables: { input: { granteeKind: 'EMPLOYER', granteeId: employers.software.id, scopes: ['PROFILE', 'CONTACT', 'PERSONAL'], expiresAt } },
  });
  const pathway = {
    code: 'MATRIX',
    title: 'Web development, from the ODL',
    description: "A pathway of another provider's published courses.",
    targetProgramme: 'Anything',
    targetProgrammeCredits: 120,
    stages: [{ title: 'Web', requiredCourseIds: bdse.stages.slice(0, 2).flatMap((s) => s.requiredCourseIds), exitAward: 'Nothing' }],
  };
  uasPathway = (await graph.gateway.ok(CREATE_PATHWAY, { as: uasStaff, variables: { input: pathway } })).createPathway.id;
  const application = { schemeId: schemes.b40Bursary.id, courseId: courseId('SE2201'), householdIncomeSen: DECLARED_INCOME, evidenceReference: 'LHDN-BE-2025-MATRIX' };
  applicationId = (await graph.gateway.ok(APPLY, { as: asAisyah, variables: { input: application } })).applyForB40Aid.id;
});
afterAll(() => graph?.stop());

interface Probe {
  subject: Subject;
  query: string;
  variables: () => Record<string, unknown>;
  /** The answer's outcome word; `own` is the learner's own answer to the same probe (the reference for derived answers). */
  classify: (response: GraphQLResponse, own: GraphQLResponse) => string;
  /** Titles beyond the learner's demo credentials that no refusal may name. */
  extraSecrets?: string[];
}

const LEARNER = (selection: string) => `query($id: ID!) { learner(id: $id) { id ${selection} } }`;

function fieldProbe(subject: Subject, selection: string, path: string, expected: unknown): Probe {
  return { subject, query: LEARNER(selection), variables: () => ({ id: SUBJECTS[subject].id }), classify: (r) => classifyField(r, `learner.${path}`, expected) };
}

const profileProbes = (subject: Subject, grantees: string[]): Record<string, Probe> => {
  const l = SUBJECTS[subject];
  return {
    [`${subject}: Learner.fullName`]: fieldProbe(subject, 'fullName', 'fullName', l.fullName),
    [`${subject}: Learner.state`]: fieldProbe(subject, 'state', 'state', l.state),
    [`${subject}: Learner.email`]: fieldProbe(subject, 'email', 'email', l.email),
    [`${subject}: Learner.dateOfBirth`]: fieldProbe(subject, 'dateOfBirth', 'dateOfBirth', l.dateOfBirth),
    [`${subject}: Learner.citizenship`]: fieldProbe(subject, 'citizenship', 'citizenship', l.citizenship),
    [`${subject}: Learner.nricMasked`]: fieldProbe(subject, 'nricMasked', 'nricMasked', (v: unknown) => v === `••••••-••-${l.nric.slice(-4)}`),
    [`${subject}: Learner.credentialVisibility`]: fieldProbe(subject, 'credentialVisibility', 'credentialVisibility', 'PRIVATE'),
    [`${subject}: Learner.shareStateInTalentSearch`]: fieldProbe(subject, 'shareStateInTalentSearch', 'shareStateInTalentSearch', l.shareStateInTalentSearch),
    [`${subject}: Learner.consents`]: fieldProbe(subject, 'consents { granteeId }', 'consents', (v: Array<{ granteeId: string }>) =>
      same(v.map((g) => g.granteeId).sort(), [...grantees].sort()),
    ),
  };
};

/** Whether the answer's list holds the credential: absent when answered without it. */
function holdsCredential(path: string, id: string) {
  return (response: GraphQLResponse): string => {
    const list = (response.data?.learner?.[path] ?? null) as Array<{ id: string }> | null;
    if (list === null) return errorOutcome(response);
    if (response.errors?.length) return `list with errors: ${errorOutcome(response)}`;
    return list.some((c) => c.id === id) ? 'sees' : 'absent';
  };
}

const CREDENTIAL = `query($id: ID!) { credential(id: $id) { id title visibility holder { id } } }`;

function credentialById(id: () => string, title: string): Probe {
  return {
    subject: 'aisyah',
    query: CREDENTIAL,
    variables: () => ({ id: id() }),
    classify: (r) => {
      const found = r.data?.credential;
      if (found) return found.id === id() && found.title === title && found.holder.id === aisyah.id ? 'sees' : `sees a wrong credential ${JSON.stringify(found)}`;
      const outcome = errorOutcome(r);
      // Whoever may not see it is told it does not exist, in the words used for an id that does not exist.
      if (outcome === 'notFound' && r.errors![0]!.message !== `Credential ${id()} does not exist.`) return `notFound, worded differently: ${r.errors![0]!.message}`;
      return outcome;
    },
  };
}

const EARNED = 'creditsEarned earned { course { code } credits recognisedCourse { code } }';
const PROGRESS = `query($pathway: ID!, $learner: ID!) { pathway(id: $pathway) { progress(learnerId: $learner) { ${EARNED} } } }`;
const PROGRESS_FOR = `query($pathway: ID!, $learners: [ID!]!) { pathway(id: $pathway) { progressFor(learnerIds: $learners) { learner { id } ${EARNED} } } }`;
const PATHWAYS = `query($id: ID!) { learner(id: $id) { id pathways { pathway { id } ${EARNED} } } }`;

interface Progress {
  creditsEarned: number;
  earned: Array<{ course: { code: string }; credits: number; recognisedCourse: { code: string } | null }>;
}

/** Counts DS2001, Aisyah's PRIVATE credential from UAS, which the ODL may not read. */
const countsUasCredential = (p: Progress) => p.earned.some((e) => e.recognisedCourse?.code === 'DS2001');

/**
 * A progress answer against the learner's own: the same (sees); or, without the credentials the viewer may not read
 * (DS2001 here), exactly the learner's own minus what those gave (partial).
 */
function compareProgress(mine: Progress | null | undefined, own: Progress): string {
  if (!mine) return 'no answer';
  if (same(mine, own)) return 'sees';
  const withoutUnreadable = own.earned.filter((e) => e.recognisedCourse?.code !== 'DS2001');
  const lost = own.earned.filter((e) => e.recognisedCourse?.code === 'DS2001').reduce((sum, e) => sum + e.credits, 0);
  if (!countsUasCredential(mine) && same(mine.earned, withoutUnreadable) && mine.creditsEarned === own.creditsEarned - lost) return 'partial';
  return `different progress ${JSON.stringify(mine)} (the learner's own: ${JSON.stringify(own)})`;
}

function progressProbe(subject: Subject, pathway: () => string, many = false): Probe {
  const learnerId = SUBJECTS[subject].id;
  const pick = (r: GraphQLResponse): Progress | null | undefined => (many ? r.data?.pathway?.progressFor?.[0] : r.data?.pathway?.progress);
  return {
    subject,
    query: many ? PROGRESS_FOR : PROGRESS,
    variables: () => (many ? { pathway: pathway(), learners: [learnerId] } : { pathway: pathway(), learner: learnerId }),
    classify: (r, own) => {
      const mine = pick(r);
      if (!mine) return errorOutcome(r);
      if (r.errors?.length) return `progress with errors: ${errorOutcome(r)}`;
      return compareProgress(mine, pick(own)!);
    },
  };
}

function pathwaysProbe(subject: Subject): Probe {
  type Listed = Progress & { pathway: { id: string } };
  return {
    subject,
    query: PATHWAYS,
    variables: () => ({ id: SUBJECTS[subject].id }),
    classify: (r, own) => {
      const mine = r.data?.learner?.pathways as Listed[] | undefined | null;
      if (!mine) return errorOutcome(r);
      if (r.errors?.length) return `pathways with errors: ${errorOutcome(r)}`;
      if (mine.length === 0) return 'empty';
      const theirs = own.data!.learner.pathways as Listed[];
      if (same(mine, theirs)) return 'sees';
      const compared = mine.map((p) => {
        const counterpart = theirs.find((t) => t.pathway.id === p.pathway.id);
        return counterpart ? compareProgress(p, counterpart) : `a pathway the learner's own answer does not list: ${p.pathway.id}`;
      });
      return compared.every((c) => c === 'sees' || c === 'partial') ? 'partial' : compared.find((c) => c !== 'sees' && c !== 'partial')!;
    },
  };
}

const FUNDING_OPTIONS = `query($course: ID!, $learner: ID!) {
  course(id: $course) { id fundingOptions(learnerId: $learner) { scheme { id } eligibility { eligible consentRequired reasons { code } coveredSen coPaymentSen } } }
}`;

const ELIGIBILITY = `query($id: ID!, $scheme: ID!, $course: ID) {
  learner(id: $id) { id eligibility(schemeId: $scheme, courseId: $course) { eligible consentRequired reasons { code } coveredSen coPaymentSen } }
}`;

function eligibilityProbe(subject: Subject, schemeId: string, courseCode: string): Probe {
  return {
    subject,
    query: ELIGIBILITY,
    variables: () => ({ id: SUBJECTS[subject].id, scheme: schemeId, course: courseId(courseCode) }),
    classify: (r, own) => {
      const mine = r.data?.learner?.eligibility;
      if (!mine) return errorOutcome(r);
      if (r.errors?.length) return `eligibility with errors: ${errorOutcome(r)}`;
      if (mine.consentRequired) {
        const nothing = !mine.eligible && same(mine.reasons, [{ code: 'CONSENT_REQUIRED' }]) && mine.coveredSen === null && mine.coPaymentSen === null;
        return nothing ? 'consentRequired' : `consentRequired, yet evaluated: ${JSON.stringify(mine)}`;
      }
      if (mine.reasons.some((reason: { code: string }) => reason.code === 'PERSONAL_DATA_WITHHELD')) return 'withheld';
      return same(mine, own.data!.learner.eligibility) ? 'sees' : `a different answer ${JSON.stringify(mine)} (the learner's own: ${JSON.stringify(own.data!.learner.eligibility)})`;
    },
  };
}

const TALENT = `query($skills: [String!]!, $issuedAfter: DateTimeISO) {
  talentSearch(skills: $skills, issuedAfter: $issuedAfter, first: 100) { totalCount edges { node { learner { id } credentials { id visibility } } } }
}`;
const TALENT_NAMES = `query($skills: [String!]!) { talentSearch(skills: $skills, first: 100) { edges { node { learner { id fullName } } } } }`;

interface TalentNode {
  learner: { id: string; fullName?: string | null };
  credentials: Array<{ id: string; visibility: string }>;
}
const nodesOf = (r: GraphQLResponse): TalentNode[] | null => r.data?.talentSearch?.edges.map((e: { node: TalentNode }) => e.node) ?? null;

function talentProbe(variables: Record<string, unknown>, judge: (nodes: TalentNode[], totalCount: number) => string, query = TALENT): Probe {
  return {
    subject: 'aisyah',
    query,
    variables: () => ({ ...variables, issuedAfter: variables.issuedAfter === 'setUpAt' ? setUpAt : variables.issuedAfter }),
    classify: (r) => {
      const nodes = nodesOf(r);
      if (!nodes) return errorOutcome(r);
      // Every credential talent search shows an employer is one shared with employers.
      const shown = nodes.flatMap((n) => n.credentials ?? []);
      if (shown.some((c) => c.visibility === 'PRIVATE')) return `shows a PRIVATE credential: ${JSON.stringify(shown.filter((c) => c.visibility === 'PRIVATE'))}`;
      return judge(nodes, r.data!.talentSearch.totalCount);
    },
  };
}

const GAP = `query($role: ID!, $learner: ID!) {
  jobRole(id: $role) { id gapFor(learnerId: $learner) { ready held { skill { code } level credential { id } } missing { skill { code } minimumLevel heldLevel } } }
}`;

function gapProbe(subject: Subject, roleId: string): Probe {
  return {
    subject,
    query: GAP,
    variables: () => ({ role: roleId, learner: SUBJECTS[subject].id }),
    classify: (r, own) => {
      const mine = r.data?.jobRole?.gapFor;
      if (!mine) return errorOutcome(r);
      if (r.errors?.length) return `gap with errors: ${errorOutcome(r)}`;
      return same(mine, own.data!.jobRole.gapFor) ? 'sees' : `a different gap ${JSON.stringify(mine)}`;
    },
  };
}

const juniorFullStack = jobRoles.find((r) => r.employerId === employers.software.id && r.published)!.id;
const electronicTechnician = jobRoles.find((r) => r.employerId === employers.electronics.id && r.published)!.id;
const ISSUED_COUNT = `query($id: ID!) { provider(id: $id) { id issuedCount } }`;

const PROBES: Record<string, Probe> = {
  ...profileProbes('aisyah', [funders.b40.id, employers.software.id]),
  ...profileProbes('faizal', [employers.software.id, funders.hrdCorp.id]),
  'aisyah: Learner.eligibilityInputs': fieldProbe('aisyah', 'eligibilityInputs { dateOfBirth citizenship }', 'eligibilityInputs', {
    dateOfBirth: aisyah.dateOfBirth,
    citizenship: aisyah.citizenship,
  }),
  'faizal: Learner.employment': fieldProbe('faizal', 'employment { employer { id } }', 'employment', [{ employer: { id: employers.software.id } }]),
  'faizal: Learner.eligibilityEmployer': fieldProbe('faizal', 'eligibilityEmployer { id }', 'eligibilityEmployer', { id: employers.software.id }),
  "faizal: Employer.employment (Perisian's list)": {
    subject: 'faizal',
    query: `query($employer: ID!) { employer(id: $employer) { employment(first: 50) { edges { node { jobTitle learner { id } } } } } }`,
    variables: () => ({ employer: employers.software.id }),
    classify: (r) => {
      const edges = (r.data?.employer as { employment?: { edges: Array<{ node: { learner: { id: string } } }> } | null } | undefined)?.employment?.edges;
      if (!edges) return errorOutcome(r);
      if (r.errors?.length) return `list with errors: ${errorOutcome(r)}`;
      return edges.some((e) => e.node.learner.id === faizal.id) ? 'sees' : `a list without faizal ${JSON.stringify(edges)}`;
    },
  },

  'aisyah: Learner.credentials has SE1101 (ODL, PRIVATE)': {
    subject: 'aisyah',
    query: LEARNER('credentials { id }'),
    variables: () => ({ id: aisyah.id }),
    classify: (r) => holdsCredential('credentials', aisyahCredential('SE1101'))(r),
  },
  'aisyah: Learner.credentials has DS2001 (UAS, PRIVATE)': {
    subject: 'aisyah',
    query: LEARNER('credentials { id }'),
    variables: () => ({ id: aisyah.id }),
    classify: (r) => holdsCredential('credentials', uasCredential)(r),
    extraSecrets: ['Data Analytics with SQL'],
  },
  'aisyah: Learner.credentials has SE1201 (EMPLOYERS)': {
    subject: 'aisyah',
    query: LEARNER('credentials { id }'),
    variables: () => ({ id: aisyah.id }),
    classify: (r) => holdsCredential('credentials', aisyahCredential('SE1201'))(r),
  },
  'aisyah: Learner.credentials has SE1102 (PUBLIC)': {
    subject: 'aisyah',
    query: LEARNER('credentials { id }'),
    variables: () => ({ id: aisyah.id }),
    classify: (r) => holdsCredential('credentials', aisyahCredential('SE1102'))(r),
  },
  'aisyah: credential(id) SE1101 (ODL, PRIVATE)': credentialById(() => aisyahCredential('SE1101'), 'Programming with Python'),
  'aisyah: credential(id) DS2001 (UAS, PRIVATE)': { ...credentialById(() => uasCredential, 'Data Analytics with SQL'), extraSecrets: ['Data Analytics with SQL'] },
  'aisyah: credential(id) SE1201 (EMPLOYERS)': credentialById(() => aisyahCredential('SE1201'), 'Front-End Web Development'),
  'aisyah: verifyCredential(id) SE1101 (ODL, PRIVATE)': {
    subject: 'aisyah',
    query: `query($id: ID!) { verifyCredential(id: $id) { verified } }`,
    variables: () => ({ id: aisyahCredential('SE1101') }),
    classify: (r) => {
      if (r.data?.verifyCredential) return r.data.verifyCredential.verified === true ? 'sees' : `a wrong verification ${JSON.stringify(r.data.verifyCredential)}`;
      const outcome = errorOutcome(r);
      if (outcome === 'notFound' && r.errors![0]!.message !== `Credential ${aisyahCredential('SE1101')} does not exist.`) return `notFound, worded differently: ${r.errors![0]!.message}`;
      return outcome;
    },
  },
  'aisyah: credentials(ids) [SE1101 (ODL, PRIVATE)]': {
    subject: 'aisyah',
    query: `query($ids: [ID!]!) { credentials(ids: $ids) { id title } }`,
    variables: () => ({ ids: [aisyahCredential('SE1101')] }),
    classify: (r) => {
      const list = r.data?.credentials as Array<{ id: string; title: string } | null> | undefined;
      if (!list) return errorOutcome(r);
      if (r.errors?.length) return `list with errors: ${errorOutcome(r)}`;
      if (list[0] === null) return 'null';
      return same(list, [{ id: aisyahCredential('SE1101'), title: 'Programming with Python' }]) ? 'sees' : `a wrong list ${JSON.stringify(list)}`;
    },
  },
  'aisyah: Learner.enrolments': {
    subject: 'aisyah',
    query: LEARNER('enrolments { provider { id } studentNumber }'),
    variables: () => ({ id: aisyah.id }),
    classify: (r) => {
      const list = r.data?.learner?.enrolments as Array<{ provider: { id: string } }> | undefined | null;
      if (!list) return errorOutcome(r);
      if (r.errors?.length) return `list with errors: ${errorOutcome(r)}`;
      const seen = list.map((e) => e.provider.id).sort();
      if (same(seen, [providers.odl.id, providers.trainingProvider.id].sort())) return 'sees';
      if (same(seen, [providers.odl.id])) return 'partial';
      return list.length === 0 ? 'empty' : `other enrolments ${JSON.stringify(seen)}`;
    },
  },
  'aisyah: learnerByStudentNumber (her ODL number)': {
    subject: 'aisyah',
    query: `query($n: String!) { learnerByStudentNumber(studentNumber: $n) { id } }`,
    variables: () => ({ n: enrolmentOf('aisyah', providers.odl.id).studentNumber }),
    classify: (r) => classifyField(r, 'learnerByStudentNumber.id', aisyah.id),
  },
  'aisyah: Learner.fundingApplications': {
    subject: 'aisyah',
    query: LEARNER('fundingApplications { id declaredHouseholdIncomeSen }'),
    variables: () => ({ id: aisyah.id }),
    classify: (r) => {
      const list = r.data?.learner?.fundingApplications as Array<{ id: string; declaredHouseholdIncomeSen: number | null }> | undefined | null;
      if (!list) return errorOutcome(r);
      if (r.errors?.length) return `list with errors: ${errorOutcome(r)}`;
      if (list.length === 0) return 'empty';
      const mine = list.find((a) => a.id === applicationId);
      return mine?.declaredHouseholdIncomeSen === DECLARED_INCOME ? 'sees' : `other applications ${JSON.stringify(list)}`;
    },
  },
  'aisyah: credential(id) SE1102 (PUBLIC)': credentialById(() => aisyahCredential('SE1102'), 'Problem Solving and Algorithms'),
  'aisyah: credential(PUBLIC).studentNumber': {
    subject: 'aisyah',
    query: `query($id: ID!) { credential(id: $id) { id studentNumber } }`,
    variables: () => ({ id: aisyahCredential('SE1102') }),
    classify: (r) => classifyField(r, 'credential.studentNumber', enrolmentOf('aisyah', providers.odl.id).studentNumber),
  },
  'aisyah: credential(PUBLIC).holder.fullName': {
    subject: 'aisyah',
    query: `query($id: ID!) { credential(id: $id) { id holder { id fullName } } }`,
    variables: () => ({ id: aisyahCredential('SE1102') }),
    classify: (r) => {
      const holder = r.data?.credential?.holder;
      if (!holder) return errorOutcome(r);
      if (holder.fullName == null) return r.errors?.length && errorOutcome(r) === 'refused' ? 'withheld' : `no name, ${errorOutcome(r)}`;
      return holder.fullName === aisyah.fullName && !r.errors?.length ? 'sees' : `a wrong holder ${JSON.stringify(holder)}`;
    },
  },

  'aisyah: Pathway.progress on BDSE (ODL)': progressProbe('aisyah', () => bdse.id),
  'aisyah: Pathway.progressFor on BDSE (ODL)': progressProbe('aisyah', () => bdse.id, true),
  'aisyah: Pathway.progress on a UAS pathway': progressProbe('aisyah', () => uasPathway),
  'faizal: Pathway.progress on BDSE (ODL)': progressProbe('faizal', () => bdse.id),
  'aisyah: Learner.pathways': { ...pathwaysProbe('aisyah'), extraSecrets: ['Data Analytics with SQL'] },
  'faizal: Learner.pathways': pathwaysProbe('faizal'),

  'aisyah: eligibility for the B40 bursary': eligibilityProbe('aisyah', schemes.b40Bursary.id, 'SE2102'),
  'faizal: eligibility for the HRD Corp grant': eligibilityProbe('faizal', schemes.hrdCorpMicroCredential.id, 'SE2201'),
  'aisyah: Course.fundingOptions(learnerId), B40 option': {
    ...eligibilityProbe('aisyah', schemes.b40Bursary.id, 'SE2102'),
    query: FUNDING_OPTIONS,
    variables: () => ({ course: courseId('SE2102'), learner: aisyah.id }),
    // The B40 option as an eligibility answer, for the same judgement as Learner.eligibility.
    classify: (r, own) => {
      const option = (response: GraphQLResponse) =>
        response.data?.course?.fundingOptions?.find((o: { scheme: { id: string } }) => o.scheme.id === schemes.b40Bursary.id)?.eligibility;
      const wrap = (response: GraphQLResponse): GraphQLResponse => ({ ...response, data: option(response) ? { learner: { eligibility: option(response) } } : null });
      return eligibilityProbe('aisyah', schemes.b40Bursary.id, 'SE2102').classify(wrap(r), wrap(own));
    },
  },
  "faizal: eligibility for the B40 bursary (B40's)": eligibilityProbe('faizal', schemes.b40Bursary.id, 'SE2102'),

  'talentSearch finds aisyah by an EMPLOYERS proof': talentProbe({ skills: ['WEB-BACKEND'] }, (nodes) => {
    const found = nodes.find((n) => n.learner.id === aisyah.id);
    return found?.credentials.some((c) => c.id === aisyahCredential('SE1202')) ? 'sees' : `aisyah not found by SE1202: ${JSON.stringify(found)}`;
  }),
  "talentSearch leaves out aisyah's PRIVATE proof": talentProbe({ skills: ['PROG-FUND'] }, (nodes) => {
    const found = nodes.find((n) => n.learner.id === aisyah.id);
    if (!found) return 'aisyah not found by her PUBLIC SE1102';
    return found.credentials.some((c) => c.id === aisyahCredential('SE1101')) ? 'sees' : 'absent';
  }),
  'talentSearch leaves out arjun (PRIVATE proofs only)': talentProbe({ skills: ['WEB-FRONTEND'] }, (nodes) => {
    if (!nodes.some((n) => n.learner.id === aisyah.id)) return 'aisyah (EMPLOYERS SE1201) not found either';
    return nodes.some((n) => n.learner.id === arjun.id) ? 'sees' : 'absent';
  }),
  // Only Aisyah's DS2001 (PRIVATE, issued in the set-up) proves DATABASES since then.
  'talentSearch.totalCount counts no PRIVATE proof': talentProbe({ skills: ['DATABASES'], issuedAfter: 'setUpAt' }, (nodes, totalCount) =>
    totalCount === 0 && nodes.length === 0 ? 'empty' : `counts ${totalCount}, finds ${JSON.stringify(nodes)}`,
  ),
  "talentSearch: aisyah's fullName": talentProbe(
    { skills: ['WEB-BACKEND'] },
    (nodes) => {
      const found = nodes.find((n) => n.learner.id === aisyah.id);
      if (!found) return 'aisyah not found';
      if (found.learner.fullName === aisyah.fullName) return 'sees';
      return found.learner.fullName == null ? 'withheld' : `a wrong name ${found.learner.fullName}`;
    },
    TALENT_NAMES,
  ),

  "aisyah: JobRole.gapFor, Perisian's role": gapProbe('aisyah', juniorFullStack),
  "faizal: JobRole.gapFor, Perisian's role": gapProbe('faizal', juniorFullStack),
  "faizal: JobRole.gapFor, Elektronik's role": gapProbe('faizal', electronicTechnician),

  'aisyah: Learner.talentHeadline': fieldProbe('aisyah', 'talentHeadline { region skills }', 'talentHeadline', { region: 'Selangor', skills: ['PROG-FUND', 'WEB-FRONTEND', 'WEB-BACKEND', 'DATABASES'] }),
  'faizal: Learner.talentHeadline': fieldProbe('faizal', 'talentHeadline { region }', 'talentHeadline', null),
  "talentSearch: aisyah's talentHeadline": talentProbe(
    { skills: ['WEB-BACKEND'] },
    (nodes) => {
      const found = nodes.find((n): n is TalentNode & { learner: { talentHeadline?: { region: string } | null } } => n.learner.id === aisyah.id);
      if (!found) return 'aisyah not found';
      return found.learner.talentHeadline?.region === 'Selangor' ? 'sees' : `no headline ${JSON.stringify(found.learner)}`;
    },
    `query($skills: [String!]!) { talentSearch(skills: $skills, first: 100) { edges { node { learner { id talentHeadline { region } } credentials { id visibility } } } } }`,
  ),
  'aisyah: Learner.contactRequests': fieldProbe('aisyah', 'contactRequests { edges { node { id } } }', 'contactRequests.edges', (edges: Array<{ node: { id: string } }>) =>
    edges.some((e) => e.node.id === demoId('contact-request:aisyah:perisian')),
  ),
  "aisyah: myContactRequests (Perisian's request to her)": {
    subject: 'aisyah',
    query: `query { myContactRequests(first: 100) { edges { node { id learner { id } } } } }`,
    variables: () => ({}),
    classify: (r) => {
      const edges = r.data?.myContactRequests?.edges as Array<{ node: { id: string; learner: { id: string } } }> | undefined;
      if (!edges) return errorOutcome(r);
      if (r.errors?.length) return `list with errors: ${errorOutcome(r)}`;
      if (edges.length === 0) return 'empty';
      return edges.some((e) => e.node.id === demoId('contact-request:aisyah:perisian') && e.node.learner.id === aisyah.id) ? 'sees' : `other requests ${JSON.stringify(edges)}`;
    },
  },

  'Provider.issuedCount (UAS)': {
    subject: 'aisyah',
    query: ISSUED_COUNT,
    variables: () => ({ id: providers.publicUniversity.id }),
    classify: (r, own) => {
      const count = r.data?.provider?.issuedCount;
      if (typeof count !== 'number') return errorOutcome(r);
      return count === own.data!.provider.issuedCount && count >= 2 ? 'sees' : `a different count ${count}`;
    },
  },
};

describe('the authorisation matrix', () => {
  it('has one probe for every row and a word for every column', () => {
    expect(MATRIX.map(([probe]) => probe).sort()).toEqual(Object.keys(PROBES).sort());
    for (const [probe, ...outcomes] of MATRIX) expect(outcomes, probe).toHaveLength(COLUMNS.length);
  });

  it.each(MATRIX)('%s', async (name, ...expected) => {
    const probe = PROBES[name]!;
    const ask = (column: Column) => {
      const who = VIEWERS[probe.subject][column];
      return graph.gateway.query(probe.query, { ...(who ? { as: who } : {}), variables: probe.variables() });
    };
    // Derived answers are compared with what the learner gets (or, for counts, an administrator).
    const own = await ask(name.startsWith('Provider.') ? 'admin' : 'learnerSelf');
    const answers = await Promise.all(COLUMNS.map(ask));
    const secrets = secretsOf(SUBJECTS[probe.subject], probe.extraSecrets);
    const actual = Object.fromEntries(
      COLUMNS.map((column, i) => {
        const answer = answers[i]!;
        const outcome = probe.classify(answer, own);
        const told = outcome === 'sees' ? [] : leaked(answer, secrets);
        return [column, told.length ? `${outcome}, but its message names ${told.join(', ')}` : outcome];
      }),
    );
    expect(actual).toEqual(Object.fromEntries(COLUMNS.map((column, i) => [column, expected[i]])));
  });
});
