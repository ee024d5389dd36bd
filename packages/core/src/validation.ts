import { z } from 'zod';
import { BadInput } from './errors.ts';

/**
 * Validates a GraphQL input at the edge with zod and reports every problem at
 * once, each with the field it concerns, as one BAD_USER_INPUT error.
 */
export function parseInput<S extends z.ZodTypeAny>(schema: S, input: unknown, name = 'input'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data as z.infer<S>;
  const problems = result.error.issues.map((issue) => ({
    field: [name, ...issue.path].join('.'),
    message: issue.message,
  }));
  throw new BadInput(`Invalid ${name}: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}.`, { problems });
}

/** The thirteen states and three federal territories. */
export const MALAYSIAN_STATES = [
  'Johor', 'Kedah', 'Kelantan', 'Melaka', 'Negeri Sembilan', 'Pahang', 'Perak', 'Perlis', 'Pulau Pinang',
  'Sabah', 'Sarawak', 'Selangor', 'Terengganu', 'Kuala Lumpur', 'Labuan', 'Putrajaya',
] as const;

/** Reusable rules for inputs across services. */
export const rules = {
  uuid: (what = 'id') => z.string().uuid(`must be a ${what} (a UUID)`),
  isoDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
    .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'is not a calendar date'),
  email: z.string().trim().toLowerCase().email('must be an email address').max(254),
  /** Malaysian numbers in international form, e.g. +60123456789. */
  phone: z.string().trim().regex(/^\+60\d{8,10}$/, 'must be a Malaysian number in international form, e.g. +60123456789'),
  malaysianState: z.enum(MALAYSIAN_STATES, { errorMap: () => ({ message: `must be one of ${MALAYSIAN_STATES.join(', ')}` }) }),
  sen: z.number().int('must be a whole number of sen').min(0, 'must not be negative'),
  nonEmpty: (max = 500) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`),
};
