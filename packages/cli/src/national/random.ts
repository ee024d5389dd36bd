/** A seeded PRNG (mulberry32): the national data set is the same on every run. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Skewed towards the start of the list: a few popular items, a long tail (as real course enrolments are). */
  pickSkewed<T>(items: readonly T[], skew = 2.2): T {
    return items[Math.floor(this.next() ** skew * items.length)]!;
  }
}

/** Fast deterministic UUIDs: an entity prefix and a sequence number, valid v4-shaped. */
export function sequentialId(prefix: number, n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${hex}`;
}
