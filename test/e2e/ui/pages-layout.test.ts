// Both pages against the REAL supervisor as people see them: no sideways scrolling at 360 and 390 px, an h1 each,
// zero axe-core violations in light and dark, and the screenshots of docs/screenshots (desktop and phone, light and
// dark; written there with UPDATE_SCREENSHOTS=1). Prints the Settings page's bundle size.
import type { Browser, Page } from 'playwright-core';
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

  it.each(['light', 'dark'] as const)('has an h1 and zero axe-core violations on both pages (%s)', async (colorScheme) => {
    const page = await settings(1280, 900, colorScheme);
    expect(await page.locator('h1').allTextContents()).toEqual(['Settings']);
    // Open a crash, so its log tail is checked too.
    await page.locator('#history details summary').first().click();
    expect(await axeViolations(page)).toEqual([]);
    const other = await inspector(1280, 900, colorScheme);
    expect(await other.locator('h1').allTextContents()).toEqual(['State inspector']);
    expect(await axeViolations(other)).toEqual([]);
  });

  it('takes the screenshots of docs/screenshots: desktop and phone, light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const suffix = colorScheme === 'dark' ? '-dark' : '';
      const desktop = await settings(1280, 900, colorScheme);
      await screenshot(desktop, `settings-desktop${suffix}`, { docs: `settings${suffix}` });
      const phone = await settings(390, 844, colorScheme);
      await screenshot(phone, `settings-phone${suffix}`, { docs: `settings-phone${suffix}` });
      const wide = await inspector(1280, 900, colorScheme);
      if (colorScheme === 'dark') await screenshot(wide, 'inspector-desktop-dark', { docs: 'inspector-dark' });
      const narrow = await inspector(390, 844, colorScheme);
      await screenshot(narrow, `inspector-phone${suffix}`, { docs: `inspector-phone${suffix}` });
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
    expect([...scripts.keys()].some((name) => pageScripts('inspector.html').get(name) !== undefined && (pageScripts('inspector.html').get(name) ?? 0) > 500_000)).toBe(false);
  });
});
