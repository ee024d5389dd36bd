import { createLogger } from '@tauliah/core';
import { codesOf } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Leak 7: a write that fails inside the database logged the statement's parameters (a
// learner's name, e-mail, date of birth) with the error: drizzle's `params` and message,
// the driver's `parameters`/`params`, PostgreSQL's `detail` ("Failing row contains (...)").
// The log keeps what an operator needs (the error class, SQLSTATE, constraint, table) and
// no personal data.

const lines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  },
});

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ log: createLogger({ level: 'info', destination: sink }) });
});
afterAll(() => graph?.stop());

/** A learner's personal data, each value distinctive enough to find in any log line. */
const siti = {
  fullName: 'Siti Probe Nurhaliza',
  email: `siti.probe.${randomUUID().slice(0, 8)}@example.my`,
  phone: '+60129876543',
  dateOfBirth: '1987-11-29',
  citizenship: 'MALAYSIAN',
  nric: '871129-14-5678',
};
const PII = [siti.fullName, siti.email, siti.phone, siti.dateOfBirth, siti.nric, '5678', '871129'];

const REGISTER = `mutation ($input: RegisterLearnerInput!) { registerLearner(input: $input) { learner { id } } }`;

describe('personal data in logs', () => {
  it('logs a write the database refuses with its SQLSTATE and constraint, and none of the personal data it carried', async () => {
    // The database refuses this learner's row (as a full disk, a changed constraint or a race would):
    // the failure happens inside PostgreSQL, with the learner's data as the statement's parameters.
    await graph.connection.query(
      `alter table learners.learner add constraint learner_probe_check check (full_name <> '${siti.fullName}') not valid`,
    );
    const answer = await graph.gateway.query(REGISTER, { as: { role: 'LEARNER', sub: randomUUID() }, variables: { input: siti } });
    expect(codesOf(answer)).toEqual(['INTERNAL_SERVER_ERROR']);
    for (const value of PII) expect(JSON.stringify(answer)).not.toContain(value);

    const logged = lines.filter((line) => line.includes('internal error'));
    expect(logged.length).toBeGreaterThan(0);
    // No personal value in any line the request wrote...
    for (const line of lines) {
      for (const value of PII) expect(line, `a log line carries "${value}"`).not.toContain(value);
    }
    // ...and what the operator needs to find the fault is there.
    expect(logged.join('\n')).toContain('"code":"23514"');
    expect(logged.join('\n')).toContain('learner_probe_check');
    expect(logged.join('\n')).toContain('"table":"learner"');
  });
});
