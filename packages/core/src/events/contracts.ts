import { z } from 'zod';
import { isUuid } from '../loaders.ts';
import { rules } from '../validation.ts';
import { CredentialVisibility } from '../vocabulary.ts';
import { defineEvent } from './envelope.ts';

/**
 * The events services exchange, declared once: the producer records them
 * through its outbox, consumers parse them with the same schema. A payload
 * carries only what consumers need; anything else is stripped before it is
 * recorded (never a name, NRIC or contact detail).
 */

/**
 * The state of residence employers' talent search may find a learner by,
 * sent when they register themselves and whenever their state or their
 * choice to share it changes. It carries the state only while the learner
 * shares it with talent search (null: not shared, or none given; the learners
 * service's stateForTalentSearch decides). Credentials keeps it current for
 * the talent search state filter. A learner a provider enrolled has chosen
 * nothing yet and is announced only once they change their state or that
 * choice: a learner never heard of shares no state.
 */
export const learnerResidenceEvent = defineEvent(
  'learners',
  'learner.residence',
  z.object({
    learnerId: z.string().refine(isUuid, 'must be a learner id (a UUID)'),
    state: rules.malaysianState.nullable(),
  }),
);


/**
 * The visibility a learner chose for credentials issued to them from now on,
 * sent when they register themselves (PRIVATE until they choose) and
 * whenever they change it. Issuers never choose it: credentials issues with
 * this default, and PRIVATE for a learner never heard of (one a provider
 * enrolled, who has not chosen yet).
 */
export const learnerPreferencesEvent = defineEvent(
  'learners',
  'learner.preferences',
  z.object({
    learnerId: z.string().refine(isUuid, 'must be a learner id (a UUID)'),
    credentialVisibility: z.nativeEnum(CredentialVisibility),
  }),
);

/**
 * A learner is enrolled with a provider: sent for every new enrolment (a new
 * learner's, or an existing learner's with one more provider). What a
 * provider may read of a learner without their consent follows its ACTIVE
 * enrolments: credentials keeps them for pathway progress.
 */
export const learnerEnrolledEvent = defineEvent(
  'learners',
  'learner.enrolled',
  z.object({
    learnerId: z.string().refine(isUuid, 'must be a learner id (a UUID)'),
    providerId: z.string().refine(isUuid, 'must be a provider id (a UUID)'),
  }),
);

/**
 * A learner's enrolment with a provider ended (the learner or the provider
 * ended it): the provider no longer reads what its enrolment let it read, so
 * consumers drop what they keep of learner.enrolled for the pair. The same
 * payload as learner.enrolled; a later learner.enrolled for the pair (a new
 * enrolment) has a higher version (the envelope's outbox position), so a
 * consumer applying both kinds in version order ends with the latest.
 */
export const learnerEnrolmentEndedEvent = defineEvent(
  'learners',
  'learner.enrolment-ended',
  z.object({
    learnerId: z.string().refine(isUuid, 'must be a learner id (a UUID)'),
    providerId: z.string().refine(isUuid, 'must be a provider id (a UUID)'),
  }),
);

/**
 * A platform ADMIN approved an organisation's application to join as an
 * EMPLOYER or a FUNDER (the providers service keeps the applications; a
 * PROVIDER it creates itself, in the approving transaction). The owning
 * service (employers, funding) creates the organisation with this id and its
 * first ADMIN staff account; applying it twice changes nothing. The one
 * personal detail an event carries is the first administrator's name and
 * work e-mail, which that staff account keeps: organisation staff, never a
 * learner.
 */
export const organisationApprovedEvent = defineEvent(
  'providers',
  'organisation.approved',
  z.object({
    applicationId: z.string().refine(isUuid, 'must be an application id (a UUID)'),
    kind: z.enum(['EMPLOYER', 'FUNDER']),
    organisationId: z.string().refine(isUuid, 'must be an organisation id (a UUID)'),
    name: z.string().min(1).max(200),
    /** SSM company number for an employer; the funder's registration (statutory body or company) number. */
    registrationNumber: z.string().min(1).max(50),
    state: rules.malaysianState,
    /** For an EMPLOYER: what the employers service records about the company. */
    employer: z
      .object({
        sector: z.string().min(1).max(100),
        size: z.enum(['MICRO', 'SMALL', 'MEDIUM', 'LARGE']),
        employeeCount: z.number().int().min(0),
        /** HRD Corp employer registration number, when registered. */
        hrdCorpEmployerNumber: z.string().min(1).max(50).nullable(),
      })
      .nullable(),
    administrator: z.object({
      subject: z.string().min(1).max(255),
      name: z.string().min(1).max(200),
      email: z.string().email().max(254),
    }),
  }),
);

