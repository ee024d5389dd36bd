import { actingEmployerId, Forbidden, isRole } from '@tauliah/core';
import { GraphQLSafeInt } from 'graphql-scalars';
import { Ctx, Field, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import { Employer } from './entities.ts';

@ObjectType({ description: "An employer's HRD Corp levy account: levy paid in, grants drawn out." })
export class LevyAccount {
  @Field(() => GraphQLSafeInt, { description: 'Balance in sen (a SafeInt: large employers\' balances exceed 32 bits).' })
  balanceSen!: number;

  @Field(() => Date)
  updatedAt!: Date;
}

@Resolver(() => Employer)
export class EmployerLevyResolver {
  @FieldResolver(() => LevyAccount, {
    nullable: true,
    description: "The employer's HRD Corp levy account; null if it has none. Only its own staff, HRD Corp staff and administrators may read it.",
  })
  async levyAccount(@Root() employer: Employer, @Ctx() { viewer, loaders }: Context): Promise<LevyAccount | null> {
    const funder = isRole(viewer, 'FUNDER') && viewer.funderId ? await loaders.funder.load(viewer.funderId) : null;
    if (actingEmployerId(viewer) !== employer.id && funder?.kind !== 'HRD_CORP' && !isRole(viewer, 'ADMIN')) {
      throw new Forbidden("Only the employer's own staff, HRD Corp and administrators may read its levy account.");
    }
    return loaders.levyAccount.load(employer.id);
  }
}
