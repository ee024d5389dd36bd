import type { Database } from '@tauliah/core';
import { consents, demoId, employers, enrolments, jobRoles, learnerByKey, learners } from '@tauliah/demo-data';
import { sql } from 'drizzle-orm';
import type { LearnersConfig } from './config.ts';
import { ANSWER_DAYS } from './contact/rules.ts';
import { consentGrant, contactRequest, enrolment, learner, talentHeadline, type tables } from './db/schema.ts';

/**
 * Aisyah is found by employers with her headline, and Perisian Cemerlang's
 * hiring manager has asked her about its Junior Full-Stack role: a request
 * waiting for her answer (ANSWER_DAYS from the seeding), so the README can
 * show a learner accepting it and the employer reading her profile.
 */
export const DEMO_CONTACT_REQUEST_ID = demoId('contact-request:aisyah:perisian');
import { hashNric, sealNricLast4 } from './identity/nric.ts';

/**
 * The demo learners (NRICs hashed and their last digits sealed, as in real
 * use; every one's credential visibility PRIVATE, as nobody chose yet), their
 * enrolments with providers and the consents they gave. No events: demo data
 * is history, not changes happening now (a partner's webhook must not hear of
 * consents given before it registered). The credentials seed files the same
 * demo learners' shared states and active enrolments itself, so both sides
 * agree from the start; a service that keeps who consented to whom files the
 * demo consents (@tauliah/demo-data) in its own seed the same way. Aisyah's
 * talent headline and a contact request to her are the learners service's
 * own demo data (DEMO_CONTACT_REQUEST_ID).
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
  const aisyah = learnerByKey('aisyah').id;
  await db.insert(talentHeadline).values({
    learnerId: aisyah,
    text: 'BDSE learner with three professional certificates: Python, web development and databases',
    region: 'Selangor',
    skills: ['PROG-FUND', 'WEB-FRONTEND', 'WEB-BACKEND', 'DATABASES'],
  });
  await db.insert(contactRequest).values({
    id: DEMO_CONTACT_REQUEST_ID,
    learnerId: aisyah,
    employerId: employers.software.id,
    jobRoleId: jobRoles.find((r) => r.title === 'Junior Full-Stack Software Engineer')!.id,
    message: 'Hello Aisyah! Your BDSE certificates match our Junior Full-Stack Software Engineer role. May we contact you about an interview?',
    scopes: ['CONTACT', 'PROFILE'],
    requestedBySubject: 'staff:perisian:hiring',
    expiresAt: sql`now() + ${sql.raw(`interval '${ANSWER_DAYS * 24} hours'`)}`,
  });
}
