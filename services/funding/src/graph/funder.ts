import { Cacheable } from '@tauliah/core';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { FunderRow } from '../db/schema.ts';

export enum FunderKind {
  HRD_CORP = 'HRD_CORP',
  B40_AID = 'B40_AID',
  OTHER = 'OTHER',
}
registerEnumType(FunderKind, {
  name: 'FunderKind',
  valuesConfig: {
    HRD_CORP: { description: "HRD Corp: training grants paid from employers' levy." },
    B40_AID: { description: 'An aid fund for learners from B40 (bottom 40% income) households.' },
    OTHER: { description: 'Another funding body: a state foundation, zakat body, company foundation. Every funder that joins through an application starts as one.' },
  },
});

@ObjectType({ description: 'An organisation that pays for training: HRD Corp, a B40 aid fund or another funding body.' })
@Directive('@key(fields: "id")')
@Cacheable()
export class Funder {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => FunderKind)
  kind!: FunderKind;

  @Field(() => String, {
    nullable: true,
    description: 'Its registration (statutory body, society or company) number, as given when it applied to join; null for funders that predate applications.',
  })
  registrationNumber!: string | null;
}

export const toFunder = (row: FunderRow): Funder => ({ ...row, kind: row.kind as FunderKind });
