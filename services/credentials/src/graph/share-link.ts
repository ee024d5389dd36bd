import { Field, ID, ObjectType } from 'type-graphql';
import type { CredentialShareLinkRow } from '../db/schema.ts';

/** The longest a share link may live. */
export const MAX_SHARE_LINK_DAYS = 365;
/** The most live links one credential may have at a time. */
export const MAX_LIVE_SHARE_LINKS = 20;

@ObjectType({
  description:
    "A link a learner made to show one of their credentials (its page, badge and signed documents) to whoever they give it, without an account, until it expires or they revoke it. It shows the holder's name as they had it when they made the link.",
})
export class CredentialShareLink {
  @Field(() => ID)
  id!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The link to give out: only in the answer to createCredentialShareLink. Only a hash of its secret is kept, so it cannot be shown again.',
  })
  url!: string | null;

  @Field(() => Date)
  expiresAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the holder revoked it; null while not revoked.' })
  revokedAt!: Date | null;

  @Field(() => Boolean, { description: 'Whether it opens the credential now: neither expired nor revoked.' })
  active!: boolean;

  @Field(() => Date)
  createdAt!: Date;
}

export function toShareLink(row: CredentialShareLinkRow, url: string | null = null, now = new Date()): CredentialShareLink {
  return { id: row.id, url, expiresAt: row.expiresAt, revokedAt: row.revokedAt, active: row.revokedAt === null && row.expiresAt > now, createdAt: row.createdAt };
}
