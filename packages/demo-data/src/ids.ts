import { createHash } from 'node:crypto';

/**
 * Deterministic UUIDs for the demo data set: the same name always gives the
 * same id, so tokens, README examples and tests can name demo records.
 */
export function demoId(name: string): string {
  const hex = createHash('sha256').update(`tauliah-demo:${name}`).digest('hex');
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}
