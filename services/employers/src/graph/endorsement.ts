import { Cacheable } from '@tauliah/core';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Employer } from './employer.ts';

@ObjectType('CourseEndorsement', { description: 'An employer saying "we recognise this course".' })
@Cacheable()
@Cacheable()
export class CourseEndorsement {
  @Field(() => Employer)
  employer!: Employer;

  @Field(() => Date)
  endorsedAt!: Date;
}

@ObjectType({ description: 'A course of the catalogue the providers service owns.' })
@Directive('@key(fields: "id")')
export class Course {
  @Field(() => ID)
  id!: string;
}
