import { z } from 'zod';

/** C0 and C1 control characters, but tab, line feed and carriage return. */
const CONTROL = /[^\P{Cc}\t\n\r]/u;
/** Bidirectional overrides and isolates: they make text read differently from what is stored (Trojan Source). */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;
/** Something a browser would take for a tag. */
const MARKUP = /<[A-Za-z!/?][^>]*>/u;

/**
 * Text a person writes for another to read (a talent headline, a contact
 * request's message), checked at the edge: NFC, trimmed, line endings as \n,
 * no control or bidirectional formatting characters, no markup, and at most
 * `max` characters as PostgreSQL counts them (code points), so the database's
 * own length check always agrees. Whoever shows it still escapes it.
 */
export function plainText(max: number, { multiline }: { multiline: boolean }) {
  return z
    .string()
    .transform((value) => value.normalize('NFC').replace(/\r\n?/gu, '\n').trim())
    .superRefine((value, ctx) => {
      const problem = (message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, message });
      const length = [...value].length;
      if (length === 0) problem('must not be empty');
      if (length > max) problem(`must be at most ${max} characters; got ${length}`);
      if (!multiline && /[\n\t]/u.test(value)) problem('must be one line');
      if (CONTROL.test(value) || BIDI_CONTROL.test(value)) problem('must not contain control or text-direction characters');
      if (MARKUP.test(value)) problem('must be plain text, without markup');
    });
}
