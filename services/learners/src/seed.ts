import type { Database } from '@tauliah/core';
import { consents, enrolments, learners } from '@tauliah/demo-data';
import type { LearnersConfig } from './config.ts';
import { consentGrant, enrolment, learner, type tables } from './db/schema.ts';
import { hashNric, sealNricLast4 } from './identity/nric.ts';

/**
 * The demo learners (NRICs hashed and their last digits sealed, as in real
 * use; every one's credential visibility PRIVATE, as nobody chose yet), their
 * enrolments with providers and the consents they gave. No events: demo data
 * is history, not changes happening now (a partner's webhook must not hear of
 * consents given before it registered). The credentials seed files the same
 * demo learners' shared states and active enrolments itself, so both sides
 * agree from the start; a service that keeps who consented to whom files the
 * demo consents (@tauliah/demo-data) in its own seed the same way.
 */
export async function seed(db: Database<typeof tables>, config: LearnersConfig): Promise<void> {
  await db.insert(learner).values(
    learners.map((l) => {
      const digits = l.nric.replace(/-/g, '');
      return {
        id: l.id,
        fullName: l.fullName,
        email: l.email,
        phone: l.phone,
        dateOfBirth: l.dateOfBirth,
        citizenship: l.citizenship,
        nricHash: hashNric(digits, config.PII_HASH_KEY),
        nricLast4Sealed: sealNricLast4(digits.slice(-4), l.id, config.PII_ENCRYPTION_KEY),
        state: l.state,
        shareStateInTalentSearch: l.shareStateInTalentSearch,
        registeredByProviderId: l.registeredByProviderId,
        registeredBySubject: l.registeredByProviderId ? 'seed:provider-enrolment' : l.id,
        createdAt: new Date('2025-01-06T00:00:00Z'),
      };
    }),
  );
  await db.insert(enrolment).values(
    enrolments.map((e) => ({
      ...e,
      enrolledAt: new Date(e.enrolledAt),
      enrolledBySubject: 'seed:provider-enrolment',
      endedAt: e.endedAt ? new Date(e.endedAt) : null,
      endedBySubject: e.endedAt ? 'seed:provider-enrolment' : null,
    })),
  );
  await db.insert(consentGrant).values(
    consents.map((c) => ({ ...c, grantedAt: new Date(c.grantedAt), expiresAt: new Date(c.expiresAt) })),
  );
}
