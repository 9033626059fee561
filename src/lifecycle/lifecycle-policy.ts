import type { LifecyclePolicy } from '../../machines/server-lifecycle.types.js';
import type { ServerSettings } from '../config/settings.js';

/** The lifecycle policy (no command, env or secret: it is visible in inspection) from server settings. */
export function policyOf(s: ServerSettings): LifecyclePolicy {
  return {
    port: s.port,
    healthPath: s.healthPath,
    restart: s.restart,
    startTimeoutMs: s.startTimeoutMs,
    stopTimeoutMs: s.stopTimeoutMs,
    backoffMs: s.backoffMs,
    backoffMaxMs: s.backoffMaxMs,
    intensity: s.intensity,
    periodMs: s.periodMs,
    stableMs: s.stableMs,
    healthFailures: s.healthFailures,
  };
}
