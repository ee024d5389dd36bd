import { providers } from './catalogue.ts';
import { demoId } from './ids.ts';
import { learnerByKey, learners } from './people.ts';

/** A learner's enrolment with a provider, under the provider's own student number. */
export interface DemoEnrolment {
  id: string;
  learnerId: string;
  providerId: string;
  studentNumber: string;
  status: 'ACTIVE' | 'ENDED';
  enrolledAt: string;
  endedAt: string | null;
}

const enrolment = (key: string, provider: { id: string; slug: string }, studentNumber: string, enrolledAt: string, endedAt: string | null = null): DemoEnrolment => ({
  id: demoId(`enrolment:${key}:${provider.slug}`),
  learnerId: learnerByKey(key).id,
  providerId: provider.id,
  studentNumber,
  status: endedAt ? 'ENDED' : 'ACTIVE',
  enrolledAt,
  endedAt,
});

/**
 * Every learner the ODL registered is its student (UTN's numbers run
 * UTN2025-0001, -0002, ...). Some study with a second provider too: Aisyah
 * and Kumar take short courses at the training academy, where Priya, who
 * registered herself, studies as a working adult; Grace spent a term at the
 * public university and left. Faizal and James are enrolled nowhere.
 */
export const enrolments: DemoEnrolment[] = [
  ...learners
    .filter((l) => l.registeredByProviderId === providers.odl.id)
    .map((l, i) => enrolment(l.key, providers.odl, `UTN2025-${String(i + 1).padStart(4, '0')}`, '2025-01-06T00:00:00.000Z')),
  enrolment('aisyah', providers.trainingProvider, 'AKT/25/0412', '2025-09-01T00:00:00.000Z'),
  enrolment('kumar', providers.trainingProvider, 'AKT/25/0413', '2025-09-01T00:00:00.000Z'),
  enrolment('priya', providers.trainingProvider, 'AKT/22/0098', '2022-10-03T00:00:00.000Z'),
  enrolment('grace', providers.publicUniversity, 'UAS-22-11873', '2022-09-12T00:00:00.000Z', '2023-02-24T00:00:00.000Z'),
];

/** A demo learner's enrolment with one provider. */
export const enrolmentOf = (key: string, providerId: string): DemoEnrolment => {
  const found = enrolments.find((e) => e.learnerId === learnerByKey(key).id && e.providerId === providerId);
  if (!found) throw new Error(`no demo enrolment of ${key} with ${providerId}`);
  return found;
};
