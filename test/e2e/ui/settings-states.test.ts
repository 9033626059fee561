// The Settings page in Chromium against the REAL supervisor, in the states where a page is most tempted to lie: the
// supervisor killed while the page is open, a hung (SIGSTOPped) server, a crash loop, a kill -9, a start halted by a
// taken port; and Stop's confirmation, focus that stays on the control used, messages that clear when the state moves.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { stringify } from 'yaml';
import { runCli, servedUrl, type CliProcess } from '../../support/built-cli.js';
import { freePort } from '../../support/free-port.js';
import { request } from '../../support/http.js';
import { waitFor } from '../../support/wait-for.js';
import { recordTexts, screenshot, waitForText } from './browser.js';
import { connectionErrors, noCredentials, settingsPages } from './settings-session.js';

describe('Settings page states against the real supervisor', () => {
  const clis: CliProcess[] = [];
  let dir: string | undefined;
  let blocker: Server | undefined;
  // The CLI supervisors, folder and port blocker some tests make, gone before the console errors are checked.
  const pages = settingsPages({
    cleanUp: async () => {
      for (const cli of clis.splice(0)) {
        if (cli.child.exitCode === null && cli.child.signalCode === null) {
          cli.child.kill('SIGTERM');
          await cli.exited;
        }
      }
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = undefined;
      await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
      blocker = undefined;
    },
  });

  const badge = (page: Page) => page.locator('#server-badge');
  const usable = (page: Page, name: string) => page.getByRole('button', { name, exact: true }).getAttribute('aria-disabled').then((v) => v !== 'true');

  it('with the supervisor killed shows no Running: a greyed last-known card, frozen uptime; and recovers when it returns', async () => {
    pages.session.expected = [connectionErrors];
    dir = mkdtempSync(join(tmpdir(), 'psup-ui-kill-'));
    const configPath = join(dir, 'config.yaml');
    writeFileSync(configPath, stringify({ port: await freePort(), supervisor: { log_dir: join(dir, 'logs'), server: { stop_timeout_ms: 1_000 } } }));
    const port = await freePort();
    const serve = () => {
      const cli = runCli(['serve', '--port', String(port), '--config', configPath], noCredentials);
      clis.push(cli);
      return cli;
    };
    const first = serve();
    const url = await servedUrl(first);
    const status = async () => (await request(`${url}/supervisor/status`)).json;
    const { main_server_pid: pid } = await waitFor('the server to run', async () => {
      const s = await status().catch(() => null);
      return s?.main_server_status === 'running' ? s : undefined;
    });
    const page = await pages.session.settings(url);
    await waitForText(page, '#server-badge', 'Running');
    await waitForText(page, '#server-uptime', /^Up \d+s$/);
    await recordTexts(page, '#server-badge', 'badge');

    first.child.kill('SIGKILL');
    await first.exited;
    await waitForText(page, '#server-badge', 'Unknown');
    await waitForText(page, '#connection', 'Offline');
    expect(await page.locator('#banner').isVisible()).toBe(true);
    expect(await page.locator('#server-card').getAttribute('data-stale')).toBe('true');
    expect(await page.locator('#state-note').textContent()).toMatch(/^No answer from the supervisor since \d\d:\d\d:\d\d\. Below is what it said last, greyed/);
    expect(await usable(page, 'Restart')).toBe(false);
    expect(await usable(page, 'Stop')).toBe(false);
    // The last known uptime stays as it was: recorded over 1.5 s of the page's clock (the span under test).
    const frozen = await page.locator('#server-uptime').textContent();
    await recordTexts(page, '#server-uptime', 'uptime');
    await page.waitForFunction((until) => Date.now() > until, Date.now() + 1_500, { polling: 100 });
    expect(await page.evaluate(() => (window as unknown as Record<string, string[]>)['uptime'])).toEqual([frozen]);
    await screenshot(page, 'settings-supervisor-gone');

    // Back: the new supervisor adopts the server that kept running, and the page shows it live again.
    serve();
    await waitForText(page, '#connection', 'Live', 15_000);
    await waitForText(page, '#server-badge', 'Running');
    await waitForText(page, '#fact-pid', `pid ${pid}`);
    expect(await page.locator('#server-card').getAttribute('data-stale')).toBe('false');
    expect(await page.locator('#banner').isHidden()).toBe(true);
    const seen = await page.evaluate(() => (window as unknown as Record<string, string[]>)['badge'] ?? []);
    // Running, then Unknown while it was gone, then (through Starting while the new supervisor adopts it) Running
    // again: never Running in between.
    const changes = seen.filter((text, i) => text !== seen[i - 1]);
    expect(changes.slice(0, 2)).toEqual(['Running', 'Unknown']);
    expect(changes.at(-1)).toBe('Running');
    expect(changes.slice(1, -1)).not.toContain('Running');
  });

  it('shows a SIGSTOPped server as Unhealthy (amber), and Running again after SIGCONT', async () => {
    const h = await pages.start({ server: { health_interval_ms: 100, health_timeout_ms: 200, health_failures: 100_000 } });
    const { main_server_pid: pid } = await h.waitForStatus('running', (s) => s.main_server_status === 'running' && s.main_server_healthy);
    const page = await pages.session.settings(h.url);
    await waitForText(page, '#server-badge', 'Running');
    process.kill(pid, 'SIGSTOP');
    try {
      await waitForText(page, '#server-badge', 'Unhealthy', 8_000);
      expect(await badge(page).getAttribute('data-tone')).toBe('warn');
      expect(await page.locator('#state-note').textContent()).toMatch(/running but does not answer its health check/);
      expect(await usable(page, 'Restart')).toBe(true);
      await screenshot(page, 'settings-unhealthy');
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await waitForText(page, '#server-badge', 'Running', 8_000);
    expect(await page.locator('#state-note').isHidden()).toBe(true);
  });

  it('gives a crash loop its own badge and says what to do; the failed Start, the crash and the give-up are said', async () => {
    pages.session.expected = [/status of 500/];
    const h = await pages.start({ fixture: 'crash-on-start.mjs', server: { autostart: false, intensity: 2, backoff_ms: 50, backoff_max_ms: 100 } });
    const page = await pages.session.settings(h.url);
    await waitForText(page, '#server-badge', 'Stopped');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForText(page, '#command-outcome', /^Server start failed: /, 10_000);
    await waitForText(page, '#server-badge', 'Crash loop — auto-restart off', 10_000);
    expect(await badge(page).getAttribute('data-tone')).toBe('bad');
    await waitForText(page, '#state-note', /^It crashed 3 times within 1m, so automatic restarts are off\. .*press Start\.$/);
    expect(await usable(page, 'Start')).toBe(true);
    await page.locator('.toast', { hasText: 'Crash loop — automatic restarts are off' }).waitFor();
    await page.locator('.toast', { hasText: 'The server crashed' }).first().waitFor();
    await page.locator('#history .history-row', { hasText: 'Crash loop: 3 crashes within 1m, automatic restarts off' }).waitFor();
    expect((await h.status()).main_server_state).toBe('crashed.exhausted');
    await screenshot(page, 'settings-crash-loop');
  });

  it('on kill -9 says so in a toast and when the server is back, with a history entry whose log tail is visible', async () => {
    const h = await pages.start({ server: { stable_ms: 60_000 } });
    const { main_server_pid: pid } = await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    const page = await pages.session.settings(h.url);
    await waitForText(page, '#fact-pid', `pid ${pid}`);
    // The demo server logs every request: these lines are the last it writes (one with a key, which is redacted).
    const secret = 'sk-ant-api03-e2e-diagnostics-secret-0123456789';
    expect((await request(`http://127.0.0.1:${h.serverPort}/e2e-with-a-key?key=${secret}`)).status).toBe(200);
    const marker = `/e2e-before-the-crash-${Date.now()}`;
    expect((await request(`http://127.0.0.1:${h.serverPort}${marker}`)).status).toBe(200);
    await page.locator('#log .log-line', { hasText: marker }).waitFor();
    await page.getByRole('button', { name: 'Restart', exact: true }).focus();

    process.kill(pid, 'SIGKILL');
    const crashed = page.locator('.toast', { hasText: 'The server crashed' });
    await crashed.waitFor();
    expect(await crashed.locator('.toast-detail').textContent()).toBe('server was killed by SIGKILL');
    await page.locator('.toast', { hasText: 'The server is back up' }).waitFor();
    const after = await h.waitForStatus('a new server', (s) => s.main_server_status === 'running' && s.main_server_pid !== pid);
    await waitForText(page, '#fact-pid', `pid ${after.main_server_pid}`);
    await waitForText(page, '#fact-restarts', '1');

    // Focus stayed where it was through the crash, the toasts and the redraws.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('btn-restart');

    const row = page.locator('#history .history-row[data-tone="bad"]').first();
    await waitForText(page, '#history .history-row[data-tone="bad"] .history-what', 'Crashed: server was killed by SIGKILL');
    expect(await row.locator('.history-exit').textContent()).toBe('SIGKILL');
    expect(await row.locator('.history-ran').textContent()).toMatch(/^ran for \d/);
    expect(await row.locator('.history-tail').isVisible()).toBe(false);
    await row.locator('summary').click();
    expect(await row.locator('.history-tail').isVisible()).toBe(true);
    expect(await row.locator('.history-tail').textContent()).toContain(`[demo] GET ${marker}`);
    // The record is the supervisor's: the same tail is in GET /supervisor/history.
    const crash = (await h.history()).find((e) => e.type === 'crashed') as { log_tail: string[] };
    expect(crash.log_tail.some((line) => line.endsWith(`[demo] GET ${marker}`))).toBe(true);
    await screenshot(page, 'settings-after-kill');

    // Copy diagnostics: status, the history with the crash's tail, the last log lines, secrets redacted.
    await page.getByRole('button', { name: 'Copy diagnostics' }).click();
    await waitForText(page, '#diagnostics-note', /^Diagnostics copied \(status, \d+ events, \d+ log lines\), secrets redacted\.$/);
    const text = await page.evaluate(() => navigator.clipboard.readText());
    expect(text).toContain(`"main_server_pid": ${after.main_server_pid}`);
    expect(text).toMatch(new RegExp(`crashed \\(SIGKILL\\) pid=${pid} `));
    expect(text).toContain(`    | `);
    expect(text).toContain(`[demo] GET ${marker}`);
    expect(text).toContain('/e2e-with-a-key?key=[REDACTED]');
    expect(text).not.toContain(secret);
  });

  it('asks for status only while the page is visible, and at once when it shows again', async () => {
    const h = await pages.start();
    await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    // The page is told it is hidden and shown as a browser tells it (visibilityState and a visibilitychange event).
    const page = await pages.session.open(`${h.url}/supervisor/ui/`);
    await waitForText(page, '#connection', 'Live');
    const asked: number[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/supervisor/status') asked.push(Date.now());
    });
    // Visible and nothing happening: status is asked again and again all the same (CPU and memory stay current).
    await waitFor('a status request of a quiet, visible page', () => asked.length >= 1, { timeoutMs: 4_000 });
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    const hiddenSince = Date.now();
    // Hidden for 2.5 s of the page's clock (the span under test): longer than the 2 s polling interval.
    await page.waitForFunction((until) => Date.now() > until, hiddenSince + 2_500, { polling: 100 });
    expect(asked.filter((t) => t > hiddenSince + 100)).toEqual([]);
    const shownAt = Date.now();
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await waitFor('a status request once visible', () => asked.some((t) => t >= shownAt), { timeoutMs: 1_000 });
  });

  it('counts down to an automatic restart in whole seconds, never a second short', async () => {
    // The first crash of a server that was up restarts at once; the next one within stable_ms waits backoff_ms (2 s).
    const h = await pages.start({ server: { backoff_ms: 2_000, backoff_max_ms: 2_000, stable_ms: 60_000 } });
    const first = await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    const page = await pages.session.settings(h.url);
    await waitForText(page, '#fact-pid', `pid ${first.main_server_pid}`);
    process.kill(first.main_server_pid, 'SIGKILL');
    const second = await h.waitForStatus('running again', (s) => s.main_server_status === 'running' && s.main_server_pid !== first.main_server_pid);
    await waitForText(page, '#fact-pid', `pid ${second.main_server_pid}`);
    await recordTexts(page, '#server-uptime', 'countdown');
    process.kill(second.main_server_pid, 'SIGKILL');
    await waitForText(page, '#server-badge', 'Crashed');
    await waitForText(page, '#server-badge', 'Running', 10_000);
    const seen = await page.evaluate(() => (window as unknown as Record<string, string[]>)['countdown'] ?? []);
    const countdown = seen.filter((text, i) => text.startsWith('Restarting') && text !== seen[i - 1]);
    // 2 s away reads "2s" (rounded up) until the last second begins; a floor would have started at "1s".
    expect(countdown.slice(0, 2)).toEqual(['Restarting in 2s', 'Restarting in 1s']);
    // Then, if the restart took a moment to be seen, "Restarting…", never a negative or a repeated number.
    expect(countdown.slice(2).every((text) => text === 'Restarting…')).toBe(true);
  });

  it('shows a start halted by a taken port as Halted, with the holder and what to do; Start works once it is free', async () => {
    pages.session.expected = [/status of 500/];
    const port = await freePort();
    blocker = createServer();
    await new Promise<void>((resolve) => blocker!.listen(port, '127.0.0.1', resolve));
    const h = await pages.start({ config: { port } });
    await h.waitForStatus('halted', (s) => s.main_server_state === 'crashed.halted');
    const page = await pages.session.settings(h.url);
    await waitForText(page, '#server-badge', 'Halted');
    const note = await page.locator('#state-note').textContent();
    expect(note).toContain(`Not restarted automatically: port ${port} is in use by pid ${process.pid}`);
    expect(note).toMatch(/Press Start once the cause is fixed\.$/);
    await new Promise<void>((resolve) => blocker!.close(() => resolve()));
    blocker = undefined;
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForText(page, '#server-badge', 'Running', 10_000);
    await waitForText(page, '#command-outcome', /^Server started \(pid \d+\)\.$/);
    expect(await page.locator('#state-note').isHidden()).toBe(true);
  });

  it('asks before Stop, keeps focus on the control used, and clears a message once the state moves on', async () => {
    const h = await pages.start();
    await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    const page = await pages.session.settings(h.url);
    await waitForText(page, '#server-badge', 'Running');
    const stop = page.getByRole('button', { name: 'Stop', exact: true });
    await stop.click();
    const dialog = page.getByRole('dialog', { name: 'Stop the server?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('The app loses its AI server until you start it again.');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await h.status()).main_server_status).toBe('running');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('btn-stop');

    // From the keyboard this time: Enter on Stop, Enter on the confirmation.
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Stop the server' }).focus();
    await page.keyboard.press('Enter');
    await waitForText(page, '#command-outcome', 'Server stopped.', 10_000);
    await waitForText(page, '#server-badge', 'Stopped');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('btn-stop');

    const start = page.getByRole('button', { name: 'Start', exact: true });
    await start.focus();
    await page.keyboard.press('Enter');
    await waitForText(page, '#command-outcome', /^Server started \(pid \d+\)\.$/, 10_000);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('btn-start');
    const { main_server_pid: pid } = await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    // A crash later is a new state: the old success message goes.
    process.kill(pid, 'SIGKILL');
    await page.locator('#command-outcome[data-kind="none"]').waitFor({ state: 'attached' });
    expect(await page.locator('#command-outcome').textContent()).toBe('');
  });
});
