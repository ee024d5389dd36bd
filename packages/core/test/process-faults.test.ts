import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FAULT_EXIT_CODE } from '../src/index.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const FIXTURE = fileURLToPath(new URL('fixtures/faulty-process.ts', import.meta.url));

/** Runs the faulty process to its end: its exit code and the JSON lines it logged. */
async function run(fault: 'throw' | 'reject'): Promise<{ code: number | null; lines: Array<Record<string, unknown>> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, fault], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the process carried on after its fault:\n${output}`));
    }, 20_000);
    child.on('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  const lines = output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { code, lines };
}

/** The fatal line (lines written just before exiting may arrive out of order). */
const fatal = (lines: Array<Record<string, unknown>>) => lines.find((line) => line.level === 60);

describe('a fault outside any request', () => {
  it('is logged as fatal with the error, and the process exits non-zero though it was serving', async () => {
    const { code, lines } = await run('throw');
    expect(code).toBe(FAULT_EXIT_CODE);
    expect(lines.map((line) => line.msg).sort()).toEqual(['an error was thrown outside any request: exiting', 'serving']);
    expect(fatal(lines)).toMatchObject({
      level: 60,
      service: 'faulty',
      fault: 'uncaughtException',
      err: { type: 'TypeError', message: "Cannot read properties of null (reading 'write')", stack: expect.stringContaining('faulty-process.ts') },
    });
  });

  it('counts a promise nobody awaited that fails the same way', async () => {
    const { code, lines } = await run('reject');
    expect(code).toBe(FAULT_EXIT_CODE);
    expect(fatal(lines), JSON.stringify(lines)).toMatchObject({
      level: 60,
      msg: 'a promise failed with nobody awaiting it: exiting',
      fault: 'unhandledRejection',
      err: { type: 'Error', message: 'the outbox relay lost its connection' },
    });
  });
});
