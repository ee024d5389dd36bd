import { Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import { Provider } from './references.ts';

@Resolver(() => Provider)
export class ProviderIssuerResolver {
  @FieldResolver(() => String, { nullable: true, description: "The provider's issuer DID (did:web) in its signed credentials; null until it first issues." })
  async did(@Root() { id }: Provider, @Ctx() { loaders }: Context): Promise<string | null> {
    return (await loaders.issuer.load(id))?.did ?? null;
  }

  @FieldResolver(() => Int, { description: 'Credentials it has issued that still count: a renewal replaces, it does not add.' })
  async issuedCount(@Root() { id }: Provider, @Ctx() { loaders }: Context): Promise<number> {
    return loaders.issuedCount.load(id);
  }
}
