import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lineTextBefore } from '../../../src/logs/line-context.js';
import { readLayout, writeBase } from '../../../src/logs/log-layout.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function logIn(files: Record<string, string>, base?: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'context-'));
  dirs.push(dir);
  const logPath = join(dir, 'server.log');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  if (base !== undefined) writeBase(logPath, base);
  return logPath;
}

const before = (logPath: string, offset: number, maxBytes?: number): string => [...lineTextBefore(readLayout(logPath), offset, maxBytes)].join('');

describe('lineTextBefore', () => {
  it('gives nothing at a line start, the start of the log, or beyond its end', () => {
    const log = logIn({ 'server.log': 'one\ntwo\n' });
    expect(before(log, 4)).toBe('');
    expect(before(log, 0)).toBe('');
    expect(before(log, 8)).toBe('');
    expect(before(log, 99)).toBe('');
  });

  it("gives the line's text from its start up to the offset", () => {
    const log = logIn({ 'server.log': 'one\napi_key=secret-value\n' });
    expect(before(log, 4 + 'api_key=sec'.length)).toBe('api_key=sec');
    expect(before(log, 2)).toBe('on');
  });

  it('reads the line across the rotation boundary, and at most maxBytes of it', () => {
    const log = logIn({ 'server.log.1': 'old\nthe line be', 'server.log': 'gins in .1\n' }, 15);
    expect(before(log, 19)).toBe('the line begins');
    expect(before(log, 19, 6)).toBe('begins');
  });

  it('gives a long line in bounded pieces', () => {
    const log = logIn({ 'server.log': 'x'.repeat(200_000) + '\n' });
    const pieces = [...lineTextBefore(readLayout(log), 150_000)];
    expect(pieces.join('')).toBe('x'.repeat(150_000));
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThanOrEqual(64 * 1024);
  });
});
