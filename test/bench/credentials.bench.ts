/**
 * `npm run bench -- credentials`: issuing a cohort and verifying credentials,
 * through the gateway over HTTP on the demo data. Prints credentials issued
 * per second for a cohort (VC-JWT is signed at issuance; the Data Integrity
 * form is signed when first requested, measured as its own step) and
 * verifications per second in each format.
 * BENCH_COHORT (default 10000) and BENCH_VERIFICATIONS (default 300) scale it.
 */
import { courseByCode, learners } from '@tauliah/demo-data';
import { startTestGraph } from '@tauliah/testing/graph';

const COHORT = Number(process.env.BENCH_COHORT ?? 10_000);
const VERIFICATIONS = Number(process.env.BENCH_VERIFICATIONS ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const course = courseByCode.get('SE1101')!;

const graph = await startTestGraph();
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

async function inParallel<T>(items: T[], run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < items.length) await run(items[next++]!);
  }));
}

try {
  // Warm up: first issuance creates nothing new (the demo issuer exists) but loads code paths.
  await graph.gateway.ok(`mutation($i: [IssueCredentialInput!]!) { issueCredentials(input: $i, idempotencyKey: "warm-up") { issued } }`, {
    as: 'PARTNER',
    variables: { i: [{ learnerId: learners[0]!.id, courseId: course.id }] },
  });

  // A learner holds one credential per course: the cohort is COHORT students, enrolled first as a student records system would.
  const students = Array.from({ length: COHORT }, (_, i) => {
    const born = new Date(Date.UTC(2000, 0, 1) + (i % 3650) * 86_400_000).toISOString().slice(0, 10);
    const nric = `${born.slice(2).replaceAll('-', '')}-10-${String(i % 10_000).padStart(4, '0')}`;
    return { studentNumber: `BENCH-${i}`, fullName: `Pelajar ${i}`, email: `pelajar${i}@bench.example.my`, dateOfBirth: born, citizenship: 'MALAYSIAN', nric };
  });
  const enrolled: string[] = [];
  for (let i = 0; i < students.length; i += 10_000) {
    const { enrolLearners } = await graph.gateway.ok(
      `mutation($i: [EnrolLearnerInput!]!, $key: String!) { enrolLearners(input: $i, idempotencyKey: $key) { failed results { learner { id } } } }`,
      { as: 'PARTNER', variables: { i: students.slice(i, i + 10_000), key: `bench-intake-${i}` } },
    );
    if (enrolLearners.failed > 0) throw new Error(`${enrolLearners.failed} students of the bench cohort were not enrolled`);
    enrolled.push(...enrolLearners.results.map((r: { learner: { id: string } }) => r.learner.id));
  }
  const input = enrolled.map((learnerId) => ({ learnerId, courseId: course.id }));
  const statementsBefore = graph.statements();
  let start = process.hrtime.bigint();
  const cohort = await graph.gateway.ok(
    `mutation($i: [IssueCredentialInput!]!) { issueCredentials(input: $i, idempotencyKey: "bench") { issued failed results { credential { id } } } }`,
    { as: 'PARTNER', variables: { i: input } },
  );
  const issueSeconds = seconds(start);
  const statements = graph.statements() - statementsBefore;
  const ids: string[] = cohort.issueCredentials.results.map((r: { credential: { id: string } }) => r.credential.id);
  if (cohort.issueCredentials.issued !== COHORT) throw new Error(`issued ${cohort.issueCredentials.issued} of ${COHORT}`);

  // The Data Integrity form of the whole cohort, asked for 500 at a time: each is signed on this first request.
  start = process.hrtime.bigint();
  const batches = Array.from({ length: Math.ceil(ids.length / 500) }, (_, i) => ids.slice(i * 500, i * 500 + 500));
  await inParallel(batches, async (batch) => {
    await graph.gateway.ok(`query($ids: [ID!]!) { credentials(ids: $ids) { document(format: DATA_INTEGRITY) } }`, { as: 'PARTNER', variables: { ids: batch } });
  });
  const diSeconds = seconds(start);

  const verifyRate = async (format: 'DATA_INTEGRITY' | 'VC_JWT') => {
    const sample = ids.slice(0, VERIFICATIONS);
    const begin = process.hrtime.bigint();
    await inParallel(sample, async (id) => {
      const data = await graph.gateway.ok(`query($id: ID!) { verifyCredential(id: $id, format: ${format}) { verified } }`, { as: 'PARTNER', variables: { id } });
      if (!data.verifyCredential.verified) throw new Error(`credential ${id} did not verify`);
    });
    return sample.length / seconds(begin);
  };
  const verifyJwt = await verifyRate('VC_JWT');
  const verifyDi = await verifyRate('DATA_INTEGRITY');

  console.table([
    { step: `issue a cohort of ${COHORT} (stored, signed as VC-JWT)`, 'per second': Math.round(COHORT / issueSeconds), seconds: issueSeconds.toFixed(1), 'SQL statements': statements },
    { step: `sign the cohort as Data Integrity (eddsa-rdfc-2022)`, 'per second': Math.round(COHORT / diSeconds), seconds: diSeconds.toFixed(1) },
    { step: `verify (VC-JWT), ${VERIFICATIONS} through the gateway`, 'per second': Math.round(verifyJwt) },
    { step: `verify (Data Integrity), ${VERIFICATIONS} through the gateway`, 'per second': Math.round(verifyDi) },
  ]);
} finally {
  await graph.stop();
}
