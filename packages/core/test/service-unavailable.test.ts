import { ApolloServer } from '@apollo/server';
import { startThrowawayPostgres, type ThrowawayPostgres } from '@tauliah/testing';
import { sql } from 'drizzle-orm';
import { buildSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Conflict,
  createErrorFormatter,
  createLogger,
  idempotentWrite,
  openDatabase,
  openPglite,
  resultRows,
  serviceUnavailablePlugin,
  startGraphHttpServer,
  type Database,
  type DatabaseConnection,
  type RunningServer,
} from '../src/index.ts';

// What a partner sees when a subgraph's database is down: a coded, retryable answer
// with HTTP 503 and Retry-After, never INTERNAL_SERVER_ERROR; under an idempotency key,
// an answer that says to retry with the same key.
let server: ThrowawayPostgres;
let connection: DatabaseConnection;
let db: Database;
let subgraph: RunningServer;
let running = true;

const ENROL = 'mutation($key: String!, $email: String!) { enrol(key: $key, email: $email) { id created } }';

/** A member enrolled once per key, the way a service's idempotent mutation does it. */
async function enrol(key: string, email: string) {
  const { result, replayed } = await idempotentWrite(db, { scope: 'club.enrol', owner: 'partner', key }, {
    async replay(reader) {
      const [row] = resultRows<{ id: number; email: string }>(await reader.execute(sql`select id, email from club.member where enrol_key = ${key}`));
      if (row && row.email !== email) throw new Conflict('This key was already used to enrol someone else.');
      return row;
    },
    async write(tx) {
      // A bug in the write, for the test of how it is answered.
      if (email === 'bug@example.my') throw new TypeError("Cannot read properties of undefined (reading 'id')");
      const [row] = resultRows<{ id: number; email: string }>(await tx.execute(sql`insert into club.member (email, enrol_key) values (${email}, ${key}) returning id, email`));
      return row!;
    },
  });
  return { id: result.id, created: !replayed };
}

beforeAll(async () => {
  server = await startThrowawayPostgres();
  connection = await openDatabase({ url: server.url });
  db = connection.drizzle({}).db;
  await connection.query('create schema club');
  await connection.query('create table club.member (id serial primary key, email text not null unique, enrol_key text unique)');
  const schema = buildSchema(`
    type Query { members: Int! }
    type Enrolment { id: Int! created: Boolean! }
    type Mutation { enrol(key: String!, email: String!): Enrolment! }
  `);
  const rootValue = {
    members: async () => Number(resultRows<{ n: string }>(await db.execute(sql`select count(*) as n from club.member`))[0]!.n),
    enrol: ({ key, email }: { key: string; email: string }) => enrol(key, email),
  };
  const apollo = new ApolloServer({ schema, rootValue, formatError: createErrorFormatter(), plugins: [serviceUnavailablePlugin()] });
  subgraph = await startGraphHttpServer(
    {
      name: 'club',
      apollo,
      log: createLogger({ level: 'silent' }),
      maxBodyBytes: 10_000,
      // Like the staff gate, a context that reads the database for requests that ask for it.
      context: async ({ req }) => {
        if (req.headers['x-staff']) await db.execute(sql`select 1 from club.member limit 1`);
        return {};
      },
    },
    { port: 0, host: '127.0.0.1' },
  );
});
afterAll(async () => {
  await subgraph?.stop();
  await connection?.close();
  await server?.destroy();
});

async function post(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await fetch(subgraph.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions: Record<string, unknown> }> };
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body };
}

async function whilePostgresIsDown(run: () => Promise<void>) {
  await server.stop('fast');
  running = false;
  try {
    await run();
  } finally {
    await server.start();
    running = true;
  }
}

