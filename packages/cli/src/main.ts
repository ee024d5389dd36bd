import { disableApolloTelemetry } from '@tauliah/gateway';
import { ConfigError, createLogger, loadConfigOrExit, openDatabase } from '@tauliah/core';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { compose } from './compose.ts';
import { servicesConfigSchema } from './config.ts';
import { seedNational } from './national/index.ts';
import { prepareDatabase } from './seed.ts';
import { services } from './services.ts';
import { token, UsageError } from './token.ts';
import { up } from './up.ts';

const USAGE = `Usage: tauliah <command> [options]

Commands:
  up                      start the whole graph (embedded database unless DATABASE_URL is set), seeded with demo data
  seed                    migrate and seed the demo data set into an empty database
        [--scale national|<fraction>]
                          also load the synthetic national data set (about 1,000,000 learners,
                          5,000,000 credentials) into PostgreSQL (DATABASE_URL) with COPY
  migrate                 apply pending migrations of every service
  token --role <ROLE>     print a token for the running embedded graph
        [--sub ID] [--org ID] [--employer ID] [--expires 12h]
                          (without --sub/--org: the demo persona of that role). A
                          PROVIDER_STAFF, EMPLOYER, FUNDER or PARTNER token acts for its
                          organisation only while its --sub is a staff account there
                          (SYSTEM for PARTNER, PERSON otherwise): an admin of it adds the
                          account with addProviderStaff, addEmployerStaff or addFunderStaff
  compose [--check]       compose gateway/supergraph.graphql from the subgraph schemas
`;

async function withDatabase(seed: boolean): Promise<void> {
  const config = loadConfigOrExit(servicesConfigSchema);
  const connection = await openDatabase({ url: config.DATABASE_URL, dataDir: join(config.DATA_DIR, 'pglite') });
  try {
    const report = await prepareDatabase(connection, services, config, { seed });
    process.stdout.write(
      `Migrated: ${report.migrated.join(', ') || 'nothing pending'}.${seed ? ` Seeded: ${report.seeded.join(', ') || 'already seeded'}.` : ''}\n`,
    );
  } finally {
    await connection.close();
  }
}

async function seedAtScale(scaleArgument: string): Promise<void> {
  const scale = scaleArgument === 'national' ? 1 : Number(scaleArgument);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 1) {
    throw new UsageError(`--scale takes "national" or a fraction of it between 0 and 1 (e.g. 0.01); got ${scaleArgument}.`);
  }
  const config = loadConfigOrExit(servicesConfigSchema);
  if (!config.DATABASE_URL) {
    throw new UsageError('The national data set loads into PostgreSQL: set DATABASE_URL (the embedded database is for the demo set).');
  }
  process.stdout.write(`Loading the national data set (scale ${scale}) into ${new URL(config.DATABASE_URL).host}...\n`);
  const { seconds, sizes } = await seedNational({ url: config.DATABASE_URL, config, scale });
  process.stdout.write(
    `Loaded ${sizes.learners.toLocaleString('en')} learners, ~${(sizes.learners * sizes.credentialsPerLearner).toLocaleString('en')} credentials, ${sizes.courses.toLocaleString('en')} courses, ${sizes.employers.toLocaleString('en')} employers in ${seconds.toFixed(0)} s.\n`,
  );
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      role: { type: 'string' },
      sub: { type: 'string' },
      org: { type: 'string' },
      employer: { type: 'string' },
      expires: { type: 'string' },
      check: { type: 'boolean', default: false },
      scale: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help || !command || command === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  switch (command) {
    case 'up':
      return up();
    case 'seed':
      return values.scale ? seedAtScale(values.scale) : withDatabase(true);
    case 'migrate':
      return withDatabase(false);
    case 'token':
      return token(values);
    case 'compose':
      return compose({ check: values.check ?? false });
    default:
      throw new UsageError(`Unknown command "${command}".\n\n${USAGE}`);
  }
}

disableApolloTelemetry();
main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`${(error as Error).message}\n`);
  } else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    const { port } = error as { port?: number };
    process.stderr.write(
      `Port ${port} is already in use: is another Tauliah running? Stop it, or choose other ports (GATEWAY_PORT, LEARNERS_PORT, PROVIDERS_PORT, EMPLOYERS_PORT, FUNDING_PORT, CREDENTIALS_PORT).\n`,
    );
  } else {
    createLogger({ name: 'tauliah' }).fatal({ err: error }, 'failed');
  }
  process.exit(1);
});
