import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { endFaultTest, type ProcessTracker, trackServerProcesses, truthfulStatus } from '../../support/fault-checks.js';
import { makeFolderReadOnly, type ReadOnlyFolder } from '../../support/read-only-folder.js';
import { openSse, type SseClient } from '../../support/sse-client.js';
import { startHarness, type Harness } from '../../support/supervisor-harness.js';
import { waitFor } from '../../support/wait-for.js';

/** The `line` of every log event received so far (error events and comments left out). */
function lines(sse: SseClient): string[] {
  return sse.json<{ line?: string }>().flatMap((e) => (typeof e.line === 'string' ? [e.line] : []));
}

/** Tick numbers of one server in the order received: `tick <pid> <n>` lines of slow-server.mjs. */
function ticksOf(received: string[], pid: number): number[] {
  return received.flatMap((l) => {
    const m = /^tick (\d+) (\d+)$/.exec(l);
    return m && Number(m[1]) === pid ? [Number(m[2])] : [];
  });
}

/** True when `numbers` run on by one (no gap, no repeat). */
function consecutive(numbers: number[]): boolean {
  return numbers.every((n, i) => i === 0 || n === (numbers[i - 1] as number) + 1);
}

describe('faults: the log file deleted, or its folder read-only, while a client streams it', () => {
  let h: Harness | undefined;
  let sse: SseClient | undefined;
  let tracker: ProcessTracker | undefined;
  let readOnly: ReadOnlyFolder | null = null;
  afterEach(async () => {
    sse?.close();
    sse = undefined;
    await endFaultTest(h, tracker, readOnly);
    [h, tracker, readOnly] = [undefined, undefined, null];
  });

  it('keeps the stream open when server.log is deleted, and streams the next server from the new file', async () => {
    h = await startHarness({ fixture: 'slow-server.mjs', server: { env: { TICK_MS: '20' } } });
    tracker = trackServerProcesses(h);
    const { main_server_pid: first } = await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    sse = await openSse(`${h.url}/supervisor/logs?lines=0`);
    const client = sse;
    await waitFor('some ticks on the stream', () => ticksOf(lines(client), first).length >= 5);

    rmSync(h.logPath);
    // What the old server writes from now on goes to the deleted file (it holds the descriptor): lost by the deletion
    // itself, not by the supervisor. A restart opens a new server.log, which the stream must pick up on its own.
    const restart = await h.post('/supervisor/server/restart');
    expect(restart.status).toBe(200);
    const { main_server_pid: second } = await truthfulStatus(h);
    expect(existsSync(h.logPath)).toBe(true);
    await waitFor('the new server on the same stream', () => ticksOf(lines(client), second).length >= 5, { timeoutMs: 15_000 });

    expect(client.ended).toBe(false);
    const received = lines(client);
    expect(received.filter((l) => new RegExp(`^--- \\S+ server started pid ${second} ---$`).test(l))).toHaveLength(1);
    // Every line arrived whole, and each server's ticks arrived in order without a repeat.
    expect(received.filter((l) => !/^(tick \d+ \d+|--- .* ---|slow fixture .*)$/.test(l))).toEqual([]);
    expect(consecutive(ticksOf(received, first))).toBe(true);
    expect(consecutive(ticksOf(received, second))).toBe(true);
    expect(ticksOf(received, second)[0]).toBe(1);
  });

  it('streams every line, in order, while the log folder is read-only and rotation fails, and after it recovers', async () => {
    h = await startHarness({
      fixture: 'slow-server.mjs',
      server: { env: { TICK_MS: '5' } },
      supervisor: { log_max_bytes: 4096, log_backups: 2 },
      rotationIntervalMs: 100,
    });
    tracker = trackServerProcesses(h);
    const { main_server_pid: pid } = await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    const logDir = join(h.dir, 'logs');
    readOnly = makeFolderReadOnly(logDir);
    sse = await openSse(`${h.url}/supervisor/logs?lines=0`);
    const client = sse;
    const x = h;
    // Rotation cannot create server.log.1 now: the file grows past log_max_bytes, and the stream goes on.
    await waitFor('server.log to outgrow log_max_bytes', () => statSync(x.logPath).size > 3 * 4096, { timeoutMs: 15_000 });
    expect(existsSync(`${x.logPath}.1`)).toBe(false);
    const before = ticksOf(lines(client), pid).length;
    expect(before).toBeGreaterThan(0);

    readOnly.undo();
    readOnly = null;
    await waitFor('a rotation', () => existsSync(`${x.logPath}.1`) && statSync(x.logPath).size < 4096, { timeoutMs: 15_000 });
    await waitFor('ticks after the rotation', () => ticksOf(lines(client), pid).length > before + 200, { timeoutMs: 15_000 });

    expect(client.ended).toBe(false);
    const ticks = ticksOf(lines(client), pid);
    expect({ consecutive: consecutive(ticks), count: ticks.length }).toEqual({ consecutive: true, count: ticks.length });
    expect(await truthfulStatus(h)).toMatchObject({ main_server_status: 'running', main_server_pid: pid });
  });
});
