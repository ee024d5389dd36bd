import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * The browser tests' harness: Debian's Chromium driven by playwright-core
 * (no browser download), one fresh profile per launch, pages cut off from
 * every host but this machine, screenshots kept under test/browser/artifacts/.
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const ARTIFACTS_DIR = fileURLToPath(new URL('./artifacts/', import.meta.url));

/** Quiet and offline: no first-run UI, no update checks, no sync, no background requests of Chromium's own. */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// eslint-disable-next-line no-restricted-properties -- the harness's one setting: in CI the browser must be there (.ci/run installs it).
const inCi = Boolean(process.env.CI);

/**
 * Why the browser tests cannot run on this machine, or undefined when they
 * can. In CI a missing browser is a failure, not a skip.
 */
export function browserSkipReason(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  const reason = `${CHROMIUM_PATH} is missing: install Debian's chromium (apt-get install -y --no-install-recommends chromium) to run the browser tests`;
  if (inCi) throw new Error(reason);
  return reason;
}

export interface OfflinePage {
  page: Page;
  /** Every request the page tried to make to a host other than 127.0.0.1 (all refused). */
  blocked: string[];
  /** Errors the page's scripts threw or logged (a Content-Security-Policy violation among them). */
  errors: string[];
  /** Saves a full-page screenshot as test/browser/artifacts/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
}

export interface TestBrowser {
  /** A new tab in which only 127.0.0.1 answers: anything else is refused and recorded. */
  offlinePage(): Promise<OfflinePage>;
  close(): Promise<void>;
}

const LOCAL_HOSTS = new Set(['127.0.0.1']);

/** Launches Chromium headless with a new, empty profile, removed on close. */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'tauliah-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1280, height: 800 },
      // The pages are in English and Malay; the tests read English unless they ask otherwise.
      locale: 'en-GB',
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  await mkdir(ARTIFACTS_DIR, { recursive: true });

  return {
    async offlinePage() {
      const page = await context.newPage();
      const blocked: string[] = [];
      const errors: string[] = [];
      await page.route('**/*', async (route) => {
        const url = new URL(route.request().url());
        if (LOCAL_HOSTS.has(url.hostname)) return route.continue();
        blocked.push(url.href);
        return route.abort('internetdisconnected');
      });
      page.on('websocket', (socket) => {
        if (!LOCAL_HOSTS.has(new URL(socket.url()).hostname)) blocked.push(socket.url());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      return {
        page,
        blocked,
        errors,
        async screenshot(name) {
          const path = join(ARTIFACTS_DIR, `${name}.png`);
          await page.screenshot({ path, fullPage: true });
          return path;
        },
      };
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
