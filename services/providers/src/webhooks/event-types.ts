import type { OrganisationKind } from '@tauliah/core';

/** The events partners subscribe to, by the names they read in payloads (`type`) and choose from when registering. */
export enum WebhookEventType {
  CREDENTIAL_ISSUED = 'credential.issued',
  CREDENTIAL_REVOKED = 'credential.revoked',
  CREDENTIAL_SUSPENDED = 'credential.suspended',
  CREDENTIAL_REINSTATED = 'credential.reinstated',
  CREDENTIAL_RENEWED = 'credential.renewed',
  LEARNER_ENROLLED = 'learner.enrolled',
  CONSENT_GRANTED = 'consent.granted',
  CONSENT_REVOKED = 'consent.revoked',
  APPLICATION_DECIDED = 'application.decided',
  COURSE_APPROVAL_DECIDED = 'courseApproval.decided',
  CLAIM_DECIDED = 'claim.decided',
  CONTACT_REQUEST_ANSWERED = 'contact-request.answered',
}

const CREDENTIAL_EVENTS = [
  WebhookEventType.CREDENTIAL_ISSUED,
  WebhookEventType.CREDENTIAL_REVOKED,
  WebhookEventType.CREDENTIAL_SUSPENDED,
  WebhookEventType.CREDENTIAL_REINSTATED,
  WebhookEventType.CREDENTIAL_RENEWED,
];
const CONSENT_EVENTS = [WebhookEventType.CONSENT_GRANTED, WebhookEventType.CONSENT_REVOKED];

/**
 * What each kind of organisation is ever sent: an endpoint subscribing to
 * anything else would wait forever, so registration refuses it. Providers
 * hear of the credentials they issued, their enrolments, consents granted to
 * them and their courses' funding approvals; employers of the credentials
 * their consenting candidates hold, consents, their HRD Corp claims and the
 * answers to their contact requests;
 * funders of consents and every decision they made.
 */
export const RECEIVED_BY: Readonly<Record<OrganisationKind, readonly WebhookEventType[]>> = {
  PROVIDER: [...CREDENTIAL_EVENTS, WebhookEventType.LEARNER_ENROLLED, ...CONSENT_EVENTS, WebhookEventType.COURSE_APPROVAL_DECIDED],
  EMPLOYER: [...CREDENTIAL_EVENTS, ...CONSENT_EVENTS, WebhookEventType.CLAIM_DECIDED, WebhookEventType.CONTACT_REQUEST_ANSWERED],
  FUNDER: [...CONSENT_EVENTS, WebhookEventType.APPLICATION_DECIDED, WebhookEventType.COURSE_APPROVAL_DECIDED, WebhookEventType.CLAIM_DECIDED],
};
