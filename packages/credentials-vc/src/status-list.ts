import { gunzipSync, gzipSync } from 'node:zlib';
import { VC_V2_CONTEXT } from './contexts.ts';
import { isoSeconds, STATUS_SIZE } from './open-badge.ts';

/** Entries per list: the Bitstring Status List minimum (131,072), so one credential's index says nothing about the others. */
export const STATUS_LIST_ENTRIES = 131_072;

export enum StatusValue {
  VALID = 0,
  SUSPENDED = 1,
  REVOKED = 2,
}

/** A list of 2-bit entries, index 0 in the most significant bits of the first byte (as the spec orders bits). */
export class StatusBitstring {
  constructor(readonly bytes: Uint8Array = new Uint8Array((STATUS_LIST_ENTRIES * STATUS_SIZE) / 8)) {}

  get entries(): number {
    return (this.bytes.length * 8) / STATUS_SIZE;
  }

  get(index: number): StatusValue {
    this.check(index);
    const shift = 8 - STATUS_SIZE - ((index * STATUS_SIZE) % 8);
    return (this.bytes[(index * STATUS_SIZE) >> 3]! >> shift) & 0b11;
  }

  set(index: number, value: StatusValue): void {
    this.check(index);
    const shift = 8 - STATUS_SIZE - ((index * STATUS_SIZE) % 8);
    const at = (index * STATUS_SIZE) >> 3;
    this.bytes[at] = (this.bytes[at]! & ~(0b11 << shift)) | (value << shift);
  }

  /** GZIP, then multibase base64url without padding ("u" prefix), as `encodedList` requires. */
  encode(): string {
    return `u${gzipSync(this.bytes).toString('base64url')}`;
  }

  static decode(encodedList: string): StatusBitstring {
    if (!encodedList.startsWith('u')) throw new Error('encodedList must be multibase base64url (prefix "u").');
    return new StatusBitstring(new Uint8Array(gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'))));
  }

  private check(index: number) {
    if (!Number.isInteger(index) || index < 0 || index >= this.entries) throw new RangeError(`status index ${index} is outside the list`);
  }
}

/** The (unsigned) BitstringStatusListCredential a verifier fetches from `listUrl`. */
export function buildStatusListCredential(input: { listUrl: string; issuer: string; validFrom: Date; bitstring: StatusBitstring }) {
  return {
    '@context': [VC_V2_CONTEXT],
    id: input.listUrl,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: input.issuer,
    validFrom: isoSeconds(input.validFrom),
    credentialSubject: {
      id: `${input.listUrl}#list`,
      type: 'BitstringStatusList',
      statusPurpose: 'message',
      encodedList: input.bitstring.encode(),
    },
  };
}
