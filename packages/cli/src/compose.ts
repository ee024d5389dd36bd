import { composeSupergraph, subgraphSdl } from '@tauliah/gateway';
import { DEFAULT_PORTS, sharedOnce } from '@tauliah/core';
import { readFile, writeFile } from 'node:fs/promises';
import { SUPERGRAPH_PATH } from './graph.ts';
import { services } from './services.ts';

/** Composes the supergraph from the five subgraph schemas, as the gateway loads it (once per process: the schemas cannot change in it). */
export const composeFromServices = sharedOnce(async (): Promise<string> => {
  const subgraphs = await Promise.all(
    services.map(async (service) => ({
      name: service.name,
      url: `http://localhost:${DEFAULT_PORTS[service.name]}/graphql`,
      sdl: subgraphSdl(await service.buildSchema()),
    })),
  );
  return composeSupergraph(subgraphs);
});

/** `tauliah compose [--check]`: writes gateway/supergraph.graphql, or fails when it is stale. */
export async function compose(options: { check: boolean }): Promise<void> {
  const fresh = await composeFromServices();
  const current = await readFile(SUPERGRAPH_PATH, 'utf8').catch(() => '');
  if (options.check) {
    if (current !== fresh) {
      process.stderr.write('gateway/supergraph.graphql is stale: run "npm run compose" and commit it.\n');
      process.exitCode = 1;
    } else process.stdout.write('gateway/supergraph.graphql is up to date.\n');
    return;
  }
  await writeFile(SUPERGRAPH_PATH, fresh);
  process.stdout.write(current === fresh ? 'gateway/supergraph.graphql unchanged.\n' : 'Wrote gateway/supergraph.graphql.\n');
}
