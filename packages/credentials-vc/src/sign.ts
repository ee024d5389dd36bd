/// <reference path="./digitalbazaar.d.ts" />
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { CompactSign } from 'jose';
import { createDocumentLoader } from './document-loader.ts';
import type { IssuerKey } from './keys.ts';

const contextsOnly = createDocumentLoader();

/** Secures a credential with a Data Integrity proof (eddsa-rdfc-2022); `proof` is an array, as the OB 3.0 schema wants. */
export async function signDataIntegrity<T extends object>(credential: T, key: IssuerKey, date = new Date()): Promise<T & { proof: object[] }> {
  const suite = new DataIntegrityProof({ signer: key.multikey.signer(), cryptosuite, date });
  const signed = await vc.issue({ credential: structuredClone(credential), suite, documentLoader: contextsOnly });
  const { proof, ...rest } = signed;
  return { ...(rest as T), proof: Array.isArray(proof) ? (proof as object[]) : [proof as object] };
}

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/**
 * Compact VC-JWT as OB 3.0 defines it: header `alg: EdDSA`, `kid`, `typ: JWT`;
 * the payload is the credential itself (no `vc` claim) plus the registered claims
 * that mirror it (iss, jti, sub, nbf, exp).
 */
export async function signJwt(credential: { id: string; validFrom: string; validUntil?: string; credentialSubject?: unknown }, key: IssuerKey): Promise<string> {
  const subject = (credential.credentialSubject as { id?: string } | undefined)?.id;
  const payload = {
    ...credential,
    iss: key.controller,
    jti: credential.id,
    ...(subject ? { sub: subject } : {}),
    nbf: seconds(credential.validFrom),
    ...(credential.validUntil ? { exp: seconds(credential.validUntil) } : {}),
  };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'EdDSA', kid: key.id, typ: 'JWT' })
    .sign(key.privateKey);
}

/** The registered claims signJwt adds, which are not part of the credential. */
export const JWT_CLAIMS = ['iss', 'jti', 'sub', 'nbf', 'exp', 'iat', 'aud'] as const;
