import { Cacheable, ConnectionType, toConnection, type Connection } from '@tauliah/core';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { CourseRow } from '../db/schema.ts';

export enum DeliveryMode {
  ONLINE = 'ONLINE',
  IN_PERSON = 'IN_PERSON',
  BLENDED = 'BLENDED',
}
registerEnumType(DeliveryMode, { name: 'DeliveryMode', description: 'How a course is taught.' });

export enum Accreditation {
  MQA_ACCREDITED = 'MQA_ACCREDITED',
  MQA_PROVISIONAL = 'MQA_PROVISIONAL',
  NOT_CREDIT_BEARING = 'NOT_CREDIT_BEARING',
}
registerEnumType(Accreditation, {
  name: 'Accreditation',
  description: "The course's standing with the Malaysian Qualifications Agency.",
  valuesConfig: {
    MQA_ACCREDITED: { description: 'Fully accredited against the MQF.' },
    MQA_PROVISIONAL: { description: 'Provisionally accredited; full accreditation pending.' },
    NOT_CREDIT_BEARING: { description: 'A short course that carries no MQA credits.' },
  },
});

export enum CourseStatus {
  DRAFT = 'DRAFT',
  PUBLISHED = 'PUBLISHED',
  RETIRED = 'RETIRED',
}
registerEnumType(CourseStatus, {
  name: 'CourseStatus',
  valuesConfig: {
    DRAFT: { description: "Seen only by the provider's staff and partner systems." },
    PUBLISHED: { description: 'In the public catalogue.' },
    RETIRED: { description: 'No longer offered; still readable by id for the pathways and credentials that name it.' },
  },
});

@ObjectType({ description: 'A micro-credential course: short, assessed and skill-focused, possibly credit-bearing.' })
@Directive('@key(fields: "id")')
@Cacheable()
export class Course {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "The provider's course code, e.g. \"SE1101\"." })
  code!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String)
  description!: string;

  @Field(() => Int, { nullable: true, description: 'MQA credits; null when the course is not credit-bearing.' })
  credits!: number | null;

  @Field(() => Int, { description: 'Notional student learning time in hours (1 MQA credit = 40 hours).' })
  notionalHours!: number;

  @Field(() => Int, { nullable: true, description: 'MQF level 1–8 (3 certificate, 4 diploma, 6 bachelor); null when not levelled.' })
  mqfLevel!: number | null;

  @Field(() => [String])
  learningOutcomes!: string[];

  @Field(() => Int, { description: 'Course fee in sen (RM 1 = 100 sen).' })
  feeSen!: number;

  @Field(() => DeliveryMode)
  deliveryMode!: DeliveryMode;

  @Field(() => Accreditation)
  accreditation!: Accreditation;

  @Field(() => Boolean, { description: 'True when the course carries MQA credits.' })
  creditBearing!: boolean;

  @Field(() => String, { description: 'How learners are assessed.' })
  assessment!: string;

  @Field(() => Int, { nullable: true, description: 'Months a credential for this course stays valid; null when it does not expire.' })
  validityMonths!: number | null;

  @Field(() => CourseStatus)
  status!: CourseStatus;

  @Field(() => Date, { nullable: true })
  publishedAt!: Date | null;
}

export const CourseConnection = ConnectionType('Course', Course);
export type CourseConnection = InstanceType<typeof CourseConnection>;

/** Rows become Course objects; the row's providerId stays on them for the provider field resolver. */
export function toCourse(row: CourseRow): Course & CourseRow {
  return {
    ...row,
    deliveryMode: row.deliveryMode as DeliveryMode,
    accreditation: row.accreditation as Accreditation,
    status: row.status as CourseStatus,
    creditBearing: row.credits !== null,
  };
}

/** A page of courses, its count run when the client reads totalCount (a statement of its own, perhaps already under way). */
export type CoursePage = Connection<Course, Promise<number>>;

/** A page of course rows (fetched with one extra row) as a CoursePage whose cursors are (code, id). */
export const toCourseConnection = (rows: CourseRow[], limit: number, totalCount: () => Promise<number>): CoursePage =>
  toConnection(rows, limit, totalCount, (row) => [row.code, row.id], toCourse);
