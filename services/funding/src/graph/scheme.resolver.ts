import { Cacheable, Forbidden, isRole, NotFound, parseInput, requirePrincipal, rules } from '@tauliah/core';
import { and, asc, eq, or, type SQL } from 'drizzle-orm';
import { GraphQLJSON } from 'graphql-scalars';
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import { scheme } from '../db/schema.ts';
import { eligibilityRulesSchema } from '../eligibility/rules.ts';
import { actsForHrdCorp, decidingFunder, ownFunderId, seesScheme, visibleScheme } from '../policy.ts';
import { defineScheme } from '../schemes/definition.ts';
import { Funder, toFunder } from './funder.ts';
import { Scheme, SchemeKind, toScheme, type SchemeWithFunder } from './scheme.ts';
import { DefineSchemeInput } from './scheme.inputs.ts';

/** Everyone reads published schemes; funder staff define their organisation's schemes and edit their rules, every write validated as a whole. */
@Resolver(() => Scheme)
export class SchemeResolver {
  @Cacheable()
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

  @Cacheable()
  @Query(() => Scheme, { description: 'One scheme. An unpublished one is NOT_FOUND except to its funder and administrators.' })
  async scheme(@Arg('id', () => ID) id: string, @Ctx() { viewer, loaders }: Context): Promise<Scheme> {
    const row = await loaders.scheme.load(parseInput(rules.uuid('scheme id'), id, 'id'));
    return toScheme(visibleScheme(viewer, row, id));
  }

  @Authorized('FUNDER')
  @Mutation(() => Scheme, {
    description: "Defines a scheme of your funder (a draft unless published is true). Only HRD Corp defines HRD_CORP_GRANT schemes: their claims draw on employers' levy accounts.",
  })
  async defineScheme(@Arg('input', () => DefineSchemeInput) input: DefineSchemeInput, @Ctx() { viewer, db, loaders }: Context): Promise<Scheme> {
    requirePrincipal(viewer);
    if (input.kind === SchemeKind.HRD_CORP_GRANT && !(await actsForHrdCorp(viewer, loaders))) {
      throw new Forbidden("Only HRD Corp's officers define HRD_CORP_GRANT schemes: approving their claims draws on employers' HRD Corp levy.");
    }
    return toScheme(await defineScheme(db, { ...input, funderId: viewer.kind === 'principal' ? viewer.funderId : undefined }));
  }

  @Authorized('FUNDER')
  @Mutation(() => Scheme, { description: "Replaces a scheme's eligibility rules; refused whole (BAD_USER_INPUT, every problem listed) if any rule is unknown or malformed." })
  async updateSchemeRules(
    @Arg('schemeId', () => ID) schemeId: string,
    @Arg('rules', () => GraphQLJSON) given: unknown,
    @Ctx() { viewer, db, loaders }: Context,
  ): Promise<Scheme> {
    const id = parseInput(rules.uuid('scheme id'), schemeId, 'schemeId');
    const valid = parseInput(eligibilityRulesSchema, given, 'rules');
    decidingFunder(viewer, await loaders.scheme.load(id));
    const [row] = await db.update(scheme).set({ rules: valid }).where(eq(scheme.id, id)).returning();
    return toScheme(row!);
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
