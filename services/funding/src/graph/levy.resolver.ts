import { decodeCursor, Forbidden, pageSize, parseInput, requirePrincipal, rules, toConnection, type Connection } from '@tauliah/core';
import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import { z } from 'zod';
import { firstDayOf, levyMonth, MONTH, monthOfDate } from '../calendar.ts';
import type { Context } from '../context.ts';
import { recordLevyPayment } from '../levy/payments.ts';
import { actsForHrdCorp, readsLevyAccountOf } from '../policy.ts';
import { idempotencyKey } from '../review/decision.ts';
import { Employer } from './entities.ts';
import { LevyAccount, LevyPayment, LevyPaymentConnection, RecordLevyPaymentInput, toLevyPayment } from './levy.ts';

const paymentSchema = z.object({
  employerId: rules.uuid('employer id'),
  month: levyMonth(),
  amountSen: z.number().int('must be a whole number of sen').positive('must be more than zero').max(Number.MAX_SAFE_INTEGER),
});

@Resolver(() => Employer)
export class EmployerLevyResolver {
  @FieldResolver(() => LevyAccount, {
    nullable: true,
    description: "The employer's HRD Corp levy account; null until HRD Corp records its first levy payment. Only its own staff, HRD Corp's officers and administrators may read it.",
  })
  async levyAccount(@Root() employer: Employer, @Ctx() { viewer, loaders }: Context): Promise<LevyAccount | null> {
    if (!(await readsLevyAccountOf(viewer, employer.id, loaders))) {
      throw new Forbidden("Only the employer's own staff, HRD Corp and administrators may read its levy account.");
    }
    return loaders.levyAccount.load(employer.id);
  }
}

/** What a levy account holds besides its balance; its parent, Employer.levyAccount, already decided who may read it. */
@Resolver(() => LevyAccount)
export class LevyAccountResolver {
  @FieldResolver(() => String, { nullable: true, description: 'The latest month (YYYY-MM) HRD Corp recorded a levy payment for.' })
  async lastPaidMonth(@Root() account: LevyAccount, @Ctx() { loaders }: Context): Promise<string | null> {
    const last = await loaders.lastLevyPaidMonth.load(account.employerId);
    return last?.month ? monthOfDate(last.month) : null;
  }

  @FieldResolver(() => LevyPaymentConnection, { description: 'The levy payments HRD Corp recorded, newest month first.' })
  async payments(
    @Root() account: LevyAccount,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1 to 100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'The endCursor of the previous page.' }) after: string | null,
    @Ctx() { loaders }: Context,
  ): Promise<Connection<LevyPayment>> {
    const limit = pageSize(first);
    const [month] = (decodeCursor(after, ['string']) ?? []) as string[];
    const before = month === undefined ? null : parseInput(z.string().regex(MONTH, 'is not a cursor from this list: pass the endCursor of the previous page'), month, 'after');
    const [rows, total] = await Promise.all([
      loaders.levyPaymentPage(limit, before === null ? null : firstDayOf(before)).load(account.employerId),
      loaders.levyPaymentCount.load(account.employerId),
    ]);
    return toConnection(rows, limit, total?.count ?? 0, (row) => [monthOfDate(row.month!)], toLevyPayment);
  }
}

@Resolver(() => LevyPayment)
export class LevyPaymentResolver {
  @Authorized('FUNDER')
  @Mutation(() => LevyPayment, {
    description:
      "HRD Corp's officers record the levy an employer paid for one month (YYYY-MM, not ahead of the current month in Malaysia; more than zero sen). The employer's levy account opens with its first payment and its balance grows by each, in the same transaction. One payment per employer and month: a second is a CONFLICT naming the first. Retrying with the same idempotencyKey answers the payment it recorded. The employer id is not checked against the employers service, which funding does not own: a payment recorded under a mistyped id opens an account no employer reads, and the employer's month stays unpaid (and its employees' HRD Corp eligibility with it) until recorded under its own id, so read back employer { name } in the answer.",
  })
  async recordLevyPayment(
    @Arg('input', () => RecordLevyPaymentInput) input: RecordLevyPaymentInput,
    @Arg('idempotencyKey', () => String, { nullable: true }) key: string | null,
    @Ctx() { viewer, db, loaders }: Context,
  ): Promise<LevyPayment> {
    const { subject } = requirePrincipal(viewer);
    if (!(await actsForHrdCorp(viewer, loaders))) throw new Forbidden("Only HRD Corp's officers record levy payments: the levy is paid to HRD Corp.");
    const valid = parseInput(paymentSchema, input);
    const retryKey = key === null || key === undefined ? null : parseInput(idempotencyKey, key, 'idempotencyKey');
    return toLevyPayment(await recordLevyPayment(db, { ...valid, recordedBy: subject, idempotencyKey: retryKey }));
  }

  @FieldResolver(() => Employer, {
    nullable: true,
    description:
      'The employer that paid, its name and details from the employers service as you may read them: null when that service knows no employer with this id (a mistyped one).',
  })
  employer(@Root() payment: LevyPayment): Employer {
    return { id: payment.employerId };
  }
}
