import { providers } from '@tauliah/demo-data';
import type { Who } from '@tauliah/testing';

/** Who acts for the ODL: its ADMIN (the demo PROVIDER_STAFF persona), its student records system (PARTNER), and a STAFF person. */
export const odlAdmin: Who = 'PROVIDER_STAFF';
export const odlSystem: Who = 'PARTNER';
export const odlStaff: Who = { role: 'PROVIDER_STAFF', sub: 'staff:odl:registrar', providerId: providers.odl.id };
/** The public university's ADMIN: another organisation. */
export const uasAdmin: Who = { role: 'PROVIDER_STAFF', sub: 'staff:uas:registrar', providerId: providers.publicUniversity.id };

export const ENDPOINT_FIELDS = 'id organisationKind organisationId url description eventTypes createdBy enabled disabledAt disabledReason failingSince signingSecrets { createdAt retiresAt }';

export const CREATE = `mutation($input: WebhookEndpointInput!, $key: String) {
  createWebhookEndpoint(input: $input, idempotencyKey: $key) { secret replayed endpoint { ${ENDPOINT_FIELDS} } }
}`;
export const UPDATE = `mutation($id: ID!, $input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(id: $id, input: $input) { ${ENDPOINT_FIELDS} } }`;
export const DISABLE = `mutation($id: ID!, $reason: String) { disableWebhookEndpoint(id: $id, reason: $reason) { ${ENDPOINT_FIELDS} } }`;
export const ENABLE = `mutation($id: ID!) { enableWebhookEndpoint(id: $id) { ${ENDPOINT_FIELDS} } }`;
export const ROTATE = `mutation($id: ID!, $key: String) { rotateWebhookSecret(id: $id, idempotencyKey: $key) { secret previousSecretRetiresAt replayed endpoint { id signingSecrets { createdAt retiresAt } } } }`;
export const DELETE = `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`;
export const LIST = `query($kind: OrganisationKind, $organisationId: ID) { webhookEndpoints(organisationKind: $kind, organisationId: $organisationId) { ${ENDPOINT_FIELDS} } }`;
export const DELIVERY_FIELDS = 'id eventId eventType payload status attempts nextAttemptAt lastStatusCode lastErrorKind lastError lastLatencyMs createdAt deliveredAt history { attempt at statusCode latencyMs errorKind error }';
export const READ = `query($id: ID!, $first: Int, $after: String, $status: WebhookDeliveryStatus) {
  webhookEndpoint(id: $id) { ${ENDPOINT_FIELDS} deliveries(first: $first, after: $after, status: $status) { totalCount pageInfo { hasNextPage endCursor } edges { node { ${DELIVERY_FIELDS} } } } }
}`;
export const REDELIVER = `mutation($id: ID!) { redeliverWebhookEvent(deliveryId: $id) { ${DELIVERY_FIELDS} } }`;
export const REPLAY = `mutation($id: ID!, $since: DateTimeISO!) { replayWebhookEvents(endpointId: $id, since: $since) { requeued endpoint { id } } }`;
