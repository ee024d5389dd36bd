import { providers } from './catalogue.ts';
import { employers, funders } from './organisations.ts';

/** A person or partner system acting for a demo provider, employer or funder (each owning service seeds its own). */
export interface DemoStaffAccount {
  organisationId: string;
  /** The `sub` of the token the person or system signs in with. */
  subject: string;
  name: string;
  email: string;
  kind: 'PERSON' | 'SYSTEM';
  role: 'ADMIN' | 'STAFF';
  addedBy: string;
  addedAt: string;
}

const addedByPlatform = { addedBy: 'admin:tauliah', addedAt: '2026-01-05T09:00:00Z' } as const;

/**
 * Who acts for each demo provider: the PROVIDER_STAFF persona is the admin of
 * Universiti Terbuka Nusantara, the PARTNER persona its student records system.
 */
export const providerStaff: DemoStaffAccount[] = [
  { organisationId: providers.odl.id, subject: 'staff:utn:registrar', name: 'Dr. Farah binti Hassan', email: 'registrar@utn.example.edu.my', kind: 'PERSON', role: 'ADMIN', ...addedByPlatform },
  { organisationId: providers.odl.id, subject: 'staff:odl:registrar', name: 'Lim Siew Ling', email: 'odl.records@utn.example.edu.my', kind: 'PERSON', role: 'STAFF', addedBy: 'staff:utn:registrar', addedAt: '2026-01-06T01:00:00Z' },
  { organisationId: providers.odl.id, subject: 'system:utn-student-records', name: 'UTN student records system', email: 'it@utn.example.edu.my', kind: 'SYSTEM', role: 'STAFF', addedBy: 'staff:utn:registrar', addedAt: '2026-01-06T01:15:00Z' },
  { organisationId: providers.odl.id, subject: 'system:odl-sms', name: 'UTN ODL student management system', email: 'odl.it@utn.example.edu.my', kind: 'SYSTEM', role: 'STAFF', addedBy: 'staff:utn:registrar', addedAt: '2026-01-06T01:30:00Z' },
  { organisationId: providers.publicUniversity.id, subject: 'staff:uas:registrar', name: 'Prof. Madya Kamarul bin Ismail', email: 'registrar@uas.example.edu.my', kind: 'PERSON', role: 'ADMIN', ...addedByPlatform },
  { organisationId: providers.publicUniversity.id, subject: 'system:uas-student-records', name: 'UAS student records system', email: 'it@uas.example.edu.my', kind: 'SYSTEM', role: 'STAFF', addedBy: 'staff:uas:registrar', addedAt: '2026-01-07T03:00:00Z' },
  { organisationId: providers.trainingProvider.id, subject: 'staff:akt:trainer', name: 'Muthu a/l Krishnan', email: 'muthu@akt.example.com.my', kind: 'PERSON', role: 'ADMIN', ...addedByPlatform },
];

/** Who acts for each demo employer: the EMPLOYER persona is Perisian Cemerlang's admin. */
export const employerStaff: DemoStaffAccount[] = [
  { organisationId: employers.software.id, subject: 'staff:perisian:hiring', name: 'Nurul Izzah binti Kamal', email: 'nurul.izzah@perisian.example.my', kind: 'PERSON', role: 'ADMIN', ...addedByPlatform },
  { organisationId: employers.software.id, subject: 'staff:perisian:hr', name: 'Tan Mei Ling', email: 'meiling.tan@perisian.example.my', kind: 'PERSON', role: 'STAFF', addedBy: 'staff:perisian:hiring', addedAt: '2026-01-06T02:30:00Z' },
  { organisationId: employers.software.id, subject: 'system:perisian-hr', name: 'Perisian HR system', email: 'it@perisian.example.my', kind: 'SYSTEM', role: 'STAFF', addedBy: 'staff:perisian:hiring', addedAt: '2026-01-06T02:45:00Z' },
  { organisationId: employers.electronics.id, subject: 'staff:elektronik:hr', name: 'Rajesh a/l Subramaniam', email: 'rajesh@elektronikjaya.example.my', kind: 'PERSON', role: 'ADMIN', ...addedByPlatform },
  { organisationId: employers.cafe.id, subject: 'staff:kopi:owner', name: 'Hafiz bin Osman', email: 'hafiz@kopidigital.example.my', kind: 'PERSON', role: 'ADMIN', ...addedByPlatform },
];

/** Who acts for each demo funder (officers only: no partner system acts for a funder); the FUNDER persona is HRD Corp's admin. */
export const funderStaff: DemoStaffAccount[] = [
  { organisationId: funders.hrdCorp.id, subject: 'officer:hrdcorp', name: 'Aminah binti Abdullah', email: 'aminah.abdullah@hrdcorp.example.gov.my', kind: 'PERSON', role: 'ADMIN', ...addedByPlatform },
  { organisationId: funders.hrdCorp.id, subject: 'officer:hrdcorp:claims', name: 'Wong Kar Mun', email: 'karmun.wong@hrdcorp.example.gov.my', kind: 'PERSON', role: 'STAFF', addedBy: 'officer:hrdcorp', addedAt: '2026-01-06T04:00:00Z' },
  { organisationId: funders.b40.id, subject: 'officer:b40', name: 'Siti Khadijah binti Omar', email: 'khadijah@tpn.example.org.my', kind: 'PERSON', role: 'ADMIN', ...addedByPlatform },
];

/** The demo ADMIN person of an organisation: the subject a test or example signs in as to act for it. */
export function staffAdminOf(organisationId: string): string {
  const admin = [...providerStaff, ...employerStaff, ...funderStaff].find((s) => s.organisationId === organisationId && s.kind === 'PERSON' && s.role === 'ADMIN');
  if (!admin) throw new Error(`No demo organisation ${organisationId} has an ADMIN person.`);
  return admin.subject;
}
