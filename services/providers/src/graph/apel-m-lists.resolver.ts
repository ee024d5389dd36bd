import { BadInput, decodeCursor, Forbidden, pageSize, rules, toConnection, type Connection } from '@tauliah/core';
import { Arg, Authorized, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { listsApelMApplications, seesApelMApplication } from '../apel-m/access.ts';
import type { ApelMContext } from '../apel-m/context.ts';
import type { PathwayRow } from '../db/schema.ts';
import { ApelMApplication, ApelMApplicationConnection, ApelMApplicationStatus, Learner, toApelMApplication } from './apel-m-application.ts';
import { Pathway } from './pathway.ts';

const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;

/** The provider's queue: a pathway's APEL.M applications, for its staff, its partner systems and platform administrators. */
@Resolver(() => Pathway)
export class PathwayApelMApplicationsResolver {
  @Authorized()
  @FieldResolver(() => ApelMApplicationConnection, {
    nullable: true,
    description:
      "APEL.M applications through this pathway, oldest first (the queue to decide), optionally of one status, paged (first: 1–100, default 20). For the pathway provider's staff and partner systems and platform administrators; FORBIDDEN for anyone else.",
  })
  async apelMApplications(
    @Root() pathway: PathwayRow,
    @Arg('status', () => ApelMApplicationStatus, { nullable: true }) status: ApelMApplicationStatus | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() { viewer, loaders }: ApelMContext,
  ): Promise<Connection<ApelMApplication, Promise<number>>> {
    if (!listsApelMApplications(viewer, pathway)) throw new Forbidden("Only the pathway provider's staff and partner systems, and platform administrators, may list its APEL.M applications.");
    const limit = pageSize(first);
    const rows = await loaders.apelM.pathwayPage({ limit, after: applicationCursor(after), status }).load(pathway.id);
    return toConnection(
      rows,
      limit,
      async () => (await loaders.apelM.pathwayCount(status).load(pathway.id))?.n ?? 0,
      (row) => [row.at, row.id],
      toApelMApplication,
    );
  }
}

/** A learner's APEL.M applications, on the learner the learners service owns. */
@Resolver(() => Learner)
export class LearnerApelMApplicationsResolver {
  @Authorized()
  @FieldResolver(() => [ApelMApplication], {
    nullable: true,
    description:
      "The learner's APEL.M applications, newest first: all of them for the learner and platform administrators, those through its own pathways for a provider's staff and partner systems, none for anyone else. Null, with SUBGRAPH_UNAVAILABLE, while the providers service cannot answer.",
  })
  async apelMApplications(@Root() learner: Learner, @Ctx() { viewer, loaders }: ApelMContext): Promise<ApelMApplication[]> {
    const rows = await loaders.apelM.applicationsOfLearner.load(learner.id);
    return rows.filter((row) => seesApelMApplication(viewer, row)).map(toApelMApplication);
  }
}

function applicationCursor(after: string | null): [string, string] | null {
  const key = decodeCursor(after, ['string', 'string']) as [string, string] | null;
  if (key && (!CURSOR_TIME.test(key[0]) || !rules.uuid().safeParse(key[1]).success)) {
    throw new BadInput('after is not a cursor from this list: pass the endCursor of the previous page.', { field: 'after' });
  }
  return key;
}
