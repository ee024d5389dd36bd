import { prepareDatabase, services } from '@tauliah/cli';
import { createLogger, JetStreamTransport, learnerResidenceEvent, organisationApprovedEvent, SERVICE_NAMES, subjectMatches, type Delivery, type EventSubscription, type ServiceName, type SubscribeOptions } from '@tauliah/core';
import { natsServerSkipReason, openTestDatabase, testConfig } from '@tauliah/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { natsServerConfUsers } from './deploy/dependencies.ts';
import { consumedStreams, eventContracts, natsPermissionsFor, readEventFlows, usesEvents, type ServiceEvents } from './deploy/event-flows.ts';
import { startConfiguredNats, type ConfiguredNats, type StreamReport } from './deploy/nats-server.ts';

// deploy/nats/nats-server.conf (and, through k8s-manifests.test.ts and compose-file.test.ts, the
// Helm values, docker-compose.yml and the Secrets) against what the code publishes and consumes:
// first as text, then on a real nats-server with each service's user driving the project's own
// JetStream transport.

const CONF = 'deploy/nats/nats-server.conf';
/** The namespace the configuration is written for: the services' default. */
const NAMESPACE = testConfig().NATS_NAMESPACE;

let flows: ServiceEvents[];
beforeAll(async () => {
  const connection = await openTestDatabase();
  try {
    await prepareDatabase(connection, services, testConfig(), { seed: false });
    flows = await readEventFlows(connection);
  } finally {
    await connection.close();
  }
});

const flowOf = (service: ServiceName) => flows.find((flow) => flow.service === service)!;
const sorted = (subjects: string[]) => [...subjects].sort();

describe(`the NATS users (${CONF}) follow what the code publishes and consumes`, () => {
  it("reads from each service's worker what it consumes, and from the contracts what it publishes", () => {
    // What the reading must see, or every check below would hold vacuously.
    expect(flowOf('credentials').consumes).toContainEqual(expect.objectContaining({ producer: 'learners', subject: learnerResidenceEvent.subject }));
    expect(flowOf('employers').consumes).toContainEqual(expect.objectContaining({ producer: 'providers', subject: organisationApprovedEvent.subject }));
    expect(flowOf('learners').produces).toContain(learnerResidenceEvent.subject);
    // Every event someone consumes has a contract, and so a producer that publishes it.
    const declared = eventContracts().map((contract) => contract.subject);
    for (const flow of flows) for (const consumer of flow.consumes) expect(declared.some((subject) => subjectMatches(consumer.subject, subject)), `${flow.service} consumes ${consumer.subject}`).toBe(true);
  });

  it('give every service that publishes or consumes events a user of its own, and nobody else', () => {
    const users = natsServerConfUsers(CONF).map((user) => user.user);
    expect(new Set(users).size).toBe(users.length);
    expect(sorted(users)).toEqual(sorted(flows.filter(usesEvents).map((flow) => flow.service)));
    // Every password is a variable of its own, read from the environment, quoted (deploy/nats/nats-server.conf says why).
    const variables = natsServerConfUsers(CONF).map((user) => user.password);
    expect(variables).toEqual(users.map((user) => `NATS_${user.toUpperCase()}_PASSWORD_QUOTED`));
  });

  it('let each user publish to its own stream only, and consume exactly the streams its worker reads', () => {
    const problems: string[] = [];
    for (const user of natsServerConfUsers(CONF)) {
      const flow = flowOf(user.user as ServiceName);
      const want = natsPermissionsFor(flow, NAMESPACE);
      const missing = want.publish.filter((subject) => !user.publish.includes(subject));
      const extra = user.publish.filter((subject) => !want.publish.includes(subject));
      const reads = consumedStreams(flow).join(', ') || 'nothing';
      if (missing.length > 0) problems.push(`${user.user} (publishes ${flow.produces.length > 0 ? 'its stream' : 'nothing'}, consumes ${reads}) may not publish to ${missing.join(', ')}`);
      if (extra.length > 0) problems.push(`${user.user} may publish to ${extra.join(', ')}, which no code of ${user.user} needs`);
      if (JSON.stringify(user.subscribe) !== JSON.stringify(want.subscribe)) problems.push(`${user.user} may subscribe to ${user.subscribe.join(', ')}: only ${want.subscribe.join(', ')}`);
    }
    expect(problems).toEqual([]);
  });

  it('would fail for a service that starts consuming an event it has no permission for', () => {
    // As a new consumer would: funding starting to read learner.enrolled.
    const funding = structuredClone(flowOf('funding'));
    funding.consumes.push({ producer: 'learners', subject: 'learners.learner.enrolled', durable: 'funding-learner-enrolled' });
    const allowed = natsServerConfUsers(CONF).find((user) => user.user === 'funding')!.publish;
    expect(natsPermissionsFor(funding, NAMESPACE).publish.filter((subject) => !allowed.includes(subject))).toEqual(
      expect.arrayContaining(['$JS.API.CONSUMER.MSG.NEXT.TAULIAH_LEARNERS.*', '$JS.ACK.TAULIAH_LEARNERS.>']),
    );
  });

  it("name each durable consumer after its service, so services reading one stream never share (and split) one another's", () => {
    for (const flow of flows) {
      for (const consumer of flow.consumes) expect(consumer.durable, `${flow.service} reading ${consumer.subject}`).toMatch(new RegExp(`^${flow.service}-[a-z0-9-]+$`));
      const durables = flow.consumes.map((consumer) => `${consumer.producer}/${consumer.durable}`);
      expect(new Set(durables).size, `${flow.service}'s durable names`).toBe(durables.length);
    }
  });
});

