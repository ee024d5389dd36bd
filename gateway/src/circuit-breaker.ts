/**
 * A circuit breaker for one subgraph. Closed, every request goes through and
 * consecutive failures are counted (any answer resets the count). After
 * `failureThreshold` of them it opens: requests are refused at once, so a
 * dead or hung subgraph costs callers nothing instead of a timeout each.
 * While open it asks `probe` every `retryAfterMs` (half-open while a probe is
 * out, still refusing requests) and closes as soon as a probe succeeds, so
 * it recovers without traffic and without sacrificing a caller's request.
 */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** The timers the breaker uses; tests pass a fake one. */
export interface BreakerClock {
  /** Runs `callback` after `ms`; returns what cancels it. */
  schedule(callback: () => void, ms: number): () => void;
}

export const realClock: BreakerClock = {
  schedule(callback, ms) {
    // Unref'd: a pending probe never keeps a stopping process alive.
    const timer = setTimeout(callback, ms).unref();
    return () => clearTimeout(timer);
  },
};

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before each probe. */
  retryAfterMs: number;
  /** Whether the subgraph answers again; a rejection counts as no. */
  probe: () => Promise<boolean>;
  clock?: BreakerClock;
  onStateChange?: (state: CircuitState, previous: CircuitState) => void;
}

export class CircuitBreaker {
  #state: CircuitState = 'closed';
  #failures = 0;
  #cancelProbe: (() => void) | undefined;
  #stopped = false;
  readonly #clock: BreakerClock;

  constructor(private readonly options: CircuitBreakerOptions) {
    if (!Number.isInteger(options.failureThreshold) || options.failureThreshold < 1) {
      throw new RangeError(`failureThreshold must be a positive integer; got ${options.failureThreshold}.`);
    }
    if (!(options.retryAfterMs > 0)) throw new RangeError(`retryAfterMs must be positive; got ${options.retryAfterMs}.`);
    this.#clock = options.clock ?? realClock;
  }

  get state(): CircuitState {
    return this.#state;
  }

  /** Whether a request may be sent now; false means answer it as unavailable without asking the subgraph. */
  admits(): boolean {
    return this.#state === 'closed';
  }

  /** The subgraph answered. Answers that arrive while open do not close it: only a probe does. */
  succeeded(): void {
    if (this.#state === 'closed') this.#failures = 0;
  }

  /** The subgraph did not answer (transport failure, timeout) or answered as a broken server would. */
  failed(): void {
    if (this.#state !== 'closed') return;
    this.#failures += 1;
    if (this.#failures >= this.options.failureThreshold) this.#open();
  }

  /** Cancels a pending probe; the breaker then stays as it is. */
  stop(): void {
    this.#stopped = true;
    this.#cancelProbe?.();
    this.#cancelProbe = undefined;
  }

  #open(): void {
    this.#set('open');
    if (this.#stopped) return;
    this.#cancelProbe = this.#clock.schedule(() => void this.#probe(), this.options.retryAfterMs);
  }

  async #probe(): Promise<void> {
    this.#cancelProbe = undefined;
    if (this.#stopped) return;
    this.#set('half-open');
    const answered = await this.options.probe().catch(() => false);
    if (this.#stopped) return;
    if (!answered) return this.#open();
    this.#failures = 0;
    this.#set('closed');
  }

  #set(state: CircuitState): void {
    const previous = this.#state;
    this.#state = state;
    if (previous !== state) this.options.onStateChange?.(state, previous);
  }
}
