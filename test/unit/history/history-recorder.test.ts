import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crashLogTail } from '../../../src/history/crash-log-tail.js';
import { parseHistory } from '../../../src/history/history-file.js';
import { HistoryRecorder } from '../../../src/history/history-recorder.js';
import { formatSeparator } from '../../../src/logs/log-separator.js';

describe('the history recorder and its file', () => {
  let dir: string;
  let historyPath: string;
  let logPath: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'psup-history-'));
    historyPath = join(dir, 'logs', 'history.jsonl');
    logPath = join(dir, 'logs', 'server.log');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const recorder = (options: Partial<ConstructorParameters<typeof HistoryRecorder>[0]> = {}) =>
    new HistoryRecorder({ historyPath: () => historyPath, logPath: () => logPath, secrets: () => [], deferMs: 10_000, ...options });

  it('numbers facts at once, writes them later in order (mode 0600), and continues the numbering in a new run', async () => {
    const first = recorder();
    expect(first.record({ type: 'supervisor_started', version: '1', adopted_pid: null })).toBe(1);
    expect(first.record({ type: 'starting', pid: 5, cause: 'autostart' })).toBe(2);
    // Deferred: nothing written yet.
    expect(() => statSync(historyPath)).toThrow();
    await first.flush();
    expect(statSync(historyPath).mode & 0o777).toBe(0o600);
    expect(parseHistory(readFileSync(historyPath, 'utf8')).events.map((e) => [e.seq, e.type])).toEqual([[1, 'supervisor_started'], [2, 'starting']]);
    const next = recorder();
    expect(next.record({ type: 'supervisor_stopped' })).toBe(3);
  });

  it('skips a torn last line and never lets it swallow the next event', async () => {
    const first = recorder();
    first.record({ type: 'supervisor_started', version: '1', adopted_pid: null });
    await first.flush();
    writeFileSync(historyPath, readFileSync(historyPath, 'utf8') + '{"seq":2,"at":"20', { mode: 0o600 });
    const next = recorder();
    expect(next.record({ type: 'supervisor_stopped' })).toBe(2);
    expect((await next.newest(10)).map((e) => [e.seq, e.type])).toEqual([[2, 'supervisor_stopped'], [1, 'supervisor_started']]);
    expect(readFileSync(historyPath, 'utf8').split('\n')).toHaveLength(4); // event, torn line, event, ''
  });

  it('keeps the newest events only, compacting the file once it grows past the margin', async () => {
    const history = recorder({ keep: 5, compactMargin: 3 });
    for (let i = 0; i < 9; i++) history.record({ type: 'restart_scheduled', delay_ms: i });
    await history.flush();
    const { events, lines } = parseHistory(readFileSync(historyPath, 'utf8'));
    expect(lines).toBe(5);
    expect(events.map((e) => e.seq)).toEqual([5, 6, 7, 8, 9]);
    expect(statSync(historyPath).mode & 0o777).toBe(0o600);
    expect((await history.after(7)).map((e) => e.seq)).toEqual([8, 9]);
  });

  it('sends each event to subscribers once it is written, and keeps the last crash (without its tail) at once', async () => {
    const history = recorder();
    const seen: number[] = [];
    history.subscribe((event) => seen.push(event.seq));
    history.record({ type: 'crashed', pid: 9, code: 1, signal: null, ran_for_ms: 20, reason: 'exit', message: 'server exited with code 1', logSpan: null });
    expect(history.lastCrash()).toMatchObject({ seq: 1, type: 'crashed', pid: 9, message: 'server exited with code 1' });
    expect(history.lastCrash()).not.toHaveProperty('log_tail');
    expect(history.crashes()).toBe(1);
    expect(seen).toEqual([]);
    await history.flush();
    expect(seen).toEqual([1]);
    expect(recorder().lastCrash()).toMatchObject({ seq: 1, pid: 9 });
  });

  it('reports a history it cannot write once, and goes on', async () => {
    const reports: string[] = [];
    writeFileSync(join(dir, 'logs'), 'a file where the folder should be');
    const history = recorder({ report: (m) => reports.push(m) });
    history.record({ type: 'supervisor_stopped' });
    history.record({ type: 'supervisor_stopped' });
    await history.flush();
    history.record({ type: 'supervisor_stopped' });
    await history.flush();
    expect(reports).toHaveLength(1);
    expect(reports[0]).toContain(`cannot write the history ${historyPath}`);
  });
});

describe('crashLogTail', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'psup-tail-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("gives that run's last lines: not the run before, not the separators, not what came after the exit, redacted", () => {
    const logPath = join(dir, 'server.log');
    const at = new Date('2026-12-06T00:00:00.000Z');
    const before = `old run line\n${formatSeparator({ kind: 'stopped', pid: 1, code: 1, at })}\n`;
    const run = `${formatSeparator({ kind: 'started', pid: 2, at })}\nline one\ntoken=sk-ant-api03-${'z'.repeat(30)}\n`;
    const after = `${formatSeparator({ kind: 'stopped', pid: 2, code: null, signal: 'SIGKILL', at })}\n`;
    writeFileSync(logPath, before + run + after);
    const span = { from: before.length, to: before.length + run.length };
    expect(crashLogTail(logPath, span, [])).toEqual(['line one', 'token=[REDACTED]']);
    // Where the run began is unknown (an adopted server): the lines after the last separator.
    expect(crashLogTail(logPath, { from: null, to: span.to }, [])).toEqual(['line one', 'token=[REDACTED]']);
  });

  it('keeps the last 20 lines and cuts a long one', () => {
    const logPath = join(dir, 'server.log');
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i}`);
    lines[29] = 'y'.repeat(3000);
    writeFileSync(logPath, lines.join('\n') + '\n');
    const tail = crashLogTail(logPath, { from: 0, to: readFileSync(logPath).length }, []);
    expect(tail).toHaveLength(20);
    expect(tail[0]).toBe('line 10');
    expect(tail[19]).toBe(`${'y'.repeat(1024)} …`);
  });
});
