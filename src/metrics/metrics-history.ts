import type { MetricsSampler } from './metrics-sampler.js';

/** One sample of the server's CPU and memory. */
export interface MetricsSample {
  at: number;
  cpuPercent: number;
  memoryBytes: number;
}

/** Sampling interval of the metrics history (docs/api.md, Metrics). */
export const metricsIntervalMs = 5_000;
/** How long samples are kept in memory. */
export const metricsKeepMs = 3_600_000;

/**
 * The server's CPU and memory every `intervalMs` while it runs, the last hour kept in memory (a bounded array:
 * 720 samples at 5 s). Nothing is sampled while the server is not running.
 */
export class MetricsHistory {
  private readonly kept: MetricsSample[] = [];
  private readonly max: number;

  constructor(
    private readonly sampler: Pick<MetricsSampler, 'sample'>,
    /** The pid of the running server, or null when it is not running. */
    private readonly runningPid: () => number | null,
    readonly intervalMs = metricsIntervalMs,
    private readonly now: () => number = Date.now,
  ) {
    this.max = Math.ceil(metricsKeepMs / intervalMs);
  }

  /** Starts sampling on a timer that never keeps the process alive; returns the stop. */
  start(): () => void {
    const timer = setInterval(() => void this.sampleOnce(), this.intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Takes one sample if the server runs (the timer's work; tests call it directly). */
  async sampleOnce(): Promise<void> {
    const pid = this.runningPid();
    if (pid === null) return;
    const metrics = await this.sampler.sample(pid);
    if (!metrics) return;
    this.kept.push({ at: this.now(), ...metrics });
    if (this.kept.length > this.max) this.kept.splice(0, this.kept.length - this.max);
  }

  /** The samples of the last `windowMs`, oldest first. */
  samples(windowMs: number): MetricsSample[] {
    const since = this.now() - windowMs;
    return this.kept.filter((sample) => sample.at > since);
  }
}
