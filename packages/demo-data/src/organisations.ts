import { demoId } from './ids.ts';

export interface DemoEmployer {
  id: string;
  registrationNumber: string;
  name: string;
  sector: string;
  size: 'MICRO' | 'SMALL' | 'MEDIUM' | 'LARGE';
  employeeCount: number;
  state: string;
  hrdCorpRegistered: boolean;
}

export interface DemoJobRole {
  id: string;
  employerId: string;
  title: string;
  occupationCode: string;
  description: string;
  published: boolean;
  requiredSkills: Array<{ skillCode: string; minimumLevel: number }>;
}

export const employers = {
  software: {
    id: demoId('employer:software'),
    registrationNumber: '201901012345 (1321456-K)',
    name: 'Perisian Cemerlang Sdn Bhd',
    sector: 'Information and communication',
    size: 'MEDIUM',
    employeeCount: 120,
    state: 'Selangor',
    hrdCorpRegistered: true,
  },
  electronics: {
    id: demoId('employer:electronics'),
    registrationNumber: '199801004567 (458812-T)',
    name: 'Elektronik Jaya Manufacturing Sdn Bhd',
    sector: 'Manufacturing',
    size: 'LARGE',
    employeeCount: 850,
    state: 'Pulau Pinang',
    hrdCorpRegistered: true,
  },
  cafe: {
    id: demoId('employer:cafe'),
    registrationNumber: '202201034567 (SA0561234-W)',
    name: 'Kopi Digital Enterprise',
    sector: 'Accommodation and food services',
    size: 'MICRO',
    employeeCount: 6,
    state: 'Johor',
    hrdCorpRegistered: false,
  },
} as const satisfies Record<string, DemoEmployer>;

export const jobRoles: DemoJobRole[] = [
  {
    id: demoId('job-role:junior-full-stack'),
    employerId: employers.software.id,
    title: 'Junior Full-Stack Software Engineer',
    occupationCode: 'MASCO 2512',
    description: 'Builds and maintains web applications across front end, back end and database.',
    published: true,
    requiredSkills: [
      { skillCode: 'PROG-FUND', minimumLevel: 4 },
      { skillCode: 'WEB-FRONTEND', minimumLevel: 4 },
      { skillCode: 'WEB-BACKEND', minimumLevel: 4 },
      { skillCode: 'DATABASES', minimumLevel: 4 },
      { skillCode: 'CLOUD-DEVOPS', minimumLevel: 4 },
    ],
  },
  {
    id: demoId('job-role:junior-electronic-technician'),
    employerId: employers.electronics.id,
    title: 'Junior Electronic Technician',
    occupationCode: 'MASCO 3114',
    description: 'Assembles, tests and repairs electronic assemblies on the production line.',
    published: true,
    requiredSkills: [
      { skillCode: 'CIRCUITS', minimumLevel: 3 },
      { skillCode: 'SOLDERING', minimumLevel: 3 },
      { skillCode: 'ELEC-SAFETY', minimumLevel: 3 },
      { skillCode: 'PCB-DESIGN', minimumLevel: 3 },
    ],
  },
  {
    id: demoId('job-role:embedded-engineer-draft'),
    employerId: employers.electronics.id,
    title: 'Embedded Systems Engineer',
    occupationCode: 'MASCO 2152',
    description: 'Draft role, not yet published.',
    published: false,
    requiredSkills: [
      { skillCode: 'EMBEDDED-C', minimumLevel: 4 },
      { skillCode: 'MICROCONTROLLERS', minimumLevel: 4 },
    ],
  },
];

export interface DemoFunder {
  id: string;
  name: string;
  kind: 'HRD_CORP' | 'B40_AID';
}

export interface DemoScheme {
  id: string;
  funderId: string;
  code: string;
  name: string;
  description: string;
  kind: 'HRD_CORP_GRANT' | 'B40_AID';
  budgetSen: number;
  perLearnerCapSen: number;
  coPaymentPercent: number;
  validFrom: string;
  validUntil: string;
  published: boolean;
  rules: Array<Record<string, unknown>>;
}

export const funders = {
  hrdCorp: { id: demoId('funder:hrd-corp'), name: 'HRD Corp', kind: 'HRD_CORP' },
  b40: { id: demoId('funder:b40'), name: 'Tabung Pendidikan Nusantara', kind: 'B40_AID' },
} as const satisfies Record<string, DemoFunder>;

/** The B40 household income line, RM 4,850 a month (2019 survey), kept as scheme data. */
export const B40_INCOME_THRESHOLD_SEN = 485_000;

export const schemes = {
  hrdCorpMicroCredential: {
    id: demoId('scheme:hrdc-mc'),
    funderId: funders.hrdCorp.id,
    code: 'HRDC-MC-2026',
    name: 'HRD Corp Micro-credential Training Grant',
    description: 'Training grants for employees of levy-paying employers on HRD Corp approved micro-credential courses.',
    kind: 'HRD_CORP_GRANT',
    budgetSen: 500_000_000,
    perLearnerCapSen: 400_000,
    coPaymentPercent: 0,
    validFrom: '2026-01-01',
    validUntil: '2027-12-31',
    published: true,
    rules: [
      { kind: 'EMPLOYED_BY_LEVY_PAYER' },
      { kind: 'COURSE_APPROVED_FOR_SCHEME' },
      { kind: 'NOT_ALREADY_FUNDED_FOR_COURSE' },
    ],
  },
  b40Bursary: {
    id: demoId('scheme:b40-bursary'),
    funderId: funders.b40.id,
    code: 'B40-MC-2026',
    name: 'B40 Micro-credential Bursary',
    description: 'Course fees for learners from B40 households starting a stackable pathway after SPM.',
    kind: 'B40_AID',
    budgetSen: 100_000_000,
    perLearnerCapSen: 250_000,
    coPaymentPercent: 10,
    validFrom: '2026-01-01',
    validUntil: '2026-12-31',
    published: true,
    rules: [
      { kind: 'AGE_RANGE', min: 17, max: 35 },
      { kind: 'CITIZENSHIP', allowed: ['MALAYSIAN'] },
      { kind: 'HOUSEHOLD_INCOME_AT_MOST', thresholdSen: B40_INCOME_THRESHOLD_SEN },
      { kind: 'COURSE_MQF_LEVEL', min: 3, max: 4 },
      { kind: 'NOT_ALREADY_FUNDED_FOR_COURSE' },
    ],
  },
} as const satisfies Record<string, DemoScheme>;
