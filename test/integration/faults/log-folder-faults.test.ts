import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { endFaultTest, orphansOf, type ProcessTracker, trackServerProcesses, truthfulStatus } from '../../support/fault-checks.js';
import { makeFolderReadOnly, type ReadOnlyFolder } from '../../support/read-only-folder.js';
import { startHarness, type Harness } from '../../support/supervisor-harness.js';

describe('faults: the log folder turns read-only', () => {
  let h: Harness | undefined;
  let tracker: ProcessTracker | undefined;
  let readOnly: ReadOnlyFolder | null = null;
  afterEach(async () => {
    await endFaultTest(h, tracker, readOnly);
    [h, tracker, readOnly] = [undefined, undefined, null];
  });

  const logDir = (x: Harness) => join(x.dir, 'logs');
  const pidFile = (x: Harness) => join(logDir(x), 'server.pid');

  it('stops the server and refuses the restart with ERR_LOG_UNAVAILABLE instead of crashing, then recovers', async () => {
    h = await startHarness();
    tracker = trackServerProcesses(h);
    const { main_server_pid: pid } = await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    // server.log exists and stays appendable; only new entries (the pid file's temp file) and removals are refused.
    readOnly = makeFolderReadOnly(logDir(h));

    const answer = await h.post('/supervisor/server/restart');
    expect(answer.status).toBe(500);
    expect(answer.json.code).toBe('ERR_LOG_UNAVAILABLE');
    expect(answer.json.detail).toMatch(/^Server start failed: cannot write the pid file .*server\.pid/);
    const status = await truthfulStatus(h);
    expect(status).toMatchObject({ main_server_status: 'crashed', main_server_state: 'crashed.halted', main_server_pid: null, next_restart_at: null });
    expect(orphansOf(tracker.pgids)).toEqual([]);
    // The old server's lines and both separators of its stop made it into server.log (an existing file stays appendable).
    expect(readFileSync(join(logDir(h), 'server.log'), 'utf8')).toContain(`server stopped pid ${pid}`);

    readOnly.undo();
    readOnly = null;
    const start = await h.post('/supervisor/server/start');
    expect(start.status).toBe(200);
    const running = await truthfulStatus(h);
    expect(running.main_server_status).toBe('running');
    expect(JSON.parse(readFileSync(pidFile(h), 'utf8')).pid).toBe(running.main_server_pid);
  });

  it('shuts down cleanly when the log folder turned read-only under a running server', async () => {
    h = await startHarness();
    tracker = trackServerProcesses(h);
    const { main_server_pid: pid } = await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    readOnly = makeFolderReadOnly(logDir(h));
    await h.sup.close();
    expect(orphansOf(tracker.pgids)).toEqual([]);
    // The pid file could not be removed; it names a dead process, which the next supervisor recognises as stale.
    expect(existsSync(pidFile(h))).toBe(true);
    expect(JSON.parse(readFileSync(pidFile(h), 'utf8')).pid).toBe(pid);
    readOnly.undo();
    readOnly = null;
    const next = await startHarness({ dir: h.dir });
    const again = await next.waitForStatus('running again', (s) => s.main_server_status === 'running');
    expect(again).toMatchObject({ main_server_adopted: false });
    expect(again.main_server_pid).not.toBe(pid);
    await next.close();
  });
});
