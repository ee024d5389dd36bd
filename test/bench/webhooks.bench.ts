/**
 * `npm run bench -- webhooks`: partners' webhooks end to end on the demo data
 * (embedded database, or DATABASE_URL; JetStream when NATS_URL is set, else
 * the in-process broker). The ODL's admin registers a loopback receiver
 * (node:http, answering 204) for learner.enrolled and credential.issued; the
 * ODL's student records system then enrols cohorts of BENCH_COHORT (default
 * 50) students and issues their credentials through the gateway. Every event
 * goes the whole way: its service's outbox, the relay, the broker, the
 * providers' consumer queuing a delivery, the delivery loop, the receiver.
 *
 * Two phases of BENCH_SECONDS (default 8) each: cohorts back to back, which
 * finds how many events a second the pipeline delivers at most (the delay
 * then is mostly the backlog's); then cohorts paced to half that rate, whose
 * delay is the pipeline's own. Prints, per phase and event type, events
 * delivered per second (first commit to last arrival) and the delay from
 * commit to arrival (p50, p95, p99, max), then where that delay went.
 *
 * The commit is bracketed: the outbox row's created_at is the start of the
 * transaction that committed it (now()), so the delay from it is an upper
 * bound, and what the webhook's `timestamp` tells a partner; the mutation's
 * answer comes after the commit, so the delay from it is a lower bound. One
 * clock: the receiver runs in this process, the embedded database too, and
 * DATABASE_URL's server on this machine. Fails if an event is missing
 * BENCH_DRAIN_SECONDS (default 30) after the last commit, or arrives twice.
 */
import { courseByCode } from '@tauliah/demo-data';
import type { Who } from '@tauliah/testing';
import { startTestGraph } from '@tauliah/testing/graph';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { percentile } from './measure.ts';

const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 8) * 1000;
const COHORT = Number(process.env.BENCH_COHORT ?? 50);
const DRAIN_MS = Number(process.env.BENCH_DRAIN_SECONDS ?? 30) * 1000;
const course = courseByCode.get('SE1101')!;
const admin: Who = 'PROVIDER_STAFF';
const studentRecords: Who = 'PARTNER';

const REGISTER = `mutation($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`;
const ENROL = `mutation($i: [EnrolLearnerInput!]!, $key: String!) { enrolLearners(input: $i, idempotencyKey: $key) { failed results { learner { id } } } }`;
const ISSUE = `mutation($i: [IssueCredentialInput!]!, $key: String!) { issueCredentials(input: $i, idempotencyKey: $key) { issued results { credential { id } } } }`;

/** Wall-clock milliseconds with sub-millisecond precision, comparable with the database's timestamps. */
const wallClock = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type EventType = 'learner.enrolled' | 'credential.issued';
/** Where each type is recorded, and the id in its payload naming what it is about. */
const OUTBOX: Record<EventType, { table: string; key: string }> = {
  'learner.enrolled': { table: 'learners.outbox', key: 'learnerId' },
  'credential.issued': { table: 'credentials.outbox', key: 'credentialId' },
};

interface Arrival {
  /** `webhook-id`: the event's id, which is its outbox row's. */
  id: string;
  at: number;
}

