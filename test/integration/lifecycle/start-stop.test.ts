import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from '../../../src/lifecycle/process-group.js';
import { request } from '../../support/http.js';
import { startHarness, type Harness } from '../../support/supervisor-harness.js';
import { waitFor } from '../../support/wait-for.js';

const running = (s: { main_server_status: string }) => s.main_server_status === 'running';

describe('server lifecycle over HTTP, with real processes', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('autostarts the server to running and reports status with integer fields', async () => {
    h = await startHarness();
    const status = await h.waitForStatus('running', running);
    expect(status).toMatchObject({
      main_server_healthy: true,
      main_server_version: 'fixture-1',
      main_server_port: h.serverPort,
      config_loaded: true,
      restart_count: 0,
      default_model: 'claude-sonnet-4-5',
    });
    for (const key of ['supervisor_uptime_seconds', 'main_server_uptime_seconds', 'main_server_pid', 'main_server_port', 'restart_count']) {
      expect(Number.isInteger(status[key])).toBe(true);
    }
    expect(isAlive(status.main_server_pid)).toBe(true);
    const health = await request(`http://127.0.0.1:${h.serverPort}/api/health`);
    expect(health.status).toBe(200);
    // CPU and memory come from pidusage, sampled in the background: null at first, then numbers.
    const sampled = await h.waitForStatus('metrics', (s) => s.memory_bytes !== null);
    expect(Number.isInteger(sampled.memory_bytes)).toBe(true);
    expect(sampled.memory_bytes).toBeGreaterThan(1024 * 1024);
    expect(typeof sampled.cpu_percent).toBe('number');
  });

  it('answers /supervisor/status in well under 50 ms while the server is still starting', async () => {
    h = await startHarness({ fixture: 'never-healthy.mjs', server: { start_timeout_ms: 20_000 } });
    await h.waitForStatus('starting with a pid', (s) => s.main_server_status === 'starting' && s.main_server_pid !== null);
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      const answer = await h.get('/supervisor/status');
      times.push(performance.now() - t0);
      expect(answer.json.main_server_status).toBe('starting');
    }
    times.sort((a, b) => a - b);
    // The fixture's health check hangs: a status that waited on a probe would take its timeout (seconds).
    expect(times[10]).toBeLessThan(50);
    expect(times[times.length - 1]).toBeLessThan(500);
  });

  it('restart gives a new pid and answers only once the new server is healthy', async () => {
    h = await startHarness();
    const before = await h.waitForStatus('running', running);
    const answer = await h.post('/supervisor/server/restart');
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ success: true, message: 'Server restarted', status: { main_server_status: 'running', main_server_healthy: true } });
    expect(answer.json.status.main_server_pid).not.toBe(before.main_server_pid);
    expect(isAlive(before.main_server_pid)).toBe(false);
    // Healthy at the moment of the answer: the new process already serves its health endpoint.
    expect((await request(`http://127.0.0.1:${h.serverPort}/api/health`)).status).toBe(200);
  });

  it('coalesces two concurrent restarts into one restart and answers both with 200', async () => {
    h = await startHarness();
    await h.waitForStatus('running', running);
    const [a, b] = await Promise.all([h.post('/supervisor/server/restart'), h.post('/supervisor/server/restart')]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.json.status.main_server_pid).toBe(b.json.status.main_server_pid);
    const starts = h.logLines().filter((line) => /^--- .* server started pid \d+ ---$/.test(line));
    expect(starts).toHaveLength(2);
  });

  it('stop, then start again, over HTTP', async () => {
    h = await startHarness();
    const first = await h.waitForStatus('running', running);
    const stopped = await h.post('/supervisor/server/stop');
    expect(stopped.json).toMatchObject({ success: true, message: 'Server stopped', status: { main_server_status: 'stopped', main_server_pid: null } });
    expect(stopped.json.status.last_exit).toMatchObject({ code: 0, signal: null });
    expect(isAlive(first.main_server_pid)).toBe(false);
    const started = await h.post('/supervisor/server/start');
    expect(started.json).toMatchObject({ success: true, message: 'Server started', status: { main_server_status: 'running' } });
  });

  it('answers a stop that a start overtook at once with 409, and the start with 200', async () => {
    // The slow stop keeps the lifecycle in stopping long enough for the start to arrive while the stop is under way.
    h = await startHarness({ fixture: 'slow-server.mjs', server: { env: { SLOW_STOP_MS: '300' } } });
    await h.waitForStatus('running', running);
    const t0 = performance.now();
    const stop = h.post('/supervisor/server/stop');
    await h.waitForStatus('stopping', (s) => s.main_server_status === 'stopping');
    const [stopped, started] = await Promise.all([stop, h.post('/supervisor/server/start')]);
    expect(stopped.status).toBe(409);
    expect(stopped.json).toMatchObject({ code: 'ERR_CONFLICT', detail: expect.stringMatching(/^Server stop failed: a start or restart asked for meanwhile overtook this stop/) });
    expect(started.status).toBe(200);
    // Not the commands' safety-net bound (stop + start timeouts + 5 s): the answer comes once the start is known.
    expect(performance.now() - t0).toBeLessThan(5_000);
  });

  it('answers 202 at once with ?wait=false', async () => {
    h = await startHarness();
    await h.waitForStatus('running', running);
    const answer = await h.post('/supervisor/server/stop?wait=false');
    expect(answer.status).toBe(202);
    expect(answer.json.status.main_server_status).toBe('stopping');
    await h.waitForStatus('stopped', (s) => s.main_server_status === 'stopped');
  });

  it('SIGKILLs a server that ignores SIGTERM once stop_timeout_ms has passed', async () => {
    h = await startHarness({ fixture: 'ignores-sigterm.mjs', server: { stop_timeout_ms: 500 } });
    const { main_server_pid: pid } = await h.waitForStatus('running', running);
    const t0 = Date.now();
    const answer = await h.post('/supervisor/server/stop');
    expect(answer.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(450);
    expect(answer.json.status.last_exit).toMatchObject({ signal: 'SIGKILL' });
    expect(isAlive(pid)).toBe(false);
    expect(h.logLines()).toContain('ignores-sigterm fixture: ignoring SIGTERM');
  });

  it('leaves no grandchild behind after a stop', async () => {
    const pidFile = join(tmpdir(), `grandchild-${process.pid}-${Date.now()}`);
    h = await startHarness({ fixture: 'spawns-grandchild.mjs', server: { stop_timeout_ms: 500, env: { GRANDCHILD_PID_FILE: pidFile } } });
    await h.waitForStatus('running', running);
    const grandchild = await waitFor('grandchild pid file', () => Number(readFileSync(pidFile, 'utf8')) || undefined);
    expect(isAlive(grandchild)).toBe(true);
    const t0 = Date.now();
    const answer = await h.post('/supervisor/server/stop');
    expect(answer.status).toBe(200);
    // The leader left at SIGTERM; the stop waited for the grandchild until SIGKILL reached the whole group.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(450);
    expect(isAlive(grandchild)).toBe(false);
  });

  it('refuses to start on a taken port with a clear 500 and no crash loop', async () => {
    const blocker: Server = createServer();
    h = await startHarness({ server: { autostart: false } });
    await new Promise<void>((resolve) => blocker.listen(h!.serverPort, '127.0.0.1', resolve));
    try {
      const answer = await h.post('/supervisor/server/start');
      expect(answer.status).toBe(500);
      expect(answer.json.code).toBe('ERR_PORT_IN_USE');
      expect(answer.json.detail).toBe(
        // The holder here is this test's own process (it listens on the port), named by pid and command line.
        `Server start failed: port ${h.serverPort} is in use by pid ${process.pid} (${ownCommandLine()}); stop that process or change "port" in ${h.configPath}`,
      );
      const status = await h.status();
      // halted: no restart timer exists, so there is nothing that could loop.
      expect(status).toMatchObject({ main_server_status: 'crashed', main_server_state: 'crashed.halted', next_restart_at: null, restart_count: 0 });
      expect(h.logLines().filter((l) => l.includes('server started'))).toHaveLength(0);
    } finally {
      blocker.close();
    }
  });

  it('fails a start that is not healthy within start_timeout_ms, and stops the process it started', async () => {
    h = await startHarness({ fixture: 'never-healthy.mjs', server: { start_timeout_ms: 600, autostart: false, restart: 'temporary' } });
    const answer = await h.post('/supervisor/server/start');
    expect(answer.status).toBe(500);
    expect(answer.json.code).toBe('ERR_START_TIMEOUT');
    expect(answer.json.detail).toMatch(/^Server start failed: server did not answer \/api\/health on port \d+ within 600 ms$/);
    expect(answer.json.status).toMatchObject({ main_server_status: 'crashed', main_server_pid: null });
  });

  it('stops the server when the supervisor shuts down, and leaves it running with keepServer', async () => {
    h = await startHarness();
    const { main_server_pid: pid } = await h.waitForStatus('running', running);
    await h.close();
    h = undefined;
    expect(isAlive(pid)).toBe(false);

    const kept = await startHarness({ keepServer: true });
    const { main_server_pid: keptPid } = await kept.waitForStatus('running', running);
    await kept.close();
    expect(isAlive(keptPid)).toBe(true);
    process.kill(-keptPid, 'SIGKILL');
    await waitFor('kept server to be killed', () => !isAlive(keptPid));
  });
});

// This process's command line as /proc shows it (what the supervisor names as the port's holder).
function ownCommandLine(): string {
  return readFileSync('/proc/self/cmdline', 'utf8').split('\0').filter(Boolean).join(' ');
}
