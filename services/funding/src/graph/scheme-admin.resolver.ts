import { Conflict, parseInput, requirePrincipal, rules } from '@tauliah/core';
import { eq } from 'drizzle-orm';
import { GraphQLJSON } from 'graphql-scalars';
import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../context.ts';
import { scheme } from '../db/schema.ts';
import { eligibilityRulesSchema } from '../eligibility/rules.ts';
import { decidingFunder } from '../policy.ts';
import { insertSchemes } from '../scheme-store.ts';
import { Scheme, toScheme } from './scheme.ts';
import { DefineSchemeInput } from './scheme.inputs.ts';

const isUniqueCode = (error: unknown) => String((error as { cause?: { message?: string } }).cause?.message ?? error).includes('scheme_code_key');

/** Funder staff define their organisation's schemes and edit their rules; every write is validated as a whole. */
@Resolver(() => Scheme)
export class SchemeAdminResolver {
  @Authorized('FUNDER')
  @Mutation(() => Scheme, { description: 'Defines a scheme of your funder (a draft unless published is true).' })
  async defineScheme(@Arg('input', () => DefineSchemeInput) input: DefineSchemeInput, @Ctx() { viewer, db }: Context): Promise<Scheme> {
    requirePrincipal(viewer);
    try {
      const [row] = await insertSchemes(db, [{ ...input, funderId: viewer.kind === 'principal' ? viewer.funderId : undefined }]);
      return toScheme(row!);
    } catch (error) {
      if (isUniqueCode(error)) throw new Conflict(`A scheme with code ${input.code} already exists.`, { field: 'code' });
      throw error;
    }
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
}
