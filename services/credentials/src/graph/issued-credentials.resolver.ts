import { actingProviderId, BadInput, Forbidden, isRole, pageSize, parseInput, requirePrincipal, rules } from '@tauliah/core';
import { Arg, Authorized, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { z } from 'zod';
import type { Context } from '../context.ts';
import { issuedBy } from '../issuance/issued.ts';
import { toCredential } from './credential.ts';
import { statusFilterSchema } from './credential.inputs.ts';
import { IssuedCredentialConnection, IssuedCredentialsFilter } from './issued-credentials.ts';

const validDate = z.date().refine((d) => !Number.isNaN(d.getTime()), 'must be a date-time');
const filterSchema = z
  .object({
    courseId: rules.uuid('course id').nullish(),
    status: statusFilterSchema,
    issuedAfter: validDate.nullish(),
    issuedBefore: validDate.nullish(),
  })
  .refine((f) => !f.issuedAfter || !f.issuedBefore || f.issuedAfter < f.issuedBefore, { message: 'issuedAfter must be before issuedBefore', path: ['issuedBefore'] });

/** Whose issues the caller lists: its own provider's, or (an administrator) the one it names. */
function listedProvider(context: Context, rawProviderId: string | null | undefined): string {
  const principal = requirePrincipal(context.viewer);
  if (isRole(principal, 'ADMIN')) {
    if (!rawProviderId) throw new BadInput('Name the provider whose credentials to list: providerId.', { field: 'providerId' });
    return parseInput(rules.uuid('provider id'), rawProviderId, 'providerId');
  }
  const own = actingProviderId(principal);
  if (!own) throw new Forbidden('Only staff of a provider, or a partner system acting for one, list what it issued.');
  if (rawProviderId && rawProviderId !== own) throw new Forbidden('A provider lists only the credentials it issued itself.');
  return own;
}

@Resolver()
export class IssuedCredentialsResolver {
  @Authorized('PROVIDER_STAFF', 'PARTNER', 'ADMIN')
  @Query(() => IssuedCredentialConnection, {
    description:
      'The credentials your provider issued, newest first, for reconciliation with your own records: each with its learner and, where you issued by one, your student number. ' +
      'Renewed credentials are listed too (replacedBy names the renewal). For its staff and partner systems; an administrator names the provider.',
  })
  async issuedCredentials(
    @Arg('filter', () => IssuedCredentialsFilter, { nullable: true }) filter: IssuedCredentialsFilter | null,
    @Arg('providerId', () => ID, { nullable: true, description: 'Administrators only: the provider whose credentials to list.' }) providerId: string | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1 to 100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() context: Context,
  ) {
    const provider = listedProvider(context, providerId);
    const wanted = parseInput(filterSchema, filter ?? {}, 'filter');
    const page = await issuedBy(
      context.db,
      provider,
      { courseId: wanted.courseId ?? null, statuses: wanted.status ?? null, issuedAfter: wanted.issuedAfter ?? null, issuedBefore: wanted.issuedBefore ?? null },
      pageSize(first),
      after,
    );
    const now = new Date();
    // Credential fields of the page (skills, studentNumber...) read these rows rather than ask again.
    for (const { node } of page.edges) context.loaders.credential.prime(node.id, node);
    return {
      pageInfo: page.pageInfo,
      // Not spread: reading totalCount runs the count, which only a client that selects it should pay for.
      get totalCount() {
        return page.totalCount;
      },
      edges: page.edges.map(({ cursor, node }) => ({ cursor, node: toCredential(node, now) })),
    };
  }
}
