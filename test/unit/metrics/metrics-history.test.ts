import { MetricsHistory } from '../../../src/metrics/metrics-history.js';

describe('MetricsHistory', () => {
  it('samples only while the server runs, keeps an hour at most, and gives the window asked for', async () => {
    let now = 0;
    let pid: number | null = null;
    const sampled: number[] = [];
    const history = new MetricsHistory(
      { sample: async (p: number) => (sampled.push(p), { cpuPercent: 1.5, memoryBytes: 1000 + sampled.length }) },
      () => pid,
      5_000,
      () => now,
    );
    await history.sampleOnce();
    expect(sampled).toEqual([]);
    pid = 42;
    for (let i = 0; i < 800; i++) {
      now += 5_000;
      await history.sampleOnce();
    }
    expect(history.samples(3_600_000)).toHaveLength(720);
    expect(history.samples(3_600_000)[0]?.at).toBe(now - 719 * 5_000);
    // The last minute: the samples newer than a minute ago, oldest first.
    expect(history.samples(60_000).map((s) => s.at)).toEqual(Array.from({ length: 12 }, (_, i) => now - (11 - i) * 5_000));
    expect(history.samples(10_000).at(-1)).toEqual({ at: now, cpuPercent: 1.5, memoryBytes: 1800 });
  });

  it('skips a sample that could not be taken (the process went away)', async () => {
    const history = new MetricsHistory({ sample: async () => null }, () => 7, 5_000, () => 1);
    await history.sampleOnce();
    expect(history.samples(3_600_000)).toEqual([]);
  });
});
