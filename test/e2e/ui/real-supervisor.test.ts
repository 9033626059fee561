// The Settings page and the Inspector in Chromium against the REAL supervisor (issue 7): startSupervisor from src/
// with a real main server process (the bundled demo server, or the picky fixture) and the real local fake of the
// Anthropic Models API; the pages are the build in dist/ui.
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { parse } from 'yaml';
import { isAlive } from '../../../src/lifecycle/process-group.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../support/fake-anthropic.js';
import { request } from '../../support/http.js';
import { realModels } from '../../support/real-models.js';
import { startHarness, type Harness } from '../../support/supervisor-harness.js';
import { launchBrowser, newContext, recordTexts, screenshot, waitForSequence, waitForText, watchErrors } from './browser.js';

const apiKey = 'sk-ant-api03-e2e-real-supervisor';
// A model only the fake Anthropic lists (never in the built-in fallback list), which picky-server.mjs refuses.
const brokenModel = 'claude-broken-1';
const configuredModel = 'claude-sonnet-5';
const serverSvg = 'svg.machine-svg[data-actor="server"]';

describe('the pages against the real supervisor', () => {
  let browser: Browser;
  let anthropic: FakeAnthropic;
  let h: Harness | undefined;
  let context: BrowserContext | undefined;
  // Console errors and uncaught exceptions of every page a test opened.
  let pageErrors: Map<Page, string[]>;
  // Console errors a test expects (Chromium logs a 409 answer as a failed resource load).
  let expectedErrors: RegExp[];

  beforeAll(async () => {
    browser = await launchBrowser();
    anthropic = await startFakeAnthropic({
      apiKeys: [apiKey],
      models: [...realModels, { id: brokenModel, display_name: 'Claude Broken 1', created_at: '2026-08-01T00:00:00Z' }],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await anthropic?.close();
  });

  beforeEach(() => {
    pageErrors = new Map();
    expectedErrors = [];
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
    await h?.close();
    h = undefined;
    // Rule of the UI tests: no console errors or uncaught exceptions, except the ones the test announced.
    const errors = [...pageErrors.values()].flat();
    expect(errors.filter((e) => !expectedErrors.some((p) => p.test(e)))).toEqual([]);
  });

  /** A real supervisor on the demo server (or a fixture), fetching models from the fake Anthropic. */
  async function startSupervisorWith(fixture?: string): Promise<Harness> {
    h = await startHarness({
      ...(fixture ? { fixture } : {}),
      config: { default_model: configuredModel, api_key: apiKey },
      // Credentials from the environment would win over config's api_key: blank them.
      env: { ANTHROPIC_BASE_URL: anthropic.url, ANTHROPIC_API_KEY: '', CLAUDE_CODE_OAUTH_TOKEN: '' },
      // command: null runs the bundled demo server; small timeouts keep a rollback short.
      server: { ...(fixture ? {} : { command: null }), start_timeout_ms: 3_000, stop_timeout_ms: 1_000 },
    });
    await h.waitForStatus('the server to run', (s) => s.main_server_status === 'running');
    return h;
  }

  /** Opens a page of the supervisor in a fresh browser context, collecting its console errors. */
  async function open(path: string, width = 1280, height = 900): Promise<Page> {
    context ??= await newContext(browser, width, height);
    const page = await context.newPage();
    pageErrors.set(page, watchErrors(page));
    await page.goto(`${h!.url}${path}`);
    return page;
  }

  async function openSettings(): Promise<Page> {
    const page = await open('/supervisor/ui/');
    await waitForText(page, '#server-badge', 'Running');
    await waitForText(page, '#connection', 'Live');
    return page;
  }

  /** Waits until the dropdown holds the model list (more than the "Loading models…" placeholder). */
  async function modelOptions(page: Page): Promise<string[]> {
    await page.locator(`#model-select option[value="${brokenModel}"]`).waitFor({ state: 'attached' });
    return page.locator('#model-select option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  }

  const serverHealth = async () => (await request(`http://127.0.0.1:${h!.serverPort}/api/health`)).json;

  it('shows Running for a live server, with its real pid, port and versions', async () => {
    await startSupervisorWith();
    const page = await openSettings();
    const status = await h!.status();
    expect(status.main_server_status).toBe('running');
    expect(isAlive(status.main_server_pid)).toBe(true);
    expect(await page.locator('#server-badge').getAttribute('data-tone')).toBe('ok');
    await waitForText(page, '#fact-pid', `pid ${status.main_server_pid}`);
    await waitForText(page, '#fact-port', String(h!.serverPort));
    await waitForText(page, '#fact-server-version', (await serverHealth()).version);
    await waitForText(page, '#fact-supervisor-version', `v${status.supervisor_version}`);
    await waitForText(page, '#server-uptime', /^Up \d+s$/);
    expect(await page.getByRole('button', { name: 'Start', exact: true }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Restart', exact: true }).isEnabled()).toBe(true);
    // Settle what the screenshot shows: the model list and the server's first log line.
    await modelOptions(page);
    await page.locator('#log .log-line', { hasText: `listening on http://127.0.0.1:${h!.serverPort}` }).waitFor();
    // docs/screenshots/settings*.png come from pages-layout.test.ts (desktop and phone, light and dark).
    await screenshot(page, 'real-settings');
  });

  it('Restart leads to a new server pid and back to Running', async () => {
    await startSupervisorWith();
    const page = await openSettings();
    const before = await h!.status();
    await waitForText(page, '#fact-pid', `pid ${before.main_server_pid}`);
    await recordTexts(page, '#server-badge', 'badge');
    await page.getByRole('button', { name: 'Restart', exact: true }).click();
    await waitForText(page, '#command-outcome', /^Server restarted \(pid \d+\)\.$/, 10_000);
    await waitForSequence(page, 'badge', ['Running', 'Stopping', 'Starting', 'Running']);
    const after = await h!.status();
    expect(after.main_server_status).toBe('running');
    expect(after.main_server_pid).not.toBe(before.main_server_pid);
    expect(isAlive(before.main_server_pid)).toBe(false);
    expect(await page.locator('#command-outcome').textContent()).toBe(`Server restarted (pid ${after.main_server_pid}).`);
    await waitForText(page, '#server-badge', 'Running');
    await waitForText(page, '#fact-pid', `pid ${after.main_server_pid}`);
  });

  it('fills the dropdown from the Anthropic API, and applying a model writes config.yaml and the server reports it', async () => {
    await startSupervisorWith();
    const page = await openSettings();
    const models = (await h!.get('/supervisor/models')).json;
    // Fetched from the fake (the page's request filled the cache), not the built-in list.
    expect(models).toMatchObject({ source: expect.stringMatching(/^(anthropic|cache)$/), is_stale: false, error: null });
    expect(anthropic.requests.some((r) => r.path === '/v1/models' && (r.headers['x-api-key'] === apiKey || r.headers['authorization'] === `Bearer ${apiKey}`))).toBe(true);
    // Every model of the answer is offered (the latest of each family), the configured one shown as current.
    const offered = await modelOptions(page);
    expect([...offered].sort()).toEqual(models.models.map((m: { id: string }) => m.id).sort());
    expect(offered).toContain(configuredModel);
    expect(await page.getByLabel('Default model').inputValue()).toBe(configuredModel);
    expect(await page.locator('#model-select option:checked').textContent()).toBe('Claude Sonnet 5 (latest, current)');

    const chosen = 'claude-opus-5';
    const fileBefore = readFileSync(h!.configPath, 'utf8');
    const pidBefore = (await h!.status()).main_server_pid;
    await page.getByLabel('Default model').selectOption(chosen);
    await page.getByRole('button', { name: 'Apply and restart' }).click();
    await waitForText(page, '#model-outcome', `Default model is now ${chosen}; the server restarted on it.`, 10_000);
    expect(await page.locator('#model-outcome').getAttribute('data-kind')).toBe('success');

    // The real file: only that line changed (comments, order and formatting kept).
    const fileAfter = readFileSync(h!.configPath, 'utf8');
    expect(parse(fileAfter).default_model).toBe(chosen);
    expect(fileAfter).toBe(fileBefore.replace(/^default_model: .*$/m, `default_model: ${chosen}`));
    // The server restarted and reports the model from the config.
    const status = await h!.status();
    expect(status.main_server_pid).not.toBe(pidBefore);
    expect(status.default_model).toBe(chosen);
    expect((await serverHealth()).default_model).toBe(chosen);
    await page.waitForFunction(() => /\bcurrent\b/.test(document.querySelector('#model-select option:checked')?.textContent ?? ''));
    expect(await page.getByLabel('Default model').inputValue()).toBe(chosen);
  });

  it('shows a rollback as such, and config.yaml ends byte-identical', async () => {
    expectedErrors = [/status of 409/];
    await startSupervisorWith('picky-server.mjs');
    const page = await openSettings();
    const fileBefore = readFileSync(h!.configPath);
    const pidBefore = (await h!.status()).main_server_pid;
    await modelOptions(page);
    await page.getByLabel('Default model').selectOption(brokenModel);
    await page.getByRole('button', { name: 'Apply and restart' }).click();
    await waitForText(
      page,
      '#model-outcome',
      /^Rolled back: the server did not come up with claude-broken-1, so the previous model is back in use\./,
      15_000,
    );
    expect(await page.locator('#model-outcome').getAttribute('data-kind')).toBe('rollback');
    expect(await page.locator('#model-outcome .outcome-detail').textContent()).toMatch(/previous config restored/);
    expect(readFileSync(h!.configPath).equals(fileBefore)).toBe(true);

    // Back on the previous model: a new server process, running, and the dropdown shows it again.
    await waitForText(page, '#server-badge', 'Running');
    const status = await h!.status();
    expect(status.main_server_status).toBe('running');
    expect(status.main_server_pid).not.toBe(pidBefore);
    expect((await serverHealth()).default_model).toBe(configuredModel);
    expect(await page.getByLabel('Default model').inputValue()).toBe(configuredModel);
    // Why, in the server's own words, in the live log (the first of these lines if a slow rollback let the automatic
    // retry, backoff_ms after the failed start, try the new file once more).
    await page.locator('#log .log-line', { hasText: `cannot start with default_model ${brokenModel}` }).first().waitFor();
    await screenshot(page, 'real-settings-rollback');
  });

  it('shows a line the server just printed in the live log within a second', async () => {
    await startSupervisorWith();
    const page = await openSettings();
    await waitForText(page, '#log-state', 'Live');
    await page.locator('#log .log-line', { hasText: 'listening on' }).waitFor();
    // The demo server logs every request other than /api/health.
    const path = `/e2e-live-${Date.now()}`;
    const sentAt = Date.now();
    expect((await request(`http://127.0.0.1:${h!.serverPort}${path}`)).status).toBe(200);
    await page.locator('#log .log-line', { hasText: `[demo] GET ${path}` }).waitFor({ timeout: 1000 });
    expect(Date.now() - sentAt).toBeLessThan(1000);
    // The line came from the real server.log.
    expect(h!.logLines().some((line) => line.endsWith(`[demo] GET ${path}`))).toBe(true);
  });

  it('the inspector highlights stopping, starting, running in order during a restart', async () => {
    await startSupervisorWith();
    // As after the Settings page asked for the models: the model cache is fresh.
    expect((await h!.get('/supervisor/models')).json.source).toBe('anthropic');
    const page = await open('/supervisor/ui/inspector', 1440, 1000);
    await page.locator(`${serverSvg}[data-active="running"]`).waitFor();
    await page.locator('svg.machine-svg[data-actor="models"][data-active="fresh"]').waitFor();
    const pidBefore = (await h!.status()).main_server_pid;
    // Every change of the highlighted (current) state boxes of the server machine, from now on.
    await page.evaluate((sel) => {
      const svg = document.querySelector(sel);
      if (!svg) throw new Error(`no ${sel}`);
      const current = () => [...svg.querySelectorAll('g.state.is-current')].map((g) => g.getAttribute('data-path')).join(' ');
      const seen = [current()];
      (window as unknown as Record<string, string[]>)['highlighted'] = seen;
      new MutationObserver(() => {
        const now = current();
        if (now !== seen[seen.length - 1]) seen.push(now);
      }).observe(svg, { attributes: true, attributeFilter: ['class'], subtree: true });
    }, serverSvg);
    const answer = page.evaluate(() => fetch('/supervisor/server/restart', { method: 'POST' }).then((r) => r.status));
    const seen = await waitForSequence(page, 'highlighted', ['running', 'stopping.terminating', 'starting', 'running']);
    expect(seen).toEqual(['running', 'stopping.terminating', 'starting', 'running']);
    expect(await answer).toBe(200);
    expect((await h!.status()).main_server_pid).not.toBe(pidBefore);
    // While stopping, its parent box was lit too; now only running is.
    expect(await page.locator(`${serverSvg} g.state.is-active`).evaluateAll((gs) => gs.map((g) => g.getAttribute('data-path')))).toEqual([
      'running',
    ]);
    await page.locator(`${serverSvg} g.edge.is-taken[data-source="starting"][data-target="running"]`).waitFor({ state: 'attached' });
    await page.locator('#timeline .entry', { hasText: 'health.ok' }).first().waitFor();
    await screenshot(page, 'real-inspector', { docs: 'inspector' });
  });

  it('both pages load with no console errors, and the inspector draws the real machines legibly', async () => {
    await startSupervisorWith();
    const settings = await openSettings();
    await modelOptions(settings);
    await waitForText(settings, '#log-state', 'Live');
    await settings.locator('#log .log-line').first().waitFor();
    const inspector = await open('/supervisor/ui/inspector');
    await waitForText(inspector, '#connection', 'Live');
    expect(await inspector.locator('section.machine h2').allTextContents()).toEqual(['server', 'supervisor', 'models', 'config']);
    await waitForText(inspector, 'section.machine[data-actor="server"] [data-role="value"]', 'running');
    await waitForText(inspector, 'section.machine[data-actor="models"] [data-role="value"]', 'fresh');
    // Drawn with the page's real fonts, no arrow label hides a state box of the real machines.
    const covered = await inspector.locator('svg.machine-svg').evaluateAll((svgs) =>
      svgs.flatMap((svg) => {
        const rect = (el: Element) => (el as SVGGraphicsElement).getBBox();
        const hit = (a: DOMRect, b: DOMRect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        const boxes = [...svg.querySelectorAll('g.state:not(.state--group) > rect.state-box')];
        return [...svg.querySelectorAll('rect.edge-label-box')].flatMap((label) =>
          boxes
            .filter((box) => hit(rect(label), rect(box)))
            .map((box) => `${svg.getAttribute('data-actor')}: label of ${label.parentElement?.getAttribute('data-source')}→${label.parentElement?.getAttribute('data-target')} covers ${box.parentElement?.getAttribute('data-path')}`),
        );
      }),
    );
    expect(covered).toEqual([]);
    expect(pageErrors.get(settings)).toEqual([]);
    expect(pageErrors.get(inspector)).toEqual([]);
  });
});
