import { bdseCourses, btelEssentialCourses, btelFurtherCourses, providers } from './catalogue.ts';
import { demoId } from './ids.ts';

export interface DemoStage {
  id: string;
  position: number;
  title: string;
  /** Every one of these courses is needed. */
  requiredCourseIds: string[];
  /** Or/and at least this many credits from `electiveCourseIds`. */
  minimumCredits: number | null;
  electiveCourseIds: string[];
  exitAward: string;
  exitJobRoleTitle: string | null;
}

export interface DemoPathway {
  id: string;
  code: string;
  providerId: string;
  title: string;
  description: string;
  targetProgramme: string;
  targetProgrammeCredits: number;
  /** APEL.M admits with at least this share of the programme's credits earned through MCs (50% by default). */
  apelThresholdPercent: number;
  stages: DemoStage[];
}

const bdseAwards = [
  'Professional Certificate in Programming Fundamentals',
  'Professional Certificate in Web Development',
  'Professional Certificate in Full-Stack Development',
  'Professional Certificate in Software Design',
  'Professional Certificate in Cloud and DevOps',
  'Professional Certificate in Software Quality',
  'Certified Professional Diploma in Software Engineering',
];

/**
 * BDSE: three professional certifications in about a year (exit: Junior
 * Full-Stack Software Engineer), four more over two years to the Certified
 * Professional Diploma, then APEL.M into the Bachelor of Software Engineering.
 */
export const bdse: DemoPathway = {
  id: demoId('pathway:BDSE'),
  code: 'BDSE',
  providerId: providers.odl.id,
  title: 'Software Engineering (unbundled)',
  description: 'From SPM to a Bachelor of Software Engineering through seven stackable professional certifications.',
  targetProgramme: 'Bachelor of Software Engineering (Hons)',
  targetProgrammeCredits: 120,
  apelThresholdPercent: 50,
  stages: bdseCourses.map((courses, i) => ({
    id: demoId(`stage:BDSE:${i + 1}`),
    position: i + 1,
    title: bdseAwards[i]!,
    requiredCourseIds: courses.map((c) => c.id),
    minimumCredits: null,
    electiveCourseIds: [],
    exitAward: bdseAwards[i]!,
    exitJobRoleTitle: i === 2 ? 'Junior Full-Stack Software Engineer' : i === 6 ? 'Software Engineer' : null,
  })),
};

/**
 * BTEL: seven essential courses in the first year give two professional
 * certifications (exit: Junior Electronic Technician); fourteen further
 * courses give the Professional Diploma in Electronics; then APEL.M into the
 * Bachelor of Technology in Electronics.
 */
export const btel: DemoPathway = {
  id: demoId('pathway:BTEL'),
  code: 'BTEL',
  providerId: providers.odl.id,
  title: 'Electronics (unbundled)',
  description: 'From SPM to a Bachelor of Technology in Electronics through stackable micro-credentials.',
  targetProgramme: 'Bachelor of Technology in Electronics (Hons)',
  targetProgrammeCredits: 120,
  apelThresholdPercent: 50,
  stages: [
    {
      id: demoId('stage:BTEL:1'),
      position: 1,
      title: 'Professional Certificate in Electronics Fundamentals',
      requiredCourseIds: btelEssentialCourses.slice(0, 4).map((c) => c.id),
      minimumCredits: null,
      electiveCourseIds: [],
      exitAward: 'Professional Certificate in Electronics Fundamentals',
      exitJobRoleTitle: null,
    },
    {
      id: demoId('stage:BTEL:2'),
      position: 2,
      title: 'Professional Certificate in Electronic Assembly',
      requiredCourseIds: btelEssentialCourses.slice(4).map((c) => c.id),
      minimumCredits: null,
      electiveCourseIds: [],
      exitAward: 'Professional Certificate in Electronic Assembly',
      exitJobRoleTitle: 'Junior Electronic Technician',
    },
    {
      id: demoId('stage:BTEL:3'),
      position: 3,
      title: 'Professional Diploma in Electronics',
      requiredCourseIds: [],
      minimumCredits: 42,
      electiveCourseIds: btelFurtherCourses.map((c) => c.id),
      exitAward: 'Professional Diploma in Electronics',
      exitJobRoleTitle: 'Electronics Technician',
    },
  ],
};

export const pathways: DemoPathway[] = [bdse, btel];
