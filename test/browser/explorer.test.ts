import { createLogger, type RunningServer } from '@tauliah/core';
import { composeFromServices } from '@tauliah/cli';
import { learnerByKey, personas } from '@tauliah/demo-data';
import { startGateway } from '@tauliah/gateway';
import { TEST_GATEWAY_SECRET, testConfig } from '@tauliah/testing';
import { startTestGraph, type TestGraph } from '@tauliah/testing/graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPLORER_EXAMPLES, headersWithToken } from '../../gateway/src/explorer/index.ts';
import { browserSkipReason, launchBrowser, type OfflinePage, type TestBrowser } from './support.ts';

/**
 * The explorer in a real headless Chromium with no network but this
 * machine: it must load, document the schema and run queries from nothing
 * but the gateway's own origin. Screenshots: test/browser/artifacts/explorer*.png.
 */
const skip = browserSkipReason();
const aisyah = learnerByKey('aisyah');

describe.skipIf(skip !== undefined)(`the explorer${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let graph: TestGraph;
  let browser: TestBrowser;
  /** A second gateway in front of the same subgraphs, as `npm start` runs it: offering the demo personas' tokens. */
  let embedded: RunningServer;
  beforeAll(async () => {
    graph = await startTestGraph();
    browser = await launchBrowser();
    const tokens = await Promise.all(
      (['LEARNER', 'EMPLOYER'] as const).map(async (role) => ({ role, description: personas[role].description, token: await graph.tokens.tokenFor(role) })),
    );
    const config = testConfig();
    embedded = await startGateway({
      supergraphSdl: await composeFromServices(),
      config,
      verifier: graph.tokens.verifier(config),
      gatewaySecret: TEST_GATEWAY_SECRET,
      log: createLogger({ level: 'silent' }),
      subgraphUrls: Object.fromEntries(Object.entries(graph.running.subgraphs).map(([name, subgraph]) => [name, subgraph.url])),
      listen: { port: 0, host: '127.0.0.1' },
      explorer: { personas: tokens },
    });
  });
  afterAll(async () => {
    await browser?.close();
    await embedded?.stop();
    await graph?.stop();
  });

  const originOf = (server: RunningServer) => new URL(server.url).origin;

  /** Opens the explorer and waits until GraphiQL has drawn its tabs. */
  async function open(url: string): Promise<OfflinePage> {
    const tab = await browser.offlinePage();
    await tab.page.goto(url);
    await tab.page.locator('.graphiql-tab').first().waitFor();
    return tab;
  }

  /** Runs the active tab's operation and waits for the response pane to show `expected`. */
  async function run({ page }: OfflinePage, expected: string): Promise<void> {
    await page.locator('.graphiql-execute-button').click();
    // The response pane's text as drawn (a failure shows what it said instead).
    await expect.poll(() => page.locator('.graphiql-response').innerText(), { timeout: 20_000 }).toContain(expected);
  }

  /** Replaces the active tab's headers as someone pasting them would. */
  async function pasteHeaders({ page }: OfflinePage, headers: string): Promise<void> {
    await page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText(headers);
  }

  it("opens offline at / on a tab per stakeholder's README example and runs the public one", async () => {
    const tab = await open(`${originOf(graph.running.gateway)}/`);
    const { page } = tab;
    expect(await page.locator('.graphiql-tab').allInnerTexts()).toEqual(EXPLORER_EXAMPLES.map((example) => example.operationName));
    await expect.poll(() => page.locator('.graphiql-query-editor').innerText()).toContain('# As: public');
    await run(tab, '"totalCount"');
    expect(await page.locator('.graphiql-response').innerText()).not.toContain('"errors"');
    await tab.screenshot('explorer');
    expect(tab.blocked).toEqual([]);
    expect(tab.errors).toEqual([]);
  });

  it('runs an example at /graphql with a token pasted in its headers', async () => {
    const tab = await open(`${originOf(graph.running.gateway)}/graphql`);
    await tab.page.locator('.graphiql-tab', { hasText: 'Learner' }).locator('.graphiql-tab-button').click();
    await run(tab, 'UNAUTHENTICATED'); // The placeholder "<token>" is not a token.
    await pasteHeaders(tab, headersWithToken(await graph.tokens.tokenFor('LEARNER')));
    await run(tab, aisyah.fullName);
    await tab.screenshot('explorer-pasted-token');
    expect(tab.blocked).toEqual([]);
  });

  it('documents the schema from introspection', async () => {
    const tab = await open(`${originOf(graph.running.gateway)}/`);
    const { page } = tab;
    await page.getByLabel('Show Documentation Explorer').click();
    await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).first().click();
    await page.locator('.graphiql-doc-explorer').getByText('courses', { exact: true }).first().waitFor();
    await tab.screenshot('explorer-docs');
    expect(tab.blocked).toEqual([]);
  });

  it("offers the demo personas' tokens in embedded mode, each example tab already sending its own", async () => {
    const tab = await open(`${originOf(embedded)}/`);
    const { page } = tab;
    await page.locator('.graphiql-tab', { hasText: 'Learner' }).locator('.graphiql-tab-button').click();
    await run(tab, aisyah.fullName);
    // Picked in the Tokens pane, the employer's persona is refused `me`: only a learner has one.
    await page.getByLabel('Show Tokens').click();
    await page.locator('.tauliah-tokens').getByRole('button', { name: 'EMPLOYER' }).click();
    await run(tab, 'FORBIDDEN');
    await page.locator('.tauliah-tokens').getByRole('button', { name: 'LEARNER' }).click();
    await run(tab, aisyah.fullName);
    await tab.screenshot('explorer-embedded');
    expect(tab.blocked).toEqual([]);
    expect(tab.errors).toEqual([]);
  });
});
