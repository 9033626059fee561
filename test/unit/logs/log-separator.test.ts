import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatSeparator, writeSeparator } from '../../../src/logs/log-separator.js';

const at = new Date('2026-11-24T10:00:00.000Z');

describe('server start/stop separators', () => {
  it('formats start, exit and signal marks', () => {
    expect(formatSeparator({ kind: 'started', pid: 123, at })).toBe('--- 2026-11-24T10:00:00.000Z server started pid 123 ---');
    expect(formatSeparator({ kind: 'stopped', pid: 123, code: 0, at })).toBe(
      '--- 2026-11-24T10:00:00.000Z server stopped pid 123 (exit code 0) ---',
    );
    expect(formatSeparator({ kind: 'stopped', pid: 9, code: null, signal: 'SIGKILL', at })).toBe(
      '--- 2026-11-24T10:00:00.000Z server stopped pid 9 (signal SIGKILL) ---',
    );
  });

  it('appends on a line of its own, creating the file, even after output without a final newline', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sep-')), 'server.log');
    writeSeparator(path, { kind: 'started', pid: 1, at });
    writeFileSync(path, 'crashed mid-li', { flag: 'a' });
    writeSeparator(path, { kind: 'stopped', pid: 1, code: 1, at });
    expect(readFileSync(path, 'utf8')).toBe(
      '--- 2026-11-24T10:00:00.000Z server started pid 1 ---\n' +
        'crashed mid-li\n' +
        '--- 2026-11-24T10:00:00.000Z server stopped pid 1 (exit code 1) ---\n',
    );
  });
});
