import { chartColumns, metricsLabels, metricsSummary } from '../../../../src/ui/app/metrics.view.js';

describe('metrics words', () => {
  const history = {
    interval_ms: 5000,
    samples: [
      { at: '2026-11-24T10:00:00.000Z', cpu_percent: 3.44, memory_bytes: 60 * 1024 * 1024 },
      { at: '2026-11-24T10:00:05.000Z', cpu_percent: 1.2, memory_bytes: 50 * 1024 * 1024 },
    ],
  };

  it('says the newest value and the peak of the window', () => {
    expect(metricsLabels(metricsSummary(history))).toEqual({
      cpu: '1.2% now, peak 3.4% in 15 min',
      memory: '50 MiB now, peak 60 MiB in 15 min',
    });
    expect(metricsLabels(metricsSummary({ interval_ms: 5000, samples: [] }))).toBeNull();
  });

  it('gives the chart times in seconds and memory in MiB', () => {
    expect(chartColumns(history)).toEqual([[Date.UTC(2026, 10, 24, 10) / 1000, Date.UTC(2026, 10, 24, 10, 0, 5) / 1000], [3.44, 1.2], [60, 50]]);
  });
});
