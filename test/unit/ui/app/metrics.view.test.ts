import { chartColumns, metricsLabels, metricsSummary, timeRange } from '../../../../src/ui/app/metrics.view.js';

describe('metrics words', () => {
  const history = {
    interval_ms: 5000,
    samples: [
      { at: '2026-11-24T10:00:00.000Z', cpu_percent: 3.44, memory_bytes: 60 * 1024 * 1024 },
      { at: '2026-11-24T10:00:05.000Z', cpu_percent: 1.2, memory_bytes: 50 * 1024 * 1024 },
    ],
  };

  it('says the newest value and the peak over the span the samples cover, at most the 15-minute window', () => {
    const first = Date.UTC(2026, 10, 24, 10);
    expect(metricsLabels(metricsSummary(history, first + 40_000))).toEqual({
      cpu: '1.2% now, peak 3.4% in the last minute',
      memory: '50 MiB now, peak 60 MiB in the last minute',
    });
    expect(metricsLabels(metricsSummary(history, first + 7 * 60_000 + 5_000))?.cpu).toBe('1.2% now, peak 3.4% in the last 8 min');
    expect(metricsLabels(metricsSummary(history, first + 3_600_000))?.cpu).toBe('1.2% now, peak 3.4% in the last 15 min');
    expect(metricsLabels(metricsSummary({ interval_ms: 5000, samples: [] }, first))).toBeNull();
  });

  it('spans the chart from the oldest sample to now, at most 15 minutes and at least five intervals', () => {
    expect(timeRange(1_000, 1_100, 5)).toEqual([1_000, 1_100]);
    expect(timeRange(1_000, 5_000, 5)).toEqual([5_000 - 900, 5_000]);
    expect(timeRange(1_000, 1_010, 5)).toEqual([985, 1_010]);
    expect(timeRange(null, 2_000, 5)).toEqual([1_975, 2_000]);
  });

  it('gives the chart times in seconds and memory in MiB', () => {
    expect(chartColumns(history)).toEqual([[Date.UTC(2026, 10, 24, 10) / 1000, Date.UTC(2026, 10, 24, 10, 0, 5) / 1000], [3.44, 1.2], [60, 50]]);
  });
});
