import { demoId } from './ids.ts';

export type ProviderKind = 'ODL_UNIVERSITY' | 'PUBLIC_UNIVERSITY' | 'PRIVATE_UNIVERSITY' | 'TRAINING_PROVIDER' | 'INDUSTRY_ACADEMY';
export type DeliveryMode = 'ONLINE' | 'IN_PERSON' | 'BLENDED';
export type Accreditation = 'MQA_ACCREDITED' | 'MQA_PROVISIONAL' | 'NOT_CREDIT_BEARING';

export interface DemoProvider {
  id: string;
  slug: string;
  name: string;
  kind: ProviderKind;
  state: string;
  website: string;
  mqaRegistration: string | null;
  hrdCorpRegistration: string | null;
}

export interface DemoSkill {
  code: string;
  name: string;
  description: string;
}

export interface DemoCourse {
  id: string;
  code: string;
  providerId: string;
  title: string;
  description: string;
  credits: number | null;
  notionalHours: number;
  mqfLevel: number | null;
  learningOutcomes: string[];
  skills: string[];
  feeSen: number;
  deliveryMode: DeliveryMode;
  accreditation: Accreditation;
  assessment: string;
  /** Months a credential for this course stays valid; null for no expiry. */
  validityMonths: number | null;
}

export const providers = {
  odl: {
    id: demoId('provider:odl'),
    slug: 'utn',
    name: 'Universiti Terbuka Nusantara',
    kind: 'ODL_UNIVERSITY',
    state: 'Kuala Lumpur',
    website: 'https://utn.example.edu.my',
    mqaRegistration: 'MQA-DU041',
    hrdCorpRegistration: 'HRDC-TP-100231',
  },
  publicUniversity: {
    id: demoId('provider:public-university'),
    slug: 'uas',
    name: 'Universiti Awam Selangor',
    kind: 'PUBLIC_UNIVERSITY',
    state: 'Selangor',
    website: 'https://uas.example.edu.my',
    mqaRegistration: 'MQA-DU012',
    hrdCorpRegistration: null,
  },
  trainingProvider: {
    id: demoId('provider:training-provider'),
    slug: 'akt',
    name: 'Akademi Kemahiran Teknikal Sdn Bhd',
    kind: 'TRAINING_PROVIDER',
    state: 'Pulau Pinang',
    website: 'https://akt.example.com.my',
    mqaRegistration: null,
    hrdCorpRegistration: 'HRDC-TP-204417',
  },
} as const satisfies Record<string, DemoProvider>;

export const skills: DemoSkill[] = [
  ['PROG-FUND', 'Programming fundamentals', 'Variables, control flow, functions and data structures in a general-purpose language.'],
  ['WEB-FRONTEND', 'Front-end web development', 'Accessible, responsive user interfaces with HTML, CSS and TypeScript.'],
  ['WEB-BACKEND', 'Back-end web development', 'HTTP APIs, authentication and server-side application logic.'],
  ['DATABASES', 'Relational databases', 'Data modelling, SQL and transactions.'],
  ['FULLSTACK', 'Full-stack integration', 'Building and deploying a complete web application end to end.'],
  ['SW-DESIGN', 'Software design', 'Modular design, patterns and architecture trade-offs.'],
  ['CLOUD-DEVOPS', 'Cloud and DevOps', 'Containers, CI/CD pipelines and cloud deployment.'],
  ['SW-TESTING', 'Software testing', 'Unit, integration and end-to-end testing; quality assurance.'],
  ['SECURE-SE', 'Secure software engineering', 'Threat modelling and secure coding.'],
  ['PROJECT-MGMT', 'Agile project management', 'Scrum, estimation and delivery.'],
  ['CIRCUITS', 'Circuit analysis', 'DC and AC circuit theory and measurement.'],
  ['DIGITAL-ELEC', 'Digital electronics', 'Logic gates, combinational and sequential circuits.'],
  ['SOLDERING', 'Soldering and assembly', 'Through-hole and SMD soldering to IPC standards.'],
  ['ELEC-SAFETY', 'Electrical safety', 'Safe working practice with electrical equipment.'],
  ['MICROCONTROLLERS', 'Microcontrollers', 'Programming and interfacing microcontrollers.'],
  ['PCB-DESIGN', 'PCB design', 'Schematic capture and printed circuit board layout.'],
  ['INSTRUMENTATION', 'Instrumentation', 'Sensors, measurement and calibration.'],
  ['POWER-ELEC', 'Power electronics', 'Converters, power supplies and motor drives.'],
  ['EMBEDDED-C', 'Embedded C', 'C programming for constrained devices.'],
  ['FIRST-AID', 'Workplace first aid', 'Basic life support and first aid at work.'],
].map(([code, name, description]) => ({ code: code!, name: name!, description: description! }));

