// Both pages against the REAL supervisor as people see them: no sideways scrolling at 360 and 390 px, an h1 each,
// zero axe-core violations in light and dark, and the screenshots of docs/screenshots (desktop and phone, light and
// dark; written there with UPDATE_SCREENSHOTS=1). Prints the Settings page's bundle size.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { defaultUiAssetsDir } from '../../../src/http/ui.routes.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../support/fake-anthropic.js';
import type { Harness } from '../../support/supervisor-harness.js';
import { axeViolations, launchBrowser, pageScripts, pageStyles, screenshot, sideways, waitForText } from './browser.js';
import { PageSession, startDemoSupervisor } from './settings-session.js';

const apiKey = 'sk-ant-api03-e2e-pages-layout';

describe('both pages at every width, in light and dark, for everyone', () => {
  let browser: Browser;
  let anthropic: FakeAnthropic;
  let h: Harness;
  const sessions: PageSession[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    anthropic = await startFakeAnthropic({ apiKeys: [apiKey] });
    // Sampled every 250 ms (5 s by default), so the trend charts have a line to show by the time of the screenshots.
    h = await startDemoSupervisor({
      config: { api_key: apiKey, default_model: 'claude-sonnet-5', log_level: 'info' },
      env: { ANTHROPIC_BASE_URL: anthropic.url },
      metricsIntervalMs: 250,
    });
    // A crash in the history, so the pages show one (and its row is checked too).
    const { main_server_pid: pid } = await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    process.kill(pid, 'SIGKILL');
    await h.waitForStatus('running again', (s) => s.main_server_status === 'running' && s.main_server_pid !== pid);
  });
  afterAll(async () => {
    await h?.close();
    await browser?.close();
    await anthropic?.close();
  });
  afterEach(async () => {
    const errors = (await Promise.all(sessions.splice(0).map((s) => s.close()))).flat();
    expect(errors).toEqual([]);
  });

  async function settings(width: number, height: number, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
    const session = new PageSession(browser);
    sessions.push(session);
    const page = await session.settings(h.url, { width, height, colorScheme });
    await waitForText(page, '#server-badge', 'Running');
    await page.locator('#model-select optgroup').first().waitFor({ state: 'attached' });
    await page.locator('#history .history-row[data-tone="bad"]').first().waitFor();
    await page.locator('#cfg-log_level').waitFor();
    await page.locator('#log .log-line', { hasText: 'listening on' }).first().waitFor();
    await waitForText(page, '#trend-memory-text', /peak/);
    return page;
  }

  async function inspector(width: number, height: number, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
    const session = new PageSession(browser);
    sessions.push(session);
    const page = await session.open(`${h.url}/supervisor/ui/inspector`, { width, height, colorScheme });
    await page.locator('svg.machine-svg[data-actor="server"][data-active="running"]').waitFor();
    return page;
  }

  it.each([360, 390])('at %i px neither page scrolls sideways; the header collapses and the model row stacks', async (width) => {
    const page = await settings(width, 800);
    expect(await sideways(page)).toMatchObject({ scrollWidth: expect.any(Number), innerWidth: width });
    const seen = await sideways(page);
    expect({ ...seen, over: seen.scrollWidth > seen.innerWidth }).toMatchObject({ over: false });
    // The header keeps the icon, both pages and the connection on one row; the name is gone.
    expect(await page.locator('.brand-name').isVisible()).toBe(false);
    const header = await page.locator('.topbar').boundingBox();
    expect(header?.height).toBeLessThanOrEqual(60);
    for (const link of ['Settings', 'Inspector']) expect(await page.getByRole('link', { name: link, exact: true }).isVisible()).toBe(true);
    // The model row stacks: the dropdown takes the card's width, the button goes under it.
    const select = await page.locator('#model-select').boundingBox();
    const apply = await page.locator('#btn-apply').boundingBox();
    expect(apply!.y).toBeGreaterThan(select!.y + select!.height - 1);
    expect(select!.width).toBeGreaterThan(width - 80);
    const other = await inspector(width, 800);
    const inspectorSeen = await sideways(other);
    expect({ ...inspectorSeen, over: inspectorSeen.scrollWidth > inspectorSeen.innerWidth }).toMatchObject({ over: false });
  });

  it('has an h1 and zero axe-core violations on both pages, in light and in dark', async () => {
    const page = await settings(1280, 900);
    expect(await page.locator('h1').allTextContents()).toEqual(['Settings']);
    // Open a crash, so its log tail is checked too.
    await page.locator('#history details summary').first().click();
    const other = await inspector(1280, 900);
    expect(await other.locator('h1').allTextContents()).toEqual(['State inspector']);
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const p of [page, other]) await p.emulateMedia({ colorScheme });
      expect({ colorScheme, settings: await axeViolations(page), inspector: await axeViolations(other) }).toEqual({ colorScheme, settings: [], inspector: [] });
    }
  });

  it('takes the screenshots of docs/screenshots: desktop and phone, light and dark', async () => {
    const shots: [Page, string][] = [
      [await settings(1280, 900), 'settings'],
      [await settings(390, 844), 'settings-phone'],
      [await inspector(1280, 900), 'inspector'],
      [await inspector(390, 844), 'inspector-phone'],
    ];
    for (const [page, name] of shots) {
      // The desktop Inspector in light is real-supervisor.test.ts's (a restart lit up on it).
      if (name !== 'inspector') await screenshot(page, `${name}-light`, { docs: name });
      await page.emulateMedia({ colorScheme: 'dark' });
      await screenshot(page, `${name}-dark`, { docs: `${name}-dark` });
    }
  });

  it('keeps the Settings bundle lean: no framework, no ELK', () => {
    const scripts = pageScripts('index.html');
    const styles = pageStyles('index.html');
    const kib = (files: Map<string, number>) => [...files.values()].reduce((a, b) => a + b, 0) / 1024;
    console.log(
      `Settings page: ${kib(scripts).toFixed(1)} KiB of JS in ${scripts.size} files (${[...scripts].map(([f, n]) => `${f} ${(n / 1024).toFixed(1)}`).join(', ')}), ` +
        `${kib(styles).toFixed(1)} KiB of CSS (${[...styles].map(([f, n]) => `${f} ${(n / 1024).toFixed(1)}`).join(', ')}); minified, uPlot included`,
    );
    expect(kib(scripts)).toBeLessThan(160);
    // Nothing of the Inspector's layout engine, and no framework runtime.
    const code = [...scripts.keys()].map((name) => readFileSync(join(defaultUiAssetsDir(), 'assets', name), 'utf8')).join('\n');
    expect(code).not.toContain('org.eclipse.elk');
    expect(code).not.toMatch(/react-dom|__vue__|svelte/);
  });
});
