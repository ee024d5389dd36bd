import { BadInput, Conflict, Forbidden, NotFound, actingProviderId, isRole, parseInput, requirePrincipal, rules } from '@tauliah/core';
import { createHash } from 'node:crypto';
import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { z } from 'zod';
import type { Context } from '../context.ts';
import { issueMany, type IssueItem, type ItemResult } from '../issuance/issue.ts';
import { changeStatus, renew, type StatusChange } from '../issuance/lifecycle.ts';
import { rotateIssuerKey } from '../signing/issuers.ts';
import { Credential, toCredential } from './credential.ts';
import { credentialIdSchema } from './credential.inputs.ts';
import { CohortIssuance, IssueCredentialInput } from './issuance.ts';
import { Provider } from './references.ts';

/** The largest cohort one call issues. */
export const MAX_COHORT = 10_000;

const idempotencyKeySchema = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const reasonSchema = rules.nonEmpty(1000);

/** The provider the caller issues for: staff of it or a partner system acting for it. */
function issuingProvider(context: Context): string {
  requirePrincipal(context.viewer);
  const providerId = actingProviderId(context.viewer);
  if (!providerId) throw new Forbidden('Only staff of a provider, or a partner system acting for one, issue credentials.');
  return providerId;
}

const requestHash = (items: IssueItem[]) =>
  createHash('sha256')
    .update(JSON.stringify(items.map((i) => [i.learnerId ?? null, i.courseId, i.issuedAt?.toISOString() ?? null, i.expiresAt?.toISOString() ?? null, i.studentNumber ?? null])))
    .digest('base64url');

const asItem = (input: IssueCredentialInput): IssueItem => ({
  learnerId: input.learnerId ?? null,
  studentNumber: input.studentNumber ?? null,
  courseId: input.courseId,
  issuedAt: input.issuedAt ?? null,
  expiresAt: input.expiresAt ?? null,
});

@Resolver(() => Credential)
export class IssuanceResolver {
  @Authorized('PROVIDER_STAFF', 'PARTNER')
  @Mutation(() => Credential, {
    description:
      "Issues one signed Open Badges 3.0 credential for a course of the caller's provider, snapshotting the course as it is now. " +
      'The learner is named by our id or by your student number; one they already hold for the course is a CONFLICT naming it (extensions.credentialId): renewCredential replaces a credential.',
  })
  async issueCredential(@Arg('input', () => IssueCredentialInput) input: IssueCredentialInput, @Ctx() context: Context): Promise<Credential> {
    const result = (await issueMany(context, issuingProvider(context), [asItem(input)]))[0]!;
    if (result.credentialId === null) throw codedError(result);
    return toCredential((await context.loaders.credential.load(result.credentialId))!);
  }

  @Authorized('PROVIDER_STAFF', 'PARTNER')
  @Mutation(() => CohortIssuance, {
    description: `Issues a cohort (up to ${MAX_COHORT}) in one call, each item issued or refused with a coded error; a bad item never blocks the others. A retry with the same idempotencyKey issues nothing again and returns the first results; the same key with a different list is a CONFLICT.`,
  })
  async issueCredentials(
    @Arg('input', () => [IssueCredentialInput]) input: IssueCredentialInput[],
    @Arg('idempotencyKey', () => String) rawKey: string,
    @Ctx() context: Context,
  ): Promise<CohortIssuance> {
    const providerId = issuingProvider(context);
    const key = parseInput(idempotencyKeySchema, rawKey, 'idempotencyKey');
    if (input.length === 0 || input.length > MAX_COHORT) {
      throw new BadInput(`input must list 1 to ${MAX_COHORT} credentials; got ${input.length}.`, { field: 'input' });
    }
    const items = input.map(asItem);
    const results = await issueMany(context, providerId, items, { key, requestHash: requestHash(items) });
    const credentials = await context.loaders.credential.loadMany(results.map((r) => r.credentialId).filter((id): id is string => id !== null));
    const byId = new Map(credentials.filter((c) => c && !(c instanceof Error)).map((c) => [(c as { id: string }).id, c as NonNullable<typeof c> & { id: string }]));
    return {
      idempotencyKey: key,
      issued: results.filter((r) => r.credentialId).length,
      failed: results.filter((r) => !r.credentialId).length,
      results: results.map((r, index) => {
        const row = r.credentialId ? byId.get(r.credentialId) : undefined;
        return {
          index,
          credential: row ? toCredential(row as never) : null,
          error: r.code ? { code: r.code, message: r.message, credentialId: (r.code === 'CONFLICT' && r.details?.credentialId) || null } : null,
        };
      }),
    };
  }

