import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from '../../../src/lifecycle/process-group.js';
import { endFaultTest, orphansOf, type ProcessTracker, trackServerProcesses, truthfulStatus } from '../../support/fault-checks.js';
import { request } from '../../support/http.js';
import { configActor, recordStates, whenServer } from '../../support/lifecycle-watch.js';
import { startHarness, type Harness } from '../../support/supervisor-harness.js';
import { waitFor } from '../../support/wait-for.js';

const topOf = (value: unknown) => (typeof value === 'string' ? value : Object.keys(value as object)[0]);
const put = (h: Harness, body: unknown) =>
  request(`${h.url}/supervisor/config`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('faults: the server killed at awkward moments', () => {
  let h: Harness | undefined;
  let tracker: ProcessTracker | undefined;
  afterEach(async () => {
    await endFaultTest(h, tracker);
    [h, tracker] = [undefined, undefined];
  });

  it('restarts a server SIGKILLed while starting, and kills the grandchild it left', async () => {
    const grandchildFile = join(tmpdir(), `psup-grandchild-${process.pid}-${Date.now()}`);
    h = await startHarness({
      fixture: 'slow-server.mjs',
      server: { env: { SLOW_START_MS: '800', GRANDCHILD_PID_FILE: grandchildFile }, backoff_ms: 50 },
    });
    tracker = trackServerProcesses(h);
    const first = await whenServer(h, 'starting with a process', (s) => topOf(s.value) === 'starting' && s.context.process !== null);
    const pid = first.context.process?.pid as number;
    // The grandchild (same process group, ignores SIGTERM) must be armed before the kill, or there is nothing to leave.
    const grandchild = await waitFor('the grandchild to be armed', () => {
      try {
        return Number(readFileSync(grandchildFile, 'utf8')) || undefined;
      } catch {
        return undefined;
      }
    });
    process.kill(pid, 'SIGKILL');

    const status = await h.waitForStatus('running on a new pid', (s) => s.main_server_status === 'running' && s.main_server_pid !== pid);
    expect(status).toMatchObject({ restart_count: 1, last_exit: { code: null, signal: 'SIGKILL' } });
    expect(isAlive(grandchild)).toBe(false);
    expect(orphansOf(tracker.pgids, status.main_server_pid)).toEqual([]);
    await truthfulStatus(h);
    rmSync(grandchildFile, { force: true });
  });

  it('answers a manual start whose server is SIGKILLed with 500, then restarts it by policy', async () => {
    h = await startHarness({ fixture: 'slow-server.mjs', server: { autostart: false, env: { SLOW_START_MS: '800' }, backoff_ms: 50 } });
    tracker = trackServerProcesses(h);
    const starting = whenServer(h, 'a spawned process', (s) => s.context.process !== null, (s) => process.kill(s.context.process?.pid as number, 'SIGKILL'));
    const answer = await h.post('/supervisor/server/start');
    await starting;
    expect(answer.status).toBe(500);
    expect(answer.json.detail).toBe('Server start failed: server was killed by SIGKILL');
    const status = await h.waitForStatus('running after the backoff', (s) => s.main_server_status === 'running');
    expect(status.restart_count).toBe(1);
    await truthfulStatus(h);
  });

  // The server would take 20 s to exit after SIGTERM, and the supervisor would SIGKILL it after stop_timeout_ms (3 s):
  // the state path shows that our kill, not that escalation (stopping.killing), ended the stop.
  const slowStop = { env: { SLOW_STOP_MS: '20000' }, stop_timeout_ms: 3_000 };

  it('ends a stop whose server is SIGKILLed while stopping: stopped, not crashed, no restart scheduled', async () => {
    h = await startHarness({ fixture: 'slow-server.mjs', server: slowStop });
    tracker = trackServerProcesses(h);
    const { main_server_pid: pid } = await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    const states = recordStates(h);
    const killed = whenServer(h, 'stopping', (s) => topOf(s.value) === 'stopping', () => process.kill(pid, 'SIGKILL'));
    const answer = await h.post('/supervisor/server/stop');
    await killed;
    states.stop();
    expect(answer.status).toBe(200);
    expect(answer.json.message).toBe('Server stopped');
    expect(states.states).toEqual(['stopping.terminating', 'stopped']);
    const status = await truthfulStatus(h);
    expect(status).toMatchObject({ main_server_status: 'stopped', main_server_state: 'stopped', restart_count: 0, next_restart_at: null, main_server_pid: null });
  });

  it('restarts exactly once when the server is SIGKILLed during the stop phase of a restart', async () => {
    h = await startHarness({ fixture: 'slow-server.mjs', server: slowStop });
    tracker = trackServerProcesses(h);
    const { main_server_pid: pid } = await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    const states = recordStates(h);
    const killed = whenServer(h, 'stopping', (s) => topOf(s.value) === 'stopping', () => process.kill(pid, 'SIGKILL'));
    const answer = await h.post('/supervisor/server/restart');
    await killed;
    states.stop();
    expect(answer.status).toBe(200);
    expect(answer.json.message).toBe('Server restarted');
    expect(states.states).toEqual(['stopping.terminating', 'starting', 'running']);
    const status = await truthfulStatus(h);
    // A manual restart is not an automatic restart after a crash, even though the old server died of SIGKILL.
    expect(status).toMatchObject({ main_server_status: 'running', restart_count: 0 });
    expect(status.main_server_pid).not.toBe(pid);
  });

  it('keeps the rollback byte for byte when the server is SIGKILLed during the rollback restart, then recovers', async () => {
    h = await startHarness({ fixture: 'picky-server.mjs', config: { default_model: 'claude-sonnet-4-5' }, server: { backoff_ms: 50 } });
    tracker = trackServerProcesses(h);
    await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    const original = readFileSync(h.configPath);
    const config = configActor(h);
    // Kill the server the moment it is spawned again on the restored file: a fault inside the rollback itself.
    let killedPid: number | null = null;
    const subscription = h.sup.system.refs.server.subscribe((s) => {
      const rollingBack = JSON.stringify(config.getSnapshot().value) === JSON.stringify({ rollingBack: 'restarting' });
      if (killedPid === null && rollingBack && topOf(s.value) === 'starting' && s.context.process) {
        killedPid = s.context.process.pid;
        process.kill(killedPid, 'SIGKILL');
      }
    });
    const answer = await put(h, { values: { default_model: 'claude-broken-1' } });
    subscription.unsubscribe();

    expect(killedPid).not.toBeNull();
    expect(answer.status).toBe(409);
    expect(answer.json).toMatchObject({ code: 'ERR_CONFIG_ROLLED_BACK', rolled_back: true, server_restarted: false });
    expect(readFileSync(h.configPath).equals(original)).toBe(true);
    // The crash budget is not spent, so the lifecycle brings the server back, on the restored config.
    const status = await h.waitForStatus('running again', (s) => s.main_server_status === 'running' && s.main_server_pid !== killedPid);
    expect(status.default_model).toBe('claude-sonnet-4-5');
    const health = await request(`http://127.0.0.1:${h.serverPort}/api/health`);
    expect(health.json.default_model).toBe('claude-sonnet-4-5');
    expect(readFileSync(h.configPath).equals(original)).toBe(true);
    expect(orphansOf(tracker.pgids, status.main_server_pid)).toEqual([]);
    await truthfulStatus(h);
  });
});
