import { childEnvironment } from '@tauliah/testing';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Standard output is written asynchronously (logger.ts): the lines a process
// logged just before it exits, or crashes, must still all reach its reader.

const LOGGER = fileURLToPath(new URL('../src/logger.ts', import.meta.url));

/** Runs a script with core's logger in a process of its own; its standard output, split in lines, and its exit code. */
function run(script: string): Promise<{ lines: string[]; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `import { createLogger } from ${JSON.stringify(LOGGER)};\n${script}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: childEnvironment({ LOG_LEVEL: 'info' }),
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ lines: out.split('\n').filter(Boolean), code }));
  });
}

describe('log lines on standard output', () => {
  it('reaches the reader in full and in order when the process exits right after logging', async () => {
    const { lines, code } = await run(`
      const log = createLogger({ name: 'probe' });
      for (let i = 0; i < 2000; i++) log.info({ i }, 'line');
      log.fatal('stopping');
      process.exit(3);
    `);
    expect(code).toBe(3);
    expect(lines).toHaveLength(2001);
    expect(lines.slice(0, 2000).map((line) => JSON.parse(line).i)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
    expect(JSON.parse(lines[2000]!)).toMatchObject({ level: 60, service: 'probe', msg: 'stopping' });
  });

  it('keeps the lines logged before an error nobody caught ended the process', async () => {
    const { lines, code } = await run(`
      const log = createLogger({ name: 'probe' });
      for (let i = 0; i < 500; i++) log.info({ i }, 'line');
      setImmediate(() => { throw new Error('nobody catches this'); });
    `);
    expect(code).not.toBe(0);
    expect(lines).toHaveLength(500);
    expect(JSON.parse(lines[499]!)).toMatchObject({ i: 499, time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) });
  });
});
