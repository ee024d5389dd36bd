import type { Database } from '@tauliah/core';
import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { credential, issuer, type tables } from '../src/db/schema.ts';
import { openBadgeFor, subjectIdOf } from '../src/signing/documents.ts';
import { allocateStatusSlots } from '../src/signing/status-lists.ts';

/**
 * 1EdTech's CLR 2.0 ClrCredential JSON Schema, as copied into credentials-vc
 * (published at https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json).
 */
const schema = JSON.parse(readFileSync(new URL('../../../packages/credentials-vc/test/fixtures/clr_v2p0_clrcredential_schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv2019.default({ strict: false, allErrors: true });
addFormats.default(ajv);
export const validateClr = ajv.compile(schema);

/** What a verifier reads of a learner record's verification. */
export const VERIFY_RECORD = `query($document: JSON!) {
  verifyCredentialDocument(document: $document) { verified format documentId checks { check passed message } credentials { documentId verified checks { check passed } } }
}`;

/**
 * `count` credentials of one provider for a learner, each on a course of its
 * own, with its OB 3.0 document and a status slot exactly as issuance makes
 * them (their Data Integrity form is signed on first request, as for any):
 * a learner holding as many credentials as a test needs.
 */
export async function holdCredentials(db: Database<typeof tables>, learnerId: string, providerId: string, count: number): Promise<string[]> {
  const [issuerRow] = await db.select().from(issuer).where(eq(issuer.providerId, providerId));
  if (!issuerRow) throw new Error(`provider ${providerId} has issued nothing yet`);
  return db.transaction(async (tx) => {
    const { listId, indexes } = await allocateStatusSlots(tx, providerId, count);
    const rows = indexes.map((index, i) => {
      const id = randomUUID();
      const courseId = randomUUID();
      const issuedAt = new Date(Date.UTC(2025, 0, 1 + i));
      const title = `Workplace module ${i + 1}`;
      const course = { id: courseId, code: `WM${1000 + i}`, title, description: `Module ${i + 1} of a long programme.`, credits: 2, mqfLevel: 4, learningOutcomes: ['Apply it at work'], skills: [] };
      return {
        id,
        holderId: learnerId,
        courseId,
        issuerId: providerId,
        title,
        credits: 2,
        mqfLevel: 4,
        issuedAt,
        subjectId: subjectIdOf(learnerId),
        statusListId: listId,
        statusIndex: index,
        document: openBadgeFor({ id, issuer: issuerRow, learnerId, course, validFrom: issuedAt, validUntil: null, status: { listId, index } }),
      };
    });
    await tx.insert(credential).values(rows);
    return rows.map((r) => r.id);
  });
}
