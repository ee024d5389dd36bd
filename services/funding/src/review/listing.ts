import { BadInput, decodeCursor, parseInput, rules } from '@tauliah/core';
import { and, eq, gt, inArray, or, type AnyColumn, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Context } from '../context.ts';
import { ownFunderId } from '../policy.ts';

/** A queue page is ordered oldest first by (submittedAt, id); the cursor is that pair. */
export function afterCursor(after: string | null | undefined, submittedAt: AnyColumn, id: AnyColumn): SQL | undefined {
  const key = decodeCursor(after, ['string', 'string']);
  if (!key) return undefined;
  const [at, lastId] = key as [string, string];
  const when = new Date(at);
  if (Number.isNaN(when.getTime()) || !z.string().uuid().safeParse(lastId).success) {
    throw new BadInput('after is not a cursor from this list: pass the endCursor of the previous page.', { field: 'after' });
  }
  return or(gt(submittedAt, when), and(eq(submittedAt, when), gt(id, lastId)));
}

export const cursorOf = (row: { submittedAt: Date; id: string }) => [row.submittedAt.toISOString(), row.id];

const optionalUuid = (what: string) => rules.uuid(what).nullish();

/** Validates the ids of a queue filter (malformed UUIDs never reach a uuid column). */
export function parseFilterIds<T extends object>(filter: T | null | undefined, idFields: ReadonlyArray<keyof T & string>): Partial<T> {
  const shape = Object.fromEntries(idFields.map((f) => [f, optionalUuid(f)]));
  parseInput(z.object(shape).passthrough(), filter ?? {}, 'filter');
  return filter ?? {};
}

/** Funder staff work on their own funder's schemes' records (a funder token naming no funder has none). */
export async function ownFunderSchemes({ viewer, loaders }: Context, schemeId: AnyColumn): Promise<SQL> {
  const funderId = ownFunderId(viewer);
  const schemeIds = funderId ? (await loaders.schemesOfFunder.load(funderId)).map((s) => s.id) : [];
  // drizzle turns an empty list into `false`: nothing matches.
  return inArray(schemeId, schemeIds);
}
