import { Conflict, NotFound, parseInput, requirePrincipal, rules } from '@tauliah/core';
import { and, count, eq, gt, isNull, sql } from 'drizzle-orm';
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { z } from 'zod';
import type { Context } from '../context.ts';
import { credentialShareLink } from '../db/schema.ts';
import { hashShareToken, newShareToken } from '../pages/share-links.ts';
import { isHolder } from '../policy.ts';
import { credentialUrl } from '../signing/documents.ts';
import { publicBaseOf } from '../signing/issuers.ts';
import { Credential } from './credential.ts';
import { holderNameToPublish } from './holder-name.ts';
import { credentialIdSchema } from './credential.inputs.ts';
import { CredentialShareLink, MAX_LIVE_SHARE_LINKS, MAX_SHARE_LINK_DAYS, toShareLink } from './share-link.ts';

const expirySchema = z
  .date()
  .refine((d) => d.getTime() > Date.now(), 'must be in the future')
  .refine((d) => d.getTime() <= Date.now() + MAX_SHARE_LINK_DAYS * 86_400_000, `must be at most ${MAX_SHARE_LINK_DAYS} days ahead`);
const shareLinkIdSchema = rules.uuid('share link id');

@Resolver(() => Credential)
export class CredentialShareLinkResolver {
  @FieldResolver(() => [CredentialShareLink], {
    nullable: true,
    description: 'The share links its holder made, newest first (expired and revoked ones included): only the holder sees them; null for anyone else.',
  })
  async shareLinks(@Root() { id }: Credential, @Ctx() { viewer, loaders }: Context): Promise<CredentialShareLink[] | null> {
    const row = await loaders.credential.load(id);
    if (!row || !isHolder(viewer, row)) return null;
    return (await loaders.shareLinksOfCredential.load(id)).map((link) => toShareLink(link));
  }

  @Authorized('LEARNER')
  @Mutation(() => CredentialShareLink, {
    description: `The holder makes a link that opens one of their credentials' page (with their name), badge and signed documents for whoever they give it, whatever its visibility, until expiresAt (at most ${MAX_SHARE_LINK_DAYS} days ahead) or until revoked. The url is in this answer only.`,
  })
  async createCredentialShareLink(
    @Arg('credentialId', () => ID) credentialId: string,
    @Arg('expiresAt', () => Date) expiresAt: Date,
    @Ctx() context: Context,
  ): Promise<CredentialShareLink> {
    const { viewer, loaders, db, config } = context;
    const row = await loaders.credential.load(parseInput(credentialIdSchema, credentialId, 'credentialId'));
    // Not the holder's: not found, whoever asks (no hint that it exists).
    if (!row || !isHolder(viewer, row)) throw new NotFound('Credential', credentialId);
    const expiry = parseInput(expirySchema, expiresAt, 'expiresAt');
    // The holder's name, read as the holder (they are the viewer): shown on the page through this link only.
    const holderName = await holderNameToPublish(context, row.holderId);
    const token = newShareToken();
    const link = await db.transaction(async (tx) => {
      const [live] = await tx
        .select({ n: count() })
        .from(credentialShareLink)
        .where(and(eq(credentialShareLink.credentialId, row.id), isNull(credentialShareLink.revokedAt), gt(credentialShareLink.expiresAt, sql`now()`)));
      if ((live?.n ?? 0) >= MAX_LIVE_SHARE_LINKS) throw new Conflict(`A credential may have at most ${MAX_LIVE_SHARE_LINKS} live share links; revoke one first.`);
      const [created] = await tx
        .insert(credentialShareLink)
        .values({ credentialId: row.id, holderId: row.holderId, tokenHash: hashShareToken(token), holderName, expiresAt: expiry })
        .returning();
      return created!;
    });
    const issuer = await loaders.issuer.load(row.issuerId);
    const url = `${credentialUrl(issuer?.baseUrl ?? publicBaseOf(config), row.id)}?share=${token}`;
    return toShareLink(link, url);
  }

  @Authorized('LEARNER')
  @Mutation(() => CredentialShareLink, { description: 'The holder revokes a share link: it opens nothing from now on, and the name stored with it is erased.' })
  async revokeCredentialShareLink(@Arg('id', () => ID) id: string, @Ctx() { viewer, db }: Context): Promise<CredentialShareLink> {
    const linkId = parseInput(shareLinkIdSchema, id, 'id');
    const [revoked] = await db
      .update(credentialShareLink)
      .set({ revokedAt: sql`coalesce(${credentialShareLink.revokedAt}, now())`, holderName: null })
      .where(and(eq(credentialShareLink.id, linkId), eq(credentialShareLink.holderId, requirePrincipal(viewer).subject)))
      .returning();
    if (!revoked) throw new NotFound('Credential share link', id);
    return toShareLink(revoked);
  }
}
