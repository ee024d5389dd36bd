import { ConnectionType } from '@tauliah/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { WebhookAttemptRow, WebhookDeliveryRow, WebhookEndpointRow } from '../db/schema.ts';
import { WebhookEventType } from '../webhooks/event-types.ts';
import { OrganisationKind } from './application.ts';

export { WebhookEventType };
registerEnumType(WebhookEventType, {
  name: 'WebhookEventType',
  description: 'An event partners hear about through webhooks; the payload names it as shown (its `type`).',
  valuesConfig: {
    CREDENTIAL_ISSUED: { description: '`credential.issued`: to the issuing provider, and to employers the learner consented to when employers may see the credential.' },
    CREDENTIAL_REVOKED: { description: '`credential.revoked`: as credential.issued.' },
    CREDENTIAL_SUSPENDED: { description: '`credential.suspended`: as credential.issued.' },
    CREDENTIAL_REINSTATED: { description: '`credential.reinstated`: as credential.issued.' },
    CREDENTIAL_RENEWED: { description: '`credential.renewed`: as credential.issued; names the credential it replaces.' },
    LEARNER_ENROLLED: { description: '`learner.enrolled`: to the provider the learner was enrolled with.' },
    CONSENT_GRANTED: { description: '`consent.granted`: to the organisation the learner granted it to.' },
    CONSENT_REVOKED: { description: '`consent.revoked`: to the organisation the consent was granted to.' },
    APPLICATION_DECIDED: { description: "`application.decided`: to the funder that decided a learner's application." },
    COURSE_APPROVAL_DECIDED: { description: "`courseApproval.decided`: to the course's provider and the funder." },
    CLAIM_DECIDED: { description: '`claim.decided`: to the employer that claimed and the funder.' },
    CONTACT_REQUEST_ANSWERED: { description: '`contact-request.answered`: to the employer whose contact request the learner accepted or declined.' },
  },
});

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}
registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  valuesConfig: {
    PENDING: { description: 'Waiting for its next attempt (nextAttemptAt).' },
    DELIVERED: { description: 'The receiver answered 2xx.' },
    FAILED: { description: 'Every attempt of the retry schedule failed; redeliverWebhookEvent or replayWebhookEvents queues it again.' },
  },
});

export enum WebhookDeliveryErrorKind {
  TIMEOUT = 'TIMEOUT',
  CONNECTION = 'CONNECTION',
  DNS = 'DNS',
  FORBIDDEN_DESTINATION = 'FORBIDDEN_DESTINATION',
  HTTP_STATUS = 'HTTP_STATUS',
}
registerEnumType(WebhookDeliveryErrorKind, {
  name: 'WebhookDeliveryErrorKind',
  description: 'Why an attempt failed.',
  valuesConfig: {
    TIMEOUT: { description: 'No complete answer within the timeout.' },
    CONNECTION: { description: 'The connection was refused, reset or its TLS failed.' },
    DNS: { description: 'The host name did not resolve.' },
    FORBIDDEN_DESTINATION: { description: 'The host resolved to a private, loopback or link-local address, where webhooks are never sent.' },
    HTTP_STATUS: { description: 'The receiver answered other than 2xx (a redirect included: they are not followed).' },
  },
});

@ObjectType({ description: 'A secret signing deliveries now: never shown again after it was made, only when it was made and when it stops.' })
export class WebhookSigningSecret {
  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it stops signing: null for the current secret; a rotated-out one signs beside its successor until then.' })
  retiresAt!: Date | null;
}

@ObjectType({
  description:
    "Where an organisation's events are POSTed, signed as Standard Webhooks specifies (webhook-id, webhook-timestamp, webhook-signature). Read and managed by the organisation's ADMIN staff and its partner system; platform administrators read it.",
})
export class WebhookEndpoint {
  @Field(() => ID)
  id!: string;

  @Field(() => OrganisationKind)
  organisationKind!: OrganisationKind;

  @Field(() => ID, { description: 'The Provider, Employer or Funder it belongs to.' })
  organisationId!: string;

  @Field(() => String)
  url!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => [WebhookEventType])
  eventTypes!: WebhookEventType[];

  @Field(() => String, { description: 'The subject of the token that registered it.' })
  createdBy!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Boolean, { description: 'False once disabled, by its organisation or after failing for days: it then receives nothing new until enabled.' })
  enabled!: boolean;

  @Field(() => Date, { nullable: true })
  disabledAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Who disabled it and why; for an endpoint disabled automatically, since when every delivery failed and the last failure.' })
  disabledReason!: string | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When its current run of failed deliveries began (null after any success). An endpoint failing for 5 days is disabled.',
  })
  failingSince!: Date | null;
}

