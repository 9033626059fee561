// The Settings page's model picker and settings form in Chromium against the REAL supervisor and the local fake of the
// Anthropic Models API: "Loading models…" until the list arrives, lifecycle badges and the context window, a banner
// for a deprecated current model whose switch really switches, Refresh, the list's age and source, a fixed family
// order; and the other editable settings applied through the same apply-and-restart flow.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { parse } from 'yaml';
import { startFakeAnthropic, type FakeAnthropic } from '../../support/fake-anthropic.js';
import type { Harness } from '../../support/supervisor-harness.js';
import { screenshot, waitForText } from './browser.js';
import { settingsPages } from './settings-session.js';

const apiKey = 'sk-ant-api03-e2e-settings-models';
const deprecatedModel = 'claude-sonnet-4-5-20250929';

describe('Settings page models and settings against the real supervisor', () => {
  let anthropic: FakeAnthropic;
  const pages = settingsPages();

  beforeAll(async () => {
    anthropic = await startFakeAnthropic({ apiKeys: [apiKey] });
  });
  afterAll(async () => {
    await anthropic?.close();
  });

  async function start(config: Record<string, unknown>, fixture?: string): Promise<Harness> {
    const h = await pages.start({ ...(fixture ? { fixture } : {}), config: { api_key: apiKey, ...config }, env: { ANTHROPIC_BASE_URL: anthropic.url } });
    await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    return h;
  }

  const options = (page: Page) => page.locator('#model-select option').evaluateAll((os) => os.map((o) => ({ value: (o as HTMLOptionElement).value, text: o.textContent })));

  it('says "Loading models…" while the list loads, then shows a deprecated current model with a banner whose switch works', async () => {
    await start({ default_model: deprecatedModel });
    // The Models API holds every request until released: the page must say it is loading, never "No models".
    const release = anthropic.hold();
    let page: Page;
    try {
      page = await pages.session.settings(pages.harness.url);
      expect(await options(page)).toEqual([{ value: '', text: 'Loading models…' }]);
      expect(await page.locator('#model-select').isDisabled()).toBe(true);
    } finally {
      release();
    }
    const banner = page.locator('#model-banner');
    await banner.waitFor();
    expect(await banner.locator('#model-banner-title').textContent()).toBe('Your model is deprecated');
    expect(await banner.locator('#model-banner-text').textContent()).toMatch(/claude-sonnet-4-5-20250929 is deprecated and retires on 2027-02-05; Claude Sonnet 5 \(claude-sonnet-5\) replaces it/);
    expect(await page.locator('#model-select option:checked').textContent()).toBe('Claude Sonnet 4.5 (current, deprecated · retires 2027-02-05)');
    expect(await page.locator('#model-id .model-fact').allTextContents()).toEqual(['released 2025-09-29', '1M context']);
    expect(await page.locator('#model-id .lifecycle-badge').textContent()).toBe('deprecated · retires 2027-02-05');
    // Families in a fixed order, not the order of the newest release.
    expect(await page.locator('#model-select optgroup').evaluateAll((gs) => gs.map((g) => g.getAttribute('label')))).toEqual(['Opus', 'Sonnet', 'Haiku', 'Fable', 'Mythos']);
    await screenshot(page, 'settings-deprecated-model');

    const pidBefore = (await pages.harness.status()).main_server_pid;
    await page.getByRole('button', { name: 'Switch to Claude Sonnet 5' }).click();
    await waitForText(page, '#model-outcome', 'Default model is now claude-sonnet-5; the server restarted on it.', 15_000);
    await banner.waitFor({ state: 'hidden' });
    expect(parse(readFileSync(pages.harness.configPath, 'utf8')).default_model).toBe('claude-sonnet-5');
    const status = await pages.harness.status();
    expect(status).toMatchObject({ main_server_status: 'running', default_model: 'claude-sonnet-5' });
    expect(status.main_server_pid).not.toBe(pidBefore);
    await page.waitForFunction(() => document.querySelector('#model-select option:checked')?.textContent === 'Claude Sonnet 5 (latest, current)');
  });

  it('refreshes the list from Anthropic, says its age and source, and shows every version on request', async () => {
    await start({ default_model: 'claude-sonnet-5' });
    const page = await pages.session.settings(pages.harness.url);
    await page.locator('#model-select optgroup').first().waitFor({ state: 'attached' });
    await waitForText(page, '#models-note', /^From Anthropic, updated just now\.$/);
    const listed = anthropic.requests.filter((r) => r.path === '/v1/models').length;
    await page.getByRole('button', { name: 'Refresh list' }).click();
    await page.waitForFunction(() => document.getElementById('btn-refresh-models')?.getAttribute('aria-busy') === 'false');
    expect(anthropic.requests.filter((r) => r.path === '/v1/models').length).toBe(listed + 1);
    expect(await page.locator('#models-note').textContent()).toBe('From Anthropic, updated just now.');

    const latestOnly = (await options(page)).length;
    await page.getByLabel('Show all versions').check();
    await page.waitForFunction((n) => document.querySelectorAll('#model-select option').length > n, latestOnly);
    const opus = await page.locator('#model-select optgroup[label="Opus"] option').allTextContents();
    expect(opus[0]).toBe('Claude Opus 5 (latest)');
    expect(opus).toContain('Claude Opus 4 (deprecated · was due to retire 2026-11-14)');
  });

  it('applies the other settings through the same flow, refuses a count that is not one before sending anything, and shows a rollback as one', async () => {
    pages.session.expected = [/status of 409/];
    // picky-server.mjs refuses to start with max_message_length 13.
    await start({ default_model: 'claude-sonnet-5', log_level: 'info' }, 'picky-server.mjs');
    const page = await pages.session.settings(pages.harness.url);
    await page.locator('#cfg-log_level').waitFor();
    expect(await page.getByLabel('Log level').inputValue()).toBe('info');
    const apply = page.locator('#btn-config-apply');
    expect(await apply.getAttribute('aria-disabled')).toBe('true');

    await page.getByLabel('Log level').selectOption('debug');
    await page.getByLabel('Max message length').fill('abc');
    await waitForText(page, '#cfg-max_message_length-error', 'Enter a whole number above 0.');
    expect(await page.getByLabel('Max message length').getAttribute('aria-invalid')).toBe('true');
    expect(await apply.getAttribute('aria-disabled')).toBe('true');
    await page.getByLabel('Max message length').fill('8000');
    await page.getByLabel('Transcription').check();
    expect(await apply.getAttribute('aria-disabled')).toBe('false');

    const pidBefore = (await pages.harness.status()).main_server_pid;
    await apply.click();
    await waitForText(page, '#config-outcome', 'Saved log level, max message length, transcription; the server restarted on the new settings.', 15_000);
    const file = parse(readFileSync(pages.harness.configPath, 'utf8'));
    expect(file).toMatchObject({ log_level: 'debug', max_message_length: 8000, transcription_enabled: true });
    expect((await pages.harness.status()).main_server_pid).not.toBe(pidBefore);
    expect(await apply.getAttribute('aria-disabled')).toBe('true');
    // The record says the same.
    await page.locator('#history .history-row', { hasText: 'Config applied: log_level, max_message_length, transcription_enabled' }).waitFor();

    // A value the server cannot start with: rolled back, the file as it was, the form back to the file's value.
    const fileBefore = readFileSync(pages.harness.configPath);
    await page.getByLabel('Max message length').fill('13');
    await apply.click();
    await waitForText(page, '#config-outcome', /^Rolled back: the server did not come up with max message length, so the previous settings are back in use\./, 15_000);
    expect(await page.locator('#config-outcome').getAttribute('data-kind')).toBe('rollback');
    expect(await page.locator('#config-outcome .outcome-detail').textContent()).toMatch(/previous config restored/);
    expect(readFileSync(pages.harness.configPath).equals(fileBefore)).toBe(true);
    expect(await page.getByLabel('Max message length').inputValue()).toBe('8000');
    await waitForText(page, '#server-badge', 'Running', 10_000);
  });
});
