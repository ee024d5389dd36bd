export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` every `everyMs` until it holds; resolves with the time it took, or throws after `timeoutMs` with `describe()`. */
export async function waitFor(check: () => Promise<boolean>, options: { timeoutMs: number; everyMs?: number; what: string }): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < options.timeoutMs) {
    if (await check().catch(() => false)) return Date.now() - started;
    await sleep(options.everyMs ?? 100);
  }
  throw new Error(`${options.what}: not within ${options.timeoutMs} ms`);
}
