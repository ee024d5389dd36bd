import { isRole, NotFound, parseInput, rules } from '@tauliah/core';
import { and, asc, eq, or, type SQL } from 'drizzle-orm';
import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import { scheme } from '../db/schema.ts';
import { ownFunderId, seesScheme, visibleScheme } from '../policy.ts';
import { Funder, toFunder } from './funder.ts';
import { Scheme, SchemeKind, toScheme, type SchemeWithFunder } from './scheme.ts';

@Resolver(() => Scheme)
export class SchemeResolver {
  @Query(() => [Scheme], { description: 'Published funding schemes by code (a funder also sees its own drafts), optionally of one kind.' })
  async schemes(@Arg('kind', () => SchemeKind, { nullable: true }) kind: SchemeKind | null, @Ctx() { viewer, db }: Context): Promise<Scheme[]> {
    const funderId = ownFunderId(viewer);
    const visible: SQL | undefined = isRole(viewer, 'ADMIN')
      ? undefined
      : or(eq(scheme.published, true), funderId ? eq(scheme.funderId, funderId) : undefined);
    const rows = await db
      .select()
      .from(scheme)
      .where(and(kind ? eq(scheme.kind, kind) : undefined, visible))
      .orderBy(asc(scheme.code));
    return rows.map(toScheme);
  }

  @Query(() => Scheme, { description: 'One scheme. An unpublished one is NOT_FOUND except to its funder and administrators.' })
  async scheme(@Arg('id', () => ID) id: string, @Ctx() { viewer, loaders }: Context): Promise<Scheme> {
    const row = await loaders.scheme.load(parseInput(rules.uuid('scheme id'), id, 'id'));
    return toScheme(visibleScheme(viewer, row, id));
  }

  @FieldResolver(() => Funder)
  async funder(@Root() root: SchemeWithFunder, @Ctx() { loaders }: Context): Promise<Funder> {
    const row = await loaders.funder.load(root.funderId);
    if (!row) throw new NotFound('Funder', root.funderId);
    return toFunder(row);
  }
}

export const schemeReference = {
  Scheme: {
    __resolveReference: async ({ id }: { id: string }, { viewer, loaders }: Context) => {
      const row = await loaders.scheme.load(id);
      return row && seesScheme(viewer, row) ? toScheme(row) : null;
    },
  },
};
