import { GraphQLJSON, GraphQLSafeInt } from 'graphql-scalars';
import { Field, InputType, Int } from 'type-graphql';
import { SchemeKind } from './scheme.ts';

@InputType({ description: "A new scheme of the signed-in funder's organisation. Rules are validated when saved: an unknown kind or malformed parameters are BAD_USER_INPUT." })
export class DefineSchemeInput {
  @Field(() => String, { description: 'Upper-case letters, digits and dashes, e.g. "B40-MC-2027".' })
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  description!: string;

  @Field(() => SchemeKind)
  kind!: SchemeKind;

  @Field(() => GraphQLSafeInt, { description: 'In sen (a SafeInt).' })
  budgetSen!: number;

  @Field(() => Int, { description: 'In sen.' })
  perLearnerCapSen!: number;

  @Field(() => Int, { description: '0–100.' })
  coPaymentPercent!: number;

  @Field(() => String, { description: 'YYYY-MM-DD' })
  validFrom!: string;

  @Field(() => String, { description: 'YYYY-MM-DD' })
  validUntil!: string;

  @Field(() => Boolean, { defaultValue: false })
  published!: boolean;

  @Field(() => GraphQLJSON, { description: 'A list of rules, e.g. [{ "kind": "AGE_RANGE", "min": 17, "max": 35 }] (see EligibilityRuleKind).' })
  rules!: unknown;
}
