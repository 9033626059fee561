import type { LifecyclePolicy } from '../../machines/server-lifecycle.types.js';
import type { ServerSettings } from '../config/settings.js';
import { probeHost } from './inherited-socket.js';

/** The lifecycle policy (no command, env or secret: it is visible in inspection) from server settings. */
export function policyOf(s: ServerSettings): LifecyclePolicy {
  return {
    port: s.port,
    // The server binds its own address with socket: none (health is asked on loopback); with inherit, ours.
    healthHost: s.socket === 'inherit' ? probeHost(s.host) : '127.0.0.1',
    socket: s.socket,
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