/** The partner's side: every arrival by what it is about (`type:id`), and any `webhook-id` seen twice. */
const arrivals = new Map<string, Arrival[]>();
const seenIds = new Set<string>();
const twice: string[] = [];
const receiver = createServer((request, response) => {
  const at = wallClock();
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const id = String(request.headers['webhook-id']);
    const { type, data } = JSON.parse(Buffer.concat(chunks).toString()) as { type: EventType; data: Record<string, string> };
    if (seenIds.has(id)) twice.push(id);
    seenIds.add(id);
    const about = `${type}:${data[OUTBOX[type]?.key ?? 'id']}`;
    arrivals.set(about, [...(arrivals.get(about) ?? []), { id, at }]);
    response.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/tauliah`;

let serial = 0;
/** A new Malaysian student per call (NRIC digits from the date of birth), as credentials.bench.ts makes them. */
function student() {
  const i = serial++;
  const born = new Date(Date.UTC(2000, 0, 1) + (i % 3650) * 86_400_000).toISOString().slice(0, 10);
  const nric = `${born.slice(2).replaceAll('-', '')}-10-${String(i % 10_000).padStart(4, '0')}`;
  return { studentNumber: `WEBHOOK-BENCH-${i}`, fullName: `Pelajar ${i}`, email: `pelajar${i}@bench.example.my`, dateOfBirth: born, citizenship: 'MALAYSIAN', nric };
}

/** One event a cohort committed: what it is about, and when the mutation that committed it answered. */
interface Committed {
  about: string;
  type: EventType;
  answeredAt: number;
}

/** An event's way through the pipeline, by the database's records of it and the receiver's. */
interface Trace {
  type: EventType;
  /** The outbox row's created_at: the committing transaction's start. */
  created: number;
  /** The relay marked it published (after its round of up to 100 was published). */
  published: number;
  /** The providers' consumer queued its delivery (the routing transaction's start). */
  queued: number;
  /** The delivery loop claimed it for its first attempt. */
  claimed: number;
  arrived: number;
  answered: number;
}

const graph = await startTestGraph();
try {
  /** One cohort: enrolled (a learner.enrolled each), then their credentials issued (a credential.issued each). */
  async function cohort(size: number): Promise<Committed[]> {
    const key = `webhook-bench-${serial}`;
    const { enrolLearners } = await graph.gateway.ok(ENROL, { as: studentRecords, variables: { i: Array.from({ length: size }, student), key } });
    const enrolledAt = wallClock();
    if (enrolLearners.failed > 0) throw new Error(`${enrolLearners.failed} students of a bench cohort were not enrolled`);
    const learnerIds: string[] = enrolLearners.results.map((r: { learner: { id: string } }) => r.learner.id);
    const { issueCredentials } = await graph.gateway.ok(ISSUE, { as: studentRecords, variables: { i: learnerIds.map((learnerId) => ({ learnerId, courseId: course.id })), key } });
    const issuedAt = wallClock();
    if (issueCredentials.issued !== size) throw new Error(`issued ${issueCredentials.issued} of a cohort of ${size}`);
    return [
      ...learnerIds.map((id) => ({ about: `learner.enrolled:${id}`, type: 'learner.enrolled' as const, answeredAt: enrolledAt })),
      ...issueCredentials.results.map((r: { credential: { id: string } }) => ({ about: `credential.issued:${r.credential.id}`, type: 'credential.issued' as const, answeredAt: issuedAt })),
    ];
  }

  const missing = (committed: Committed[]) => committed.filter((c) => !arrivals.has(c.about)).length;
  /** Waits for every event to arrive; then checks none came twice (nor two events about one change). */
  async function drained(committed: Committed[], what: string): Promise<void> {
    const deadline = Date.now() + DRAIN_MS;
    while (missing(committed) > 0) {
      if (Date.now() > deadline) throw new Error(`${missing(committed)} of ${committed.length} ${what} events had not arrived ${DRAIN_MS / 1000} s after the last commit`);
      await sleep(20);
    }
    const announcedTwice = committed.filter((c) => arrivals.get(c.about)!.length > 1).length;
    if (twice.length > 0 || announcedTwice > 0) {
      throw new Error(`${twice.length} webhook-id(s) arrived twice (${twice.slice(0, 3).join(', ')}); ${announcedTwice} change(s) were announced more than once`);
    }
  }

  /** Each event's trace, read from its outbox row and its delivery row (one statement per outbox). */
  async function traced(committed: Committed[]): Promise<Trace[]> {
    const traces: Trace[] = [];
    for (const [type, { table }] of Object.entries(OUTBOX)) {
      const mine = committed.filter((c) => c.type === type);
      const byId = new Map(mine.map((c) => [arrivals.get(c.about)![0]!.id, c]));
      const ms = (column: string) => `extract(epoch from ${column})::float8 * 1000`;
      const rows = await graph.connection.query<{ id: string; created: number; published: number; queued: number; claimed: number }>(
        `select o.id::text as id, ${ms('o.created_at')} as created, ${ms('o.published_at')} as published, ${ms('d.created_at')} as queued, ${ms('d.scheduled_since')} as claimed
         from ${table} o join providers.webhook_delivery d on d.event_id = o.id
         where o.id in (select jsonb_array_elements_text($1::jsonb)::uuid)`,
        [JSON.stringify([...byId.keys()])],
      );
      if (rows.length !== mine.length) throw new Error(`${mine.length - rows.length} ${type} webhook-id(s) name no delivery of a row of ${table}`);
      for (const row of rows) {
        const committedEvent = byId.get(row.id)!;
        const { created, published, queued, claimed } = { created: Number(row.created), published: Number(row.published), queued: Number(row.queued), claimed: Number(row.claimed) };
        traces.push({ type: committedEvent.type, created, published, queued, claimed, arrived: arrivals.get(committedEvent.about)![0]!.at, answered: committedEvent.answeredAt });
      }
    }
    return traces;
  }

  const sorted = (values: number[]) => values.sort((a, b) => a - b);
  const at = (values: number[], p: number) => Math.round(percentile(values, p));

  function figures(phase: string, events: string, traces: Trace[]) {
    const delay = sorted(traces.map((t) => t.arrived - t.created));
    const afterAnswer = sorted(traces.map((t) => t.arrived - t.answered));
    const span = Math.max(...traces.map((t) => t.arrived)) - Math.min(...traces.map((t) => t.created));
    return {
      phase,
      events,
      delivered: traces.length,
      'delivered/s': Math.round(traces.length / (span / 1000)),
      'p50 ms': at(delay, 50),
      'p95 ms': at(delay, 95),
      'p99 ms': at(delay, 99),
      'max ms': Math.round(delay.at(-1)!),
      'p50 after answer': at(afterAnswer, 50),
      'p99 after answer': at(afterAnswer, 99),
    };
  }

  function stages(phase: string, traces: Trace[]) {
    const stage = (name: string, from: Exclude<keyof Trace, 'type'>, to: Exclude<keyof Trace, 'type'>) => {
      const spans = sorted(traces.map((t) => t[to] - t[from]));
      return { phase, stage: name, 'p50 ms': at(spans, 50), 'p99 ms': at(spans, 99) };
    };
    return [
      // The relay marks a round of up to 100 published after the last of them: a late mark, so this overlaps the next line.
      stage('commit → relay marked its round published', 'created', 'published'),
      stage('commit → consumer queued the delivery (relay, broker, consumer)', 'created', 'queued'),
      stage('queued → delivery loop claimed it', 'queued', 'claimed'),
      stage('claimed → receiver got it (the HTTP attempt)', 'claimed', 'arrived'),
    ];
  }

  /** Cohorts for BENCH_SECONDS, one starting every `everyMs` (at once after the last when 0); then every event, arrived. */
  async function phase(everyMs: number): Promise<{ committed: Committed[]; committing: number; backlog: number }> {
    const committed: Committed[] = [];
    const began = wallClock();
    for (let n = 0; wallClock() < began + DURATION_MS; n++) {
      const startAt = began + n * everyMs;
      if (startAt >= began + DURATION_MS) break;
      await sleep(Math.max(0, startAt - wallClock()));
      committed.push(...(await cohort(COHORT)));
    }
    const committing = (wallClock() - began) / 1000;
    const backlog = missing(committed);
    await drained(committed, 'measured');
    return { committed, committing, backlog };
  }

  await graph.gateway.ok(REGISTER, { as: admin, variables: { input: { url: receiverUrl, eventTypes: ['LEARNER_ENROLLED', 'CREDENTIAL_ISSUED'], description: 'webhooks bench receiver' } } });
  // Warm up the whole way (JIT, query plans, the broker's consumers), not measured.
  await drained(await cohort(5), 'warm-up');

  console.log(
    `Tauliah webhooks bench: ${graph.connection.kind} database, ${graph.events.kind} broker, cohorts of ${COHORT} enrolled and issued by one student records system, ${DURATION_MS / 1000} s per phase, through the gateway to a loopback receiver\n`,
  );
  const rows = [];
  const stageRows = [];
  const notes: string[] = [];
  let capacity = 0;
  for (const name of ['back to back', 'paced at half'] as const) {
    // Paced: a cohort's events (2 per student) at half the rate the back-to-back phase delivered.
    const everyMs = name === 'back to back' ? 0 : (2 * COHORT * 1000) / (capacity / 2);
    const { committed, committing, backlog } = await phase(everyMs);
    const traces = await traced(committed);
    const ofType = (type: EventType) => traces.filter((t) => t.type === type);
    rows.push(figures(name, 'learner.enrolled', ofType('learner.enrolled')), figures(name, 'credential.issued', ofType('credential.issued')), figures(name, 'all', traces));
    stageRows.push(...stages(name, traces));
    if (name === 'back to back') capacity = rows.at(-1)!['delivered/s'];
    notes.push(
      `${name}: ${committed.length} events committed in ${committing.toFixed(1)} s (${Math.round(committed.length / committing)}/s${everyMs ? `, a cohort every ${Math.round(everyMs)} ms` : ''}); ${backlog} still on their way at the last answer; each arrived once.`,
    );
  }
  console.table(rows);
  console.table(stageRows);
  console.log(`\n${notes.join('\n')}`);
  console.log(
    `Delay from the outbox row's created_at (the committing transaction's start: an upper bound); "after answer" from the mutation's answer (after its commit: a lower bound).`,
  );
} finally {
  await graph.stop();
  receiver.closeAllConnections();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
}
