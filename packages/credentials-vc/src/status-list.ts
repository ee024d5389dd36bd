import { gunzipSync, gzipSync } from 'node:zlib';
import { VC_V2_CONTEXT } from './contexts.ts';
import { isoSeconds } from './open-badge.ts';

/** Entries per list: the Bitstring Status List minimum (131,072), so one credential's index says nothing about the others. */
export const STATUS_LIST_ENTRIES = 131_072;

/** A credential's status as our own verifier tells it apart. */
export enum StatusValue {
  VALID = 0,
  SUSPENDED = 1,
  REVOKED = 2,
}

/**
 * The purposes of the lists we publish. `revocation` (every credential issued
 * now): 1 bit, set while the credential is revoked or suspended, so any
 * Bitstring Status List verifier reads it as not valid; its companion
 * `suspension` list (at `<list URL>/suspension`) tells our verifier which of
 * those are only suspended. `message`: the 2-bit lists (0 valid, 1 suspended,
 * 2 revoked) of credentials issued before, still served as they were.
 */
export type StatusListPurpose = 'revocation' | 'suspension' | 'message';
export const SUSPENSION_LIST_SUFFIX = '/suspension';

/** A list of `size`-bit entries (1, or 2 for the old `message` lists), index 0 in the most significant bits of the first byte (the spec's bit order). */
export class StatusBitstring {
  readonly bytes: Uint8Array;

  constructor(
    bytes?: Uint8Array,
    readonly size: 1 | 2 = 2,
  ) {
    this.bytes = bytes ?? new Uint8Array((STATUS_LIST_ENTRIES * size) / 8);
  }

  get entries(): number {
    return (this.bytes.length * 8) / this.size;
  }

  get(index: number): number {
    this.check(index);
    const shift = 8 - this.size - ((index * this.size) % 8);
    return (this.bytes[(index * this.size) >> 3]! >> shift) & this.mask;
  }

  set(index: number, value: number): void {
    this.check(index);
    const shift = 8 - this.size - ((index * this.size) % 8);
    const at = (index * this.size) >> 3;
    this.bytes[at] = (this.bytes[at]! & ~(this.mask << shift)) | ((value & this.mask) << shift);
  }

  /** GZIP, then multibase base64url without padding ("u" prefix), as `encodedList` requires. */
  encode(): string {
    return `u${gzipSync(this.bytes).toString('base64url')}`;
  }

  static decode(encodedList: string, size: 1 | 2 = 2): StatusBitstring {
    if (!encodedList.startsWith('u')) throw new Error('encodedList must be multibase base64url (prefix "u").');
    return new StatusBitstring(new Uint8Array(gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'))), size);
  }

  private get mask() {
    return (1 << this.size) - 1;
  }

  private check(index: number) {
    if (!Number.isInteger(index) || index < 0 || index >= this.entries) throw new RangeError(`status index ${index} is outside the list`);
  }
}

/** The (unsigned) BitstringStatusListCredential a verifier fetches from `listUrl`. */
export function buildStatusListCredential(input: { listUrl: string; issuer: string; validFrom: Date; bitstring: StatusBitstring; purpose?: StatusListPurpose }) {
  return {
    '@context': [VC_V2_CONTEXT],
    id: input.listUrl,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: input.issuer,
    validFrom: isoSeconds(input.validFrom),
    credentialSubject: {
      id: `${input.listUrl}#list`,
      type: 'BitstringStatusList',
      statusPurpose: input.purpose ?? 'message',
      encodedList: input.bitstring.encode(),
    },
  };
}
