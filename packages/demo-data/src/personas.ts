import type { ROLES } from '@tauliah/core';
import { providers } from './catalogue.ts';
import { employers, funders } from './organisations.ts';
import { learnerByKey } from './people.ts';

type Role = (typeof ROLES)[number];

export interface Persona {
  role: Role;
  sub: string;
  providerId?: string;
  employerId?: string;
  funderId?: string;
  description: string;
}

/** The demo persona of each role: who `tauliah token --role X` speaks for by default. */
export const personas: Record<Role, Persona> = {
  LEARNER: {
    role: 'LEARNER',
    sub: learnerByKey('aisyah').id,
    description: 'Aisyah, partway through the BDSE pathway with seven credentials',
  },
  PROVIDER_STAFF: {
    role: 'PROVIDER_STAFF',
    sub: 'staff:utn:registrar',
    providerId: providers.odl.id,
    description: 'registrar at Universiti Terbuka Nusantara (ODL)',
  },
  EMPLOYER: {
    role: 'EMPLOYER',
    sub: 'staff:perisian:hiring',
    employerId: employers.software.id,
    description: 'hiring manager at Perisian Cemerlang Sdn Bhd',
  },
  FUNDER: {
    role: 'FUNDER',
    sub: 'officer:hrdcorp',
    funderId: funders.hrdCorp.id,
    description: 'grants officer at HRD Corp',
  },
  PARTNER: {
    role: 'PARTNER',
    sub: 'system:utn-student-records',
    providerId: providers.odl.id,
    description: "Universiti Terbuka Nusantara's student records system",
  },
  ADMIN: { role: 'ADMIN', sub: 'admin:tauliah', description: 'platform administrator' },
};
