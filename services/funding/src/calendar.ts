import { todayInMalaysia } from '@tauliah/core';
import { z } from 'zod';

/** The levy month in Malaysia now, as YYYY-MM. */
export const currentMonthInMalaysia = (now = new Date()): string => todayInMalaysia(now).slice(0, 7);

/** The month `count` months before a YYYY-MM month (a negative count goes forward). */
export function monthsBefore(month: string, count: number): string {
  const [year, monthOfYear] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (monthOfYear - 1) - count;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** A month as the database keeps it: the date of its first day. */
export const firstDayOf = (month: string): string => `${month}-01`;

/** A month from the date the database keeps for it. */
export const monthOfDate = (date: string): string => date.slice(0, 7);

/**
 * HRD Corp (then the Human Resource Development Fund) has collected the levy
 * since 1993: a month before that is a typing mistake, not a payment.
 */
export const FIRST_LEVY_MONTH = '1993-01';

/** YYYY-MM, a real month of the year. */
export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** A levy month as partners send it: YYYY-MM, from the first levy month to the current month in Malaysia (not ahead). */
export const levyMonth = (now = () => new Date()) =>
  z
    .string()
    .trim()
    .regex(MONTH, 'must be a month as YYYY-MM, e.g. 2026-03')
    .superRefine((month, ctx) => {
      // Only a well-formed month is compared; a malformed one has its problem already.
      if (!MONTH.test(month)) return;
      const current = currentMonthInMalaysia(now());
      if (month > current) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must not be after the current month (${current}): levy is recorded once paid` });
      if (month < FIRST_LEVY_MONTH) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must not be before ${FIRST_LEVY_MONTH}, when the levy began` });
    });