const skipReason = natsServerSkipReason('the NATS permission tests');

describe.skipIf(skipReason !== undefined)(`a real nats-server running ${CONF}${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const log = createLogger({ level: 'silent' });
  const opened: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    for (const resource of opened.reverse()) await resource.close();
  });

  async function freshServer(): Promise<ConfiguredNats> {
    const server = await startConfiguredNats(CONF);
    opened.push({ close: () => server.destroy() });
    return server;
  }

  /** The project's own transport, signed in as the service's user, as its NATS_URL makes it. */
  function transportOf(server: ConfiguredNats, service: ServiceName): JetStreamTransport {
    const transport = new JetStreamTransport({ servers: server.urlFor(service), namespace: NAMESPACE, log, timeoutMs: 3_000 });
    opened.push(transport);
    return transport;
  }

  const envelope = (subject: string) => ({ id: randomUUID(), subject, version: 1, occurredAt: new Date().toISOString(), data: {} });

  /**
   * Reads the first message a subscription hands over (a failure naming what
   * did not arrive), then closes it as a worker does: reading on while it
   * closes, since the transport hands back what it pulled only to a reader.
   */
  async function readFirst(subscription: EventSubscription, what: string): Promise<Delivery> {
    const messages = subscription.messages[Symbol.asyncIterator]();
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`nothing arrived: ${what}`)), 10_000).unref());
    const first = await Promise.race([messages.next(), timeout]);
    if (first.done) throw new Error(`the subscription ended: ${what}`);
    return first.value;
  }

  async function close(subscription: EventSubscription): Promise<void> {
    const closed = subscription.close();
    const messages = subscription.messages[Symbol.asyncIterator]();
    while (!(await messages.next()).done);
    await closed;
  }

  /**
   * Every producer publishes one event of each kind someone consumes, and
   * every consumer reads the first of its kind through the durable its worker
   * uses, and acknowledges it; publishers first (each makes its own stream)
   * or consumers first (the first consumer of a stream makes it).
   */
  async function exchangeEvents(order: 'publishers first' | 'consumers first') {
    const server = await freshServer();
    const transports = Object.fromEntries(SERVICE_NAMES.map((service) => [service, transportOf(server, service)])) as Record<ServiceName, JetStreamTransport>;
    const consumers = flows.flatMap((flow) => flow.consumes.map((options) => ({ service: flow.service, options })));
    const published: Array<{ subject: string; id: string }> = [];
    const subscriptions: Array<{ service: ServiceName; options: SubscribeOptions; subscription: EventSubscription }> = [];

    async function publishAll() {
      for (const flow of flows.filter((candidate) => candidate.produces.length > 0)) {
        const consumed = flow.produces.filter((subject) => consumers.some(({ options }) => subjectMatches(options.subject, subject)));
        for (const subject of consumed.length > 0 ? consumed : flow.produces.slice(0, 1)) {
          const event = envelope(subject);
          await transports[flow.service].publish(event).catch((error: Error) => {
            throw new Error(`${flow.service} could not publish ${subject} to its own stream: ${error.message}`);
          });
          published.push({ subject, id: event.id });
        }
      }
    }
    async function subscribeAll() {
      for (const { service, options } of consumers) {
        const subscription = await transports[service].subscribe(options).catch((error: Error) => {
          throw new Error(`${service} could not consume ${options.subject} (durable ${options.durable}): ${error.message}`);
        });
        subscriptions.push({ service, options, subscription });
      }
    }

    if (order === 'publishers first') {
      await publishAll();
      await subscribeAll();
    } else {
      await subscribeAll();
      await publishAll();
    }

    await Promise.all(
      subscriptions.map(async ({ service, options, subscription }) => {
        const what = `${service} reading ${options.subject} through ${options.durable}`;
        const delivery = await readFirst(subscription, what);
        const expected = published.find((event) => subjectMatches(options.subject, event.subject));
        expect((JSON.parse(delivery.body) as { id: string }).id, what).toBe(expected?.id);
        delivery.ack();
      }),
    );
    await Promise.all(subscriptions.map(({ subscription }) => close(subscription)));

    // An acknowledgement is a plain publish: a refused one is only an error on the connection. The server's own count says it arrived.
    const unacknowledged = async () => {
      const streams = await server.streams();
      return consumers.filter(({ options }) => {
        const consumer = streams.flatMap((stream) => stream.consumer_detail ?? []).find((candidate) => candidate.name === options.durable);
        return !consumer || consumer.num_ack_pending > 0 || consumer.ack_floor.stream_seq < consumer.delivered.stream_seq;
      });
    };
    const deadline = Date.now() + 5_000;
    while ((await unacknowledged()).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await unacknowledged()).map(({ service, options }) => `${service}: ${options.durable}`)).toEqual([]);
    return { server, transports };
  }

  it("lets each publisher make its stream and publish to it, and each consumer read and acknowledge the others' through its workers' durables", async () => {
    const { server, transports } = await exchangeEvents('publishers first');
    const streams = (await server.streams()).map((stream) => stream.name);
    expect(sorted(streams)).toEqual(sorted(flows.filter((flow) => flow.produces.length > 0).map((flow) => transports[flow.service].streamName(flow.service))));
  });

  it('lets a consumer starting before its producer make the stream it reads', async () => {
    await exchangeEvents('consumers first');
  });

  it("refuses each user publishing to another service's stream, and reading a stream it does not consume", async () => {
    // Every stream exists and has events: a consumer's attempt to publish gets past the stream's info to the publish itself.
    const { server, transports } = await exchangeEvents('publishers first');
    const before = await server.streams();
    const producers = flows.filter((flow) => flow.produces.length > 0);
    const refusals: string[] = [];
    const expectRefused = async (attempt: Promise<unknown>, what: string) => {
      const outcome = await attempt.then(
        () => 'allowed',
        (error: Error) => error.message,
      );
      if (!/Permissions Violation for Publish to "[^"]+"/.test(outcome)) refusals.push(`${what}: ${outcome}`);
    };
    for (const service of SERVICE_NAMES) {
      for (const producer of producers.filter((flow) => flow.service !== service)) {
        await expectRefused(transports[service].publish(envelope(producer.produces[0]!)), `${service} publishing ${producer.produces[0]} to ${producer.service}'s stream`);
      }
      for (const producer of producers.filter((flow) => !consumedStreams(flowOf(service)).includes(flow.service))) {
        const options = { producer: producer.service, subject: `${producer.service}.>`, durable: `${service}-unpermitted` };
        await expectRefused(transports[service].subscribe(options), `${service} reading ${producer.service}'s stream`);
      }
    }
    expect(refusals).toEqual([]);
    // Nothing refused was stored, and no consumer was made.
    const state = (streams: StreamReport[]) => streams.map((stream) => `${stream.name}: ${stream.state.last_seq} events, ${stream.consumer_detail?.length ?? 0} consumers`).sort();
    expect(state(await server.streams())).toEqual(state(before));
  });
});
