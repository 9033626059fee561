import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { floodLine } from '../../soak/flood-lines.mjs';
import { historyHolds, linesOnDisk, oldestHistorySeq } from '../../soak/log-disk.mjs';
import { createPrng } from '../../soak/prng.mjs';

describe('soak: what the files on disk hold', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'psup-soak-disk-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('tells whole lines, lines cut short and lines no file holds, across the rotation boundary', () => {
    const prng = createPrng(5);
    const line = (k: number) => floodLine({ writer: '5xw', k, cells: 40, secrets: [], prng, secretEvery: 0 });
    const split = line(2);
    // Oldest first: .2, .1, server.log; line 2 runs from the end of .1 into server.log; line 3 was cut short by a kill.
    writeFileSync(join(dir, 'server.log.2'), `${line(0)}\n`);
    writeFileSync(join(dir, 'server.log.1'), `${line(1)}\n${split.slice(0, 1000)}`);
    writeFileSync(join(dir, 'server.log'), `${split.slice(1000)}\n${line(3).slice(0, 500)}\n--- stopped ---\n`);
    expect([...linesOnDisk(dir, 3, '5xw', [0, 1, 2, 3, 4])]).toEqual([
      [0, 'complete'],
      [1, 'complete'],
      [2, 'complete'],
      [3, 'partial'],
      [4, 'absent'],
    ]);
    expect(linesOnDisk(dir, 1, '5xw', [0]).get(0)).toBe('absent');
  });

  it('reads the oldest seq history.jsonl holds, past a torn line, and whether it holds a range', () => {
    writeFileSync(join(dir, 'history.jsonl'), ['{"seq":7,"ty', '{"seq":8,"type":"running"}', '{"seq":9,"type":"stopped"}', ''].join('\n'));
    expect(oldestHistorySeq(dir)).toBe(8);
    expect(historyHolds(dir, 8, 9)).toBe(true);
    expect(historyHolds(dir, 7, 9)).toBe(false);
  });
});
