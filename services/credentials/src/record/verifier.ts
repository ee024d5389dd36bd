import type { Database } from '@tauliah/core';
import { verifyCredentialDocument, type VerificationResult, type VerifyOptions } from '@tauliah/credentials-vc';
import type { CredentialsConfig } from '../config.ts';
import type { tables } from '../db/schema.ts';
import { verifierFor } from '../signing/verifier.ts';
import { PLATFORM_NAME, platformSigner } from './platform.ts';

type Db = Database<typeof tables>;

/** Each answer asked for once per verification: a learner record names the same few issuers, keys and lists again and again. */
function once<R>(ask: (key: string) => Promise<R>): (key: string) => Promise<R> {
  const asked = new Map<string, Promise<R>>();
  return (key) => {
    let answer = asked.get(key);
    if (!answer) asked.set(key, (answer = ask(key)));
    return answer;
  };
}

/**
 * Our verifier (signing/verifier.ts) with the platform known beside the
 * providers: its did:web resolved from configuration, and in good standing.
 * Issuers, keys and status lists are looked up once per verification, so
 * verifying a learner record costs SQL statements per issuer, not per
 * credential it holds.
 */
export async function platformAwareVerifier(db: Db, config: CredentialsConfig): Promise<VerifyOptions> {
  const base = verifierFor(db, config);
  const platform = await platformSigner(config);
  return {
    ...base,
    resolveController: once(async (id) => (id === platform.did ? platform.document : base.resolveController(id))),
    issuerStanding: once(async (id) => (id === platform.did ? { known: true, inGoodStanding: true, name: PLATFORM_NAME, platform: true } : base.issuerStanding(id))),
    loadStatusList: once((url) => base.loadStatusList(url)),
    keyCompromisedFrom: once(async (methodId) => (await base.keyCompromisedFrom?.(methodId)) ?? null),
  };
}

/** Verifies a credential or a learner record as a third party would, our issuers and the platform resolved offline. */
export async function verifyAnyDocument(db: Db, config: CredentialsConfig, document: unknown): Promise<VerificationResult> {
  return verifyCredentialDocument(document, await platformAwareVerifier(db, config));
}
