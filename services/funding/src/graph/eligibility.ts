import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { REASON_CODES, type ReasonCode } from '../eligibility/evaluate.ts';

/** The enum is built from the evaluator's list, so the two cannot drift apart. */
const ReasonCodeEnum = Object.fromEntries(REASON_CODES.map((code) => [code, code])) as { [C in ReasonCode]: C };
registerEnumType(ReasonCodeEnum, {
  name: 'EligibilityReasonCode',
  description: 'Why a learner is not eligible: one per failed rule. Stable: partners may switch on them.',
  valuesConfig: {
    CONSENT_REQUIRED: { description: 'The learner has not given the viewer\'s organisation ELIGIBILITY consent: nothing else is evaluated.' },
    PERSONAL_DATA_WITHHELD: {
      description:
        "A rule needs the date of birth or citizenship, which the learner did not share with the viewer (PERSONAL consent), or the household income, which the learner declares to the scheme's funder only.",
    },
    SCHEME_NOT_OPEN: { description: 'Today is outside the scheme\'s validity window.' },
    AGE_OUT_OF_RANGE: { description: 'AGE_RANGE failed.' },
    CITIZENSHIP_NOT_ALLOWED: { description: 'CITIZENSHIP failed.' },
    INCOME_NOT_DECLARED: { description: 'HOUSEHOLD_INCOME_AT_MOST: the learner has declared no household income.' },
    HOUSEHOLD_INCOME_ABOVE_THRESHOLD: { description: 'HOUSEHOLD_INCOME_AT_MOST failed.' },
    NOT_EMPLOYED_BY_LEVY_PAYER: { description: 'EMPLOYED_BY_LEVY_PAYER failed (or the employment is not confirmed by the learner).' },
    COURSE_REQUIRED: { description: 'A course rule applies but no courseId was given.' },
    COURSE_NOT_APPROVED: { description: 'COURSE_APPROVED_FOR_SCHEME failed.' },
    COURSE_MQF_LEVEL_OUT_OF_RANGE: { description: 'COURSE_MQF_LEVEL failed.' },
    ALREADY_FUNDED_FOR_COURSE: { description: 'NOT_ALREADY_FUNDED_FOR_COURSE failed.' },
  },
});

// Plain data, read as it is: graphql-js's own property reads, without a resolver per field for each of 10,000 learners.
@ObjectType({ description: 'One failed rule.', simpleResolvers: true })
export class EligibilityReason {
  @Field(() => ReasonCodeEnum)
  code!: ReasonCode;

  @Field(() => String, { description: 'The reason in words, for people.' })
  message!: string;
}

@ObjectType({
  description:
    'Whether a scheme would fund this learner (for a course). Without the learner\'s ELIGIBILITY consent to the viewer\'s organisation the result is consentRequired: true with the single reason CONSENT_REQUIRED and null amounts — never the data or an answer derived from it.',
  simpleResolvers: true,
})
export class Eligibility {
  @Field(() => Boolean)
  eligible!: boolean;

  @Field(() => Boolean, { description: 'True when the learner has not given the viewer ELIGIBILITY consent; nothing was evaluated.' })
  consentRequired!: boolean;

  @Field(() => [EligibilityReason], { description: 'Every failed rule; empty when eligible.' })
  reasons!: EligibilityReason[];

  @Field(() => Int, { nullable: true, description: 'What the scheme would pay, in sen (fee less co-payment, capped per learner); 0 when not eligible; null without a course or consent.' })
  coveredSen!: number | null;

  @Field(() => Int, { nullable: true, description: 'What the learner or employer pays, in sen; null without a course or consent.' })
  coPaymentSen!: number | null;
}