export const toWebhookEndpoint = (row: WebhookEndpointRow): WebhookEndpoint => ({
  ...row,
  organisationKind: row.organisationKind as OrganisationKind,
  eventTypes: row.eventTypes as WebhookEventType[],
  enabled: row.disabledAt === null,
});

@ObjectType({ description: 'One attempt at a delivery.' })
export class WebhookDeliveryAttempt {
  @Field(() => Int, { description: '1 for the first, counted across redeliveries.' })
  attempt!: number;

  @Field(() => Date)
  at!: Date;

  @Field(() => Int, { nullable: true, description: "The receiver's HTTP status, when it answered." })
  statusCode!: number | null;

  @Field(() => Int, { description: 'From the start of the attempt to the status line (or the failure), in milliseconds.' })
  latencyMs!: number;

  @Field(() => WebhookDeliveryErrorKind, { nullable: true })
  errorKind!: WebhookDeliveryErrorKind | null;

  @Field(() => String, { nullable: true, description: 'What went wrong, in words.' })
  error!: string | null;
}

export const toWebhookDeliveryAttempt = (row: WebhookAttemptRow): WebhookDeliveryAttempt => ({ ...row, errorKind: row.errorKind as WebhookDeliveryErrorKind | null });

@ObjectType({ description: 'One event for one endpoint, and where its delivery stands.' })
export class WebhookDelivery {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { description: 'The event, sent as webhook-id: the same on every attempt and redelivery, so a receiver applies it once.' })
  eventId!: string;

  @Field(() => WebhookEventType)
  eventType!: WebhookEventType;

  @Field(() => String, { description: 'The JSON body sent, exactly as signed.' })
  payload!: string;

  @Field(() => WebhookDeliveryStatus)
  status!: WebhookDeliveryStatus;

  @Field(() => Int, { description: 'Attempts made so far.' })
  attempts!: number;

  @Field(() => Date, { nullable: true, description: 'While PENDING: when the next attempt is due.' })
  nextAttemptAt!: Date | null;

  @Field(() => Int, { nullable: true })
  lastStatusCode!: number | null;

  @Field(() => WebhookDeliveryErrorKind, { nullable: true })
  lastErrorKind!: WebhookDeliveryErrorKind | null;

  @Field(() => String, { nullable: true })
  lastError!: string | null;

  @Field(() => Int, { nullable: true })
  lastLatencyMs!: number | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was last delivered.' })
  deliveredAt!: Date | null;

  endpointId!: string;
}

export const toWebhookDelivery = (row: WebhookDeliveryRow): WebhookDelivery => ({
  ...row,
  payload: row.body,
  eventType: row.eventType as WebhookEventType,
  status: row.status as WebhookDeliveryStatus,
  lastErrorKind: row.lastErrorKind as WebhookDeliveryErrorKind | null,
});

export const WebhookDeliveryConnection = ConnectionType('WebhookDelivery', WebhookDelivery);

@ObjectType({ description: 'A new endpoint and its signing secret, shown this once (a retry with the same idempotencyKey shows it again).' })
export class CreatedWebhookEndpoint {
  @Field(() => WebhookEndpoint)
  endpoint!: WebhookEndpoint;

  @Field(() => String, { description: 'The `whsec_...` secret to verify signatures with (any Standard Webhooks library takes it as is). Keep it secret.' })
  secret!: string;

  @Field(() => Boolean, { description: 'True when an earlier call with the same idempotencyKey created it.' })
  replayed!: boolean;
}

@ObjectType({ description: 'A new signing secret, shown this once; the one it replaces signs beside it until previousSecretRetiresAt.' })
export class RotatedWebhookSecret {
  @Field(() => WebhookEndpoint)
  endpoint!: WebhookEndpoint;

  @Field(() => String, { description: 'The new `whsec_...` secret.' })
  secret!: string;

  @Field(() => Date, { nullable: true, description: 'Until when the previous secret also signs (24 hours): switch the receiver to the new one before then.' })
  previousSecretRetiresAt!: Date | null;

  @Field(() => Boolean, { description: 'True when an earlier call with the same idempotencyKey made it.' })
  replayed!: boolean;
}

@ObjectType({ description: 'Deliveries queued again by replayWebhookEvents.' })
export class WebhookReplay {
  @Field(() => WebhookEndpoint)
  endpoint!: WebhookEndpoint;

  @Field(() => Int, { description: 'How many deliveries were queued again.' })
  requeued!: number;
}
