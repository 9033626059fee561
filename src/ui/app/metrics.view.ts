// What the CPU and memory charts say in words (their labels and screen-reader text), from the metrics history.
import type { MetricsHistory } from './api.js';
import { formatBytes } from './format.js';

/** The window of the trend charts: the last 15 minutes. */
export const metricsWindowSeconds = 900;

export interface MetricsSummary {
  /** Samples in the window. */
  count: number;
  cpu: { now: number; peak: number } | null;
  memory: { now: number; peak: number } | null;
}

/** The newest and highest CPU and memory of the samples (null when there are none). */
export function metricsSummary(history: MetricsHistory | null): MetricsSummary {
  const samples = history?.samples ?? [];
  const last = samples.at(-1);
  if (!last) return { count: 0, cpu: null, memory: null };
  return {
    count: samples.length,
    cpu: { now: last.cpu_percent, peak: Math.max(...samples.map((s) => s.cpu_percent)) },
    memory: { now: last.memory_bytes, peak: Math.max(...samples.map((s) => s.memory_bytes)) },
  };
}

/** "1.2% now, peak 3.4% in 15 min" and "48 MiB now, peak 52 MiB in 15 min"; null without samples. */
export function metricsLabels(summary: MetricsSummary): { cpu: string; memory: string } | null {
  if (!summary.cpu || !summary.memory) return null;
  const span = `in ${metricsWindowSeconds / 60} min`;
  return {
    cpu: `${summary.cpu.now.toFixed(1)}% now, peak ${summary.cpu.peak.toFixed(1)}% ${span}`,
    memory: `${formatBytes(summary.memory.now)} now, peak ${formatBytes(summary.memory.peak)} ${span}`,
  };
}

/** The samples as chart columns: times in seconds, CPU %, memory in MiB. */
export function chartColumns(history: MetricsHistory | null): [number[], number[], number[]] {
  const samples = history?.samples ?? [];
  return [
    samples.map((s) => Date.parse(s.at) / 1000),
    samples.map((s) => s.cpu_percent),
    samples.map((s) => s.memory_bytes / (1024 * 1024)),
  ];
}
