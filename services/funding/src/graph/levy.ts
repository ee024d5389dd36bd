import { ConnectionType } from '@tauliah/core';
import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { monthOfDate } from '../calendar.ts';
import type { LevyEntryRow } from '../db/schema.ts';

@ObjectType({ description: "An employer's HRD Corp levy account: levy paid in, grants drawn out. Opened by its first levy payment." })
export class LevyAccount {
  /** The employer whose account it is (the parent's key; not a field of its own). */
  employerId!: string;

  @Field(() => GraphQLSafeInt, { description: "Balance in sen: the levy paid in less the grants drawn (a SafeInt: large employers' balances exceed 32 bits)." })
  balanceSen!: number;

  @Field(() => Date)
  updatedAt!: Date;
}

@ObjectType({ description: "One month's HRD Corp levy an employer paid, as HRD Corp recorded it. Never changed once recorded." })
export class LevyPayment {
  @Field(() => ID)
  id!: string;

  /** The employer that paid: `employer` resolves it. */
  employerId!: string;

  @Field(() => String, { description: 'The month the levy was paid for, YYYY-MM (Malaysian calendar).' })
  month!: string;

  @Field(() => GraphQLSafeInt, { description: 'The levy paid, in sen.' })
  amountSen!: number;

  @Field(() => Date)
  recordedAt!: Date;

  @Field(() => String, { nullable: true, description: 'The subject of the HRD Corp officer who recorded it; null for a payment carried over from before officers recorded them.' })
  recordedBy!: string | null;
}

export const LevyPaymentConnection = ConnectionType('LevyPayment', LevyPayment);

export const toLevyPayment = (row: LevyEntryRow): LevyPayment => ({
  id: row.id,
  employerId: row.employerId,
  month: monthOfDate(row.month!),
  amountSen: row.amountSen,
  recordedAt: row.recordedAt,
  recordedBy: row.recordedBy,
});

@InputType({ description: "One month's HRD Corp levy an employer paid." })
export class RecordLevyPaymentInput {
  @Field(() => ID, {
    description:
      "The employer's id in this graph. It is not checked against the employers service (funding does not own employers): copy it from Employer.id rather than typing it, and read back employer { name } in the answer.",
  })
  employerId!: string;

  @Field(() => String, { description: 'The month paid for, YYYY-MM: not after the current month in Malaysia.' })
  month!: string;

  @Field(() => GraphQLSafeInt, { description: 'The levy paid, in whole sen, more than zero.' })
  amountSen!: number;
}
