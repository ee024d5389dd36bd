import { BadInput, Forbidden, NotFound, isRole, parseInput } from '@tauliah/core';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { z } from 'zod';
import type { Context } from '../context.ts';
import { issuerKeyById, reportKeyCompromise } from '../signing/issuers.ts';
import { Provider } from './references.ts';

const keyIdSchema = z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters');

@Resolver(() => Provider)
export class ProviderIssuerResolver {
  @FieldResolver(() => String, { nullable: true, description: "The provider's issuer DID (did:web) in its signed credentials; null until it first issues." })
  async did(@Root() { id }: Provider, @Ctx() { loaders }: Context): Promise<string | null> {
    return (await loaders.issuer.load(id))?.did ?? null;
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: 'Credentials it has issued that still count: a renewal replaces, it does not add. Null, with SUBGRAPH_UNAVAILABLE, while the credentials service cannot answer.',
  })
  async issuedCount(@Root() { id }: Provider, @Ctx() { loaders }: Context): Promise<number> {
    return loaders.issuedCount.load(id);
  }

  @Authorized('PROVIDER_STAFF', 'ADMIN')
  @Mutation(() => Provider, {
    description:
      "Reports an issuer key (its verification method id, as in the DID document) as leaked from `compromisedFrom` (now when omitted; never later than now). " +
      'The key leaves the DID document at once; a new key signs from now on if it was the signing key; credentials it signed fail verification (check KEY_STANDING) ' +
      "unless the issuer's record shows exactly that credential issued before `compromisedFrom`; those issued from then on are signed again with the new key. " +
      "For the staff of the key's provider, or an administrator. A partner system cannot report one.",
  })
  async reportIssuerKeyCompromise(
    @Arg('keyId', () => ID) rawKeyId: string,
    @Arg('compromisedFrom', () => Date, { nullable: true }) compromisedFrom: Date | null,
    @Ctx() context: Context,
  ): Promise<Provider> {
    const keyId = parseInput(keyIdSchema, rawKeyId, 'keyId');
    const now = new Date();
    const from = compromisedFrom ?? now;
    if (Number.isNaN(from.getTime())) throw new BadInput('compromisedFrom must be a date-time.', { field: 'compromisedFrom' });
    if (from > now) throw new BadInput('compromisedFrom cannot be in the future: report a key once it has leaked.', { field: 'compromisedFrom' });
    const key = await issuerKeyById(context.db, keyId);
    if (!key) throw new NotFound('Issuer key', keyId);
    // Key ids are public (every DID document lists them): saying it is another provider's reveals nothing.
    const staffOf = isRole(context.viewer, 'PROVIDER_STAFF') ? context.viewer.providerId : undefined;
    if (!isRole(context.viewer, 'ADMIN') && staffOf !== key.providerId) {
      throw new Forbidden("Only the staff of the key's provider, or an administrator, may report it compromised.");
    }
    await reportKeyCompromise(context.db, context.config, key, from);
    return { id: key.providerId };
  }
}
