/** A limit on what the entries weigh together (bytes, say), beside the limit on their number. */
export interface CacheWeight<V> {
  maxWeight: number;
  /** What one value weighs, worked out once when it is set. */
  weigh(value: V): number;
}

/**
 * A map that keeps at most `maxEntries` entries, forgetting the least
 * recently used first: for what a process works out once per distinct
 * input (a document's text, a token, a credential's proof) and would
 * otherwise work out again for every request, so that however many distinct
 * inputs arrive it holds a bounded amount. With a `weight`, it also keeps the
 * entries' total weight within `maxWeight`, forgetting the least recently
 * used until they fit; a value heavier than that on its own is not kept.
 */
export class BoundedCache<K, V> {
  readonly #entries = new Map<K, V>();
  readonly #weights = new Map<K, number>();
  #weight = 0;

  constructor(
    readonly maxEntries: number,
    readonly weight?: CacheWeight<V>,
  ) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`maxEntries must be a positive integer; got ${maxEntries}.`);
    if (weight && !(weight.maxWeight > 0)) throw new RangeError(`maxWeight must be above 0; got ${weight.maxWeight}.`);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** What the entries weigh together (0 without a weight). */
  get totalWeight(): number {
    return this.#weight;
  }

  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    // Most recently used last: Map keeps insertion order.
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.delete(key);
    if (this.weight) {
      const weight = this.weight.weigh(value);
      if (weight > this.weight.maxWeight) return;
      this.#weights.set(key, weight);
      this.#weight += weight;
    }
    this.#entries.set(key, value);
    while (this.#entries.size > this.maxEntries || (this.weight && this.#weight > this.weight.maxWeight)) {
      this.delete(this.#entries.keys().next().value as K);
    }
  }

  delete(key: K): void {
    if (!this.#entries.delete(key)) return;
    const weight = this.#weights.get(key);
    if (weight === undefined) return;
    this.#weights.delete(key);
    this.#weight -= weight;
  }

  clear(): void {
    this.#entries.clear();
    this.#weights.clear();
    this.#weight = 0;
  }
}
