import { Cacheable, NotFound, parseInput, rules } from '@tauliah/core';
import { Arg, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import { seesScheme } from '../policy.ts';
import { Funder, toFunder } from './funder.ts';
import { Scheme, toScheme } from './scheme.ts';

/** As the organisation.approved event carries it (@tauliah/core events/contracts.ts), trimmed. */
export const registrationNumberRule = rules.nonEmpty(50);

@Resolver(() => Funder)
export class FunderResolver {
  @Cacheable()
  @Query(() => Funder, { description: 'A funder and the schemes it publishes.' })
  async funder(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context): Promise<Funder> {
    const row = await loaders.funder.load(parseInput(rules.uuid('funder id'), id, 'id'));
    if (!row) throw new NotFound('Funder', id);
    return toFunder(row);
  }

  @Authorized('ADMIN')
  @Query(() => Funder, {
    nullable: true,
    description:
      'The funder registered under this number, or null when none is: how a platform administrator (and the providers service, approving an application to join as a FUNDER) sees that a funding body has joined already. Platform administrators only.',
  })
  async funderByRegistrationNumber(@Arg('registrationNumber', () => String) registrationNumber: string, @Ctx() { loaders }: Context): Promise<Funder | null> {
    const row = await loaders.funderByRegistrationNumber.load(parseInput(registrationNumberRule, registrationNumber, 'registrationNumber'));
    return row && toFunder(row);
  }

  @FieldResolver(() => [Scheme], { description: 'Its published schemes by code; its own staff and administrators also see drafts.' })
  async schemes(@Root() funder: Funder, @Ctx() { viewer, loaders }: Context): Promise<Scheme[]> {
    const rows = await loaders.schemesOfFunder.load(funder.id);
    return rows.filter((row) => seesScheme(viewer, row)).map(toScheme);
  }
}

export const funderReference = {
  Funder: {
    __resolveReference: async ({ id }: { id: string }, { loaders }: Context) => {
      const row = await loaders.funder.load(id);
      return row && toFunder(row);
    },
  },
};
