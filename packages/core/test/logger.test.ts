import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { date, pgSchema, text, uuid } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { openTestDatabase } from '@tauliah/testing';
import { createLogger, safeMessage, type DatabaseConnection } from '../src/index.ts';

/** The lines a real logger writes, parsed. */
function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { log: createLogger({ level: 'info', destination }), lines };
}

const email = 'aminah.binti.logprobe@example.my';
const dateOfBirth = '1979-06-17';
const fullName = 'Aminah Logprobe';

/** A failing write through drizzle, as a service makes one, on each driver this run can reach. */
async function failingWrites(connection: DatabaseConnection): Promise<unknown[]> {
  const schemaName = `log_probe_${randomBytes(4).toString('hex')}`;
  const schema = pgSchema(schemaName);
  const person = schema.table('person', { id: uuid('id').primaryKey(), fullName: text('full_name').notNull(), email: text('email').notNull().unique('person_email_key'), dateOfBirth: date('date_of_birth', { mode: 'string' }) });
  await connection.query(`create schema ${schemaName}`);
  await connection.query(
    `create table ${schemaName}.person (id uuid primary key, full_name text not null, email text not null constraint person_email_key unique, date_of_birth date)`,
  );
  const { db } = connection.drizzle({ person });
  const errors: unknown[] = [];
  try {
    await db.insert(person).values({ id: '0d8f4c1e-3a52-4c1b-9f3e-6b1d2a7c5e90', fullName, email, dateOfBirth });
    // A unique violation: PostgreSQL names the key's value in `detail`.
    await db.insert(person).values({ id: '6a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d', fullName, email, dateOfBirth }).catch((e: unknown) => errors.push(e));
    // A malformed value: PostgreSQL quotes it in the message itself.
    await db
      .insert(person)
      .values({ id: '7b1c2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d3e', fullName, email: `x.${email}`, dateOfBirth: `${dateOfBirth}T99` })
      .catch((e: unknown) => errors.push(e));
    // Outside drizzle: the driver's own error, with its parameters.
    await connection.query(`insert into ${schemaName}.person (id, full_name, email) values ($1, $2, $3)`, ['8c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', fullName, email]).catch((e: unknown) => errors.push(e));
  } finally {
    await connection.query(`drop schema ${schemaName} cascade`);
  }
  expect(errors).toHaveLength(3);
  return errors;
}

// On the run's database: PGlite, or PostgreSQL through postgres.js when DATABASE_URL is set (each driver shapes its errors its own way).
describe('the log of a failed database write', () => {
  it('keeps the error class, SQLSTATE and constraint, and none of the values written', async () => {
    const connection = await openTestDatabase({ template: false });
    let errors: unknown[];
    try {
      errors = await failingWrites(connection);
    } finally {
      await connection.close();
    }
    const { log, lines } = capture();
    const [duplicate, malformed, raw] = errors as Error[];
    // Every way a log call hands over an error: under err with a message, alone, without a message, under another key.
    log.error({ err: duplicate, path: ['registerLearner'] }, 'internal error');
    log.error(malformed);
    log.warn({ err: raw });
    log.error({ failure: duplicate }, 'under another key');

    expect(lines).toHaveLength(4);
    for (const line of lines) {
      for (const value of [email, fullName, dateOfBirth, '1979']) expect(line, `a log line carries "${value}"`).not.toContain(value);
      expect(line).not.toMatch(/params|parameters|detail|Key \(/);
    }
    const [first, second, third, fourth] = lines.map((line) => JSON.parse(line) as Record<string, Record<string, unknown> & { cause?: Record<string, unknown> }>);
    expect(first!.err).toMatchObject({
      type: 'DrizzleQueryError',
      message: expect.stringMatching(/^Failed query: insert into "log_probe_\w+"\."person" .* values \(\$1, \$2, \$3, \$4\)$/),
      cause: { code: '23505', constraint: 'person_email_key', table: 'person', message: 'duplicate key value violates unique constraint "person_email_key"' },
    });
    expect(first!.err!.stack).toMatch(/^DrizzleQueryError: Failed query: [^\n]*\n\s+at /);
    expect(second!.err!.cause).toMatchObject({ code: '22007', message: 'invalid input syntax for type date: "[redacted]"' });
    expect(second!.msg).toMatch(/^Failed query: /);
    expect(third!.err).toMatchObject({ type: expect.stringMatching(/^(DatabaseError|PostgresError)$/), code: '23505', constraint: 'person_email_key' });
    expect(third!.msg).toBe('duplicate key value violates unique constraint "person_email_key"');
    expect(fourth!.failure).toMatchObject({ type: 'DrizzleQueryError', cause: { code: '23505' } });
  });
});

describe('safe error messages', () => {
  it('drops quoted values and drizzle params, keeps quoted names', () => {
    expect(safeMessage('Failed query: select 1 where a = $1\nparams: siti@example.my,1990-01-01')).toBe('Failed query: select 1 where a = $1');
    expect(safeMessage('value "123456789012" is out of range for type integer')).toBe('value "[redacted]" is out of range for type integer');
    expect(safeMessage('invalid input value for enum role: "Siti"')).toBe('invalid input value for enum role: "[redacted]"');
    expect(safeMessage('new row for relation "learner" violates check constraint "learner_citizenship_check"')).toBe(
      'new row for relation "learner" violates check constraint "learner_citizenship_check"',
    );
  });
});