function course(
  code: string,
  providerId: string,
  title: string,
  courseSkills: string[],
  details: Partial<Omit<DemoCourse, 'id' | 'code' | 'providerId' | 'title' | 'skills'>> = {},
): DemoCourse {
  const credits = details.credits === undefined ? 5 : details.credits;
  return {
    id: demoId(`course:${code}`),
    code,
    providerId,
    title,
    description: details.description ?? `${title}: an assessed micro-credential course.`,
    credits,
    notionalHours: details.notionalHours ?? (credits ?? 0) * 40,
    mqfLevel: details.mqfLevel === undefined ? 4 : details.mqfLevel,
    learningOutcomes: details.learningOutcomes ?? [
      `Explain the core concepts of ${title.toLowerCase()}.`,
      `Apply ${title.toLowerCase()} techniques to a realistic workplace task.`,
    ],
    skills: courseSkills,
    feeSen: details.feeSen ?? 120_000,
    deliveryMode: details.deliveryMode ?? 'ONLINE',
    accreditation: details.accreditation ?? (credits === null ? 'NOT_CREDIT_BEARING' : 'MQA_ACCREDITED'),
    assessment: details.assessment ?? 'Practical project and online examination',
    validityMonths: details.validityMonths ?? null,
  };
}

const odl = providers.odl.id;

/** BDSE: seven professional certifications of two 5-credit courses each (MQF level 4). */
export const bdseCourses: DemoCourse[][] = [
  [course('SE1101', odl, 'Programming with Python', ['PROG-FUND']), course('SE1102', odl, 'Problem Solving and Algorithms', ['PROG-FUND'])],
  [course('SE1201', odl, 'Front-End Web Development', ['WEB-FRONTEND']), course('SE1202', odl, 'Back-End Web Development', ['WEB-BACKEND'])],
  [course('SE1301', odl, 'Databases and SQL', ['DATABASES']), course('SE1302', odl, 'Full-Stack Capstone Project', ['FULLSTACK', 'WEB-FRONTEND', 'WEB-BACKEND'])],
  [course('SE2101', odl, 'Object-Oriented Software Design', ['SW-DESIGN']), course('SE2102', odl, 'Software Architecture', ['SW-DESIGN'])],
  [course('SE2201', odl, 'Cloud Computing Foundations', ['CLOUD-DEVOPS']), course('SE2202', odl, 'DevOps and Continuous Delivery', ['CLOUD-DEVOPS'])],
  [course('SE2301', odl, 'Software Testing', ['SW-TESTING']), course('SE2302', odl, 'Agile Project Management', ['PROJECT-MGMT'])],
  [course('SE2401', odl, 'Secure Coding', ['SECURE-SE']), course('SE2402', odl, 'Software Engineering Industry Project', ['FULLSTACK', 'SW-DESIGN'])],
];

