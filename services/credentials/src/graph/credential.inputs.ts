import { rules } from '@tauliah/core';
import { z } from 'zod';
import { CredentialStatus } from './credential.ts';

/** A partner system pulls up to this many credentials in one query. */
export const MAX_CREDENTIALS_PER_QUERY = 1000;

export const credentialIdSchema = rules.uuid('credential id');

export const credentialIdsSchema = z
  .array(credentialIdSchema)
  .max(MAX_CREDENTIALS_PER_QUERY, `may name at most ${MAX_CREDENTIALS_PER_QUERY} credentials`);

/** Omit the filter for every status; an empty list would select nothing, which is never what a caller meant. */
export const statusFilterSchema = z
  .array(z.nativeEnum(CredentialStatus))
  .min(1, 'must name at least one status, or be omitted for all')
  .nullish();
