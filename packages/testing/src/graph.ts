import { createLogger, type DatabaseConnection, type EventTransport, type Logger, type ServiceName } from '@tauliah/core';
import { composeFromServices, prepareDatabase, services, startGraph, type RunningGraph } from '@tauliah/cli';
import { GraphClient } from './client.ts';
import { openTestDatabase } from './database.ts';
import { openTestEventTransport, type TestEventsKind } from './events.ts';
import { statementsDuring, TEST_GATEWAY_SECRET, testConfig } from './subgraph.ts';
import { TokenFactory } from './tokens.ts';

export interface TestGraph {
  /** The gateway: what partners call. */
  gateway: GraphClient;
  /** Each subgraph, called directly (to prove a subgraph protects itself). */
  subgraph: Record<ServiceName, GraphClient>;
  tokens: TokenFactory;
  running: RunningGraph;
  connection: DatabaseConnection;
  /** The event broker the subgraphs share: JetStream when NATS_URL is set, else in-process (or as asked). */
  events: EventTransport;
  /** SQL statements across all subgraphs since start; take differences around a request. */
  statements(): number;
  /** What `run` returns and the SQL statements it cost, across all subgraphs. */
  statementsDuring<T>(run: () => Promise<T>): Promise<{ statements: number; result: T }>;
  stop(): Promise<void>;
}

/**
 * The whole federated graph in this process, as `npm start` runs it, on a
 * fresh database seeded with the demo data: five subgraphs and the gateway,
 * each on its own free port, speaking HTTP with real tokens.
 */
export async function startTestGraph(
  /** settings: configuration as an operator would set it in the environment (`{ STAFF_CHECK_TTL_MS: '1000' }`). */
  /** log: the graph's logger (silent unless given: a test reading the log lines passes one writing to a stream). */
  options: { connection?: DatabaseConnection; events?: TestEventsKind; settings?: Record<string, string>; log?: Logger } = {},
): Promise<TestGraph> {
  const config = testConfig(options.settings);
  // A caller may bring a database of its own (a bench's national data set); stop() closes it either way.
  const connection = options.connection ?? (await openTestDatabase());
  const events = openTestEventTransport(options.events);
  try {
    await prepareDatabase(connection, services, config, { seed: true });
    const tokens = await TokenFactory.create();
    const running = await startGraph({
      config,
      connection,
      verifier: tokens.verifier(config),
      gatewaySecret: TEST_GATEWAY_SECRET,
      log: options.log ?? createLogger({ level: 'silent' }),
      host: '127.0.0.1',
      ports: 0,
      // Composed from the code under test, so a schema change needs no recompose to be tested
      // (a separate test checks the checked-in supergraph is current).
      supergraphSdl: await composeFromServices(),
      events,
    });
    return {
      gateway: new GraphClient(running.gateway.url, tokens),
      subgraph: Object.fromEntries(
        Object.entries(running.subgraphs).map(([name, s]) => [name, new GraphClient(s.url, tokens)]),
      ) as Record<ServiceName, GraphClient>,
      tokens,
      running,
      connection,
      events,
      statements: () => running.statements(),
      statementsDuring: (run) => statementsDuring(() => running.statements(), run),
      async stop() {
        await running.stop();
        await events.close();
        await connection.close();
      },
    };
  } catch (error) {
    await events.close();
    await connection.close();
    throw error;
  }
}
