import { actingEmployerId, actingProviderId, isRole, type Viewer } from '@tauliah/core';
import type { CredentialRow } from './db/schema.ts';

type Guarded = Pick<CredentialRow, 'holderId' | 'issuerId' | 'visibility'>;

export const isHolder = (viewer: Viewer, credential: Pick<CredentialRow, 'holderId'>) =>
  isRole(viewer, 'LEARNER') && viewer.subject === credential.holderId;

/**
 * Who may see a credential. Visibility is the learner's choice:
 * - the holder, administrators, and the issuing provider (its staff or a partner system acting for it) always;
 * - employers (their staff or a partner acting for one) when the learner chose EMPLOYERS or PUBLIC;
 * - anyone, the public included, when the learner chose PUBLIC (a verifier handed a link needs no account).
 * Whoever may not see a credential is told it does not exist, so its existence does not leak.
 */
export function maySeeCredential(viewer: Viewer, credential: Guarded): boolean {
  if (credential.visibility === 'PUBLIC') return true;
  if (isHolder(viewer, credential) || isRole(viewer, 'ADMIN')) return true;
  if (actingProviderId(viewer) === credential.issuerId) return true;
  return credential.visibility === 'EMPLOYERS' && actingEmployerId(viewer) !== undefined;
}

/** Only the holder chooses who sees their credential. */
export const mayChangeVisibility = (viewer: Viewer, credential: Guarded) => isHolder(viewer, credential);

/**
 * The issuer's student number for the holder is the issuer's record: its
 * staff or partner system, the holder themselves and administrators read it;
 * whoever else sees the credential does not.
 */
export const maySeeStudentNumber = (viewer: Viewer, credential: Pick<CredentialRow, 'holderId' | 'issuerId'>) =>
  isHolder(viewer, credential) || isRole(viewer, 'ADMIN') || actingProviderId(viewer) === credential.issuerId;
