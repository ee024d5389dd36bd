import { personas } from '@tauliah/demo-data';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnvironment, createEmptyDatabase, freePort, imageNodeOptions, serverDatabaseUrl } from '@tauliah/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'packages/cli/bin/tauliah.mjs');

interface Started {
  child: ChildProcess;
  output: () => string;
  gatewayUrl: string;
}

async function startUp(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, [BIN, 'up'], { cwd: ROOT, env: childEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not up after 60 s:\n${output}`)), 60_000);
    child.stdout.on('data', () => {
      if (output.includes('Press Ctrl-C to stop.')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
  const gatewayUrl = /gateway\s+(http:\S+)/.exec(output)?.[1];
  if (!gatewayUrl) throw new Error(`no gateway URL in:\n${output}`);
  return { child, output: () => output, gatewayUrl };
}

async function stop(started: Started): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => started.child.once('exit', (code) => resolve(code)));
  started.child.kill('SIGINT');
  return exited;
}

let dataDir: string;
let env: Record<string, string>;
let database: { url: string; drop(): Promise<void> } | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tauliah-up-'));
  env = { DATA_DIR: dataDir, LOG_LEVEL: 'warn', GATEWAY_PORT: String(await freePort()) };
  for (const name of ['LEARNERS', 'PROVIDERS', 'EMPLOYERS', 'FUNDING', 'CREDENTIALS']) env[`${name}_PORT`] = String(await freePort());
  // On PostgreSQL, `up` gets a database of its own so it starts empty like a fresh install.
  const serverUrl = serverDatabaseUrl();
  if (serverUrl) {
    database = await createEmptyDatabase(serverUrl);
    env.DATABASE_URL = database.url;
  }
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await database?.drop();
});

describe('npm start (tauliah up)', () => {
  it('starts the seeded graph, prints a working token per role, stops cleanly on Ctrl-C, and reopens the data', async () => {
    const first = await startUp(env);
    expect(first.output()).toMatch(/Seeded the demo data set/);
    for (const role of ['LEARNER', 'PROVIDER_STAFF', 'EMPLOYER', 'FUNDER', 'PARTNER', 'ADMIN']) expect(first.output()).toContain(role);
    const learnerToken = new RegExp(`LEARNER — [^\\n]+\\n\\s+(\\S+)`).exec(first.output())?.[1];
    const response = await fetch(first.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${learnerToken}` },
      body: JSON.stringify({ query: '{ me { id fullName } }' }),
    });
    expect(await response.json()).toEqual({ data: { me: { id: personas.LEARNER.sub, fullName: 'Aisyah binti Rahman' } } });
    expect(await stop(first)).toBe(0);
    expect(first.output()).toMatch(/Tauliah stopped/);

    const second = await startUp(env);
    expect(second.output()).toMatch(/Reopened existing data/);
    const token = spawnSync(process.execPath, [BIN, 'token', '--role', 'LEARNER'], { cwd: ROOT, env: childEnvironment(env), encoding: 'utf8' });
    expect(token.status).toBe(0);
    const again = await fetch(second.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token.stdout.trim()}` },
      body: JSON.stringify({ query: '{ me { fullName } }' }),
    });
    expect(((await again.json()) as { data: { me: { fullName: string } } }).data.me.fullName).toBe('Aisyah binti Rahman');
    expect(await stop(second)).toBe(0);
  }, 180_000);

  it('runs the graph with the Node flags the image gives every process (the whole graph is one process here)', () => {
    const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/);
    const flags = imageNodeOptions();
    expect(flags.length).toBeGreaterThan(0);
    for (const flag of flags) expect(start).toContain(flag);
    expect(start.slice(-2)).toEqual(['packages/cli/bin/tauliah.mjs', 'up']);
  });

  it('lists every configuration problem and exits non-zero', () => {
    const result = spawnSync(process.execPath, [BIN, 'up'], {
      cwd: ROOT,
      env: childEnvironment({ DATA_DIR: dataDir, GATEWAY_PORT: 'eighty', DATABASE_URL: 'mysql://x', NODE_ENV: 'production' }),
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/GATEWAY_PORT/);
    expect(result.stderr).toMatch(/DATABASE_URL/);
    expect(result.stderr).toMatch(/JWKS_URL/);
  });

  it('explains a bad token request', () => {
    const result = spawnSync(process.execPath, [BIN, 'token', '--role', 'WIZARD'], { cwd: ROOT, env: childEnvironment(env), encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/--role must be one of LEARNER, PROVIDER_STAFF/);
  });
});
