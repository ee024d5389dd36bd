import { BadInput, ConnectionType, decodeCursor, Forbidden, isUuid, pageSize, rules, toConnection, todayInMalaysia, type Connection } from '@tauliah/core';
import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import type { EmployerRow } from '../db/schema.ts';
import type { EmploymentCursor } from '../employment/listing.ts';
import { isStaffOrAdmin } from '../policy.ts';
import { Employer } from './employer.ts';
import { Employment, toEmployment } from './employment.ts';

const EmploymentConnection = ConnectionType('Employment', Employment);

/** The (since, id) after which the next page starts; a made-up one is refused here, never sent to the database. */
function employmentCursor(after: string | null): EmploymentCursor | null {
  const cursor = decodeCursor(after, ['string', 'string']) as EmploymentCursor | null;
  if (cursor && !(rules.isoDate.safeParse(cursor[0]).success && isUuid(cursor[1]))) {
    throw new BadInput('after is not a cursor from this list: pass the endCursor of the previous page.', { field: 'after' });
  }
  return cursor;
}

/** The people an employer has recorded: its HR list, for reconciling with its own records. */
@Resolver(() => Employer)
export class EmployerEmploymentResolver {
  @FieldResolver(() => EmploymentConnection, {
    nullable: true,
    description:
      "The employment records this employer made, latest started first, each with the learner's answer (status). current: true for those lasting today (pending or confirmed), false for those ended or declined; all when left out. Only for the employer's own staff and administrators.",
  })
  async employment(
    @Root() employer: EmployerRow,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1 to 100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'The endCursor of the previous page.' }) after: string | null,
    @Arg('current', () => Boolean, { nullable: true }) current: boolean | null,
    @Ctx() { viewer, loaders }: Context,
  ): Promise<Connection<Employment, Promise<number>>> {
    if (!isStaffOrAdmin(viewer, employer.id)) throw new Forbidden("Only the employer's own staff and administrators may read its employment records.");
    const limit = pageSize(first);
    const cursor = employmentCursor(after);
    const filter = { current: current ?? null, today: todayInMalaysia() };
    const rows = await loaders.employmentPage(filter, limit, cursor).load(employer.id);
    return toConnection(
      rows,
      limit,
      async () => (await loaders.employmentCount(filter).load(employer.id))?.count ?? 0,
      (row) => [row.since, row.id],
      (row) => toEmployment(row, filter.today),
    );
  }
}
