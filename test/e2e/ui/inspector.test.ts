// The Inspector page in Chromium against the fake supervisor.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startFakeSupervisor, type FakeSupervisor } from '../../support/fake-supervisor-ui.js';
import {
  launchBrowser,
  newContext,
  recordAttribute,
  screenshot,
  waitForSequence,
  waitForText,
  watchErrors,
} from './browser.js';

const serverSvg = 'svg.machine-svg[data-actor="server"]';

describe('Inspector page', () => {
  let browser: Browser;
  let fake: FakeSupervisor;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    fake = await startFakeSupervisor();
    context = await newContext(browser, 1440, 1000);
    page = await context.newPage();
    errors = watchErrors(page);
    await page.goto(`${fake.url}/supervisor/ui/inspector`);
    await page.locator(`${serverSvg}[data-active="running"]`).waitFor({ timeout: 5000 });
  });

  afterEach(async () => {
    await context?.close();
    await fake?.close();
    expect(errors).toEqual([]);
  });

  it('draws every machine from its definition, with labelled arrows and the current state lit', async () => {
    expect(await page.locator('section.machine h2').allTextContents()).toEqual(['server', 'supervisor', 'models', 'config']);
    const states = await page.locator(`${serverSvg} g.state`).evaluateAll((gs) => gs.map((g) => g.getAttribute('data-path')));
    expect([...states].sort()).toEqual(
      ['crashed', 'crashed.backoff', 'crashed.gaveUp', 'running', 'starting', 'stopped', 'stopping'].sort(),
    );
    const labels = await page.locator(`${serverSvg} .edge-label-text`).allTextContents();
    expect(labels).toEqual(
      expect.arrayContaining(['server.restart', 'process.exited [isRestarting]', 'after restartBackoff', 'health.ok']),
    );
    expect(await page.locator(`${serverSvg} g.state.is-current`).getAttribute('data-path')).toBe('running');
    await waitForText(page, 'section.machine[data-actor="server"] [data-role="value"]', 'running');
    await waitForText(page, 'section.machine[data-actor="models"] [data-role="value"]', 'fresh');
    // Every box has a readable name inside it (the layout measured the real font).
    const overflow = await page.locator(`${serverSvg} g.state:not(.state--group)`).evaluateAll((gs) =>
      gs.filter((g) => {
        const box = g.querySelector('rect')?.getBBox();
        const text = g.querySelector('text')?.getBBox();
        return !box || !text || text.width > box.width - 8;
      }).length,
    );
    expect(overflow).toBe(0);
  });

  it('lights stopping, starting, running in order during a restart, and the arrows taken', async () => {
    await recordAttribute(page, serverSvg, 'data-active', 'serverStates');
    const answer = page.evaluate(() => fetch('/supervisor/server/restart', { method: 'POST' }).then((r) => r.status));
    const seen = await waitForSequence(page, 'serverStates', ['running', 'stopping', 'starting', 'running']);
    expect(seen.filter((v, i) => v !== seen[i - 1])).toEqual(['running', 'stopping', 'starting', 'running']);
    expect(await answer).toBe(200);
    // The last arrow taken (starting → running on health.ok) is highlighted.
    const taken = page.locator(`${serverSvg} g.edge.is-taken`);
    await taken.first().waitFor({ state: 'attached' });
    expect(await taken.evaluateAll((gs) => gs.map((g) => `${g.getAttribute('data-source')}→${g.getAttribute('data-target')}`))).toEqual([
      'starting→running',
    ]);
    await screenshot(page, 'inspector');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'inspector-dark');
  });

  it('lists events with their payloads on the timeline, newest first, and filters by actor', async () => {
    await page.evaluate(() => fetch('/supervisor/server/restart', { method: 'POST' }));
    await page.locator('#timeline .entry', { hasText: 'health.ok' }).first().waitFor({ timeout: 5000 });
    const titles = await page.locator('#timeline .entry[data-actor="server"] .entry-title').allTextContents();
    const order = ['server.restart', '→ stopping', 'process.exited', '→ starting', 'health.ok', '→ running'];
    expect(titles.slice(0, order.length).reverse()).toEqual(order);
    const exited = page.locator('#timeline .entry', { hasText: 'process.exited' }).first();
    expect(await exited.locator('.entry-payload').textContent()).toMatch(/"code":0/);
    await page.getByLabel('Show events of').selectOption('server');
    expect(await page.locator('#timeline .entry:not([data-actor="server"])').count()).toBe(0);
    await page.getByLabel('Show events of').selectOption('');
    expect(await page.locator('#timeline .entry[data-actor="supervisor"]').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Clear' }).click();
    expect(await page.locator('#timeline .entry').count()).toBe(0);
  });
});
