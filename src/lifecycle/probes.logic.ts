import { fromCallback } from 'xstate';
import type { LivenessInput, ProbeInput, ServerLifecycleEvent } from '../../machines/server-lifecycle.types.js';
import { probeHealth } from './health-probe.js';

export interface ProbeTiming {
  /** Between readiness attempts while starting. */
  readinessIntervalMs: number;
  /** The configured liveness interval and probe timeout, read once per attempt (config.yaml is never latched). */
  health: () => { intervalMs: number; timeoutMs: number };
  now: () => number;
  /** Whether a process is alive (the supervisor's process facts). */
  isAlive: (pid: number) => boolean;
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
  return fromCallback<ServerLifecycleEvent, LivenessInput>(({ sendBack, input }) => {
    let stopped = false;
    let failing = false;
    let timer: NodeJS.Timeout | undefined;
    const attempt = async () => {
      const health = timing.health();
      const result = await probeHealth(input.port, input.healthPath, health.timeoutMs, input.host);
      if (stopped) return;
      const at = timing.now();
      // A server that has died is not unhealthy: its exit is on the way (reported once its group is drained), and a
      // failure counted meanwhile could make the crash a liveness failure.
      const gone = !result.ok && input.pid !== null && !timing.isAlive(input.pid);
      // Steady health sends nothing, so the inspection stream is not flooded with identical snapshots.
      if (!result.ok && !gone) sendBack({ type: 'health.failed', at, message: result.message });
      else if (result.ok && failing) sendBack({ type: 'health.ok', at, version: result.version });
      failing = !result.ok && !gone;
      timer = setTimeout(attempt, health.intervalMs);
    };
    timer = setTimeout(attempt, timing.health().intervalMs);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  });
}