const btelEssentialSkills = ['CIRCUITS', 'DIGITAL-ELEC', 'ELEC-SAFETY', 'CIRCUITS', 'SOLDERING', 'INSTRUMENTATION', 'SOLDERING'];
const btelEssentialTitles = [
  'DC Circuit Analysis',
  'Digital Logic',
  'Electrical Safety Practice',
  'AC Circuit Analysis',
  'Soldering and Rework',
  'Electronic Measurement',
  'Electronic Assembly and Testing',
];
/** BTEL year one: seven essential 3-credit courses (MQF level 3). */
export const btelEssentialCourses: DemoCourse[] = btelEssentialTitles.map((title, i) =>
  course(`EE11${String(i + 1).padStart(2, '0')}`, odl, title, [btelEssentialSkills[i]!], { credits: 3, mqfLevel: 3, deliveryMode: 'BLENDED', feeSen: 90_000 }),
);

const btelFurther: Array<[string, string]> = [
  ['Microcontroller Programming', 'MICROCONTROLLERS'],
  ['Embedded C', 'EMBEDDED-C'],
  ['PCB Design', 'PCB-DESIGN'],
  ['Analogue Electronics', 'CIRCUITS'],
  ['Power Electronics', 'POWER-ELEC'],
  ['Sensors and Transducers', 'INSTRUMENTATION'],
  ['Industrial Instrumentation', 'INSTRUMENTATION'],
  ['Digital Systems Design', 'DIGITAL-ELEC'],
  ['Communication Electronics', 'CIRCUITS'],
  ['Electronic Fault Finding', 'SOLDERING'],
  ['Motor Control', 'POWER-ELEC'],
  ['Embedded Systems Project', 'EMBEDDED-C'],
  ['Surface-Mount Technology', 'SOLDERING'],
  ['Electronics Industry Project', 'MICROCONTROLLERS'],
];
/** BTEL: fourteen further 3-credit courses towards the Professional Diploma in Electronics. */
export const btelFurtherCourses: DemoCourse[] = btelFurther.map(([title, skill], i) =>
  course(`EE21${String(i + 1).padStart(2, '0')}`, odl, title, [skill], { credits: 3, mqfLevel: 4, deliveryMode: 'BLENDED', feeSen: 95_000 }),
);

/** Courses of other providers: a credit-transfer candidate, an industry short course, a lapsing certification. */
export const otherCourses: DemoCourse[] = [
  course('CS1010', providers.publicUniversity.id, 'Introduction to Programming', ['PROG-FUND'], {
    credits: 4,
    feeSen: 80_000,
    deliveryMode: 'IN_PERSON',
  }),
  course('DS2001', providers.publicUniversity.id, 'Data Analytics with SQL', ['DATABASES'], {
    credits: 3,
    mqfLevel: 5,
    accreditation: 'MQA_PROVISIONAL',
    deliveryMode: 'BLENDED',
  }),
  course('AKT-PCB', providers.trainingProvider.id, 'Practical PCB Layout', ['PCB-DESIGN', 'SOLDERING'], {
    credits: null,
    notionalHours: 24,
    mqfLevel: null,
    feeSen: 150_000,
    deliveryMode: 'IN_PERSON',
    assessment: 'Practical assessment',
  }),
  course('AKT-FA', providers.trainingProvider.id, 'Workplace First Aid', ['FIRST-AID'], {
    credits: null,
    notionalHours: 16,
    mqfLevel: null,
    feeSen: 45_000,
    deliveryMode: 'IN_PERSON',
    assessment: 'Practical assessment',
    validityMonths: 36,
  }),
];

export const allCourses: DemoCourse[] = [...bdseCourses.flat(), ...btelEssentialCourses, ...btelFurtherCourses, ...otherCourses];
export const courseByCode = new Map(allCourses.map((c) => [c.code, c]));
export const courseById = new Map(allCourses.map((c) => [c.id, c]));
export function courseId(code: string): string {
  const found = courseByCode.get(code);
  if (!found) throw new Error(`no demo course ${code}`);
  return found.id;
}
