import { BadInput, NotFound, parseInput } from '@tauliah/core';
import { documentLimitProblem, MAX_RECORD_CREDENTIALS, type VerificationResult } from '@tauliah/credentials-vc';
import { GraphQLJSON } from 'graphql-scalars';
import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.ts';
import { maySeeCredential } from '../policy.ts';
import { platformAwareVerifier } from '../record/verifier.ts';
import { verifyRemembering } from '../signing/verifier.ts';
import { Credential } from './credential.ts';
import { credentialIdSchema } from './credential.inputs.ts';
import { CredentialFormat, CredentialVerification, VerificationCheckName } from './verification.ts';

/** As a third party verifies it, our issuers and the platform resolved offline; each proof checked once per document (signing/proof-cache.ts). */
const verify = async ({ db, config }: Pick<Context, 'db' | 'config'>, document: unknown): Promise<VerificationResult> =>
  verifyRemembering(document, await platformAwareVerifier(db, config));

const toVerification = (result: VerificationResult): CredentialVerification => ({
  verified: result.verified,
  format: result.format as CredentialFormat | null,
  checks: [
    ...result.checks.map((c) => ({ check: c.check as VerificationCheckName, passed: c.passed, message: c.message })),
    // A learner record's own checks, then what it holds.
    ...(result.held ? [{ check: VerificationCheckName.CREDENTIALS, passed: result.held.passed, message: result.held.message }] : []),
  ],
  documentId: typeof result.credential?.id === 'string' ? result.credential.id : null,
  credentials: (result.held?.results ?? []).map(toVerification),
});

@Resolver(() => Credential)
export class VerificationResolver {
  @FieldResolver(() => GraphQLJSON, {
    nullable: true,
    description: 'The signed Open Badges 3.0 document: a JSON-LD object (DATA_INTEGRITY) or a compact JWT string (VC_JWT). Null for a record issued before signing existed.',
  })
  async document(
    @Root() { id }: Credential,
    @Arg('format', () => CredentialFormat, { defaultValue: CredentialFormat.DATA_INTEGRITY }) format: CredentialFormat,
    @Ctx() { loaders }: Context,
  ): Promise<object | string | null> {
    return loaders.signedDocument[format].load(id);
  }

  @Query(() => CredentialVerification, {
    description: 'Verifies a stored credential you may see (anyone, for a public one) exactly as a third party would verify its signed document.',
  })
  async verifyCredential(
    @Arg('id', () => ID) id: string,
    @Arg('format', () => CredentialFormat, { defaultValue: CredentialFormat.DATA_INTEGRITY }) format: CredentialFormat,
    @Ctx() context: Context,
  ): Promise<CredentialVerification> {
    const row = await context.loaders.credential.load(parseInput(credentialIdSchema, id, 'id'));
    if (!row || !maySeeCredential(context.viewer, row)) throw new NotFound('Credential', id);
    const document = await context.loaders.signedDocument[format].load(row.id);
    if (!document) throw new NotFound('Credential document', id);
    return toVerification(await verify(context, document));
  }

  @Query(() => CredentialVerification, {
    description:
      'Verifies a credential document handed to you (a JSON-LD object with a Data Integrity proof, or a VC-JWT string); no account needed. ' +
      'A learner record (a CLR 2.0 ClrCredential, as `learnerRecord` exports) is verified too, with each credential it holds (the CREDENTIALS check). ' +
      'A document over the size limit (VERIFY_DOCUMENT_MAX_BYTES, 64 KiB by default; for a learner record VERIFY_RECORD_MAX_BYTES, 1 MiB, ' +
      `and at most ${MAX_RECORD_CREDENTIALS} credentials) or with more than one proof is refused with BAD_USER_INPUT.`,
  })
  async verifyCredentialDocument(@Arg('document', () => GraphQLJSON) document: unknown, @Ctx() { db, config }: Context): Promise<CredentialVerification> {
    // Before any cryptography: a public endpoint must not be made to canonicalise megabytes or check a pile of proofs.
    const problem = documentLimitProblem(document, config.VERIFY_DOCUMENT_MAX_BYTES, config.VERIFY_RECORD_MAX_BYTES);
    if (problem) throw new BadInput(problem, { field: 'document' });
    return toVerification(await verify({ db, config }, document));
  }
}
