import { BadInput, decodeCursor, isRole, NotFound, pageSize, parseInput, requirePrincipal, rules, toConnection, type Connection } from '@tauliah/core';
import { and, asc, count, desc, eq, sql, type SQL } from 'drizzle-orm';
import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context.ts';
import { organisationApplication as applications } from '../db/schema.ts';
import { applicationValues, applyToJoin } from '../joining/apply.ts';
import { decideApplication } from '../joining/decide.ts';
import {
  OrganisationApplication,
  OrganisationApplicationConnection,
  OrganisationApplicationDecision,
  OrganisationApplicationStatus,
  OrganisationKind,
  toOrganisationApplication,
} from './application.ts';
import { ApplyToJoinInput, applyToJoinSchema, decisionReason, idempotencyKeySchema } from './application.inputs.ts';

const applicationId = rules.uuid('application id');

/** The list's order and cursor: oldest first, by the exact creation time (microseconds, UTC) and id. */
const createdAtText = sql<string>`to_char(${applications.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;
const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;

/**
 * The register of organisations applying to join: anyone signed in applies
 * and sees their own applications; platform administrators list and decide
 * them. Nobody else can read an application at all.
 */
@Resolver(() => OrganisationApplication)
export class OrganisationApplicationResolver {
  @Authorized()
  @Mutation(() => OrganisationApplication, {
    description:
      'Applies for an organisation to join as a PROVIDER, EMPLOYER or FUNDER, naming its first administrator. Anyone signed in may apply. An organisation with an application pending, or already on the platform, is a CONFLICT. Pass an idempotencyKey so a retry answers the first application instead of a CONFLICT.',
  })
  async applyToJoin(
    @Arg('input', () => ApplyToJoinInput) input: ApplyToJoinInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: 'A key of your choosing: a retry with it answers the first call, which was done once.' })
    rawKey: string | null,
    @Ctx() { viewer, db }: Context,
  ): Promise<OrganisationApplication> {
    const applicant = requirePrincipal(viewer);
    const valid = parseInput(applyToJoinSchema, input);
    const key = rawKey == null ? null : parseInput(idempotencyKeySchema, rawKey, 'idempotencyKey');
    return toOrganisationApplication(await applyToJoin(db, applicant, applicationValues(valid), key));
  }

  @Authorized('ADMIN')
  @Mutation(() => OrganisationApplication, {
    description:
      'Approves or rejects a pending application, with a reason. Approving a PROVIDER creates it, in good standing, with the named administrator as its first ADMIN staff account; approving an EMPLOYER or FUNDER has its own service create it likewise, moments later (organisationId names it). Decisions are final: the same decision again answers the application, another is a CONFLICT. Platform administrators only.',
  })
  async decideOrganisationApplication(
    @Arg('id', () => ID) id: string,
    @Arg('decision', () => OrganisationApplicationDecision) decision: OrganisationApplicationDecision,
    @Arg('reason', () => String, { description: 'Why, in words the applicant reads.' }) reason: string,
    @Ctx() context: Context,
  ): Promise<OrganisationApplication> {
    const valid = parseInput(applicationId, id, 'id');
    const why = parseInput(decisionReason, reason, 'reason');
    return toOrganisationApplication(await decideApplication(context, valid, decision, why));
  }

  @Authorized()
  @Query(() => [OrganisationApplication], { description: 'The applications your token subject made, newest first, with their outcome.' })
  async myOrganisationApplications(@Ctx() { viewer, db }: Context): Promise<OrganisationApplication[]> {
    const { subject } = requirePrincipal(viewer);
    const rows = await db
      .select()
      .from(applications)
      .where(eq(applications.applicantSubject, subject))
      .orderBy(desc(applications.createdAt), desc(applications.id));
    return rows.map(toOrganisationApplication);
  }

  @Authorized()
  @Query(() => OrganisationApplication, { description: 'One application: for the applicant who made it and platform administrators; NOT_FOUND for anyone else.' })
  async organisationApplication(@Arg('id', () => ID) id: string, @Ctx() { viewer, loaders }: Context): Promise<OrganisationApplication> {
    const row = await loaders.organisationApplication.load(parseInput(applicationId, id, 'id'));
    if (!row || !(isRole(viewer, 'ADMIN') || row.applicantSubject === requirePrincipal(viewer).subject)) throw new NotFound('OrganisationApplication', id);
    return toOrganisationApplication(row);
  }

  @Authorized('ADMIN')
  @Query(() => OrganisationApplicationConnection, {
    description: 'Applications to join, oldest first (the queue to decide), optionally by status and kind, paged (first: 1–100, default 20). Platform administrators only.',
  })
  async organisationApplications(
    @Arg('status', () => OrganisationApplicationStatus, { nullable: true }) status: OrganisationApplicationStatus | null,
    @Arg('kind', () => OrganisationKind, { nullable: true }) kind: OrganisationKind | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() { db }: Context,
  ): Promise<Connection<OrganisationApplication, Promise<number>>> {
    const limit = pageSize(first);
    const matching = and(status ? eq(applications.status, status) : undefined, kind ? eq(applications.kind, kind) : undefined);
    const rows = await db
      .select({ application: applications, at: createdAtText })
      .from(applications)
      .where(and(matching, afterCursor(after)))
      .orderBy(asc(applications.createdAt), asc(applications.id))
      .limit(limit + 1);
    return toConnection(
      rows,
      limit,
      async () => (await db.select({ n: count() }).from(applications).where(matching))[0]?.n ?? 0,
      (row) => [row.at, row.application.id],
      (row) => toOrganisationApplication(row.application),
    );
  }
}

function afterCursor(after: string | null): SQL | undefined {
  const key = decodeCursor(after, ['string', 'string']) as [string, string] | null;
  if (!key) return undefined;
  const [at, id] = key;
  if (!CURSOR_TIME.test(at) || !applicationId.safeParse(id).success) {
    throw new BadInput('after is not a cursor from this list: pass the endCursor of the previous page.', { field: 'after' });
  }
  return sql`(${applications.createdAt}, ${applications.id}) > (${at}::timestamp at time zone 'UTC', ${id}::uuid)`;
}
