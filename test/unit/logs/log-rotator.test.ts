import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { layoutEnd, layoutStart, readLayout, readRange } from '../../../src/logs/log-layout.js';
import { createLogRotator } from '../../../src/logs/log-rotator.js';

function freshLog(): string {
  return join(mkdtempSync(join(tmpdir(), 'rot-')), 'server.log');
}

describe('LogRotator', () => {
  it('rotates only once server.log reaches log_max_bytes', async () => {
    const logPath = freshLog();
    const rotator = createLogRotator(() => ({ logPath, maxBytes: 10, backups: 3 }));
    expect(await rotator.rotateIfNeeded()).toBeNull(); // missing
    writeFileSync(logPath, '123456789');
    expect(await rotator.rotateIfNeeded()).toBeNull();
    appendFileSync(logPath, '\n');
    expect(await rotator.rotateIfNeeded()).toEqual({ bytes: 10, base: 10 });
    expect(readFileSync(`${logPath}.1`, 'utf8')).toBe('123456789\n');
    expect(readFileSync(logPath, 'utf8')).toBe('');
  });

  it('keeps log_backups files and every kept byte at the stream offset it had, rotation after rotation', async () => {
    const logPath = freshLog();
    const rotator = createLogRotator(() => ({ logPath, maxBytes: 1, backups: 2 }));
    let stream = '';
    for (let generation = 1; generation <= 5; generation += 1) {
      const text = `generation ${generation}\n`.repeat(generation);
      appendFileSync(logPath, text);
      stream += text;
      expect(await rotator.rotateIfNeeded()).toEqual({ bytes: Buffer.byteLength(text), base: Buffer.byteLength(stream) });
    }
    appendFileSync(logPath, 'live\n');
    stream += 'live\n';
    expect(existsSync(`${logPath}.1`) && existsSync(`${logPath}.2`) && !existsSync(`${logPath}.3`)).toBe(true);
    const layout = readLayout(logPath);
    expect(layoutEnd(layout)).toBe(Buffer.byteLength(stream));
    // What is still on disk is exactly the end of the stream, at the same offsets.
    const kept = readRange(layout, layoutStart(layout), layoutEnd(layout)).toString();
    expect(stream.endsWith(kept)).toBe(true);
    expect(kept.startsWith('generation 4\n')).toBe(true);
  });

  it('with log_backups 0 drops the rotated bytes and any old backups, offsets still advancing', async () => {
    const logPath = freshLog();
    writeFileSync(`${logPath}.1`, 'stale backup\n');
    writeFileSync(logPath, 'abc\n');
    const rotator = createLogRotator(() => ({ logPath, maxBytes: 1, backups: 0 }));
    expect(await rotator.rotate()).toEqual({ bytes: 4, base: 17 }); // base counted the stale backup's 13 bytes
    expect(existsSync(`${logPath}.1`)).toBe(false);
    expect(readLayout(logPath).base).toBe(17);
  });

  it('loses nothing appended while the bulk copy runs: the tail is copied again before truncating', async () => {
    const logPath = freshLog();
    const line = (i: number) => `line ${i} ${'z'.repeat(100)}\n`;
    let all = '';
    for (let i = 0; i < 60_000; i += 1) all += line(i); // ~6.5 MB, so the copy takes several turns
    writeFileSync(logPath, all);
    const rotator = createLogRotator(() => ({ logPath, maxBytes: 1, backups: 1 }));
    let next = 60_000;
    let rotating = true;
    const appendMeanwhile = (): void => {
      if (!rotating) return;
      appendFileSync(logPath, line(next));
      all += line(next);
      next += 1;
      setImmediate(appendMeanwhile);
    };
    setImmediate(appendMeanwhile);
    const result = await rotator.rotate();
    rotating = false;
    expect(next).toBeGreaterThan(60_000);
    expect(readFileSync(`${logPath}.1`, 'utf8') + readFileSync(logPath, 'utf8')).toBe(all);
    expect(result?.bytes).toBe(Buffer.byteLength(readFileSync(`${logPath}.1`)));
  });

  it('runs one rotation at a time when checks overlap', async () => {
    const logPath = freshLog();
    writeFileSync(logPath, 'x'.repeat(2048));
    const rotator = createLogRotator(() => ({ logPath, maxBytes: 1024, backups: 3 }));
    const results = await Promise.all([rotator.rotateIfNeeded(), rotator.rotateIfNeeded()]);
    expect(results).toEqual([{ bytes: 2048, base: 2048 }, null]);
    expect(existsSync(`${logPath}.2`)).toBe(false);
  });
});
