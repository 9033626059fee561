import type Pidusage from 'pidusage';
import { lazyImport } from '../lazy-require.js';

// pidusage is loaded by the first sample (the first status request while a server runs), not at boot.
const loadPidusage = lazyImport(() => import('pidusage').then((module) => module.default));

/** CPU and memory of one process, as status shows them. */
export interface ProcessMetrics {
  cpuPercent: number;
  memoryBytes: number;
}

/** Samples a pid's CPU and memory in the background so that status never waits on a probe. */
export class MetricsSampler {
  private latest: { pid: number; metrics: ProcessMetrics; at: number } | null = null;
  private inFlight = false;
  private pidusage: typeof Pidusage | null = null;

  /**
   * @param maxAgeMs a sample older than this is refreshed when read
   * @param historyMs how long pidusage keeps a pid's last reading (and its open /proc/<pid>/stat) after the last sample:
   *   long enough to span the metrics history's 5 s interval, short enough that every restarted server's pid does not
   *   hold an fd for pidusage's default of 60–90 s
   */
  constructor(
    private readonly maxAgeMs = 1_000,
    private readonly now: () => number = Date.now,
    private readonly historyMs = 15_000,
  ) {}

  /** The last sample for `pid` (null until one exists), refreshing it in the background when old. */
  read(pid: number | null): ProcessMetrics | null {
    if (pid === null) return null;
    const fresh = this.latest?.pid === pid ? this.latest : null;
    if (!fresh || this.now() - fresh.at > this.maxAgeMs) this.refresh(pid);
    return fresh?.metrics ?? null;
  }

  /** Takes a sample now (used by the refresh and by tests that need a first value). */
  async sample(pid: number): Promise<ProcessMetrics | null> {
    try {
      this.pidusage ??= await loadPidusage();
      const stat = await this.pidusage(pid, { maxage: this.historyMs });
      const metrics = { cpuPercent: Math.round(stat.cpu * 10) / 10, memoryBytes: Math.round(stat.memory) };
      this.latest = { pid, metrics, at: this.now() };
      return metrics;
    } catch {
      return null;
    }
  }

  private refresh(pid: number): void {
    if (this.inFlight) return;
    this.inFlight = true;
    void this.sample(pid).finally(() => {
      this.inFlight = false;
    });
  }

  /** Releases pidusage's history (call at shutdown). */
  clear(): void {
    this.pidusage?.clear();
  }
}
