import { lineLevel, lineMatcher, localTimestamps, type LogEntry } from '../../../../src/ui/app/log-lines.js';

const entry = (text: string, streamError = false): LogEntry => ({ seq: 1, text, level: lineLevel(text), streamError });

describe('log lines', () => {
  it('takes the level from the level word a line carries', () => {
    expect(lineLevel('2026-11-24 ERROR db: gone')).toBe('error');
    expect(lineLevel('Traceback (most recent call last):')).toBe('error');
    expect(lineLevel('WARNING: slow')).toBe('warn');
    expect(lineLevel('[DEBUG] x')).toBe('debug');
    expect(lineLevel('listening on 3333')).toBe('info');
    expect(lineLevel('errors=0 warnings=0')).toBe('info');
  });

  it('filters by text (any case) and by lowest level; a stream error always shows', () => {
    const lines = [entry('INFO GET /a'), entry('WARN slow GET /b'), entry('ERROR boom'), entry('DEBUG tick'), entry('log file not found', true)];
    const shown = (text: string, level: 'all' | 'info' | 'warn' | 'error') => lines.filter(lineMatcher({ text, level })).map((l) => l.text);
    expect(shown('', 'all')).toHaveLength(5);
    expect(shown('', 'warn')).toEqual(['WARN slow GET /b', 'ERROR boom', 'log file not found']);
    expect(shown('get', 'all')).toEqual(['INFO GET /a', 'WARN slow GET /b']);
    expect(shown('get', 'error')).toEqual([]);
    expect(shown('', 'info')).not.toContain('DEBUG tick');
  });

  it('writes UTC timestamps in local time, everywhere in the line', () => {
    const at = Date.UTC(2026, 10, 24, 10, 0, 5, 42);
    const d = new Date(at);
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    const local = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
    expect(localTimestamps('2026-11-24T10:00:05.042Z [demo] up')).toBe(`${local}.042 [demo] up`);
    expect(localTimestamps('--- 2026-11-24T10:00:05Z server started pid 1 ---')).toBe(`--- ${local} server started pid 1 ---`);
    expect(localTimestamps('no time here, Zed')).toBe('no time here, Zed');
  });
});
