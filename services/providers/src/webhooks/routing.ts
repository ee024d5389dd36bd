import {
  applicationDecidedEvent,
  claimDecidedEvent,
  consentGrantedEvent,
  consentRevokedEvent,
  contactRequestAnsweredEvent,
  courseApprovalDecidedEvent,
  credentialIssuedEvent,
  credentialReinstatedEvent,
  credentialRenewedEvent,
  credentialRevokedEvent,
  credentialSuspendedEvent,
  learnerEnrolledEvent,
  type Database,
  type EventContract,
  type EventData,
  type EventEnvelope,
  type OrganisationKind,
  resultRows,
  type Transaction,
} from '@tauliah/core';
import { and, eq, gt, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { employerConsent, webhookDelivery, webhookEndpoint, type tables } from '../db/schema.ts';
import { WebhookEventType } from './event-types.ts';

type Db = Database<typeof tables>;
type Tx = Transaction<typeof tables>;

/** An organisation an event concerns. */
export interface Recipient {
  kind: OrganisationKind;
  id: string;
}

/** How one kind of event reaches partners: whom it concerns, and what it changes here first. */
export interface WebhookRoute<TData> {
  type: WebhookEventType;
  contract: EventContract<TData>;
  /** The organisations it concerns, named in the event. */
  recipients(data: TData): Recipient[];
  /** The learner whose consenting employers it also concerns (credential events employers may see). */
  consentingEmployersOf?(data: TData): string | undefined;
  /** What the event changes in this service's own copy (consents), in the routing transaction. */
  apply?(tx: Tx, event: EventEnvelope<TData>): Promise<void>;
}

/** Declares a route with its contract's payload type, kept in a list of every route. */
const route = <TData>(definition: WebhookRoute<TData>): WebhookRoute<unknown> => definition;

/** Employers see a credential its learner made visible to them or to everyone (the credentials service's rule). */
const EMPLOYER_VISIBLE = new Set(['EMPLOYERS', 'PUBLIC']);

type CredentialFacts = EventData<typeof credentialIssuedEvent>;
const credentialRoute = (type: WebhookEventType, contract: EventContract<CredentialFacts>) =>
  route<CredentialFacts>({
    type,
    contract,
    recipients: (data) => [{ kind: 'PROVIDER', id: data.issuerId }],
    consentingEmployersOf: (data) => (EMPLOYER_VISIBLE.has(data.visibility) ? data.learnerId : undefined),
  });

const grantee = (data: EventData<typeof consentRevokedEvent>): Recipient[] => [{ kind: data.granteeKind, id: data.granteeId }];

/** Every event partners hear about, where it goes, and the durable consumer that takes it off the broker. */
export const WEBHOOK_ROUTES: readonly WebhookRoute<unknown>[] = [
  credentialRoute(WebhookEventType.CREDENTIAL_ISSUED, credentialIssuedEvent),
  credentialRoute(WebhookEventType.CREDENTIAL_REVOKED, credentialRevokedEvent),
  credentialRoute(WebhookEventType.CREDENTIAL_SUSPENDED, credentialSuspendedEvent),
  credentialRoute(WebhookEventType.CREDENTIAL_REINSTATED, credentialReinstatedEvent),
  credentialRoute(WebhookEventType.CREDENTIAL_RENEWED, credentialRenewedEvent),
  route({ type: WebhookEventType.LEARNER_ENROLLED, contract: learnerEnrolledEvent, recipients: (data) => [{ kind: 'PROVIDER', id: data.providerId }] }),
  route<EventData<typeof consentGrantedEvent>>({
    type: WebhookEventType.CONSENT_GRANTED,
    contract: consentGrantedEvent,
    recipients: grantee,
    async apply(tx, { data }) {
      if (data.granteeKind !== 'EMPLOYER') return;
      // A revocation that arrived first stays: the grant only fills in the expiry.
      await tx
        .insert(employerConsent)
        .values({ consentId: data.consentId, learnerId: data.learnerId, employerId: data.granteeId, expiresAt: new Date(data.expiresAt) })
        .onConflictDoUpdate({ target: employerConsent.consentId, set: { expiresAt: new Date(data.expiresAt) } });
    },
  }),
  route<EventData<typeof consentRevokedEvent>>({
    type: WebhookEventType.CONSENT_REVOKED,
    contract: consentRevokedEvent,
    recipients: grantee,
    async apply(tx, { data, occurredAt }) {
      if (data.granteeKind !== 'EMPLOYER') return;
      await tx
        .insert(employerConsent)
        .values({ consentId: data.consentId, learnerId: data.learnerId, employerId: data.granteeId, revokedAt: new Date(occurredAt) })
        .onConflictDoUpdate({ target: employerConsent.consentId, set: { revokedAt: sql`coalesce(${employerConsent.revokedAt}, excluded.revoked_at)` } });
    },
  }),
  route({ type: WebhookEventType.APPLICATION_DECIDED, contract: applicationDecidedEvent, recipients: (data) => [{ kind: 'FUNDER', id: data.funderId }] }),
  route({
    type: WebhookEventType.COURSE_APPROVAL_DECIDED,
    contract: courseApprovalDecidedEvent,
    recipients: (data) => [
      { kind: 'PROVIDER', id: data.providerId },
      { kind: 'FUNDER', id: data.funderId },
    ],
  }),
  route({ type: WebhookEventType.CONTACT_REQUEST_ANSWERED, contract: contactRequestAnsweredEvent, recipients: (data) => [{ kind: 'EMPLOYER', id: data.employerId }] }),
  route({
    type: WebhookEventType.CLAIM_DECIDED,
    contract: claimDecidedEvent,
    recipients: (data) => [
      { kind: 'EMPLOYER', id: data.employerId },
      { kind: 'FUNDER', id: data.funderId },
    ],
  }),
];

/** The durable consumer of one route: its position on the broker outlives restarts (NATS names: no dots). */
export const consumerName = (type: WebhookEventType): string => `providers-webhooks-${type.replace('.', '-').toLowerCase()}`;

/**
 * What partners receive, in the Standard Webhooks shape: the type, when it
 * happened, and the ids to fetch the details with through the graph, as the
 * event carries them (event contracts carry no personal data).
 */
export const webhookBody = (type: WebhookEventType, event: EventEnvelope<unknown>): string => JSON.stringify({ type, timestamp: event.occurredAt, data: event.data });

/** The enabled endpoints of the organisations an event concerns that subscribe to its type. */
function subscribedEndpoints<TData>(routing: WebhookRoute<TData>, data: TData): SQL {
  const organisations: SQL[] = routing.recipients(data).map((r) => and(eq(webhookEndpoint.organisationKind, r.kind), eq(webhookEndpoint.organisationId, r.id))!);
  const learnerId = routing.consentingEmployersOf?.(data);
  if (learnerId) {
    const consenting = sql`(select ${employerConsent.employerId} from ${employerConsent} where ${and(eq(employerConsent.learnerId, learnerId), isNull(employerConsent.revokedAt), gt(employerConsent.expiresAt, sql`now()`))})`;
    organisations.push(and(eq(webhookEndpoint.organisationKind, 'EMPLOYER'), inArray(webhookEndpoint.organisationId, consenting))!);
  }
  return and(isNull(webhookEndpoint.disabledAt), sql`${routing.type} = any(${webhookEndpoint.eventTypes})`, or(...organisations))!;
}

/**
 * Turns one event into a delivery per matching endpoint, in one transaction
 * with what it changes here (a consent), and resolves once that committed:
 * only then does the consumer acknowledge it. The broker delivers at least
 * once; a second delivery of the event finds its rows already there (unique
 * per endpoint and event) and adds nothing. Returns how many were queued.
 */
export async function routeEvent<TData>(db: Db, routing: WebhookRoute<TData>, event: EventEnvelope<TData>): Promise<number> {
  // One statement, whatever the number of endpoints (drizzle's insert-select would want every column).
  const queue = (executor: Pick<Db, 'execute'>) =>
    executor.execute(sql`
      insert into ${webhookDelivery} (endpoint_id, event_id, event_type, body, next_attempt_at)
      select ${webhookEndpoint.id}, ${event.id}::uuid, ${routing.type}, ${webhookBody(routing.type, event as EventEnvelope<unknown>)}, now()
      from ${webhookEndpoint}
      where ${subscribedEndpoints(routing, event.data)}
      on conflict (endpoint_id, event_id) do nothing
      returning id`);
  // Most events change nothing kept here: their one statement is atomic on its own, and holds nothing between
  // statements (on the embedded database a transaction holds the one connection; a cohort's thousands of events
  // must not queue requests behind them). Those that do (a consent kept for routing) change both together.
  if (!routing.apply) return resultRows(await queue(db)).length;
  return db.transaction(async (tx) => {
    await routing.apply!(tx, event);
    return resultRows(await queue(tx)).length;
  });
}

/**
 * Which event types any enabled endpoint wants, as the database said at a
 * moment of its own clock: most events (every enrolment of a 10,000-row
 * intake) concern no endpoint at all, and need not cost a statement each. An
 * event that occurred before that moment, of a type no endpoint then wanted,
 * is skipped: an endpoint made later was not there when it happened. Anything
 * newer, and any event whose route keeps state here (consents), is routed as
 * usual. Looked up again at most every `maxAgeMs`.
 */
export class WantedEventTypes {
  private types = new Set<string>();
  private asOf = 0;
  private checkedAt = 0;
  private pending: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly maxAgeMs = 1_000,
  ) {}

  /** Whether the event can be left without a statement: no endpoint wanted its type after it occurred. */
  async unwanted<TData>(routing: WebhookRoute<TData>, event: EventEnvelope<TData>): Promise<boolean> {
    if (routing.apply) return false;
    if (Date.now() - this.checkedAt > this.maxAgeMs) await (this.pending ??= this.refresh().finally(() => (this.pending = undefined)));
    return Date.parse(event.occurredAt) < this.asOf && !this.types.has(routing.type);
  }

  private async refresh(): Promise<void> {
    const rows = resultRows<{ type: string | null; as_of: string | Date }>(
      await this.db.execute(sql`
        select t.type, now() as as_of
        from (select 1) one
        left join (select distinct unnest(${webhookEndpoint.eventTypes}) as type from ${webhookEndpoint} where ${webhookEndpoint.disabledAt} is null) t on true`),
    );
    this.types = new Set(rows.flatMap((row) => (row.type ? [row.type] : [])));
    this.asOf = new Date(rows[0]!.as_of).getTime();
    this.checkedAt = Date.now();
  }
}
