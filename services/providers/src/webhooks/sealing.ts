import { seal, unseal, type SealingPurpose } from '@tauliah/core';

/**
 * Endpoints' signing secrets at rest. A secret must be read back to sign
 * every delivery, so it is sealed (core's seal) rather than hashed, under a
 * key derived from WEBHOOK_SECRET_ENCRYPTION_KEY for this use only; the
 * endpoint's id is the associated data, so a sealed secret copied onto
 * another endpoint's row does not open there.
 */
const WEBHOOK_SECRET: SealingPurpose = { what: 'webhook signing secret', key: { hkdfInfo: 'tauliah providers: webhook signing secrets' } };

export function sealWebhookSecret(secret: string, endpointId: string, setting: string): string {
  return seal(setting, secret, { purpose: WEBHOOK_SECRET, boundTo: endpointId });
}

/** The `whsec_` secret; throws SealedValueUnreadable when it was not sealed for this endpoint under this key. */
export function openWebhookSecret(sealed: string, endpointId: string, setting: string): string {
  return unseal(setting, sealed, { purpose: WEBHOOK_SECRET, boundTo: endpointId }).toString('utf8');
}
