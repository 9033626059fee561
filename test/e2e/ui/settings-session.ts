// What the Settings page tests against the real supervisor share: a supervisor on the demo server (or a fixture) with
// no Anthropic credential unless a test gives one, and pages whose console errors are collected and checked.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startHarness, type Harness, type HarnessOptions } from '../../support/supervisor-harness.js';
import { launchBrowser, newContext, waitForText, watchErrors } from './browser.js';

/** Environment for a supervisor that asks no real Anthropic (credentials from the developer's shell would win). */
export const noCredentials = { ANTHROPIC_API_KEY: '', CLAUDE_CODE_OAUTH_TOKEN: '', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' };

/** Console errors Chromium logs when the supervisor goes away or a stream is cut (the page handles them). */
export const connectionErrors = /net::ERR_CONNECTION_REFUSED|net::ERR_INCOMPLETE_CHUNKED_ENCODING|net::ERR_EMPTY_RESPONSE|Failed to fetch/;

/** Pages of one test: opened in one browser context, their console errors checked at the end. */
export class PageSession {
  private context: BrowserContext | undefined;
  private readonly errors = new Map<Page, string[]>();
  /** Console errors the test expects (e.g. a 409 answer Chromium logs as a failed load). */
  expected: RegExp[] = [];

  constructor(private readonly browser: Browser) {}

  /** Opens `url` in a page of the session's context (made at the first call, at this size). */
  async open(url: string, options: { width?: number; height?: number; colorScheme?: 'light' | 'dark' } = {}): Promise<Page> {
    if (!this.context) {
      this.context = await newContext(this.browser, options.width ?? 1280, options.height ?? 900);
      await this.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    }
    const page = await this.context.newPage();
    if (options.colorScheme) await page.emulateMedia({ colorScheme: options.colorScheme });
    this.errors.set(page, watchErrors(page));
    await page.goto(url);
    return page;
  }

  /** Opens the Settings page and waits until it hears the supervisor. */
  async settings(url: string, options: Parameters<PageSession['open']>[1] = {}): Promise<Page> {
    const page = await this.open(`${url}/supervisor/ui/`, options);
    await waitForText(page, '#connection', 'Live');
    return page;
  }

  /** Closes the pages and returns the console errors nobody expected. */
  async close(): Promise<string[]> {
    await this.context?.close();
    this.context = undefined;
    return [...this.errors.values()].flat().filter((e) => !this.expected.some((p) => p.test(e)));
  }
}

/** A real supervisor on the bundled demo server (or `fixture`), with no Anthropic credential unless `options` say. */
export async function startDemoSupervisor(options: HarnessOptions = {}): Promise<Harness> {
  return startHarness({
    ...options,
    env: { ...noCredentials, ...options.env },
    server: { ...(options.fixture ? {} : { command: null }), start_timeout_ms: 5_000, stop_timeout_ms: 1_000, ...options.server },
  });
}

/** What a Settings test file gets from `settingsPages()`: the current test's pages and supervisor. */
export interface SettingsPages {
  /** The current test's pages. */
  readonly session: PageSession;
  /** The supervisor the current test started (throws when it started none). */
  readonly harness: Harness;
  /** Starts the current test's supervisor (`startDemoSupervisor`); it is closed after the test. */
  start(options?: HarnessOptions): Promise<Harness>;
}

/**
 * Registers the hooks every Settings test file against the real supervisor shares: one Chromium for the file, a
 * PageSession per test, and after each test its pages and supervisor closed, `cleanUp` run, and no unexpected console
 * error allowed.
 */
export function settingsPages(options: { cleanUp?: () => Promise<void> } = {}): SettingsPages {
  let browser: Browser;
  let session: PageSession | undefined;
  let harness: Harness | undefined;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(() => {
    session = new PageSession(browser);
  });
  afterEach(async () => {
    const errors = (await session?.close()) ?? [];
    await harness?.close();
    harness = undefined;
    await options.cleanUp?.();
    // Rule of the UI tests: no console errors or uncaught exceptions, except the ones the test announced.
    expect(errors).toEqual([]);
  });

  return {
    get session() {
      if (!session) throw new Error('no page session outside a test');
      return session;
    },
    get harness() {
      if (!harness) throw new Error('this test started no supervisor');
      return harness;
    },
    async start(startOptions = {}) {
      harness = await startDemoSupervisor(startOptions);
      return harness;
    },
  };
}
