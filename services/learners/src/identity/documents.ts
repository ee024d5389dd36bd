import { Citizenship, rules } from '@tauliah/core';
import countries from 'i18n-iso-countries';
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { hashNric } from './nric.ts';

/**
 * Who a learner is: their identity document and their date of birth,
 * together. Citizens and permanent residents are known by their MyKad or
 * MyPR number (the NRIC), everyone else by their passport: its number and
 * the state that issued it. Both numbers are kept only as keyed hashes.
 */

/**
 * The ages at which a learner may be registered or enrolled. The window is
 * narrower than a century on purpose: an NRIC begins with its holder's date
 * of birth as YYMMDD, and only inside such a window does YYMMDD name a single
 * date (the two readings of a year, 19YY and 20YY, are 100 years apart). So
 * whether an NRIC and a date of birth agree is decided from the input alone,
 * and refused identically whether or not anyone is registered.
 */
export const MIN_AGE = 13;
export const MAX_AGE = 99;

/** Whole years from a date of birth (YYYY-MM-DD) to `today`, both read in UTC. */
export function ageOn(dateOfBirth: string, today = new Date()): number {
  const [year, month, day] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const hadBirthday = today.getUTCMonth() + 1 > month || (today.getUTCMonth() + 1 === month && today.getUTCDate() >= day);
  return today.getUTCFullYear() - year - (hadBirthday ? 0 : 1);
}

const NRIC = /^(\d{6})-?(\d{2})-?(\d{4})$/;

/** The NRIC's twelve digits, without the dashes. */
export const nricDigits = (nric: string): string => nric.replace(/-/g, '');

/**
 * Nationality as printed in the passport: the issuing state's ISO 3166-1
 * alpha-3 code (ICAO 9303 prints it on the data page and in the machine-readable
 * zone, so a partner copies it from the document as it is).
 */
const ALPHA3 = new Set(Object.keys(countries.getAlpha3Codes()));
const MALAYSIA = 'MYS';

export const nationalitySchema = z
  .string()
  .trim()
  .toUpperCase()
  .refine((code) => ALPHA3.has(code), 'must be an ISO 3166-1 alpha-3 country code as printed in the passport, such as IDN, PHL or GBR')
  .refine((code) => code !== MALAYSIA, "is Malaysia: a Malaysian passport holder is a citizen, known by their NRIC (give citizenship MALAYSIAN and nric)");

/** The passport number as printed: letters and digits, compared in upper case without spaces. */
export const passportNumberSchema = z
  .string()
  .transform((value) => value.replace(/\s+/g, '').toUpperCase())
  .refine((value) => /^[A-Z0-9]{5,20}$/.test(value), 'must be the passport number as printed: 5 to 20 letters and digits');

export const dateOfBirthSchema = rules.isoDate.refine((d) => {
  const age = ageOn(d);
  return age >= MIN_AGE && age <= MAX_AGE;
}, `must give an age between ${MIN_AGE} and ${MAX_AGE}`);

/** The fields of a person's identity, as every registration and enrolment input carries them. */
export const identityFields = {
  dateOfBirth: dateOfBirthSchema,
  citizenship: z.nativeEnum(Citizenship, { errorMap: () => ({ message: `must be one of ${Object.values(Citizenship).join(', ')}` }) }),
  nric: z.string().trim().regex(NRIC, 'must be a MyKad number such as 060314-10-5522').nullish(),
  passportNumber: passportNumberSchema.nullish(),
  nationality: nationalitySchema.nullish(),
};

interface IdentityInput {
  dateOfBirth: string;
  citizenship: Citizenship;
  nric?: string | null;
  passportNumber?: string | null;
  nationality?: string | null;
}

/**
 * Which document each citizenship needs, and that an NRIC's first six digits
 * are the date of birth given: checked on the input alone, before anything
 * is looked up, so these answers never depend on who is registered.
 */
export function checkIdentity(input: IdentityInput, ctx: z.RefinementCtx): void {
  const issue = (path: keyof IdentityInput, message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
  if (input.citizenship === Citizenship.NON_CITIZEN) {
    if (input.nric) issue('nric', "is for Malaysian citizens and permanent residents: identify a non-citizen by passportNumber and nationality");
    if (!input.passportNumber) issue('passportNumber', 'is required for non-citizens, with nationality');
    if (!input.nationality) issue('nationality', 'is required for non-citizens, with passportNumber');
    return;
  }
  if (input.passportNumber || input.nationality) {
    issue(input.passportNumber ? 'passportNumber' : 'nationality', 'is for non-citizens: identify Malaysian citizens and permanent residents by their nric');
  }
  if (!input.nric) {
    issue('nric', 'is required for Malaysian citizens and permanent residents');
    return;
  }
  const birth = NRIC.exec(input.nric)?.[1];
  if (birth && birth !== input.dateOfBirth.slice(2).replaceAll('-', '')) {
    issue('nric', 'does not match dateOfBirth (its first six digits are the date of birth, YYMMDD)');
  }
}

/** A person's identity document as stored: keyed hashes, and the last four NRIC digits for the masked form. */
export interface IdentityDocument {
  nricHash: string | null;
  nricLast4: string | null;
  passportHash: string | null;
  nationality: string | null;
}

/** The stored form of a checked input's identity document, under the learners' PII_HASH_KEY. */
export function identityDocument(input: IdentityInput, key: string): IdentityDocument {
  if (input.nric) {
    const digits = nricDigits(input.nric);
    return { nricHash: hashNric(digits, key), nricLast4: digits.slice(-4), passportHash: null, nationality: null };
  }
  return { nricHash: null, nricLast4: null, passportHash: hashPassport(input.nationality!, input.passportNumber!, key), nationality: input.nationality! };
}

/**
 * A passport as stored: an HMAC of the issuing state and the number under
 * the same key as the NRIC. The separator keeps it apart from any NRIC's
 * hash, and the state apart from another state's passport with that number.
 */
export function hashPassport(nationality: string, number: string, key: string): string {
  return createHmac('sha256', key).update(`passport\0${nationality}\0${number}`).digest('hex');
}
