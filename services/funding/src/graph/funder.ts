import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { FunderRow } from '../db/schema.ts';

export enum FunderKind {
  HRD_CORP = 'HRD_CORP',
  B40_AID = 'B40_AID',
}
registerEnumType(FunderKind, {
  name: 'FunderKind',
  valuesConfig: {
    HRD_CORP: { description: "HRD Corp: training grants paid from employers' levy." },
    B40_AID: { description: 'An aid fund for learners from B40 (bottom 40% income) households.' },
  },
});

@ObjectType({ description: 'An organisation that pays for training: HRD Corp or a B40 aid fund.' })
@Directive('@key(fields: "id")')
export class Funder {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => FunderKind)
  kind!: FunderKind;
}

export const toFunder = (row: FunderRow): Funder => ({ ...row, kind: row.kind as FunderKind });