/**
 * A platform ADMIN retired a skill of the taxonomy in favour of another:
 * credentials proving the retired skill count for its successor in talent
 * search, skills gap and progress. Successors chain (A retired for B, B later
 * for C): a consumer follows the chain to the skill in use.
 */
export const skillRetiredEvent = defineEvent(
  'providers',
  'skill.retired',
  z.object({
    code: z.string().min(1).max(64),
    successorCode: z.string().min(1).max(64),
  }),
);

/**
 * A platform ADMIN suspended a provider or reinstated it. While suspended it
 * issues nothing; what it issued in good standing stays valid, so credentials
 * keeps the time of the suspension to tell the two apart when verifying.
 */
export const providerStandingEvent = defineEvent(
  'providers',
  'provider.standing',
  z.object({
    providerId: z.string().refine(isUuid, 'must be a provider id (a UUID)'),
    inGoodStanding: z.boolean(),
    /** When the standing changed: the suspension's start, or the reinstatement. */
    changedAt: z.string().datetime({ offset: true }),
  }),
);

/** A UUID of the thing named, as every contract below checks ids. */
const id = (what: string) => z.string().refine(isUuid, `must be ${what} (a UUID)`);

/** The kinds of exit award a pathway stage leads to, as OB 3.0 names them (its achievementType). */
export const EXIT_AWARD_TYPES = ['Certificate', 'Diploma'] as const;
export type ExitAwardType = (typeof EXIT_AWARD_TYPES)[number];

/**
 * The kind of award an exit award's title names: a Diploma when its title
 * says so ("Certified Professional Diploma in Software Engineering"), else a
 * Certificate ("Professional Certificate in Web Development").
 */
export const exitAwardTypeOf = (exitAward: string): ExitAwardType => (/\bdiploma\b/i.test(exitAward) ? 'Diploma' : 'Certificate');

/**
 * A pathway as its provider now defines it, whole: sent when it is created or
 * updated, and for every pathway whose credit recognitions change (one
 * recorded or withdrawn towards one of its courses). Credentials keeps the
 * latest copy (the highest version; an older or repeated event changes
 * nothing) to issue the stages' exit awards from its own events, which carry
 * no viewer to read the pathway through the graph. Only what progress and an
 * award need: no learner, nothing personal.
 */
export const pathwayDefinedEvent = defineEvent(
  'providers',
  'pathway.defined',
  z.object({
    pathwayId: id('a pathway id'),
    providerId: id('a provider id'),
    code: z.string().min(1).max(50),
    title: z.string().min(1).max(300),
    targetProgramme: z.string().min(1).max(300),
    targetProgrammeCredits: z.number().int().positive(),
    apelThresholdPercent: z.number().int().min(50).max(100),
    stages: z.array(
      z.object({
        position: z.number().int().positive(),
        title: z.string().min(1).max(300),
        exitAward: z.string().min(1).max(300),
        awardType: z.enum(EXIT_AWARD_TYPES),
        exitJobRoleTitle: z.string().min(1).max(300).nullable(),
        minimumCredits: z.number().int().positive().nullable(),
        requiredCourseIds: z.array(id('a course id')),
        electiveCourseIds: z.array(id('a course id')),
      }),
    ),
    /** Standing recognitions towards the pathway's courses: another provider's course counting as one of them. */
    recognitions: z.array(z.object({ courseId: id('a course id'), recognisedCourseId: id('a course id'), creditsGranted: z.number().int().positive() })),
    /** When the provider defined it so (informational: consumers order by the event's version). */
    definedAt: z.string().datetime({ offset: true }),
  }),
);

/*
 * The events partners hear about through webhooks (and that services may
 * act on). Thin by rule: ids and the facts needed to route them to the
 * organisations concerned, never a name, contact detail or NRIC: a partner
 * fetches the details through the graph, as itself.
 */

/**
 * A credential and whom it concerns: its issuer, its holder, its course, and
 * who may see it now. A pathway's exit award (a Professional Certificate or
 * Diploma its provider issues when the learner's credentials complete a
 * stage) has no course: `courseId` is null and `award` names the pathway and
 * stage; every other credential's event carries no `award` (absent; null
 * reads the same).
 */
