import { rules } from '@tauliah/core';
import { z } from 'zod';
import { consentExpiry } from '../consent/grant.ts';
import { MAX_MESSAGE_CHARACTERS } from '../contact/rules.ts';
import { EMPLOYER_REQUESTABLE_SCOPES } from '../policy.ts';
import { ConsentScope } from './consent.ts';
import { plainText } from './plain-text.ts';

const requestable = new Set<string>(EMPLOYER_REQUESTABLE_SCOPES);

export const requestContactSchema = z.object({
  learnerId: rules.uuid('learner id'),
  jobRoleId: rules.uuid('job role id'),
  message: plainText(MAX_MESSAGE_CHARACTERS, { multiline: true }),
  scopes: z
    .array(z.nativeEnum(ConsentScope))
    .min(1, 'must name at least one scope')
    .superRefine((scopes, ctx) => {
      for (const scope of new Set(scopes)) {
        if (!requestable.has(scope)) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: `may not include ${scope}: an employer may ask for ${EMPLOYER_REQUESTABLE_SCOPES.join(', ')} only` });
        }
      }
    })
    .transform((scopes) => [...new Set(scopes)].sort()),
});

export const contactRequestIdSchema = rules.uuid('contact request id');

/** The consent an accepted request grants lasts until this (grantConsent's rule). */
export const acceptExpirySchema = consentExpiry.nullish();
