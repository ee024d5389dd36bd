/** Work a service runs beside its server while it serves: an outbox relay, an event consumer. */
export interface BackgroundWorker {
  /** Finishes what is in hand (a round of publishing, the event being handled), then stops. */
  stop(): Promise<void>;
}

/** Waits between rounds; interrupt() (a stop, new work) cuts every wait short. Never keeps the process alive by itself. */
export class Pause {
  private readonly waiting = new Set<() => void>();

  for(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiting.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      this.waiting.add(done);
    });
  }

  interrupt(): void {
    for (const done of [...this.waiting]) done();
  }
}

/** Pauses after consecutive failures: 0.5 s, 1 s, 2 s, ... up to 30 s. */
export const backoff = (failures: number): number => Math.min(30_000, 500 * 2 ** Math.max(0, failures - 1));

/** Several workers run as one: a service consuming several events stops them all together. */
export function allOf(workers: BackgroundWorker[]): BackgroundWorker {
  return {
    async stop() {
      const results = await Promise.allSettled(workers.map((worker) => worker.stop()));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}
