import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLayout, readRange, writeBase } from '../../../src/logs/log-layout.js';
import { findTailStart } from '../../../src/logs/log-tail.js';

function logIn(files: Record<string, string>, base?: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'tail-'));
  const logPath = join(dir, 'server.log');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  if (base !== undefined) writeBase(logPath, base);
  return logPath;
}

function tailText(logPath: string, n: number, countPartial = false): string {
  const layout = readLayout(logPath);
  const { start, end } = findTailStart(layout, n, { countPartial });
  return readRange(layout, start, end).toString();
}

describe('findTailStart', () => {
  it('finds the last n complete lines', () => {
    const log = logIn({ 'server.log': 'a\nb\nc\nd\n' });
    expect(tailText(log, 2)).toBe('c\nd\n');
    expect(tailText(log, 4)).toBe('a\nb\nc\nd\n');
    expect(tailText(log, 10)).toBe('a\nb\nc\nd\n');
    expect(tailText(log, 0)).toBe('');
  });

  it('leaves an unfinished last line to the follower unless asked to count it', () => {
    const log = logIn({ 'server.log': 'a\nb\nhal' });
    expect(tailText(log, 2)).toBe('a\nb\n');
    expect(tailText(log, 2, true)).toBe('b\nhal');
    expect(tailText(logIn({ 'server.log': 'only partial' }), 3)).toBe('');
    expect(tailText(logIn({ 'server.log': 'only partial' }), 3, true)).toBe('only partial');
  });

  it('scans backwards across many 64 KiB chunks and keeps empty lines', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? '' : `${i} ${'y'.repeat(i % 300)}`));
    const log = logIn({ 'server.log': lines.join('\n') + '\n' });
    expect(tailText(log, 1234)).toBe(lines.slice(-1234).join('\n') + '\n');
  });

  it('reads the last lines across server.log.1 and server.log as one stream', () => {
    const log = logIn({ 'server.log.2': 'one\ntw', 'server.log.1': 'o\nthree\n', 'server.log': 'four\n' }, 14);
    const layout = readLayout(log);
    expect(layout.segments.map((s) => [s.start, s.end])).toEqual([
      [0, 6],
      [6, 14],
      [14, 19],
    ]);
    expect(tailText(log, 3)).toBe('two\nthree\nfour\n');
    expect(tailText(log, 9)).toBe('one\ntwo\nthree\nfour\n');
  });

  it('treats a missing log as empty', () => {
    const log = logIn({});
    expect(findTailStart(readLayout(log), 50)).toEqual({ start: 0, end: 0 });
  });
});
