import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InspectionRecord } from '../../../src/inspect/inspection-hub.js';
import { InspectionReplay, inspectionReplayPath, parseReplayLine } from '../../../src/inspect/inspection-replay.js';

const snapshot = (n: number): InspectionRecord => ({ kind: 'snapshot', actor: 'server', value: `s${n}`, status: 'active', context: { n }, at: n });
const values = (records: InspectionRecord[]) => records.map((r) => (r.kind === 'snapshot' ? r.value : r.kind));

describe('inspection replay', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'psup-replay-'));
    path = inspectionReplayPath(join(dir, 'logs'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the last records in memory, oldest first', async () => {
    const replay = new InspectionReplay({ path: null, capacity: 3 });
    for (let n = 1; n <= 5; n += 1) replay.add(snapshot(n));
    expect(values(replay.records())).toEqual(['s3', 's4', 's5']);
  });

  it('writes records to <log_dir>/inspect.jsonl (0600, the folder made) and reads them back in the next run', async () => {
    const first = new InspectionReplay({ path, capacity: 10 });
    await first.ready;
    first.add({ kind: 'started', pid: 1, version: '1.0.0', at: 0 });
    first.add(snapshot(1));
    // Nothing written in the caller's tick: the append comes after it.
    expect(() => readFileSync(path)).toThrow(/ENOENT/);
    await first.flush();
    expect(readFileSync(path, 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
    expect(statSync(path).mode & 0o777).toBe(0o600);

    const second = new InspectionReplay({ path, capacity: 10 });
    second.add({ kind: 'started', pid: 2, version: '1.0.0', at: 5 });
    await second.ready;
    expect(values(second.records())).toEqual(['started', 's1', 'started']);
  });

  it('skips a torn last line and anything that is not a record, and appends cleanly after it', async () => {
    const torn = join(dir, 'inspect.jsonl');
    writeFileSync(torn, `${JSON.stringify(snapshot(1))}\nnot json\n{"kind":"other","at":1}\n${JSON.stringify(snapshot(2)).slice(0, 20)}`, { mode: 0o600 });
    const replay = new InspectionReplay({ path: torn, capacity: 10 });
    await replay.ready;
    expect(values(replay.records())).toEqual(['s1']);
    replay.add(snapshot(3));
    await replay.flush();
    const again = new InspectionReplay({ path: torn, capacity: 10 });
    await again.ready;
    expect(values(again.records())).toEqual(['s1', 's3']);
    expect(parseReplayLine('{"kind":"snapshot"')).toBeNull();
  });

  it('keeps the file bounded: rewritten from memory once it holds twice the capacity', async () => {
    const replay = new InspectionReplay({ path, capacity: 5 });
    await replay.ready;
    for (let n = 1; n <= 23; n += 1) {
      replay.add(snapshot(n));
      await replay.flush();
      expect(readFileSync(path, 'utf8').split('\n').filter(Boolean).length).toBeLessThanOrEqual(10);
    }
    const next = new InspectionReplay({ path, capacity: 5 });
    await next.ready;
    expect(values(next.records())).toEqual(['s19', 's20', 's21', 's22', 's23']);
  });

  it('says once when the file cannot be written, and keeps the records in memory', async () => {
    // A path under a regular file cannot be made.
    writeFileSync(join(dir, 'file'), 'x');
    const warnings: string[] = [];
    const replay = new InspectionReplay({ path: join(dir, 'file', 'inspect.jsonl'), capacity: 5, warn: (m) => warnings.push(m) });
    await replay.ready;
    replay.add(snapshot(1));
    await replay.flush();
    replay.add(snapshot(2));
    await replay.flush();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/cannot (read|write) .*inspect\.jsonl: .*ENOTDIR.*memory only/);
    expect(values(replay.records())).toEqual(['s1', 's2']);
  });
});
