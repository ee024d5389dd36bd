import type { Logger } from 'pino';

/** Exit status of a process that stopped on a fault outside any request (EX_SOFTWARE). */
export const FAULT_EXIT_CODE = 70;

/** The longest the process waits for its fatal log line to be written before it exits anyway. */
const FLUSH_WAIT_MS = 1_000;

let installed = false;

/**
 * Crash discipline for a long-running process. An error thrown outside any
 * request (in a driver's timer, an event handler, a promise nobody awaited)
 * leaves the process in a state nobody designed: connections, timers or
 * workers may be gone while it still answers health checks. So it is logged
 * once, as fatal with the error's safe form, and the process exits with
 * FAULT_EXIT_CODE as soon as that line is out (within a second); its supervisor (Kubernetes, docker-compose's restart
 * policy) starts a fresh one. It never carries on half-alive.
 */
export function exitOnProcessFaults(log: Logger): void {
  if (installed) return;
  installed = true;
  let exiting = false;
  const onFault = (fault: 'uncaughtException' | 'unhandledRejection') => (error: unknown) => {
    // A second fault while the first is reported: that one decides.
    if (exiting) return;
    exiting = true;
    process.exitCode = FAULT_EXIT_CODE;
    const exit = () => process.exit(FAULT_EXIT_CODE);
    try {
      log.fatal({ err: error, fault }, fault === 'uncaughtException' ? 'an error was thrown outside any request: exiting' : 'a promise failed with nobody awaiting it: exiting');
      // The line is written asynchronously: exit once it is out, or after FLUSH_WAIT_MS whatever happens.
      setTimeout(exit, FLUSH_WAIT_MS);
      log.flush(exit);
    } catch {
      exit();
    }
  };
  process.on('uncaughtException', onFault('uncaughtException'));
  process.on('unhandledRejection', onFault('unhandledRejection'));
}
