/**
 * The browser side of the e2e suites: Debian's Chromium driven by playwright-core (no browser
 * download, the flags this machine needs: its network is closed, so background networking would
 * only fail), started for a suite beside the test server its pages visit.
 */
import { existsSync } from 'node:fs';
import { after, before } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { startTestServer, type TestServer, type TestServerOptions } from '../helpers/server.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH.`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** The test server and the browser a suite's tests share; read them in tests and later hooks. */
export interface BrowserSuite {
  readonly server: TestServer;
  readonly browser: Browser;
}

/**
 * Starts the test server and Chromium in the calling suite's `before` and stops both in its `after`.
 * `options` may be a function, for options only known once an earlier `before` has run (a port).
 */
export function serverAndBrowser(options: TestServerOptions | (() => TestServerOptions) = {}): BrowserSuite {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  before(async () => {
    server = await startTestServer(typeof options === 'function' ? options() : options);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('serverAndBrowser(): read the server and browser in tests or hooks, after its `before` has run');
    return value;
  };
  return { get server() { return started(server); }, get browser() { return started(browser); } };
}
