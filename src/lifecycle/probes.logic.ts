import { fromCallback } from 'xstate';
import type { ProbeInput, ServerLifecycleEvent } from '../../machines/server-lifecycle.types.js';
import { probeHealth } from './health-probe.js';

export interface ProbeTiming {
  /** Between readiness attempts while starting. */
  readinessIntervalMs: number;
  /** The configured liveness interval and probe timeout, read once per attempt (config.yaml is never latched). */
  health: () => { intervalMs: number; timeoutMs: number };
  now: () => number;
}

/** Polls until the server answers 2xx once, then reports health.ok and stops. */
export function readinessProbeLogic(timing: ProbeTiming) {
  return fromCallback<ServerLifecycleEvent, ProbeInput>(({ sendBack, input }) => {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const attempt = async () => {
      const result = await probeHealth(input.port, input.healthPath, Math.min(timing.health().timeoutMs, 1_000), input.host);
      if (stopped) return;
      if (result.ok) sendBack({ type: 'health.ok', at: timing.now(), version: result.version });
      else timer = setTimeout(attempt, timing.readinessIntervalMs);
    };
    timer = setTimeout(attempt, timing.readinessIntervalMs);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  });
}

/** Asks the running server every interval: every failure becomes health.failed, a recovery becomes health.ok. */
export function livenessProbeLogic(timing: ProbeTiming) {
  return fromCallback<ServerLifecycleEvent, ProbeInput>(({ sendBack, input }) => {
    let stopped = false;
    let failing = false;
    let timer: NodeJS.Timeout | undefined;
    const attempt = async () => {
      const health = timing.health();
      const result = await probeHealth(input.port, input.healthPath, health.timeoutMs, input.host);
      if (stopped) return;
      const at = timing.now();
      // Steady health sends nothing, so the inspection stream is not flooded with identical snapshots.
      if (!result.ok) sendBack({ type: 'health.failed', at, message: result.message });
      else if (failing) sendBack({ type: 'health.ok', at, version: result.version });
      failing = !result.ok;
      timer = setTimeout(attempt, health.intervalMs);
    };
    timer = setTimeout(attempt, timing.health().intervalMs);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  });
}
