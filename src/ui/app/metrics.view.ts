// What the CPU and memory charts say in words (their labels and screen-reader text), from the metrics history.
import type { MetricsHistory } from './api.js';
import { formatBytes } from './format.js';

/** The window of the trend charts: the last 15 minutes. */
export const metricsWindowSeconds = 900;

export interface MetricsSummary {
  /** Samples in the window. */
  count: number;
  /** Seconds from the oldest sample to now (at most the window). */
  spanSeconds: number;
  cpu: { now: number; peak: number } | null;
  memory: { now: number; peak: number } | null;
}

/** The newest and highest CPU and memory of the samples (null when there are none). */
export function metricsSummary(history: MetricsHistory | null, now: number): MetricsSummary {
  const samples = history?.samples ?? [];
  const last = samples.at(-1);
  if (!last) return { count: 0, spanSeconds: 0, cpu: null, memory: null };
  const first = Date.parse(samples[0]?.at ?? last.at);
  return {
    count: samples.length,
    spanSeconds: Math.min(metricsWindowSeconds, Math.max(0, (now - first) / 1000)),
    cpu: { now: last.cpu_percent, peak: Math.max(...samples.map((s) => s.cpu_percent)) },
    memory: { now: last.memory_bytes, peak: Math.max(...samples.map((s) => s.memory_bytes)) },
  };
}

/** "1.2% now, peak 3.4% in the last 15 min" and the same for memory; null without samples. */
export function metricsLabels(summary: MetricsSummary): { cpu: string; memory: string } | null {
  if (!summary.cpu || !summary.memory) return null;
  const minutes = Math.ceil(summary.spanSeconds / 60);
  const span = minutes <= 1 ? 'in the last minute' : `in the last ${minutes} min`;
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

/**
 * The time axis of the charts, in seconds: from the oldest sample (at most the window back) to now, and never
 * shorter than five sampling intervals, so a fresh history fills the chart instead of hugging its right edge.
 */
export function timeRange(oldest: number | null, nowSeconds: number, intervalSeconds: number): [number, number] {
  const from = Math.max(nowSeconds - metricsWindowSeconds, oldest ?? nowSeconds);
  return [Math.min(from, nowSeconds - 5 * intervalSeconds), nowSeconds];
}
