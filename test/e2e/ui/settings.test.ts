// The Settings page in Chromium against the fake supervisor.
import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startFakeSupervisor, type FakeSupervisor } from '../../support/fake-supervisor-ui.js';
import {
  launchBrowser,
  newContext,
  recordTexts,
  screenshot,
  waitForSequence,
  waitForText,
  watchErrors,
} from './browser.js';

const brokenModel = 'claude-haiku-4-5-20251001';

describe('Settings page', () => {
  let browser: Browser;
  let fake: FakeSupervisor;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  // Console errors a test expects (a 409 answer is logged by Chromium as a failed resource load).
  let expectedErrors: RegExp[];

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    fake = await startFakeSupervisor({ brokenModels: [brokenModel] });
    context = await newContext(browser);
    page = await context.newPage();
    errors = watchErrors(page);
    expectedErrors = [];
    await page.goto(`${fake.url}/supervisor/ui/`);
    await waitForText(page, '#server-badge', 'Running');
  });

  afterEach(async () => {
    await context?.close();
    await fake?.close();
    // No console errors or uncaught exceptions, except the ones the test announced.
    expect(errors.filter((e) => !expectedErrors.some((p) => p.test(e)))).toEqual([]);
  });

  it('shows the running server with a green badge, uptime, versions and the current model', async () => {
    await waitForText(page, '#server-uptime', /^Up 5m$/);
    expect(await page.locator('#server-badge').getAttribute('data-tone')).toBe('ok');
    await waitForText(page, '#fact-supervisor-version', 'v0.1.0');
    await waitForText(page, '#fact-server-version', 'v2.4.1');
    await waitForText(page, '#fact-pid', /^pid \d+$/);
    const select = page.getByLabel('Default model');
    await page.waitForFunction(() => document.querySelectorAll('#model-select optgroup').length === 3);
    expect(await select.inputValue()).toBe('claude-sonnet-4-5-20250929');
    expect(await page.locator('#model-select optgroup').evaluateAll((gs) => gs.map((g) => g.getAttribute('label')))).toEqual([
      'Opus',
      'Sonnet',
      'Haiku',
    ]);
    expect(await page.locator('#model-select option:checked').textContent()).toMatch(/Claude Sonnet 4\.5.*\(latest, current\)/);
    // Running: Start makes no sense, Stop and Restart do.
    expect(await page.getByRole('button', { name: 'Start', exact: true }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Stop', exact: true }).isEnabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Restart', exact: true }).isEnabled()).toBe(true);
    await page.locator('#log .log-line').nth(49).waitFor();
    expect(await page.locator('#log .log-line').count()).toBe(50);
    await screenshot(page, 'settings');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'settings-dark');
  });

  it('restarts: buttons disable while busy, the badge shows stopping → starting → running, and a new pid', async () => {
    const pidBefore = await page.locator('#fact-pid').textContent();
    await recordTexts(page, '#server-badge', 'badge');
    await page.getByRole('button', { name: 'Restart', exact: true }).click();
    expect(await page.getByRole('button', { name: 'Restart', exact: true }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Stop', exact: true }).isDisabled()).toBe(true);
    await waitForText(page, '#command-outcome', 'Restarting the server…', 2000);
    await waitForSequence(page, 'badge', ['Running', 'Stopping', 'Starting', 'Running']);
    await waitForText(page, '#command-outcome', /^Server restarted \(pid \d+\)\.$/);
    expect(await page.locator('#command-outcome').getAttribute('data-kind')).toBe('success');
    await waitForText(page, '#fact-pid', new RegExp(`^pid (?!${pidBefore?.replace('pid ', '')}$)\\d+$`));
    expect(await page.locator('#fact-pid').textContent()).toBe(`pid ${fake.pid()}`);
    expect(await page.getByRole('button', { name: 'Restart', exact: true }).isEnabled()).toBe(true);
    // The status was re-fetched because the inspection stream moved, not on a timer.
    expect(fake.requests.filter((r) => r.path === '/supervisor/status').length).toBeGreaterThanOrEqual(3);
  });

  it('stops and starts the server', async () => {
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await waitForText(page, '#command-outcome', 'Server stopped.');
    await waitForText(page, '#server-badge', 'Stopped');
    expect(await page.locator('#server-badge').getAttribute('data-tone')).toBe('idle');
    expect(await page.locator('#server-uptime').textContent()).toBe('');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForText(page, '#command-outcome', /^Server started \(pid \d+\)\.$/);
    await waitForText(page, '#server-badge', 'Running');
    await waitForText(page, '#server-uptime', /^Up \d+s$/);
  });

  it('"Show all versions" asks for every version and keeps them grouped by family', async () => {
    await page.waitForFunction(() => document.querySelectorAll('#model-select option').length === 3);
    await page.getByLabel('Show all versions').check();
    await page.waitForFunction(() => document.querySelectorAll('#model-select option').length === 7);
    expect(fake.requests.some((r) => r.path.startsWith('/supervisor/models?') && new URLSearchParams(r.path.split('?')[1]).get('show_all') === 'true')).toBe(true);
    const sonnets = await page.locator('#model-select optgroup[label="Sonnet"] option').allTextContents();
    expect(sonnets).toHaveLength(3);
    expect(sonnets[0]).toMatch(/\(latest, current\)/);
    expect(sonnets[1]).not.toMatch(/latest/);
  });

  it('applies a chosen model through PUT /supervisor/config and shows success', async () => {
    const select = page.getByLabel('Default model');
    await page.waitForFunction(() => document.querySelectorAll('#model-select option').length === 3);
    await select.selectOption('claude-opus-4-1-20250805');
    await page.getByRole('button', { name: 'Apply and restart' }).click();
    await waitForText(page, '#model-outcome', /^Applying claude-opus-4-1-20250805/, 2000);
    await waitForText(page, '#model-outcome', 'Default model is now claude-opus-4-1-20250805; the server restarted on it.');
    expect(await page.locator('#model-outcome').getAttribute('data-kind')).toBe('success');
    const puts = fake.requests.filter((r) => r.method === 'PUT');
    expect(puts).toEqual([
      { method: 'PUT', path: '/supervisor/config', body: { values: { default_model: 'claude-opus-4-1-20250805' }, restart: true } },
    ]);
    expect(fake.defaultModel()).toBe('claude-opus-4-1-20250805');
    await page.waitForFunction(() => /current/.test(document.querySelector('#model-select option:checked')?.textContent ?? ''));
    expect(await select.inputValue()).toBe('claude-opus-4-1-20250805');
    expect(await page.getByRole('button', { name: 'Apply and restart' }).isDisabled()).toBe(true);
  });

  it('shows a rollback as a rollback and returns the dropdown to the model still in use', async () => {
    expectedErrors = [/status of 409/];
    await page.waitForFunction(() => document.querySelectorAll('#model-select option').length === 3);
    await page.getByLabel('Default model').selectOption(brokenModel);
    await page.getByRole('button', { name: 'Apply and restart' }).click();
    await waitForText(page, '#model-outcome', /^Rolled back: the server did not come up with claude-haiku-4-5-20251001, so the previous model is back in use\./, 10_000);
    expect(await page.locator('#model-outcome').getAttribute('data-kind')).toBe('rollback');
    expect(await page.locator('#model-outcome').textContent()).toMatch(/previous config restored/);
    expect(await page.getByLabel('Default model').inputValue()).toBe('claude-sonnet-4-5-20250929');
    expect(fake.defaultModel()).toBe('claude-sonnet-4-5-20250929');
    await waitForText(page, '#server-badge', 'Running');
    await screenshot(page, 'settings-rollback');
  });

  it('shows a live log line within a second, and stops and resumes with "Stream live"', async () => {
    await page.locator('#log .log-line').nth(49).waitFor();
    await waitForText(page, '#log-state', 'Live');
    const line = `e2e live line ${Date.now()}`;
    fake.appendLog(line);
    await page.locator('#log .log-line', { hasText: line }).waitFor({ timeout: 1000 });
    // Following the bottom.
    expect(await page.locator('#log').evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeLessThan(8);

    await page.getByLabel('Stream live').uncheck();
    await waitForText(page, '#log-state', 'Paused');
    const missed = `e2e while paused ${Date.now()}`;
    fake.appendLog(missed);
    await page.getByLabel('Stream live').check();
    await page.locator('#log .log-line', { hasText: missed }).waitFor({ timeout: 2000 });
    await waitForText(page, '#log-state', 'Live');
    expect(await page.locator('#log .log-line').count()).toBe(50);
  });

  it('keeps the reader where they scrolled when new lines arrive', async () => {
    await page.locator('#log .log-line').nth(49).waitFor();
    await page.locator('#log').evaluate((el) => {
      el.scrollTop = 0;
    });
    fake.appendLog(`e2e below the fold ${Date.now()}`);
    await page.locator('#btn-latest').waitFor({ state: 'visible', timeout: 2000 });
    expect(await page.locator('#log').evaluate((el) => el.scrollTop)).toBe(0);
    await page.locator('#btn-latest').click();
    expect(await page.locator('#log').evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeLessThan(8);
  });

  it('can be driven from the keyboard', async () => {
    // Tab from the top of the page to Restart and press Enter.
    await page.locator('body').focus();
    for (let i = 0; i < 30; i += 1) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.id === 'btn-restart')) break;
    }
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('btn-restart');
    await page.keyboard.press('Enter');
    await waitForText(page, '#command-outcome', /^Server restarted/, 10_000);
  });

  it('says when the supervisor is unreachable, and reconnects when it is back', async () => {
    expectedErrors = [/ERR_CONNECTION_REFUSED|net::ERR_|Failed to load resource/];
    expect(await page.locator('#banner').isHidden()).toBe(true);
    await fake.goAway();
    await page.locator('#banner').waitFor({ state: 'visible', timeout: 5000 });
    expect(await page.locator('#banner').textContent()).toBe('Supervisor unreachable — reconnecting…');
    expect(await page.getByRole('button', { name: 'Restart', exact: true }).isDisabled()).toBe(true);
    await waitForText(page, '#connection', 'Offline');
    await fake.comeBack();
    await page.locator('#banner').waitFor({ state: 'hidden', timeout: 10_000 });
    await waitForText(page, '#connection', 'Live');
    await waitForText(page, '#server-badge', 'Running');
    expect(await page.getByRole('button', { name: 'Restart', exact: true }).isEnabled()).toBe(true);
  });

  it('saved its screenshots', () => {
    expect(existsSync('test-artifacts/settings.png')).toBe(true);
  });
});
