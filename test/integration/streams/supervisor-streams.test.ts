import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openSse, type SseClient } from '../../support/sse-client.js';
import { startHarness, type Harness } from '../../support/supervisor-harness.js';
import { waitFor } from '../../support/wait-for.js';

const lines = (client: SseClient) => client.json<{ line?: string }>().flatMap((d) => (d.line === undefined ? [] : [d.line]));

describe('log and inspection streams of the running supervisor', () => {
  let h: Harness | undefined;
  const clients: SseClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await h?.close();
    h = undefined;
  });
  const open = async (path: string) => {
    const client = await openSse(`${h!.url}${path}`);
    clients.push(client);
    return client;
  };

  it('streams server.log with start/stop separators and redacts the configured credential', async () => {
    h = await startHarness({
      config: { api_key: 'custom-secret-value-123' },
      server: { env: { FIXTURE_SAY: 'booting with key custom-secret-value-123 and sk-ant-api03-abcdefghijklmnop' } },
    });
    const { main_server_pid: pid } = await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    const follow = await open('/supervisor/logs?lines=10');
    expect(follow.status).toBe(200);
    expect(follow.headers['content-type']).toMatch(/^text\/event-stream/);
    await waitFor('the boot lines', () => lines(follow).some((l) => l.startsWith('booting with key')));
    expect(lines(follow)[0]).toMatch(new RegExp(`^--- \\S+ server started pid ${pid} ---$`));
    expect(follow.raw).not.toContain('custom-secret-value-123');
    expect(follow.raw).not.toContain('sk-ant-api03-abcdefghijklmnop');

    const restarted = await h.post('/supervisor/server/restart');
    const newPid = restarted.json.status.main_server_pid;
    await waitFor('the restart separators', () => lines(follow).some((l) => l.includes(`server started pid ${newPid}`)));
    expect(lines(follow).some((l) => new RegExp(`server stopped pid ${pid} \\(exit code 0\\)`).test(l))).toBe(true);
    expect(lines(follow)).toContain('healthy fixture got SIGTERM');
  });

  it('sends a snapshot of every actor on connect, then the events and snapshots of a restart', async () => {
    h = await startHarness();
    await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    const inspect = await open('/supervisor/inspect');
    // After the replay of the recent past (marked `replayed`), one snapshot per actor as it is now.
    const live = () => inspect.events.filter((e) => JSON.parse(e.data).replayed !== true);
    await waitFor('four snapshots', () => live().length >= 4);
    const replayed = inspect.events.length - live().length;
    expect(replayed).toBeGreaterThan(0);
    const first = live().slice(0, 4);
    expect(first.every((e) => e.event === 'snapshot')).toBe(true);
    expect(first.map((e) => JSON.parse(e.data).actor).sort()).toEqual(['config', 'models', 'server', 'supervisor']);
    expect(JSON.parse(first.find((e) => JSON.parse(e.data).actor === 'server')!.data)).toMatchObject({ value: 'running', status: 'active' });

    await h.post('/supervisor/server/restart');
    const serverRecords = () => inspect.events.slice(replayed + 4).map((e) => ({ kind: e.event, ...JSON.parse(e.data) })).filter((r) => r.actor === 'server');
    await waitFor('running again', () => serverRecords().some((r) => r.kind === 'snapshot' && r.value === 'running'));
    const states = serverRecords().flatMap((r) => (r.kind === 'snapshot' ? [typeof r.value === 'string' ? r.value : Object.keys(r.value)[0]] : []));
    expect(states.filter((s, i) => s !== states[i - 1])).toEqual(['stopping', 'starting', 'running']);
    expect(serverRecords().find((r) => r.kind === 'event' && r.type === 'server.restart')).toMatchObject({ event: { type: 'server.restart' } });
  });

  it('replays the recent past on connect, a crash and a supervisor restart included, then the present', async () => {
    h = await startHarness();
    const { main_server_pid: crashedPid } = await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    process.kill(crashedPid, 'SIGKILL');
    await h.waitForStatus('restarted', (s) => s.main_server_status === 'running' && s.main_server_pid !== crashedPid);
    // A new supervisor on the same folder: the recent past of the first one is read from <log_dir>/inspect.jsonl.
    await h.sup.close();
    const file = join(h.dir, 'logs', 'inspect.jsonl');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain('"signal":"SIGKILL"');
    h = await startHarness({ dir: h.dir });
    await h.waitForStatus('running', (s) => s.main_server_status === 'running');

    const inspect = await open('/supervisor/inspect');
    const records = () => inspect.events.map((e) => ({ kind: e.event, ...JSON.parse(e.data) }));
    // The present follows the replay: one snapshot per actor without `replayed`.
    await waitFor('the present after the replay', () => records().filter((r) => !r.replayed).length >= 4);
    const past = records().filter((r) => r.replayed);
    const present = records().filter((r) => !r.replayed).slice(0, 4);
    expect(records().slice(0, past.length).every((r) => r.replayed)).toBe(true);
    expect(present.map((r) => r.kind)).toEqual(['snapshot', 'snapshot', 'snapshot', 'snapshot']);
    // Two supervisor runs, each marked where it began.
    const starts = past.filter((r) => r.kind === 'started');
    expect(starts).toHaveLength(2);
    expect(starts[1].pid).toBe(process.pid);
    // The crash, with its original time, before the second run began.
    const exited = past.find((r) => r.kind === 'event' && r.type === 'process.exited' && r.event.signal === 'SIGKILL');
    expect(exited).toBeDefined();
    expect(exited.at).toBeLessThan(starts[1].at);
    expect(past[past.indexOf(exited) + 1]).toMatchObject({ kind: 'snapshot', actor: 'server', value: { crashed: 'backoff' } });
    // Oldest first, and no no-op: every event is followed by the snapshot it led to.
    expect(past.map((r) => r.at)).toEqual([...past.map((r) => r.at)].sort((a, b) => a - b));
    past.forEach((r, i) => {
      if (r.kind === 'event') expect(past[i + 1]).toMatchObject({ kind: 'snapshot', actor: r.actor });
    });
  });

  it('ends every open stream when the supervisor shuts down', async () => {
    h = await startHarness();
    await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    const logs = await open('/supervisor/logs');
    const inspect = await open('/supervisor/inspect');
    await h.close();
    h = undefined;
    await waitFor('both streams ended', () => logs.ended && inspect.ended);
  });
});