describe('a subgraph whose database is down', () => {
  it('answers 503 with Retry-After and a coded, actionable error that names nothing internal', async () => {
    await whilePostgresIsDown(async () => {
      const { status, retryAfter, body } = await post('{ members }');
      expect(status).toBe(503);
      expect(retryAfter).toBe('5');
      expect(body.errors).toEqual([
        {
          message: expect.stringMatching(/database is unavailable just now .* Retry it in a few seconds/),
          path: ['members'],
          locations: expect.any(Array),
          extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 5 },
        },
      ]);
      expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|CONNECTION|postgres|select/i);
    });
  });

  it('answers 503 too when the request context reads the database (the staff gate)', async () => {
    await whilePostgresIsDown(async () => {
      const { status, retryAfter, body } = await post('{ members }', {}, { 'x-staff': 'yes' });
      expect(status).toBe(503);
      expect(retryAfter).toBe('5');
      expect(body.errors?.map((e) => e.extensions.code)).toEqual(['SERVICE_UNAVAILABLE']);
    });
  });

  it('tells a partner writing under an idempotency key to retry with the same key, and the retry enrols once', async () => {
    await whilePostgresIsDown(async () => {
      const { status, body } = await post(ENROL, { key: 'sis-000123', email: 'aina@example.my' });
      expect(status).toBe(503);
      expect(body.errors![0]!.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 5, retryWithSameIdempotencyKey: true });
      expect(body.errors![0]!.message).toContain('Retry with the same idempotencyKey');
    });
    expect(running).toBe(true);
    const retried = await eventuallyAnswered(() => post(ENROL, { key: 'sis-000123', email: 'aina@example.my' }));
    expect(retried.body.data).toEqual({ enrol: { id: expect.any(Number), created: true } });
    const again = await post(ENROL, { key: 'sis-000123', email: 'aina@example.my' });
    expect(again.body.data).toEqual({ enrol: { id: (retried.body.data!.enrol as { id: number }).id, created: false } });
  });
});

describe('other errors under an idempotency key', () => {
  it('keeps a final answer (CONFLICT) as it is: retrying it changes nothing', async () => {
    const { status, body } = await post(ENROL, { key: 'sis-000123', email: 'someone-else@example.my' });
    expect(status).toBe(200);
    expect(body.errors).toEqual([expect.objectContaining({ message: 'This key was already used to enrol someone else.', extensions: { code: 'CONFLICT' } })]);
  });

  it('masks a fault as INTERNAL_SERVER_ERROR that still says to retry with the same key', async () => {
    const { body } = await post(ENROL, { key: 'sis-000124', email: 'bug@example.my' });
    expect(body.errors![0]!.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', retryWithSameIdempotencyKey: true });
    expect(body.errors![0]!.message).toMatch(/^Internal server error\..* Retry with the same idempotencyKey/);
    expect(body.errors![0]!.message).not.toContain('reading');
  });
});

describe.each([
  ['PostgreSQL', () => openDatabase({ url: server.url })],
  ['PGlite', () => openPglite()],
] as const)('idempotentWrite on %s', (_name, open) => {
  it('does the write once for concurrent calls with one key, and answers all of them with its result', async () => {
    const database = await open();
    try {
      const target = database.drizzle({}).db;
      await database.query('create schema if not exists cohort');
      await database.query('create table if not exists cohort.issued (key text primary key, serial int not null)');
      let writes = 0;
      const issue = () =>
        idempotentWrite(target, { scope: 'cohort.issue', owner: 'provider-1', key: 'batch-7' }, {
          async replay(reader) {
            const [stored] = resultRows<{ serial: number }>(await reader.execute(sql`select serial from cohort.issued where key = 'batch-7'`));
            return stored?.serial;
          },
          async write(tx) {
            writes += 1;
            // Slow work inside the transaction (signing a cohort): the others must wait, not redo it.
            await new Promise((resolve) => setTimeout(resolve, 100));
            await tx.execute(sql`insert into cohort.issued (key, serial) values ('batch-7', ${writes})`);
            return writes;
          },
        });
      const outcomes = await Promise.all(Array.from({ length: 8 }, issue));
      expect(writes).toBe(1);
      expect(outcomes.map((o) => o.result)).toEqual(Array(8).fill(1));
      expect(outcomes.filter((o) => !o.replayed)).toHaveLength(1);
    } finally {
      await database.close();
    }
  });
});

/** The first answer without errors: right after a restart a pooled connection may still be reconnecting. */
async function eventuallyAnswered(call: () => ReturnType<typeof post>): ReturnType<typeof post> {
  const deadline = performance.now() + 3_000;
  for (;;) {
    const answer = await call();
    if (!answer.body.errors || performance.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
