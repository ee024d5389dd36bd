import { Cacheable, NotFound, parseInput, rules, selectsPath, selectsTotalCount } from '@tauliah/core';
import { asc } from 'drizzle-orm';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import { provider as providerTable } from '../db/schema.ts';
import { CourseConnection, type CoursePage } from './course.ts';
import { Pathway } from './pathway.ts';
import { Provider, toProvider } from './provider.ts';

const providerId = rules.uuid('provider id');

@Resolver(() => Provider)
export class ProviderResolver {
  @Cacheable()
  @Query(() => Provider, { description: 'One provider.' })
  async provider(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context): Promise<Provider> {
    const row = await loaders.provider.load(parseInput(providerId, id, 'id'));
    if (!row) throw new NotFound('Provider', id);
    return toProvider(row);
  }

  @Cacheable()
  @Query(() => [Provider], { description: 'Every provider, by name.' })
  async providers(@Ctx() { db }: Context): Promise<Provider[]> {
    const rows = await db.select().from(providerTable).orderBy(asc(providerTable.name), asc(providerTable.id));
    return rows.map(toProvider);
  }

  @FieldResolver(() => CourseConnection, {
    description: "The provider's courses by code. The public sees published ones; the provider's staff, its partners and administrators see drafts and retired ones too.",
  })
  async courses(
    @Root() provider: Provider,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() { loaders }: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<CoursePage> {
    return loaders.coursesOfProvider(provider.id, first, after, { total: selectsTotalCount(info), providers: selectsPath(info, ['edges', 'node', 'provider']) });
  }

  @FieldResolver(() => [Pathway], { description: "The provider's stackable pathways, by code." })
  async pathways(@Root() provider: Provider, @Ctx() { loaders }: Context): Promise<Pathway[]> {
    return loaders.pathwaysOfProvider.load(provider.id);
  }
}

/** The provider of a course or pathway; a missing one is a broken foreign key, reported rather than hidden. */
export async function providerOf(owner: { providerId: string }, { loaders }: Context): Promise<Provider> {
  const row = await loaders.provider.load(owner.providerId);
  if (!row) throw new NotFound('Provider', owner.providerId);
  return toProvider(row);
}

export const providerReference = {
  Provider: {
    __resolveReference: async ({ id }: { id: string }, { loaders }: Context) => {
      const row = await loaders.provider.load(id);
      return row && toProvider(row);
    },
  },
};
