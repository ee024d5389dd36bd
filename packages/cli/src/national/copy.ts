import { once } from 'node:events';
import type { Sql } from 'postgres';

/** Escapes one value for PostgreSQL's COPY text format; null is \N. */
export function copyValue(value: string | number | boolean | null): string {
  if (value === null) return '\\N';
  if (typeof value !== 'string') return String(value);
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** A PostgreSQL text array literal, for COPY. */
export function copyArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

export interface CopyProgress {
  (table: string, rows: number, total: number, rowsPerSecond: number): void;
}

/**
 * Streams rows into a table with COPY ... FROM STDIN in ~1 MB writes,
 * honouring back-pressure; reports progress about every quarter of `total`
 * and once at the end.
 */
export async function copyRows(
  sql: Pick<Sql, 'unsafe'>,
  table: string,
  columns: readonly string[],
  rows: Iterable<ReadonlyArray<string | number | boolean | null>>,
  total: number,
  progress: CopyProgress,
): Promise<number> {
  const stream = await sql.unsafe(`copy ${table} (${columns.map((c) => `"${c}"`).join(', ')}) from stdin`).writable();
  const finished = once(stream, 'finish');
  const began = performance.now();
  const step = Math.max(1, Math.floor(total / 4));
  let buffer = '';
  let count = 0;
  for (const row of rows) {
    buffer += `${row.map(copyValue).join('\t')}\n`;
    count += 1;
    if (buffer.length >= 1_000_000) {
      if (!stream.write(buffer)) await once(stream, 'drain');
      buffer = '';
    }
    if (count % step === 0) progress(table, count, total, count / ((performance.now() - began) / 1000));
  }
  if (buffer) stream.write(buffer);
  stream.end();
  await finished;
  progress(table, count, total, count / ((performance.now() - began) / 1000));
  return count;
}
