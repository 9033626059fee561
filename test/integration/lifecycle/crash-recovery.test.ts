import { topState } from '../../../src/actors/state-value.js';
import { isAlive } from '../../../src/lifecycle/process-group.js';
import { startHarness, type Harness } from '../../support/supervisor-harness.js';
import { waitFor } from '../../support/wait-for.js';

describe('crash recovery with real processes', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('restarts a server killed with kill -9 at once, and waits backoff_ms after a second crash in a row', async () => {
    h = await startHarness({ server: { backoff_ms: 1_500, backoff_max_ms: 10_000, stable_ms: 60_000 } });
    const { main_server_pid: pid } = await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    const seen: string[] = [];
    const sub = h.sup.system.refs.server.subscribe((s) => {
      const state = topState(s.value);
      if (seen.at(-1) !== state) seen.push(state);
    });
    let t0 = Date.now();
    process.kill(pid, 'SIGKILL');
    const first = await h.waitForStatus('running on a new pid', (s) => s.main_server_status === 'running' && s.main_server_pid !== pid);
    const firstRecovery = Date.now() - t0;
    expect(seen.slice(0, 3)).toEqual(['crashed', 'starting', 'running']);
    expect(first).toMatchObject({ restart_count: 1, last_exit: { code: null, signal: 'SIGKILL' } });
    // The exit event is handled at once and the first restart has no delay: far below backoff_ms.
    expect(firstRecovery).toBeLessThan(1_500);

    t0 = Date.now();
    process.kill(first.main_server_pid, 'SIGKILL');
    const second = await h.waitForStatus('running again', (s) => s.main_server_status === 'running' && s.main_server_pid !== first.main_server_pid);
    sub.unsubscribe();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1_500);
    expect(second.restart_count).toBe(2);
  });

  it('stays crashed once a server that crashes on every start has spent the intensity', async () => {
    h = await startHarness({ fixture: 'crash-on-start.mjs', server: { intensity: 3, period_ms: 60_000, backoff_ms: 20, backoff_max_ms: 40 } });
    const status = await h.waitForStatus('crash loop detected', (s) => s.main_server_state === 'crashed.exhausted');
    expect(status).toMatchObject({ main_server_status: 'crashed', last_error_code: 'ERR_CRASH_LOOP', next_restart_at: null, restart_count: 3 });
    expect(status.last_error).toMatch(/crashed 4 times within 60000 ms/);
    expect(h.logLines().filter((l) => l.includes('server started'))).toHaveLength(4);
    expect(h.logLines().filter((l) => l.includes('crash-on-start fixture'))).toHaveLength(4);
    // A manual start is still possible, and reports the failure instead of looping.
    const answer = await h.post('/supervisor/server/start');
    expect(answer.status).toBe(500);
    expect(answer.json.detail).toBe('Server start failed: server exited with code 3');
  });

  it('declares a crash when the running server stops answering its health check', async () => {
    h = await startHarness({ server: { health_interval_ms: 50, health_failures: 2, health_timeout_ms: 200, backoff_ms: 50 } });
    const { main_server_pid: pid } = await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    // A stopped (SIGSTOP) process neither exits nor answers: only the liveness probe can notice it.
    process.kill(pid, 'SIGSTOP');
    const status = await h.waitForStatus('running again on a new pid', (s) => s.main_server_status === 'running' && s.main_server_pid !== pid, 15_000);
    expect(status.restart_count).toBe(1);
    await waitFor('the frozen server to be gone', () => !isAlive(pid));
  });
});
