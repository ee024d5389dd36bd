import { parseInput } from '@tauliah/core';
import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../context.ts';
import { confirmEmployment, declineEmployment, endEmployment, recordEmployment } from '../employment/records.ts';
import { Employment, idempotencyKeySchema, RecordEmploymentInput, recordEmploymentSchema, toEmployment } from './employment.ts';

/** Employment as employers record it and learners answer it (employment/records.ts has the rules). */
@Resolver(() => Employment)
export class EmploymentRecordResolver {
  @Authorized('EMPLOYER', 'PARTNER')
  @Mutation(() => Employment, {
    description:
      "Records that a learner works for your employer. It is PENDING, and counts nowhere, until the learner confirms it. The answer is the same whether or not the learner id belongs to anyone. CONFLICT, naming it, while your employer has an open record of the learner. Pass an idempotencyKey so a retry records nothing twice.",
  })
  async recordEmployment(
    @Arg('input', () => RecordEmploymentInput) input: RecordEmploymentInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: 'A key of your choosing: a retry with it answers the first call, which recorded once.' })
    rawKey: string | null,
    @Ctx() context: Context,
  ): Promise<Employment> {
    const key = rawKey == null ? null : parseInput(idempotencyKeySchema, rawKey, 'idempotencyKey');
    return toEmployment(await recordEmployment(context, parseInput(recordEmploymentSchema, input), key));
  }

  @Authorized('LEARNER')
  @Mutation(() => Employment, {
    description:
      'Confirms an employment record naming you: while it lasts, the employer is your current employer (for funding eligibility, say). CONFLICT while another confirmed employment of yours has no end: end that one first. Confirming again changes nothing.',
  })
  async confirmEmployment(@Arg('id', () => ID) id: string, @Ctx() context: Context): Promise<Employment> {
    return toEmployment(await confirmEmployment(context, id));
  }

  @Authorized('LEARNER')
  @Mutation(() => Employment, {
    description:
      'Declines an unconfirmed employment record naming you that you do not recognise: it is kept as DECLINED, never counts and never shows as pending again. Declining again changes nothing; a confirmed record is ended instead.',
  })
  async declineEmployment(@Arg('id', () => ID) id: string, @Ctx() context: Context): Promise<Employment> {
    return toEmployment(await declineEmployment(context, id));
  }

  @Authorized('EMPLOYER', 'PARTNER', 'LEARNER')
  @Mutation(() => Employment, {
    description:
      'Records the last day of an employment (YYYY-MM-DD, not before its first, at most 92 days ahead), by the employer (staff or partner system) or the learner; once that day has passed it no longer counts. Ending again with the same day changes nothing; with another it is a CONFLICT.',
  })
  async endEmployment(@Arg('id', () => ID) id: string, @Arg('until', () => String, { description: 'The last day, YYYY-MM-DD.' }) until: string, @Ctx() context: Context): Promise<Employment> {
    return toEmployment(await endEmployment(context, id, until));
  }
}