  @Authorized('PROVIDER_STAFF', 'PARTNER')
  @Mutation(() => Credential, { description: 'Withdraws a credential for good (issuing provider only); its status list says so at once.' })
  revokeCredential(@Arg('id', () => ID) id: string, @Arg('reason', () => String) reason: string, @Ctx() context: Context) {
    return this.change(context, id, 'revoke', parseInput(reasonSchema, reason, 'reason'));
  }

  @Authorized('PROVIDER_STAFF', 'PARTNER')
  @Mutation(() => Credential, { description: 'Suspends an active credential pending a decision (issuing provider only).' })
  suspendCredential(@Arg('id', () => ID) id: string, @Arg('reason', () => String) reason: string, @Ctx() context: Context) {
    return this.change(context, id, 'suspend', parseInput(reasonSchema, reason, 'reason'));
  }

  @Authorized('PROVIDER_STAFF', 'PARTNER')
  @Mutation(() => Credential, { description: 'Lifts a suspension (issuing provider only).' })
  reinstateCredential(@Arg('id', () => ID) id: string, @Ctx() context: Context) {
    return this.change(context, id, 'reinstate', null);
  }

  private async change(context: Context, id: string, change: StatusChange, reason: string | null): Promise<Credential> {
    const row = await changeStatus(context, parseInput(credentialIdSchema, id, 'id'), change, reason);
    return toCredential(row);
  }

  @Authorized('PROVIDER_STAFF', 'PARTNER')
  @Mutation(() => Credential, {
    description: 'Issues a new credential that replaces this one (renewalOf points back; the old one stops counting), valid from now until validUntil.',
  })
  async renewCredential(@Arg('id', () => ID) id: string, @Arg('validUntil', () => Date) validUntil: Date, @Ctx() context: Context): Promise<Credential> {
    return toCredential(await renew(context, parseInput(credentialIdSchema, id, 'id'), validUntil));
  }

  @Authorized('PROVIDER_STAFF', 'PARTNER', 'ADMIN')
  @Mutation(() => Provider, {
    description: "Replaces the issuer's signing key (ADMIN names the provider; others rotate their own). Credentials signed with earlier keys keep verifying.",
  })
  async rotateIssuerKey(@Arg('providerId', () => ID, { nullable: true }) rawProviderId: string | null, @Ctx() context: Context): Promise<Provider> {
    const providerId = isRole(context.viewer, 'ADMIN') ? parseInput(rules.uuid('provider id'), rawProviderId, 'providerId') : issuingProvider(context);
    if (!isRole(context.viewer, 'ADMIN') && rawProviderId && rawProviderId !== providerId) throw new Forbidden("Only your own provider's key can be rotated.");
    if (!(await rotateIssuerKey(context.db, context.config, providerId))) throw new Conflict('This provider has not issued a credential yet, so it has no key to rotate.');
    return { id: providerId };
  }
}

/** One refused credential as the error of the single-item mutation, with what it names in its extensions. */
function codedError(result: Extract<ItemResult, { credentialId: null }>) {
  const { message, details = {} } = result;
  switch (result.code) {
    case 'BAD_USER_INPUT':
      return new BadInput(message, { field: details.field ? `input.${details.field}` : 'input' });
    case 'FORBIDDEN':
      return new Forbidden(message);
    case 'NOT_FOUND':
      return new NotFound(details.entity ?? 'Learner', details.id ?? '');
    default:
      return new Conflict(message, details);
  }
}
