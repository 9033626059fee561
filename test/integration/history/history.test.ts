import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive } from '../../../src/lifecycle/process-group.js';
import { portInUse } from '../../../src/lifecycle/port-check.js';
import { freePort } from '../../support/free-port.js';
import { request } from '../../support/http.js';
import { parsePrometheusText, sampleValue } from '../../support/prometheus-text.js';
import { openSse, type SseClient } from '../../support/sse-client.js';
import { startHarness, type Harness } from '../../support/supervisor-harness.js';
import { waitFor } from '../../support/wait-for.js';

type Event = Record<string, unknown> & { seq: number; type: string };

describe('history, events, health and metrics with real processes', () => {
  let h: Harness | undefined;
  let second: Harness | undefined;
  const streams: SseClient[] = [];
  const others: ChildProcess[] = [];
  afterEach(async () => {
    for (const s of streams.splice(0)) s.close();
    for (const child of others.splice(0)) child.kill('SIGKILL');
    await second?.close();
    second = undefined;
    await h?.close();
    h = undefined;
  });

  // The newest event of `type` (after `afterSeq`), once the history has it.
  const eventOf = (harness: Harness, type: string, afterSeq = 0): Promise<Event> =>
    waitFor(`a ${type} event after seq ${afterSeq}`, async () => ((await harness.history()) as Event[]).find((e) => e.type === type && e.seq > afterSeq));

  it("records a kill -9 as crashed with the lines that run printed just before it, redacted, and none of the run before", async () => {
    const secret = 'sk-ant-api03-history-tail-secret-0123456789';
    h = await startHarness({ server: { stable_ms: 60_000 } });
    const first = await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    await request(`http://127.0.0.1:${h.serverPort}/say?line=${encodeURIComponent('first run line')}`);
    process.kill(first.main_server_pid, 'SIGKILL');
    const firstCrash = await eventOf(h, 'crashed');
    const running = await h.waitForStatus('running again', (s) => s.main_server_status === 'running' && s.main_server_pid !== first.main_server_pid);
    const lines = ['about to die 1', `key=${secret} in a line`, 'about to die 2'];
    await request(`http://127.0.0.1:${h.serverPort}/say?${lines.map((l) => `line=${encodeURIComponent(l)}`).join('&')}`);
    await waitFor('the lines in server.log', () => h?.logLines().includes('about to die 2'));
    process.kill(running.main_server_pid, 'SIGKILL');
    const crash = await eventOf(h, 'crashed', firstCrash.seq);

    expect(crash).toMatchObject({ type: 'crashed', pid: running.main_server_pid, code: null, signal: 'SIGKILL', reason: 'exit', message: 'server was killed by SIGKILL' });
    expect(crash.ran_for_ms).toEqual(expect.any(Number));
    const tail = crash.log_tail as string[];
    expect(tail.slice(-3)).toEqual(['about to die 1', 'key=[REDACTED] in a line', 'about to die 2']);
    expect(tail.join('\n')).not.toContain(secret);
    // Only that run's lines: not the first run's, not the supervisor's separators.
    expect(tail).not.toContain('first run line');
    expect(tail.filter((l) => l.startsWith('--- '))).toEqual([]);
    expect(tail[0]).toMatch(/^healthy fixture listening on \d+ pid \d+$/);

    // The whole story, in order, and status's last_crash is the newest crash without its tail.
    const types = ((await h.history()) as Event[]).reverse().map((e) => e.type);
    expect(types).toEqual([
      'supervisor_started', 'starting', 'running', 'crashed', 'restart_scheduled', 'starting', 'running', 'crashed', 'restart_scheduled', 'starting', 'running',
    ].slice(0, types.length));
    const status = await h.status();
    const { log_tail: _tail, ...summary } = crash;
    expect(status.last_crash).toEqual(summary);
    expect(statSync(join(h.dir, 'logs', 'history.jsonl')).mode & 0o777).toBe(0o600);
  });

  it("orders status and events: status's history_seq is the newest event it already reflects", async () => {
    h = await startHarness();
    await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    const steady = await eventOf(h, 'running');
    expect((await h.status()).history_seq).toBe(steady.seq);
    const answer = await h.post('/supervisor/server/restart');
    expect(answer.status).toBe(200);
    const seq = answer.json.status.history_seq as number;
    // The restart's facts are all at or before the answer's seq (it reflects them); nothing is after it yet.
    const events = (await h.history()) as Event[];
    const restart = events.filter((e) => e.seq > steady.seq);
    expect(restart.map((e) => e.type).reverse()).toEqual(['stopping', 'stopped', 'starting', 'running']);
    expect(Math.max(...restart.map((e) => e.seq))).toBe(seq);
    expect(answer.json.status.main_server_status).toBe('running');
  });

  it('reports a SIGSTOPped server unhealthy while it is still running, and healthy again after SIGCONT', async () => {
    h = await startHarness({ server: { health_interval_ms: 50, health_timeout_ms: 100, health_failures: 100_000 } });
    const { main_server_pid: pid, main_server_health: before } = await h.waitForStatus('running', (s) => s.main_server_status === 'running' && s.main_server_healthy);
    expect(before).toBe('healthy');
    process.kill(pid, 'SIGSTOP');
    try {
      const status = await h.waitForStatus('unhealthy', (s) => s.main_server_health === 'unhealthy');
      expect(status).toMatchObject({ main_server_status: 'running', main_server_pid: pid, main_server_healthy: false });
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await h.waitForStatus('healthy again', (s) => s.main_server_health === 'healthy' && s.main_server_pid === pid);
    await h.post('/supervisor/server/stop');
    expect((await h.status()).main_server_health).toBe('unknown');
  });

  it('keeps the history across a supervisor restart: seq goes on after a torn last line, which is skipped', async () => {
    h = await startHarness({ keepServer: true });
    await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    await eventOf(h, 'running');
    await h.sup.close();
    const historyPath = join(h.dir, 'logs', 'history.jsonl');
    const before = readFileSync(historyPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Event);
    // A supervisor killed mid-write leaves half a line.
    appendFileSync(historyPath, '{"seq":999,"at":"2026-12-0');
    second = await startHarness({ dir: h.dir });
    const started = await eventOf(second, 'supervisor_started', before.at(-1)?.seq);
    const pidBefore = (before.find((e) => e.type === 'running') as Event).pid;
    expect(started).toMatchObject({ seq: (before.at(-1)?.seq ?? 0) + 1, adopted_pid: pidBefore });
    const events = (await second.history()) as Event[];
    expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((a, b) => b - a));
    expect(events.map((e) => e.seq)).not.toContain(999);
    expect(events.slice(-before.length).reverse()).toEqual(before);
    expect(before.map((e) => e.type)).toEqual(['supervisor_started', 'starting', 'running', 'supervisor_stopped']);
    h = undefined; // the second harness owns the folder and the adopted server now
  });

  it('streams events with id = seq and resumes from Last-Event-ID out of the file without duplicates or gaps', async () => {
    h = await startHarness();
    await eventOf(h, 'running');
    const live = await openSse(`${h.url}/supervisor/events`);
    streams.push(live);
    expect(live.status).toBe(200);
    await h.post('/supervisor/server/restart');
    await waitFor('the restart as events', () => live.json<Event>().some((e) => e.type === 'running'));
    const received = live.json<Event>();
    expect(received.map((e) => e.type)).toEqual(['stopping', 'stopped', 'starting', 'running']);
    expect(live.events.map((e) => e.id)).toEqual(received.map((e) => String(e.seq)));
    live.close();

    // Events happen while no one listens; a client resuming after the second event gets the rest, each once.
    await h.post('/supervisor/server/restart');
    const resumed = await openSse(`${h.url}/supervisor/events`, { 'last-event-id': String(received[1]?.seq) });
    streams.push(resumed);
    await h.post('/supervisor/server/stop');
    await waitFor('the stop as events', () => resumed.json<Event>().some((e) => e.type === 'stopped' && e.seq > (received[3]?.seq ?? 0) + 4));
    const seqs = resumed.json<Event>().map((e) => e.seq);
    const first = (received[1]?.seq ?? 0) + 1;
    expect(seqs).toEqual(seqs.map((_, i) => first + i));
    expect(resumed.json<Event>().map((e) => e.type)).toEqual(['starting', 'running', 'stopping', 'stopped', 'starting', 'running', 'stopping', 'stopped']);
  });

  it('names the process holding the port in last_error, and records the failed start as crashed and halted', async () => {
    const port = await freePort();
    const holder = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1'], { stdio: 'ignore' });
    others.push(holder);
    await waitFor('python3 to listen', () => portInUse(port));
    h = await startHarness({ config: { port } });
    const status = await h.waitForStatus('halted', (s) => s.main_server_state === 'crashed.halted');
    expect(status.last_error_code).toBe('ERR_PORT_IN_USE');
    expect(status.last_error).toMatch(new RegExp(`^port ${port} is in use by pid ${holder.pid} \\(\\S*python3 -m http\\.server ${port} --bind 127\\.0\\.0\\.1\\); stop that process`));
    const events = (await h.history()) as Event[];
    expect(events.slice(0, 2).map((e) => e.type)).toEqual(['halted', 'crashed']);
    expect(events[1]).toMatchObject({ reason: 'spawn_failed', pid: null, log_tail: [] });
    expect(events[0]).toMatchObject({ code: 'ERR_PORT_IN_USE' });
  });

  it('says a missing command is not found and a non-executable one is not executable, with the path tried, and halts', async () => {
    h = await startHarness({ server: { command: ['./no-such-server', '--flag'] } });
    let status = await h.waitForStatus('halted', (s) => s.main_server_state === 'crashed.halted');
    expect(status.last_error_code).toBe('ERR_COMMAND_NOT_FOUND');
    expect(status.last_error).toContain(`${join(h.dir, 'no-such-server')} does not exist`);
    const script = join(h.dir, 'server.sh');
    writeFileSync(script, '#!/bin/sh\nexit 0\n');
    chmodSync(script, 0o644);
    const config = readFileSync(h.configPath, 'utf8').replace('./no-such-server', script);
    writeFileSync(h.configPath, config);
    const answer = await h.post('/supervisor/server/start');
    expect(answer.status).toBe(500);
    expect(answer.json.code).toBe('ERR_NOT_EXECUTABLE');
    expect(answer.json.detail).toContain(`${script} is not executable; run chmod +x ${script}`);
    status = await h.status();
    expect(status.main_server_state).toBe('crashed.halted');
    expect(((await h.history()) as Event[]).filter((e) => e.type === 'halted').map((e) => e.code)).toEqual(['ERR_NOT_EXECUTABLE', 'ERR_COMMAND_NOT_FOUND']);
  });

  it('records gave_up after a crash loop, each crash with the fixture\'s last words', async () => {
    h = await startHarness({ fixture: 'crash-on-start.mjs', server: { intensity: 2, period_ms: 60_000, backoff_ms: 20, backoff_max_ms: 40 } });
    const gaveUp = await eventOf(h, 'gave_up');
    expect(gaveUp).toMatchObject({ crashes: 3, period_ms: 60_000 });
    const crashes = ((await h.history()) as Event[]).filter((e) => e.type === 'crashed');
    expect(crashes).toHaveLength(3);
    for (const crash of crashes) {
      expect(crash).toMatchObject({ code: 3, signal: null, reason: 'exit' });
      expect(crash.log_tail).toEqual([`crash-on-start fixture pid ${crash.pid}: cannot start`]);
    }
  });

  it('serves Prometheus metrics that parse, and the CPU and memory history while the server runs', async () => {
    h = await startHarness({ metricsIntervalMs: 50, server: { stable_ms: 60_000 } });
    const { main_server_pid: pid } = await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    process.kill(pid, 'SIGKILL');
    await h.waitForStatus('running again', (s) => s.main_server_status === 'running' && s.main_server_pid !== pid);
    const answer = await request(`${h.url}/supervisor/metrics`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const metrics = parsePrometheusText(answer.text);
    expect(sampleValue(metrics, 'parachute_server_up')).toBe(1);
    expect(sampleValue(metrics, 'parachute_server_state', { state: 'running' })).toBe(1);
    expect(sampleValue(metrics, 'parachute_server_state', { state: 'crashed' })).toBe(0);
    expect(sampleValue(metrics, 'parachute_server_restarts_total')).toBe(1);
    expect(sampleValue(metrics, 'parachute_server_crashes_total')).toBe(1);
    expect(metrics.get('parachute_server_restarts_total')?.type).toBe('counter');
    expect(sampleValue(metrics, 'parachute_supervisor_memory_bytes')).toBeGreaterThan(10 * 1024 * 1024);
    expect(sampleValue(metrics, 'parachute_server_uptime_seconds')).toBeGreaterThanOrEqual(0);

    const history = await waitFor('two samples', async () => {
      const got = await request(`${h?.url}/supervisor/metrics/history?window=60`);
      return got.json.samples.length >= 2 ? got.json : undefined;
    });
    expect(history.interval_ms).toBe(50);
    expect(history.samples[0]).toEqual({ at: expect.any(String), cpu_percent: expect.any(Number), memory_bytes: expect.any(Number) });
    expect(history.samples[0].memory_bytes).toBeGreaterThan(1024 * 1024);
    expect((await request(`${h.url}/supervisor/metrics/history?window=0`)).status).toBe(400);
    expect((await request(`${h.url}/supervisor/history?limit=1001`)).json.code).toBe('ERR_INVALID_VALUE');
    // Nothing is sampled while the server is stopped.
    await h.post('/supervisor/server/stop');
    await waitFor('the server gone', () => !isAlive(pid));
  });
});
