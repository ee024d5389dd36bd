import { spawn, type ChildProcess } from 'node:child_process';

/** How a process ended: by a signal we sent (expected) or on its own (a crash, as far as the tests are concerned). */
export interface ProcessExit {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  expected: boolean;
  at: number;
}

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Resolves true once the process serves (its /readyz answers 200, say). */
  ready: () => Promise<boolean>;
  /** How long start() waits for ready() before giving up. */
  readyTimeoutMs?: number;
}

const OUTPUT_LINES = 200;

/** Every process any test started, so one exit hook can kill whatever a failed run left behind. */
const everyProcess = new Set<ManagedProcess>();
process.once('exit', () => {
  for (const managed of everyProcess) managed.killNow();
});

/**
 * One child process under test: started, killed, paused and resumed on
 * purpose, with every exit it did not ask for kept as a crash, and its last
 * lines of output kept for the failure report.
 */
export class ManagedProcess {
  readonly exits: ProcessExit[] = [];
  private child: ChildProcess | undefined;
  private lines: string[] = [];
  private expectingExit = false;
  private exited: Promise<void> = Promise.resolve();

  constructor(private readonly spec: ProcessSpec) {
    everyProcess.add(this);
  }

  get name(): string {
    return this.spec.name;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Alive: started and not exited (a paused process is alive). */
  get alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Exits nobody asked for. */
  get crashes(): ProcessExit[] {
    return this.exits.filter((exit) => !exit.expected);
  }

  /** Spawns the process and waits until it serves; throws with its output if it exits or is not ready in time. */
  async start(): Promise<void> {
    if (this.alive) throw new Error(`${this.name} is already running`);
    this.expectingExit = false;
    const child = spawn(this.spec.command, this.spec.args, { cwd: this.spec.cwd, env: this.spec.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const keep = (chunk: Buffer) => {
      this.lines.push(...chunk.toString('utf8').split('\n').filter((line) => line.length > 0));
      if (this.lines.length > OUTPUT_LINES) this.lines = this.lines.slice(-OUTPUT_LINES);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exits.push({ name: this.name, code, signal, expected: this.expectingExit, at: Date.now() });
        resolve();
      });
    });
    const deadline = Date.now() + (this.spec.readyTimeoutMs ?? 90_000);
    while (Date.now() < deadline) {
      if (!this.alive) throw new Error(`${this.name} exited while starting:\n${this.output()}`);
      if (await this.spec.ready().catch(() => false)) return;
      await sleep(200);
    }
    throw new Error(`${this.name} was not ready within ${this.spec.readyTimeoutMs ?? 90_000} ms:\n${this.output()}`);
  }

  /** Sends a signal; SIGKILL and SIGTERM count as exits we asked for. */
  signal(signal: NodeJS.Signals): void {
    if (!this.alive) throw new Error(`${this.name} is not running`);
    if (signal === 'SIGKILL' || signal === 'SIGTERM') this.expectingExit = true;
    this.child!.kill(signal);
  }

  /** Freezes the process (SIGSTOP): its sockets stay open and nothing answers, as with a hung process. */
  pause(): void {
    this.signal('SIGSTOP');
  }

  resume(): void {
    this.signal('SIGCONT');
  }

  /** Kills it hard (SIGKILL) and waits for the exit. */
  async kill(): Promise<void> {
    if (!this.alive) return;
    this.signal('SIGKILL');
    await this.exited;
  }

  /** Asks it to stop (SIGTERM, after SIGCONT in case it is paused), killing it if it has not exited within `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    if (!this.alive) return;
    this.child!.kill('SIGCONT');
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.killNow(), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Synchronous last resort, for exit hooks. */
  killNow(): void {
    if (!this.alive) return;
    this.expectingExit = true;
    this.child!.kill('SIGKILL');
  }

  /** Its last lines of output. */
  output(lines = OUTPUT_LINES): string {
    return this.lines.slice(-lines).join('\n');
  }

  forget(): void {
    everyProcess.delete(this);
  }
}

/** True when `url` answers 200 within `timeoutMs`. */
export async function answersOk(url: string, timeoutMs = 1_000): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  await response.body?.cancel();
  return response.ok;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
