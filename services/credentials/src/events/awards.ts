import {
  consentGrantedEvent,
  consentRevokedEvent,
  credentialIssuedEvent,
  credentialReinstatedEvent,
  credentialRenewedEvent,
  credentialRevokedEvent,
  credentialSuspendedEvent,
  pathwayDefinedEvent,
  startEventConsumer,
  type BackgroundWorker,
  type Database,
  type EventContract,
  type EventTransport,
  type Logger,
} from '@tauliah/core';
import { settleAwards } from '../awards/settle.ts';
import type { CredentialsConfig } from '../config.ts';
import type { tables } from '../db/schema.ts';
import { applyPathwayDefined, PATHWAY_DEFINED_CONSUMER } from './pathway-defined.ts';
import { applyConsentGranted, applyConsentRevoked, CONSENT_GRANTED_CONSUMER, CONSENT_REVOKED_CONSUMER } from './provider-consent.ts';

interface Env {
  db: Database<typeof tables>;
  config: CredentialsConfig;
  events: EventTransport;
  log: Logger;
}

type CredentialFacts = { learnerId: string; award?: { pathwayId: string; stagePosition: number } | null };

/** The events of credentials' own outbox that can complete a stage, or undo one: each settles its holder's exit awards. */
const SETTLING: Array<[EventContract<CredentialFacts>, string]> = [
  [credentialIssuedEvent, 'credentials-awards-issued'],
  [credentialRevokedEvent, 'credentials-awards-revoked'],
  [credentialSuspendedEvent, 'credentials-awards-suspended'],
  [credentialReinstatedEvent, 'credentials-awards-reinstated'],
  [credentialRenewedEvent, 'credentials-awards-renewed'],
];

/**
 * The consumers behind exit awards (awards/settle.ts): the pathway
 * definitions providers announce, the consents learners give providers, and
 * credentials' own credential events, each settling the learner concerned.
 * An award's own event settles nothing (awards never count towards a stage),
 * so settling never feeds itself. Every handler is idempotent: a redelivered
 * event settles to the same awards.
 */
export function awardConsumers({ db, config, events, log }: Env): BackgroundWorker[] {
  const settle = async (learnerId: string, eventId: string) => {
    const settled = await settleAwards(db, config, learnerId);
    if (settled.issued.length || settled.suspended.length || settled.reinstated.length) {
      log.info({ eventId, issued: settled.issued, suspended: settled.suspended, reinstated: settled.reinstated }, 'exit awards settled');
    }
    if (settled.waiting.length) log.warn({ eventId, waiting: settled.waiting }, 'exit awards due but not issued yet');
  };
  return [
    startEventConsumer({ transport: events, contract: pathwayDefinedEvent, durable: PATHWAY_DEFINED_CONSUMER, handle: (event) => applyPathwayDefined(db, event), log }),
    startEventConsumer({
      transport: events,
      contract: consentGrantedEvent,
      durable: CONSENT_GRANTED_CONSUMER,
      handle: async (event) => (await applyConsentGranted(db, event)) && settle(event.data.learnerId, event.id),
      log,
    }),
    startEventConsumer({
      transport: events,
      contract: consentRevokedEvent,
      durable: CONSENT_REVOKED_CONSUMER,
      handle: async (event) => (await applyConsentRevoked(db, event)) && settle(event.data.learnerId, event.id),
      log,
    }),
    ...SETTLING.map(([contract, durable]) =>
      startEventConsumer({
        transport: events,
        contract,
        durable,
        handle: async (event) => {
          if (!event.data.award) await settle(event.data.learnerId, event.id);
        },
        log,
      }),
    ),
  ];
}