const credentialFacts = z.object({
  credentialId: id('a credential id'),
  issuerId: id('a provider id'),
  learnerId: id('a learner id'),
  courseId: id('a course id').nullable(),
  visibility: z.nativeEnum(CredentialVisibility),
  award: z
    .object({ pathwayId: id('a pathway id'), stagePosition: z.number().int().positive() })
    .nullish(),
});

/** A provider issued a credential (one of a cohort, or alone). */
export const credentialIssuedEvent = defineEvent('credentials', 'credential.issued', credentialFacts);
/** The issuer revoked a credential: final. */
export const credentialRevokedEvent = defineEvent('credentials', 'credential.revoked', credentialFacts);
/** The issuer suspended a credential: not valid until reinstated. */
export const credentialSuspendedEvent = defineEvent('credentials', 'credential.suspended', credentialFacts);
/** The issuer reinstated a suspended credential. */
export const credentialReinstatedEvent = defineEvent('credentials', 'credential.reinstated', credentialFacts);
/** The issuer renewed a credential: `credentialId` is the new one, which replaces `replacesCredentialId`. */
export const credentialRenewedEvent = defineEvent('credentials', 'credential.renewed', credentialFacts.extend({ replacesCredentialId: id('a credential id') }));

/** A consent and whom it concerns: the learner, and the organisation it is granted to. */
const consentFacts = z.object({
  consentId: id('a consent id'),
  learnerId: id('a learner id'),
  granteeKind: z.enum(['PROVIDER', 'EMPLOYER', 'FUNDER']),
  granteeId: id('an organisation id'),
});

/**
 * A learner granted an organisation access to named scopes of their data,
 * until an expiry. Webhooks tell the grantee; the endpoints' service keeps
 * which employers a learner consented to, to route credential events.
 */
export const consentGrantedEvent = defineEvent(
  'learners',
  'consent.granted',
  consentFacts.extend({ scopes: z.array(z.string().min(1).max(40)).min(1), expiresAt: z.string().datetime({ offset: true }) }),
);
/** A learner revoked a consent (or it was replaced): the grantee reads no more under it. */
export const consentRevokedEvent = defineEvent('learners', 'consent.revoked', consentFacts);

/** A funder's decision, and the organisations it concerns. */
const decision = z.enum(['APPROVED', 'REJECTED']);

/** A funder decided a learner's application for aid (B40): told to the funder's own systems. */
export const applicationDecidedEvent = defineEvent(
  'funding',
  'application.decided',
  z.object({ applicationId: id('an application id'), schemeId: id('a scheme id'), funderId: id('a funder id'), learnerId: id('a learner id'), courseId: id('a course id'), decision }),
);
/** A funder decided an employer's HRD Corp claim: told to the employer and the funder. */
export const claimDecidedEvent = defineEvent(
  'funding',
  'claim.decided',
  z.object({ applicationId: id('an application id'), schemeId: id('a scheme id'), funderId: id('a funder id'), employerId: id('an employer id'), learnerId: id('a learner id'), courseId: id('a course id'), decision }),
);
/** A funder decided whether a course is approved for a scheme: told to the course's provider and the funder. */
export const courseApprovalDecidedEvent = defineEvent(
  'funding',
  'courseApproval.decided',
  z.object({ courseApprovalId: id('a course approval id'), schemeId: id('a scheme id'), funderId: id('a funder id'), providerId: id('a provider id'), courseId: id('a course id'), decision }),
);

/**
 * A learner answered an employer's contact request: told to the employer
 * (webhooks), which fetches the details through the graph as itself. Thin by
 * rule: ids and the answer, never the message or anything about the learner;
 * an acceptance names the consent it granted, which consent.granted
 * announces in the same transaction. A request that lapses unanswered ends
 * without a write and without an event: its expiresAt says when.
 */
export const contactRequestAnsweredEvent = defineEvent(
  'learners',
  'contact-request.answered',
  z.object({
    contactRequestId: id('a contact request id'),
    learnerId: id('a learner id'),
    employerId: id('an employer id'),
    jobRoleId: id('a job role id'),
    answer: z.enum(['ACCEPTED', 'DECLINED']),
    consentId: id('a consent id').nullable(),
  }),
);
